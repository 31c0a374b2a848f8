//! Inline SVG charts: the timeline of dated events and the map of placed
//! events.
//!
//! **Timeline.** One lane per ACLED event type, time on the horizontal
//! axis running right to left (the reading direction of the page: the
//! earliest event is at the right). Day-grain events are filled circles;
//! events known only to the month or year are hollow, placed at the start
//! of their period. Ticks adapt to the span (days, weeks, months, years).
//!
//! **Map.** Country shapes from Natural Earth (1:110m, public domain, via
//! the npm package world-atlas, ISC), converted once to pre-projected SVG
//! paths by `data/world/convert.py` and embedded (`data/world/countries.tsv`).
//! The projection is equirectangular, 10 units per degree. Events with
//! coordinates are grouped by place; each place is a circle whose area
//! grows with its number of events, with a tooltip (`<title>`) and a
//! label. The view box zooms to the placed events with a margin, keeping
//! the page's aspect ratio; with no placed event the whole world is shown.
//!
//! Every string written into the SVG is escaped.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use marsad_insight::{MergedEvent, TimelineEntry};

use super::highlight::escape;
use super::labels;

/// ACLED event types in the order lanes are drawn.
const LANE_ORDER: [&str; 6] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

/// CSS class suffix of an event type (colours in `style.css`).
pub fn type_class(t: &str) -> &'static str {
    match t {
        "Battles" => "battles",
        "Explosions/Remote violence" => "explosions",
        "Violence against civilians" => "civilians",
        "Protests" => "protests",
        "Riots" => "riots",
        "Strategic developments" => "strategic",
        _ => "other",
    }
}

/// The start day of an ISO date prefix, and whether it is day-grain.
pub fn parse_prefix(d: &str) -> Option<(NaiveDate, bool)> {
    let parts: Vec<&str> = d.get(..10.min(d.len()))?.split('-').collect();
    let y: i32 = parts.first()?.parse().ok()?;
    let m: u32 = parts.get(1).map_or(Some(1), |m| m.parse().ok())?;
    let day: u32 = parts.get(2).map_or(Some(1), |d| d.parse().ok())?;
    Some((NaiveDate::from_ymd_opt(y, m, day)?, parts.len() == 3))
}

