//! GeoJSON: one Point feature per merged event with coordinates (RFC 7946:
//! coordinates are `[longitude, latitude]`), its properties the event's
//! fields as in the JSON report.

use serde_json::{Value, json};

use crate::Report;

/// A GeoJSON FeatureCollection of the report's located events.
pub fn geojson(r: &Report) -> Value {
    let features: Vec<Value> = r
        .events
        .iter()
        .filter_map(|e| {
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
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}
