//! Merging event mentions from several articles into events.
//!
//! Agencies and outlets report the same attack many times, each with its own
//! wording, date precision and place name. Two mentions are taken to be the
//! same event when all of these hold:
//!
//! 1. **Same type family**: the same ACLED event type (`Battles`,
//!    `Violence against civilians`, ...). Sub-event types may differ — one
//!    outlet's "attack" is another's "suicide bomb" — and the merged event
//!    takes the most frequent one.
//! 2. **Compatible dates**: two day-precision dates at most one day apart
//!    (an attack late at night is dated differently by outlets in different
//!    time zones, and "yesterday" is resolved against different publication
//!    days); otherwise one date's interval contains the other (`September
//!    2024` contains `17 September 2024`). A mention without a resolved date
//!    merges only when place and actors both match exactly (below), and
//!    never across background/reported status (an undated "the attack"
//!    in today's news is not the 2015 attack another article recalls).
//! 3. **Compatible places**: the same place (entity id or, without one, the
//!    same name in search form), or one is a country or region containing
//!    the other (`مالي` contains `باماكو`: the place's `country`, and
//!    `admin1` for regions). Different towns, or different countries, never
//!    merge. A mention without a place merges only when the actors overlap.
//! 4. **Overlapping actors** when both sides name actors: at least one actor
//!    in common (in search form).
//!
//! Mentions that did not happen (negated, hypothetical, threatened) never
//! reach this stage ([`crate::digest`](mod@crate::digest)); background mentions (history
//! recalled in a later article) merge like the others and the merged event
//! is `background` when all its reports are.
//!
//! Each merged event keeps a representative (the most precise date and
//! place seen so far, the union of actors) and a new mention is compared
//! with it. Candidates come from indexes by (type, day), (type, year) for
//! coarser dates and (type, place), so the work grows with the number of
//! events on nearby days, not with the square of all events.

use chrono::{Datelike, NaiveDate};
use marsad_extract::{EventLocation, EventStatus};
use marsad_figures::DateValue;
use rustc_hash::FxHashMap;

use crate::digest::DocDigest;
use crate::reconcile::{FigureReport, reconcile};
use crate::{EventReport, Location, MergedEvent, ReportLink, TimelineEntry};

/// A date as an interval of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    /// First day.
    pub from: NaiveDate,
    /// Day after the last day.
    pub to: NaiveDate,
    /// Known to the day?
    pub day: bool,
}

/// The interval of an ISO prefix (`2024-09-17`, `2024-09`, `2024`).
pub fn parse_prefix(s: &str) -> Option<DateSpan> {
    let s = s.trim();
    let y: i32 = s.get(0..4)?.parse().ok()?;
    if s.len() >= 10 {
        let d = NaiveDate::parse_from_str(s.get(0..10)?, "%Y-%m-%d").ok()?;
        return Some(DateSpan {
            from: d,
            to: d.succ_opt()?,
            day: true,
        });
    }
    if s.len() >= 7 {
        let m: u32 = s.get(5..7)?.parse().ok()?;
        let from = NaiveDate::from_ymd_opt(y, m, 1)?;
        let to = if m == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(y, m + 1, 1)?
        };
        return Some(DateSpan {
            from,
            to,
            day: false,
        });
    }
    if s.len() == 4 {
        return Some(DateSpan {
            from: NaiveDate::from_ymd_opt(y, 1, 1)?,
            to: NaiveDate::from_ymd_opt(y + 1, 1, 1)?,
            day: false,
        });
    }
    None
}

/// The interval of a resolved date value: its grain's prefix, or its
/// `from`/`to` for weeks and other spans.
pub fn date_span(d: &DateValue) -> Option<DateSpan> {
    let v = d.value.as_deref()?;
    if d.grain <= marsad_figures::Grain::Day {
        let s = parse_prefix(v)?;
        if s.day {
            return Some(s);
        }
    }
    if let (Some(f), Some(t)) = (d.from.as_deref(), d.to.as_deref())
        && let (Some(f), Some(t)) = (parse_prefix(f), parse_prefix(t))
        && f.from < t.from
    {
        let day = (t.from - f.from).num_days() <= 1;
        return Some(DateSpan {
            from: f.from,
            to: t.from,
            day,
        });
    }
    let mut s = parse_prefix(v)?;
    if d.grain > marsad_figures::Grain::Day {
        s.day = false;
        if d.grain == marsad_figures::Grain::Week {
            s.to = s.from + chrono::Days::new(7);
        }
    }
    Some(s)
}