/// The timeline SVG (empty string when no entry has a readable date).
pub fn timeline_svg(entries: &[TimelineEntry]) -> String {
    let dated: Vec<(NaiveDate, bool, &TimelineEntry)> = entries
        .iter()
        .filter_map(|e| parse_prefix(&e.date).map(|(d, day)| (d, day, e)))
        .collect();
    let (Some(min), Some(max)) = (
        dated.iter().map(|x| x.0).min(),
        dated.iter().map(|x| x.0).max(),
    ) else {
        return String::new();
    };
    let mut lanes: Vec<&str> = LANE_ORDER
        .iter()
        .copied()
        .filter(|t| dated.iter().any(|x| x.2.event_type == *t))
        .collect();
    for x in &dated {
        if !lanes.contains(&x.2.event_type.as_str()) {
            lanes.push(&x.2.event_type);
        }
    }
    // Pad the range by a day on each side (a week for long spans).
    let span = (max - min).num_days();
    let pad = if span > 120 { 7 } else { 1 };
    let (t0, t1) = (min - chrono::Days::new(pad), max + chrono::Days::new(pad));
    let days = (t1 - t0).num_days().max(1) as f64;
    let (w, label_w, top, lane_h) = (1000.0_f64, 190.0_f64, 20.0_f64, 56.0_f64);
    let (x_left, x_right) = (20.0, w - label_w);
    let x_of = |d: NaiveDate| x_right - (d - t0).num_days() as f64 / days * (x_right - x_left);
    let h = top + lane_h * lanes.len() as f64 + 50.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="timeline" viewBox="0 0 {w} {h}" role="img" aria-label="خط زمني للأحداث" xmlns="http://www.w3.org/2000/svg">"#
    );
    // Lanes.
    for (i, t) in lanes.iter().enumerate() {
        let y = top + lane_h * i as f64;
        let _ = write!(
            s,
            r#"<rect class="lane lane-{i2}" x="{x_left}" y="{y}" width="{lw}" height="{lane_h}"/><text class="lane-label" x="{lx}" y="{ty}" text-anchor="start">{name}</text>"#,
            i2 = i % 2,
            lw = x_right - x_left,
            lx = w - 10.0,
            ty = y + lane_h / 2.0 + 5.0,
            name = escape(&labels::event_type(t)),
        );
    }
    // Ticks.
    let axis_y = top + lane_h * lanes.len() as f64;
    let _ = write!(
        s,
        r#"<line class="axis" x1="{x_left}" y1="{axis_y}" x2="{x_right}" y2="{axis_y}"/>"#
    );
    for d in ticks(t0, t1) {
        let x = x_of(d);
        let label = if span > 3 * 366 {
            d.year().to_string()
        } else if span > 62 {
            format!("{} {}", labels::month_name(d.month()), d.year())
        } else {
            format!("{} {}", d.day(), labels::month_name(d.month()))
        };
        let _ = write!(
            s,
            r#"<line class="tick" x1="{x}" y1="{top}" x2="{x}" y2="{y2}"/><text class="tick-label" x="{x}" y="{ly}" text-anchor="middle">{label}</text>"#,
            y2 = axis_y + 6.0,
            ly = axis_y + 24.0,
            label = escape(&label),
        );
    }
    // Events: stack those sharing a lane and a day.
    let mut seen: BTreeMap<(usize, NaiveDate), usize> = BTreeMap::new();
    for (d, day, e) in &dated {
        let lane = lanes.iter().position(|t| *t == e.event_type).unwrap_or(0);
        let k = seen.entry((lane, *d)).or_insert(0);
        // 0, -14, +14, -28, ... around the lane's middle, kept inside it.
        let step = (*k).div_ceil(2) as f64 * 14.0;
        let offset = if *k % 2 == 1 { -step } else { step };
        *k += 1;
        let cy = top + lane_h * lane as f64 + (lane_h / 2.0 + offset).clamp(8.0, lane_h - 8.0);
        let cx = x_of(*d);
        let tip = format!(
            "{} — {}{}\n{} تقرير\n{}",
            labels::date(&e.date),
            labels::event_type(&e.event_type),
            e.location
                .as_deref()
                .map(|l| format!(" — {l}"))
                .unwrap_or_default(),
            e.reports.len(),
            e.text
        );
        let _ = write!(
            s,
            r##"<a href="/events#ev-{id}"><circle class="tl-event ev-{cls}{hollow}" cx="{cx:.1}" cy="{cy:.1}" r="9"><title>{tip}</title></circle></a>"##,
            id = escape(&e.event),
            cls = type_class(&e.event_type),
            hollow = if *day { "" } else { " coarse" },
            tip = escape(&tip),
        );
    }
    s.push_str("</svg>");
    s
}

/// Tick days between `t0` and `t1` (inclusive), at most about a dozen.
fn ticks(t0: NaiveDate, t1: NaiveDate) -> Vec<NaiveDate> {
    let span = (t1 - t0).num_days();
    let mut out = Vec::new();
    if span <= 62 {
        let step = match span {
            0..=14 => 1,
            15..=31 => 3,
            _ => 7,
        };
        let mut d = t0;
        while d <= t1 {
            out.push(d);
            d = d + chrono::Days::new(step);
        }
    } else {
        let yearly = span > 3 * 366;
        let months_step = if yearly {
            12
        } else {
            (span / 30 / 10 + 1) as u32
        };
        let mut d = if yearly {
            NaiveDate::from_ymd_opt(t0.year() + 1, 1, 1)
        } else {
            t0.with_day(1)
                .and_then(|x| x.checked_add_months(chrono::Months::new(1)))
        };
        while let Some(x) = d {
            if x > t1 {
                break;
            }
            out.push(x);
            d = x.checked_add_months(chrono::Months::new(months_step));
        }
    }
    out
}

