//! GeoJSON: one Point feature per merged event with coordinates (RFC 7946:
//! coordinates are `[longitude, latitude]`), its properties the event's
//! fields as in the JSON report.

use std::cell::RefCell;

use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use crate::source::{Error, Items, ReportSource};
use crate::{MergedEvent, Report};

fn feature(e: &MergedEvent) -> Option<Value> {
    let l = e.location.as_ref()?;
    let (lat, lon) = (l.lat?, l.lon?);
    if !(lat.is_finite() && lon.is_finite()) {
        return None;
    }
    Some(json!({
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": serde_json::to_value(e).unwrap_or_default(),
    }))
}

/// A GeoJSON FeatureCollection of the report's located events.
pub fn geojson(r: &Report) -> Value {
    let features: Vec<Value> = r.events.iter().filter_map(feature).collect();
    json!({"type": "FeatureCollection", "features": features})
}

struct Features<'a>(RefCell<Option<Items<'a, MergedEvent>>>);

impl Serialize for Features<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for e in self.0.borrow_mut().take().into_iter().flatten() {
            if let Some(f) = feature(&e.map_err(S::Error::custom)?) {
                seq.serialize_element(&f)?;
            }
        }
        seq.end()
    }
}

struct Collection<'a>(&'a dyn ReportSource);

impl Serialize for Collection<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Keys in the order `geojson`'s JSON object prints them (sorted).
        let mut st = s.serialize_struct("FeatureCollection", 2)?;
        st.serialize_field("features", &Features(RefCell::new(Some(self.0.events()))))?;
        st.serialize_field("type", "FeatureCollection")?;
        st.end()
    }
}

/// Write the GeoJSON FeatureCollection of the report's located events
/// (pretty-printed, the same bytes as [`geojson`]'s), event by event.
pub fn write_geojson<W: std::io::Write>(r: &dyn ReportSource, w: W) -> Result<(), Error> {
    let mut ser = serde_json::Serializer::pretty(w);
    Collection(r).serialize(&mut ser)?;
    Ok(())
}