/// Can two dates be the same event's?
pub fn dates_compatible(a: &DateSpan, b: &DateSpan) -> bool {
    if a.day && b.day {
        return (a.from - b.from).num_days().abs() <= 1;
    }
    (a.from <= b.from && b.to <= a.to) || (b.from <= a.from && a.to <= b.to)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Local,
    Region,
    Country,
}

/// What the merge compares of a place.
#[derive(Debug, Clone)]
struct PlaceKey {
    id: Option<String>,
    name: String,
    country: Option<String>,
    admin1: Option<String>,
    level: Level,
    precision: u8,
}

fn place_key(l: &EventLocation) -> PlaceKey {
    let (country, admin1, level, precision) = match &l.place {
        Some(p) => {
            let level = match p.resolved_by.as_str() {
                "country" | "document-country" => Level::Country,
                "region" => Level::Region,
                _ => Level::Local,
            };
            (
                (!p.country.is_empty()).then(|| p.country.clone()),
                p.admin1.clone(),
                level,
                p.geo_precision,
            )
        }
        None => (None, None, Level::Local, 4),
    };
    PlaceKey {
        id: l.id.clone(),
        name: marsad_text::search_form(&l.name, false),
        country,
        admin1,
        level,
        precision,
    }
}

impl PlaceKey {
    fn same(&self, o: &PlaceKey) -> bool {
        match (&self.id, &o.id) {
            (Some(a), Some(b)) if a == b => true,
            _ => !self.name.is_empty() && self.name == o.name,
        }
    }

    fn contains(&self, o: &PlaceKey) -> bool {
        match self.level {
            Level::Country => self.country.is_some() && self.country == o.country,
            Level::Region => {
                o.level == Level::Local
                    && self.country.is_some()
                    && self.country == o.country
                    && self.admin1.is_some()
                    && self.admin1 == o.admin1
            }
            Level::Local => false,
        }
    }

    fn keys(&self) -> Vec<String> {
        let mut k = Vec::with_capacity(2);
        if let Some(id) = &self.id {
            k.push(format!("i:{id}"));
        }
        if !self.name.is_empty() {
            k.push(format!("n:{}", self.name));
        }
        k
    }