/// One country of the embedded map.
struct Country {
    name: &'static str,
    path: &'static str,
}

fn countries() -> &'static [Country] {
    static C: OnceLock<Vec<Country>> = OnceLock::new();
    C.get_or_init(|| {
        include_str!("../../data/world/countries.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut it = l.splitn(3, '\t');
                let _id = it.next()?;
                let name = it.next()?;
                let path = it.next()?;
                Some(Country { name, path })
            })
            .collect()
    })
}

/// Project a coordinate to the map's units.
fn project(lat: f64, lon: f64) -> (f64, f64) {
    ((lon + 180.0) * 10.0, (90.0 - lat) * 10.0)
}

/// A place on the map with its events.
pub struct MapPlace<'a> {
    /// Name as written.
    pub name: &'a str,
    /// Projected x.
    pub x: f64,
    /// Projected y.
    pub y: f64,
    /// Events there.
    pub events: Vec<&'a MergedEvent>,
}

/// Group events with coordinates by place (rounded to 0.01°).
pub fn places(events: &[MergedEvent]) -> Vec<MapPlace<'_>> {
    let mut by: BTreeMap<(i64, i64), MapPlace<'_>> = BTreeMap::new();
    for e in events {
        let Some(loc) = &e.location else { continue };
        let (Some(lat), Some(lon)) = (loc.lat, loc.lon) else {
            continue;
        };
        if !(lat.is_finite() && lon.is_finite()) || lat.abs() > 90.0 || lon.abs() > 180.0 {
            continue;
        }
        let key = ((lat * 100.0).round() as i64, (lon * 100.0).round() as i64);
        let (x, y) = project(lat, lon);
        by.entry(key)
            .or_insert_with(|| MapPlace {
                name: &loc.name,
                x,
                y,
                events: Vec::new(),
            })
            .events
            .push(e);
    }
    by.into_values().collect()
}

