//! ACLED-style CSV: one row per merged event, with ACLED's column names in
//! ACLED's order, then marsad's own columns.
//!
//! How marsad fills ACLED's columns:
//! - `event_id_cnty`: the country's ISO alpha-3 code (`XXX` when unknown)
//!   and the event's number in the report;
//! - `event_date`: the event's day, or the first day of its interval for
//!   coarser dates (month, season, year; `time_precision` says so);
//! - `inter1`/`inter2`: from the actor names ([`crate::countries::inter_code`]),
//!   empty when unknown; `interaction` is the two codes, smaller first
//!   (`17` = state forces vs civilians), or `inter1 × 10` for a lone actor;
//! - `civilian_targeting`: `Civilian targeting` for violence against
//!   civilians or when the second actor is civilians;
//! - `iso`, `region`, `country`: from the country table;
//! - `source`: the reports' sources, `; `-separated; `notes`: the first
//!   report's sentence;
//! - `fatalities`: ACLED's conservative figure (0 when none is reported);
//!   `fatalities_low`/`fatalities_high`/`injured` (best) and `doc_ids`
//!   (`;`-separated) are marsad's additions.
//!
//! Fields are quoted per RFC 4180 when they hold a comma, quote or newline.

use std::fmt::Write;

use crate::countries::{country, inter_code};
use crate::export::fmt_num;
use crate::merge::parse_prefix;
use crate::source::{Error, ReportSource};
use crate::{MergedEvent, Report};

/// Column names, in order.
pub const ACLED_COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "injured",
    "doc_ids",
];

fn push_field(out: &mut dyn Write, f: &str) -> std::fmt::Result {
    if f.contains([',', '"', '\n', '\r']) {
        out.write_char('"')?;
        out.write_str(&f.replace('"', "\"\""))?;
        out.write_char('"')
    } else {
        out.write_str(f)
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn row(n: usize, e: &MergedEvent) -> Vec<String> {
    let loc = e.location.as_ref();
    let cc = loc.and_then(|l| l.country.as_deref()).and_then(country);
    let span = e.date_from.as_deref().and_then(parse_prefix);
    let inter1 = e.actor1.as_deref().and_then(inter_code);
    let inter2 = e.actor2.as_deref().and_then(inter_code);
    let interaction = match (inter1, inter2) {
        (Some(a), Some(b)) => Some(a.min(b) as u16 * 10 + a.max(b) as u16),
        (Some(a), None) if e.actor2.is_none() => Some(a as u16 * 10),
        _ => None,
    };
    let civilian = e.event_type == "Violence against civilians" || inter2 == Some(7);
    let mut sources: Vec<&str> = Vec::new();
    let mut docs: Vec<&str> = Vec::new();
    for r in &e.reports {
        if !r.source.is_empty() && !sources.contains(&r.source.as_str()) {
            sources.push(&r.source);
        }
        if !docs.contains(&r.doc.as_str()) {
            docs.push(&r.doc);
        }
    }
    vec![
        format!("{}{}", cc.map_or("XXX", |c| c.iso3), n + 1),
        span.map(|s| s.from.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        span.map(|s| s.from.format("%Y").to_string())
            .unwrap_or_default(),
        opt(e.time_precision),
        e.disorder_type.clone(),
        e.event_type.clone(),
        e.sub_type.clone(),
        e.actor1.clone().unwrap_or_default(),
        String::new(),
        opt(inter1),
        e.actor2.clone().unwrap_or_default(),
        String::new(),
        opt(inter2),
        opt(interaction),
        if civilian { "Civilian targeting" } else { "" }.to_string(),
        opt(cc.map(|c| c.numeric)),
        cc.map(|c| c.region.to_string()).unwrap_or_default(),
        cc.map(|c| c.name.to_string())
            .or_else(|| loc.and_then(|l| l.country.clone()))
            .unwrap_or_default(),
        loc.and_then(|l| l.admin1.clone()).unwrap_or_default(),
        String::new(),
        String::new(),
        loc.map(|l| l.name.clone()).unwrap_or_default(),
        opt(loc.and_then(|l| l.lat)),
        opt(loc.and_then(|l| l.lon)),
        opt(loc.and_then(|l| l.geo_precision)),
        sources.join("; "),
        String::new(),
        e.reports
            .first()
            .map(|r| r.text.clone())
            .unwrap_or_default(),
        e.fatalities
            .conservative
            .map_or_else(|| "0".into(), fmt_num),
        e.fatalities.low.map(fmt_num).unwrap_or_default(),
        e.fatalities.high.map(fmt_num).unwrap_or_default(),
        e.injured.best.map(fmt_num).unwrap_or_default(),
        docs.join(";"),
    ]
}

/// The report's merged events as ACLED-style CSV (header line first).
pub fn acled_csv(r: &Report) -> String {
    let mut out = String::new();
    // An in-memory report gives every item, and a String takes every
    // write: this cannot fail.
    let _ = write_acled_csv(r, &mut out);
    out
}

/// Write the report's merged events as ACLED-style CSV, event by event.
pub fn write_acled_csv(r: &dyn ReportSource, out: &mut dyn Write) -> Result<(), Error> {
    out.write_str(&ACLED_COLUMNS.join(","))?;
    out.write_char('\n')?;
    for (n, e) in r.events().enumerate() {
        for (i, f) in row(n, &e?).iter().enumerate() {
            if i > 0 {
                out.write_char(',')?;
            }
            push_field(out, f)?;
        }
        out.write_char('\n')?;
    }
    Ok(())
}