    fn more_precise_than(&self, o: &PlaceKey) -> bool {
        (self.level, self.precision) < (o.level, o.precision)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlaceMatch {
    Same,
    Contained,
    Unknown,
    Different,
}

fn place_match(a: Option<&PlaceKey>, b: Option<&PlaceKey>) -> PlaceMatch {
    match (a, b) {
        (Some(a), Some(b)) => {
            if a.same(b) {
                PlaceMatch::Same
            } else if a.contains(b) || b.contains(a) {
                PlaceMatch::Contained
            } else {
                PlaceMatch::Different
            }
        }
        _ => PlaceMatch::Unknown,
    }
}

/// The representative of a merged event.
struct Rep {
    ty: u32,
    background: bool,
    date: Option<(DateSpan, DateValue)>,
    place: Option<(PlaceKey, EventLocation)>,
    actors: Vec<String>,
    members: Vec<(usize, usize)>,
}

/// The comparable parts of one mention.
struct Mention {
    ty: u32,
    background: bool,
    date: Option<(DateSpan, DateValue)>,
    place: Option<(PlaceKey, EventLocation)>,
    actors: Vec<String>,
}

fn compatible(r: &Rep, m: &Mention) -> bool {
    if r.ty != m.ty {
        return false;
    }
    let pm = place_match(
        r.place.as_ref().map(|p| &p.0),
        m.place.as_ref().map(|p| &p.0),
    );
    if pm == PlaceMatch::Different {
        return false;
    }
    let overlap = if r.actors.is_empty() || m.actors.is_empty() {
        None
    } else {
        Some(m.actors.iter().any(|a| r.actors.contains(a)))
    };
    if overlap == Some(false) {
        return false;
    }
    match (&r.date, &m.date) {
        (Some((a, _)), Some((b, _))) => {
            if !dates_compatible(a, b) {
                return false;
            }
        }
        _ => {
            // Without a date on one side, history recalled in one article
            // and news in another are never taken for the same event.
            if !(pm == PlaceMatch::Same && overlap == Some(true)) || r.background != m.background {
                return false;
            }
        }
    }
    if pm == PlaceMatch::Unknown && overlap != Some(true) {
        return false;
    }
    true
}

/// Result of the merge.
pub struct Merged {
    /// Merged events, in order of first report.
    pub events: Vec<MergedEvent>,
    /// For each document, its local event index → index in `events`.
    pub local_to_merged: Vec<FxHashMap<usize, usize>>,
}

#[derive(Default)]
struct Index {
    by_day: FxHashMap<(u32, i32), Vec<usize>>,
    by_year: FxHashMap<(u32, i32), Vec<usize>>,
    by_place: FxHashMap<(u32, String), Vec<usize>>,
    undated_by_place: FxHashMap<(u32, String), Vec<usize>>,
}

fn day_num(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// Most candidates examined for one mention (keeps pathological inputs,
/// e.g. thousands of undated mentions of one country, linear).
const MAX_CANDIDATES: usize = 4096;

impl Index {
    fn insert(&mut self, i: usize, r: &Rep) {
        match &r.date {
            Some((s, _)) if s.day => self
                .by_day
                .entry((r.ty, day_num(s.from)))
                .or_default()
                .push(i),
            Some((s, _)) => {
                let last = s.to.pred_opt().unwrap_or(s.to);
                for y in s.from.year()..=last.year().min(s.from.year() + 10) {
                    self.by_year.entry((r.ty, y)).or_default().push(i);
                }
            }
            None => {}
        }
        if let Some((p, _)) = &r.place {
            for k in p.keys() {
                if r.date.is_none() {
                    self.undated_by_place
                        .entry((r.ty, k.clone()))
                        .or_default()
                        .push(i);
                }
                self.by_place.entry((r.ty, k)).or_default().push(i);
            }
        }
    }

    fn candidates(&self, m: &Mention) -> Vec<usize> {
        let mut c = Vec::new();
        let ext = |c: &mut Vec<usize>, v: Option<&Vec<usize>>| {
            if let Some(v) = v {
                c.extend_from_slice(v);
            }
        };
        match &m.date {
            Some((s, _)) => {
                if s.day {
                    let d = day_num(s.from);
                    for k in d - 1..=d + 1 {
                        ext(&mut c, self.by_day.get(&(m.ty, k)));
                    }
                    let y0 = s.from.pred_opt().unwrap_or(s.from).year();
                    let y1 = s.from.succ_opt().unwrap_or(s.from).year();
                    for y in y0..=y1 {
                        ext(&mut c, self.by_year.get(&(m.ty, y)));
                    }
                } else {
                    let last = s.to.pred_opt().unwrap_or(s.to);
                    for y in s.from.year()..=last.year().min(s.from.year() + 10) {
                        ext(&mut c, self.by_year.get(&(m.ty, y)));
                    }
                    if (s.to - s.from).num_days() <= 400 {
                        let (a, b) = (day_num(s.from), day_num(s.to));
                        for k in a..b {
                            ext(&mut c, self.by_day.get(&(m.ty, k)));
                        }
                    }
                }
                if let Some((p, _)) = &m.place {
                    for k in p.keys() {
                        ext(&mut c, self.undated_by_place.get(&(m.ty, k)));
                    }
                }
            }
            None => {
                if let Some((p, _)) = &m.place {
                    for k in p.keys() {
                        ext(&mut c, self.by_place.get(&(m.ty, k)));
                    }
                }
            }
        }
        c.sort_unstable();
        c.dedup();
        c.truncate(MAX_CANDIDATES);
        c
    }
}

fn actors_of(a1: &Option<String>, a2: &Option<String>) -> Vec<String> {
    let mut v = Vec::new();
    for a in [a1, a2].into_iter().flatten() {
        let f = marsad_text::search_form(a, false);
        if !f.is_empty() && !v.contains(&f) {
            v.push(f);
        }
    }
    v
}

/// Merge the events of all documents (see the module doc).
pub fn merge_events(docs: &[DocDigest]) -> Merged {
    let mut types: FxHashMap<&str, u32> = FxHashMap::default();
    let mut reps: Vec<Rep> = Vec::new();
    let mut index = Index::default();
    let mut local_to_merged = vec![FxHashMap::default(); docs.len()];
    for (di, d) in docs.iter().enumerate() {
        for (ei, e) in d.events.iter().enumerate() {
            let n = types.len() as u32;
            let ty = *types.entry(e.event_type.as_str()).or_insert(n);
            let m = Mention {
                ty,
                background: e.status == EventStatus::Background,
                date: e
                    .date
                    .as_ref()
                    .and_then(|v| date_span(v).map(|s| (s, v.clone()))),
                place: e.location.as_ref().map(|l| (place_key(l), l.clone())),
                actors: actors_of(&e.actor1, &e.actor2),
            };
            let found = index
                .candidates(&m)
                .into_iter()
                .find(|&c| compatible(&reps[c], &m));
            let target = match found {
                Some(c) => {
                    let r = &mut reps[c];
                    r.members.push((di, ei));
                    r.background &= m.background;
                    let mut changed = false;
                    if let Some(md) = m.date {
                        let better = match &r.date {
                            None => true,
                            Some((rs, _)) => {
                                md.0.day && !rs.day || (md.0.to - md.0.from) < (rs.to - rs.from)
                            }
                        };
                        if better {
                            r.date = Some(md);
                            changed = true;
                        }
                    }
                    if let Some(mp) = m.place {
                        let better = match &r.place {
                            None => true,
                            Some((rp, _)) => mp.0.more_precise_than(rp),
                        };
                        if better {
                            r.place = Some(mp);
                            changed = true;
                        }
                    }
                    for a in m.actors {
                        if !r.actors.contains(&a) {
                            r.actors.push(a);
                        }
                    }
                    if changed {
                        index.insert(c, &reps[c]);
                    }
                    c
                }
                None => {
                    reps.push(Rep {
                        ty,
                        background: m.background,
                        date: m.date,
                        place: m.place,
                        actors: m.actors,
                        members: vec![(di, ei)],
                    });
                    let c = reps.len() - 1;
                    index.insert(c, &reps[c]);
                    c
                }
            };
            local_to_merged[di].insert(e.local, target);
        }
    }
    let events = reps.iter().map(|r| build_event(r, docs)).collect();
    Merged {
        events,
        local_to_merged,
    }
}

fn most_frequent<'a>(items: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for s in items {
        match counts.iter_mut().find(|(x, _)| *x == s) {
            Some(c) => c.1 += 1,
            None => counts.push((s, 1)),
        }
    }
    // Ties go to the first seen (max_by_key keeps the last maximum, so
    // iterate reversed).
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(s, _)| s.to_string())
}