/// The map SVG with the events' places.
pub fn map_svg(events: &[MergedEvent]) -> String {
    let places = places(events);
    let (mut x0, mut y0, mut x1, mut y1) = (0.0_f64, 0.0_f64, 3600.0_f64, 1800.0_f64);
    if !places.is_empty() {
        x0 = places.iter().map(|p| p.x).fold(f64::INFINITY, f64::min) - 80.0;
        x1 = places.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max) + 80.0;
        y0 = places.iter().map(|p| p.y).fold(f64::INFINITY, f64::min) - 60.0;
        y1 = places.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max) + 60.0;
        // At least 40° x 25°, aspect 1.6.
        let (mut w, mut h) = ((x1 - x0).max(400.0), (y1 - y0).max(250.0));
        if w / h > 1.6 {
            h = w / 1.6;
        } else {
            w = h * 1.6;
        }
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        w = w.min(3600.0);
        h = h.min(1800.0);
        x0 = (cx - w / 2.0).clamp(0.0, 3600.0 - w);
        y0 = (cy - h / 2.0).clamp(0.0, 1800.0 - h);
        x1 = x0 + w;
        y1 = y0 + h;
    }
    let (w, h) = (x1 - x0, y1 - y0);
    let unit = w / 100.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="map" viewBox="{x0:.0} {y0:.0} {w:.0} {h:.0}" role="img" aria-label="خريطة الأحداث" xmlns="http://www.w3.org/2000/svg"><rect class="sea" x="{x0:.0}" y="{y0:.0}" width="{w:.0}" height="{h:.0}"/><g class="countries">"#
    );
    for c in countries() {
        let _ = write!(
            s,
            r#"<path d="{}"><title>{}</title></path>"#,
            c.path,
            escape(c.name)
        );
    }
    s.push_str("</g><g class=\"places\">");
    let fs = unit * 1.7;
    let radius = |p: &MapPlace<'_>| unit * (0.9 + 0.6 * (p.events.len() as f64).sqrt());
    // Boxes (x0, y0, x1, y1) already taken: every circle, then each label
    // placed.
    let mut taken: Vec<(f64, f64, f64, f64)> = places
        .iter()
        .map(|p| {
            let r = radius(p);
            (p.x - r, p.y - r, p.x + r, p.y + r)
        })
        .collect();
    let overlaps = |a: &(f64, f64, f64, f64), b: &(f64, f64, f64, f64)| {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    };
    for p in &places {
        let r = radius(p);
        let mut tip = format!("{} — {} حدث", p.name, p.events.len());
        for e in &p.events {
            let _ = write!(
                tip,
                "\n• {} {}{}",
                e.date.as_deref().map(labels::date).unwrap_or_default(),
                labels::event_type(&e.event_type),
                e.fatalities
                    .best
                    .map(|b| format!(" (قتلى: {})", marsad_insight::export::fmt_num(b)))
                    .unwrap_or_default()
            );
        }
        let first = p.events.first().map(|e| e.id.as_str()).unwrap_or("");
        let cls = p
            .events
            .first()
            .map(|e| type_class(&e.event_type))
            .unwrap_or("other");
        let _ = write!(
            s,
            r##"<a href="/events#ev-{id}"><circle class="event-point ev-{cls}" cx="{x:.1}" cy="{y:.1}" r="{r:.1}"><title>{tip}</title></circle></a>"##,
            id = escape(first),
            x = p.x,
            y = p.y,
            tip = escape(&tip),
        );
        // The label: right-to-left text anchored at its right end; try
        // left of the circle, right of it, above, below; skip it when all
        // four collide (the tooltip and the list below the map still name
        // the place).
        let width = p.name.chars().count() as f64 * fs * 0.6;
        let gap = unit * 0.4;
        let candidates = [
            (p.x - r - gap, p.y + fs * 0.35),
            (p.x + r + gap + width, p.y + fs * 0.35),
            (p.x + width / 2.0, p.y - r - gap),
            (p.x + width / 2.0, p.y + r + gap + fs * 0.8),
        ];
        let chosen = candidates.iter().find_map(|&(right, base)| {
            let b = (right - width, base - fs * 0.85, right, base + fs * 0.25);
            (!taken.iter().any(|t| overlaps(t, &b))).then_some((right, base, b))
        });
        if let Some((lx, ly, b)) = chosen {
            taken.push(b);
            let _ = write!(
                s,
                r#"<text class="place-label" x="{lx:.1}" y="{ly:.1}" font-size="{fs:.1}" text-anchor="start">{name}</text>"#,
                name = escape(p.name),
            );
        }
    }
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_has_every_country_and_parses() {
        assert!(countries().len() > 150);
        assert!(countries().iter().any(|c| c.name == "Mali"));
        let svg = map_svg(&[]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("viewBox=\"0 0 3600 1800\""));
    }

    #[test]
    fn date_prefixes() {
        assert_eq!(
            parse_prefix("2024-05-12"),
            NaiveDate::from_ymd_opt(2024, 5, 12).map(|d| (d, true))
        );
        assert_eq!(
            parse_prefix("2024-05"),
            NaiveDate::from_ymd_opt(2024, 5, 1).map(|d| (d, false))
        );
        assert_eq!(parse_prefix("soon"), None);
        assert_eq!(parse_prefix("2024-02-30"), None);
    }

    #[test]
    fn ticks_stay_few() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default();
        assert!(ticks(d(2024, 5, 1), d(2024, 5, 10)).len() <= 11);
        assert!(ticks(d(2024, 1, 1), d(2024, 12, 31)).len() <= 13);
        assert!(ticks(d(2000, 1, 1), d(2024, 12, 31)).len() <= 26);
    }
}