fn status_str(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Reported => "reported",
        EventStatus::Background => "background",
        EventStatus::Negated => "negated",
        EventStatus::Hypothetical => "hypothetical",
        EventStatus::Threat => "threat",
    }
}

/// Stable id of an event from its first report.
pub fn event_id(doc: &str, sentence: usize, start: usize) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(doc.as_bytes());
    h.update(b"\0");
    h.update(sentence.to_string().as_bytes());
    h.update(b"\0");
    h.update(start.to_string().as_bytes());
    format!("ev-{:016x}", h.digest())
}

fn build_event(r: &Rep, docs: &[DocDigest]) -> MergedEvent {
    let mentions: Vec<(&DocDigest, &crate::digest::EventDigest)> = r
        .members
        .iter()
        .map(|&(d, e)| (&docs[d], &docs[d].events[e]))
        .collect();
    let (d0, e0) = mentions[0];
    let sub_type =
        most_frequent(mentions.iter().map(|(_, e)| e.sub_event_type.as_str())).unwrap_or_default();
    let disorder_type = mentions
        .iter()
        .find(|(_, e)| e.sub_event_type == sub_type)
        .map(|(_, e)| e.disorder_type.clone())
        .unwrap_or_else(|| e0.disorder_type.clone());
    let figures = |f: &dyn Fn(&crate::digest::EventDigest) -> Option<&FigureReport>| {
        reconcile(
            mentions
                .iter()
                .filter(|(d, _)| d.info.duplicate_of.is_none())
                .filter_map(|(_, e)| f(e).cloned())
                .collect(),
        )
    };
    let all_background = mentions
        .iter()
        .all(|(_, e)| e.status == EventStatus::Background);
    MergedEvent {
        id: event_id(&d0.info.id, e0.sentence, e0.start),
        event_type: e0.event_type.clone(),
        sub_type,
        disorder_type,
        date: r.date.as_ref().and_then(|(_, v)| v.value.clone()),
        date_from: r
            .date
            .as_ref()
            .map(|(s, _)| s.from.format("%Y-%m-%d").to_string()),
        time_precision: r.date.as_ref().map(|(_, v)| v.time_precision),
        location: r.place.as_ref().map(|(_, l)| Location {
            name: l.name.clone(),
            id: l.id.clone(),
            lat: l.place.as_ref().map(|p| p.lat),
            lon: l.place.as_ref().map(|p| p.lon),
            country: l
                .place
                .as_ref()
                .and_then(|p| (!p.country.is_empty()).then(|| p.country.clone())),
            admin1: l.place.as_ref().and_then(|p| p.admin1.clone()),
            geo_precision: l.place.as_ref().map(|p| p.geo_precision),
        }),
        actor1: most_frequent(mentions.iter().filter_map(|(_, e)| e.actor1.as_deref())),
        actor2: most_frequent(mentions.iter().filter_map(|(_, e)| e.actor2.as_deref())),
        fatalities: figures(&|e| e.fatalities.as_ref()),
        injured: figures(&|e| e.injured.as_ref()),
        arrested: figures(&|e| e.arrested.as_ref()),
        status: if all_background {
            "background"
        } else {
            "reported"
        }
        .to_string(),
        reports: mentions
            .iter()
            .map(|(d, e)| EventReport {
                doc: d.info.id.clone(),
                sentence: e.sentence,
                source: e.source.clone(),
                text: e.text.clone(),
                trigger: e.trigger.clone(),
                status: status_str(e.status).to_string(),
            })
            .collect(),
    }
}

/// All dated events in date order (by first day, then precision), each
/// linked to its reports.
pub fn timeline(events: &[MergedEvent]) -> Vec<TimelineEntry> {
    let mut dated: Vec<(DateSpan, &MergedEvent)> = events
        .iter()
        .filter_map(|e| Some((parse_prefix(e.date_from.as_deref()?)?, e)))
        .collect();
    dated.sort_by(|(a, x), (b, y)| {
        a.from
            .cmp(&b.from)
            .then(x.time_precision.cmp(&y.time_precision))
            .then(x.id.cmp(&y.id))
    });
    dated
        .into_iter()
        .map(|(_, e)| TimelineEntry {
            date: e
                .date
                .clone()
                .or_else(|| e.date_from.clone())
                .unwrap_or_default(),
            time_precision: e.time_precision,
            event: e.id.clone(),
            event_type: e.event_type.clone(),
            sub_type: e.sub_type.clone(),
            location: e.location.as_ref().map(|l| l.name.clone()),
            status: e.status.clone(),
            text: e
                .reports
                .first()
                .map(|r| r.text.clone())
                .unwrap_or_default(),
            reports: e
                .reports
                .iter()
                .map(|r| ReportLink {
                    doc: r.doc.clone(),
                    sentence: r.sentence,
                })
                .collect(),
        })
        .collect()
}

/// For each reported, day-precision merged event with reports from several
/// documents, the indexes of those documents (for story clusters).
pub fn same_story_docs(events: &[MergedEvent], docs: &[DocDigest]) -> Vec<Vec<usize>> {
    let by_id: FxHashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.info.id.as_str(), i))
        .collect();
    events
        .iter()
        .filter(|e| e.status == "reported" && e.time_precision == Some(1))
        .filter_map(|e| {
            let mut v: Vec<usize> = e
                .reports
                .iter()
                .filter_map(|r| by_id.get(r.doc.as_str()).copied())
                .collect();
            v.sort_unstable();
            v.dedup();
            (v.len() > 1).then_some(v)
        })
        .collect()
}
