//! Merging event mentions from several articles into events.
//!
//! Agencies and outlets report the same attack many times, each with its own
//! wording, date precision and place name. Two mentions are taken to be the
//! same event when all of these hold:
//!
//! 1. **Same type family**: the same ACLED event type (`Battles`,
//!    `Violence against civilians`, ...). Sub-event types may differ — one
//!    outlet's "attack" is another's "suicide bomb" — and the merged event
//!    takes the most frequent one; but strategic developments merge only
//!    within one sub-event type (an agreement is not a withdrawal).
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
use marsad_extract::EventLocation;
use marsad_figures::DateValue;
use rustc_hash::FxHashMap;

use crate::build::{CompactReport, DocMeta, MDate, MPlace, Mention, Strings, Sym};
use crate::reconcile::{FigureReport, reconcile};
use crate::spill::Spill;
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
pub(crate) enum Level {
    Local,
    Region,
    Country,
}

/// What the merge compares of a place, and what the report prints of it.
pub(crate) fn place_of(l: &EventLocation, st: &mut Strings) -> MPlace {
    let (country, admin1, level, precision, geo) = match &l.place {
        Some(p) => {
            let level = match p.resolved_by.as_str() {
                "country" | "document-country" => Level::Country,
                "region" => Level::Region,
                _ => Level::Local,
            };
            (
                (!p.country.is_empty()).then(|| st.intern(&p.country)),
                p.admin1.as_deref().map(|a| st.intern(a)),
                level,
                p.geo_precision,
                Some((p.lat, p.lon, p.geo_precision)),
            )
        }
        None => (None, None, Level::Local, 4, None),
    };
    let form = marsad_text::search_form(&l.name, false);
    MPlace {
        id: l.id.as_deref().map(|i| st.intern(i)),
        form: (!form.is_empty()).then(|| st.intern(&form)),
        country,
        admin1,
        level,
        precision,
        name: st.intern(&l.name),
        geo,
    }
}

impl MPlace {
    fn same(&self, o: &MPlace) -> bool {
        match (self.id, o.id) {
            (Some(a), Some(b)) if a == b => true,
            _ => self.form.is_some() && self.form == o.form,
        }
    }

    fn contains(&self, o: &MPlace) -> bool {
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

    /// Index keys: (0, id), (1, name in search form).
    fn keys(&self) -> impl Iterator<Item = (u8, Sym)> {
        [self.id.map(|i| (0, i)), self.form.map(|n| (1, n))]
            .into_iter()
            .flatten()
    }

    fn more_precise_than(&self, o: &MPlace) -> bool {
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

fn place_match(a: Option<&MPlace>, b: Option<&MPlace>) -> PlaceMatch {
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

/// The representative of a merged event: the most precise date and place
/// seen so far (the place as the mention holding it), the union of actors,
/// and its mentions.
#[derive(Debug)]
pub(crate) struct Rep {
    ty: Sym,
    /// Sub-event type of the first report (strategic developments of
    /// different kinds never merge).
    sub: Sym,
    background: bool,
    pub(crate) date: Option<MDate>,
    place: Option<u32>,
    actors: Vec<Sym>,
    pub(crate) members: Vec<u32>,
}

impl Rep {
    fn place<'a>(&self, mentions: &'a [Mention]) -> Option<&'a MPlace> {
        mentions.get(self.place? as usize)?.place.as_deref()
    }
}

fn compatible(r: &Rep, m: &Mention, mentions: &[Mention]) -> bool {
    // (Same type, so `m.sub_separates` is the representative's too.)
    if r.ty != m.ty || (m.sub_separates && r.sub != m.sub) {
        return false;
    }
    let pm = place_match(r.place(mentions), m.place.as_deref());
    if pm == PlaceMatch::Different {
        return false;
    }
    let forms = || m.forms.iter().flatten();
    let overlap = if r.actors.is_empty() || forms().next().is_none() {
        None
    } else {
        Some(forms().any(|a| r.actors.contains(a)))
    };
    if overlap == Some(false) {
        return false;
    }
    match (&r.date, &m.date) {
        (Some(a), Some(b)) => {
            if !dates_compatible(&a.span, &b.span) {
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

#[derive(Default)]
struct Index {
    by_day: FxHashMap<(Sym, i32), Vec<u32>>,
    by_year: FxHashMap<(Sym, i32), Vec<u32>>,
    by_place: FxHashMap<(Sym, u8, Sym), Vec<u32>>,
    undated_by_place: FxHashMap<(Sym, u8, Sym), Vec<u32>>,
}

fn day_num(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

/// Most candidates examined for one mention (keeps pathological inputs,
/// e.g. thousands of undated mentions of one country, linear).
const MAX_CANDIDATES: usize = 4096;

impl Index {
    fn insert(&mut self, i: u32, r: &Rep, mentions: &[Mention]) {
        match &r.date {
            Some(d) if d.span.day => self
                .by_day
                .entry((r.ty, day_num(d.span.from)))
                .or_default()
                .push(i),
            Some(d) => {
                let s = d.span;
                let last = s.to.pred_opt().unwrap_or(s.to);
                for y in s.from.year()..=last.year().min(s.from.year() + 10) {
                    self.by_year.entry((r.ty, y)).or_default().push(i);
                }
            }
            None => {}
        }
        if let Some(p) = r.place(mentions) {
            for (k, v) in p.keys() {
                if r.date.is_none() {
                    self.undated_by_place
                        .entry((r.ty, k, v))
                        .or_default()
                        .push(i);
                }
                self.by_place.entry((r.ty, k, v)).or_default().push(i);
            }
        }
    }

    fn candidates(&self, m: &Mention, c: &mut Vec<u32>) {
        c.clear();
        let ext = |c: &mut Vec<u32>, v: Option<&Vec<u32>>| {
            if let Some(v) = v {
                c.extend_from_slice(v);
            }
        };
        match &m.date {
            Some(d) => {
                let s = d.span;
                if s.day {
                    let d = day_num(s.from);
                    for k in d - 1..=d + 1 {
                        ext(c, self.by_day.get(&(m.ty, k)));
                    }
                    let y0 = s.from.pred_opt().unwrap_or(s.from).year();
                    let y1 = s.from.succ_opt().unwrap_or(s.from).year();
                    for y in y0..=y1 {
                        ext(c, self.by_year.get(&(m.ty, y)));
                    }
                } else {
                    let last = s.to.pred_opt().unwrap_or(s.to);
                    for y in s.from.year()..=last.year().min(s.from.year() + 10) {
                        ext(c, self.by_year.get(&(m.ty, y)));
                    }
                    if (s.to - s.from).num_days() <= 400 {
                        let (a, b) = (day_num(s.from), day_num(s.to));
                        for k in a..b {
                            ext(c, self.by_day.get(&(m.ty, k)));
                        }
                    }
                }
                if let Some(p) = &m.place {
                    for (k, v) in p.keys() {
                        ext(c, self.undated_by_place.get(&(m.ty, k, v)));
                    }
                }
            }
            None => {
                if let Some(p) = &m.place {
                    for (k, v) in p.keys() {
                        ext(c, self.by_place.get(&(m.ty, k, v)));
                    }
                }
            }
        }
        c.sort_unstable();
        c.dedup();
        c.truncate(MAX_CANDIDATES);
    }
}

/// Merge all mentions (see the module doc): the merged events, in order of
/// first report; each mention's `merged` is set.
pub(crate) fn merge_events(mentions: &mut [Mention]) -> Vec<Rep> {
    let mut reps: Vec<Rep> = Vec::new();
    let mut index = Index::default();
    let mut cands = Vec::new();
    for mi in 0..mentions.len() {
        let m = &mentions[mi];
        index.candidates(m, &mut cands);
        let found = cands
            .iter()
            .copied()
            .find(|&c| compatible(&reps[c as usize], m, mentions));
        let target = match found {
            Some(c) => {
                let r = &mut reps[c as usize];
                r.members.push(mi as u32);
                r.background &= m.background;
                let mut changed = false;
                if let Some(md) = m.date {
                    let better = match &r.date {
                        None => true,
                        Some(rd) => {
                            let (ms, rs) = (md.span, rd.span);
                            ms.day && !rs.day || (ms.to - ms.from) < (rs.to - rs.from)
                        }
                    };
                    if better {
                        r.date = Some(md);
                        changed = true;
                    }
                }
                if let Some(mp) = m.place.as_deref() {
                    let better = match r.place(mentions) {
                        None => true,
                        Some(rp) => mp.more_precise_than(rp),
                    };
                    if better {
                        r.place = Some(mi as u32);
                        changed = true;
                    }
                }
                for a in m.forms.iter().flatten() {
                    if !r.actors.contains(a) {
                        r.actors.push(*a);
                    }
                }
                if changed {
                    index.insert(c, &reps[c as usize], mentions);
                }
                c
            }
            None => {
                reps.push(Rep {
                    ty: m.ty,
                    sub: m.sub,
                    background: m.background,
                    date: m.date,
                    place: m.place.is_some().then_some(mi as u32),
                    actors: m.forms.iter().flatten().copied().collect(),
                    members: vec![mi as u32],
                });
                let c = (reps.len() - 1) as u32;
                index.insert(c, &reps[c as usize], mentions);
                c
            }
        };
        mentions[mi].merged = target;
    }
    for r in &mut reps {
        r.members.shrink_to_fit();
        r.actors.shrink_to_fit();
    }
    reps
}

fn most_frequent<T: PartialEq + Copy>(items: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: Vec<(T, usize)> = Vec::new();
    for s in items {
        match counts.iter_mut().find(|(x, _)| *x == s) {
            Some(c) => c.1 += 1,
            None => counts.push((s, 1)),
        }
    }
    // Ties go to the first seen (max_by_key keeps the last maximum, so
    // iterate reversed).
    counts.iter().rev().max_by_key(|(_, n)| *n).map(|(s, _)| *s)
}

fn event_hash(doc: &str, sentence: usize, start: usize) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(doc.as_bytes());
    h.update(b"\0");
    h.update(sentence.to_string().as_bytes());
    h.update(b"\0");
    h.update(start.to_string().as_bytes());
    h.digest()
}

/// Stable id of an event from its first report.
pub fn event_id(doc: &str, sentence: usize, start: usize) -> String {
    format!("ev-{:016x}", event_hash(doc, sentence, start))
}

fn members<'a>(
    r: &'a Rep,
    mentions: &'a [Mention],
) -> impl Iterator<Item = &'a Mention> + Clone + 'a {
    r.members.iter().filter_map(|&m| mentions.get(m as usize))
}

fn doc_id(docs: &[DocMeta], i: u32) -> &str {
    docs.get(i as usize).map_or("", |d| &d.id)
}

fn sub_type(r: &Rep, mentions: &[Mention]) -> Option<Sym> {
    most_frequent(members(r, mentions).map(|m| m.sub))
}

fn all_background(r: &Rep, mentions: &[Mention]) -> bool {
    members(r, mentions).all(|m| m.background)
}

fn status(background: bool) -> &'static str {
    if background { "background" } else { "reported" }
}

fn date_from(d: &MDate) -> String {
    d.span.from.format("%Y-%m-%d").to_string()
}

/// Merged event `i` of a report, its report texts read back.
pub(crate) fn build_event<S: Spill>(
    cr: &CompactReport<S>,
    i: usize,
) -> Result<MergedEvent, S::Error> {
    let st = &cr.strings;
    let Some(r) = cr.reps.get(i) else {
        return Ok(empty_event());
    };
    let ms = members(r, &cr.mentions);
    let Some(e0) = ms.clone().next() else {
        return Ok(empty_event());
    };
    let sub = sub_type(r, &cr.mentions);
    let disorder = ms
        .clone()
        .find(|m| Some(m.sub) == sub)
        .map_or(e0.disorder, |m| m.disorder);
    let figures = |k: usize| {
        reconcile(
            ms.clone()
                .filter(|m| {
                    cr.docs
                        .get(m.doc as usize)
                        .is_some_and(|d| d.duplicate_of.is_none())
                })
                .filter_map(|m| {
                    let f = m.figs.as_ref()?[k]?;
                    Some(FigureReport {
                        low: f.low,
                        best: f.best,
                        high: f.high,
                        open_high: f.open_high,
                        conservative: f.conservative,
                        doc: doc_id(&cr.docs, m.doc).to_string(),
                        sentence: m.sentence,
                        source: st.get(m.source).to_string(),
                    })
                })
                .collect(),
        )
    };
    let place = r.place(&cr.mentions);
    let mut reports = Vec::with_capacity(r.members.len());
    for m in ms.clone() {
        let t = cr.spill.event(m.text)?;
        reports.push(EventReport {
            doc: doc_id(&cr.docs, m.doc).to_string(),
            sentence: m.sentence,
            source: st.get(m.source).to_string(),
            text: t.text,
            trigger: t.trigger,
            status: status(m.background).to_string(),
        });
    }
    Ok(MergedEvent {
        id: cr.event_id(i),
        event_type: st.get(e0.ty).to_string(),
        sub_type: sub.map(|s| st.get(s).to_string()).unwrap_or_default(),
        disorder_type: st.get(disorder).to_string(),
        date: r.date.map(|d| st.get(d.value).to_string()),
        date_from: r.date.as_ref().map(date_from),
        time_precision: r.date.map(|d| d.precision),
        location: place.map(|p| Location {
            name: st.get(p.name).to_string(),
            id: st.opt(p.id),
            lat: p.geo.map(|g| g.0),
            lon: p.geo.map(|g| g.1),
            country: st.opt(p.country),
            admin1: st.opt(p.admin1),
            geo_precision: p.geo.map(|g| g.2),
        }),
        actor1: most_frequent(ms.clone().filter_map(|m| m.actor1)).map(|a| st.get(a).to_string()),
        actor2: most_frequent(ms.clone().filter_map(|m| m.actor2)).map(|a| st.get(a).to_string()),
        fatalities: figures(0),
        injured: figures(1),
        arrested: figures(2),
        status: status(all_background(r, &cr.mentions)).to_string(),
        reports,
    })
}

fn empty_event() -> MergedEvent {
    MergedEvent {
        id: String::new(),
        event_type: String::new(),
        sub_type: String::new(),
        disorder_type: String::new(),
        date: None,
        date_from: None,
        time_precision: None,
        location: None,
        actor1: None,
        actor2: None,
        fatalities: Default::default(),
        injured: Default::default(),
        arrested: Default::default(),
        status: String::new(),
        reports: Vec::new(),
    }
}

/// The dated merged events in date order (by first day, then precision,
/// then id).
pub(crate) fn timeline_order(reps: &[Rep], mentions: &[Mention], docs: &[DocMeta]) -> Vec<u32> {
    let mut dated: Vec<(NaiveDate, u8, u64, u32)> = reps
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let d = r.date?;
            let s = parse_prefix(&date_from(&d))?;
            let m = mentions.get(*r.members.first()? as usize)?;
            let h = event_hash(doc_id(docs, m.doc), m.sentence, m.start);
            Some((s.from, d.precision, h, i as u32))
        })
        .collect();
    dated.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    dated.into_iter().map(|x| x.3).collect()
}

/// Timeline entry `k` of a report.
pub(crate) fn build_timeline_entry<S: Spill>(
    cr: &CompactReport<S>,
    k: usize,
) -> Result<TimelineEntry, S::Error> {
    let st = &cr.strings;
    let i = cr.timeline.get(k).map_or(usize::MAX, |&i| i as usize);
    let (Some(r), Some(d)) = (cr.reps.get(i), cr.reps.get(i).and_then(|r| r.date)) else {
        return Ok(TimelineEntry {
            date: String::new(),
            time_precision: None,
            event: String::new(),
            event_type: String::new(),
            sub_type: String::new(),
            location: None,
            status: String::new(),
            text: String::new(),
            reports: Vec::new(),
        });
    };
    let ms = members(r, &cr.mentions);
    let first = ms.clone().next();
    let text = match first {
        Some(m) => cr.spill.event(m.text)?.text,
        None => String::new(),
    };
    Ok(TimelineEntry {
        date: st.get(d.value).to_string(),
        time_precision: Some(d.precision),
        event: cr.event_id(i),
        event_type: first.map(|m| st.get(m.ty).to_string()).unwrap_or_default(),
        sub_type: sub_type(r, &cr.mentions)
            .map(|s| st.get(s).to_string())
            .unwrap_or_default(),
        location: r.place(&cr.mentions).map(|p| st.get(p.name).to_string()),
        status: status(all_background(r, &cr.mentions)).to_string(),
        text,
        reports: ms
            .map(|m| ReportLink {
                doc: doc_id(&cr.docs, m.doc).to_string(),
                sentence: m.sentence,
            })
            .collect(),
    })
}

/// For each reported, day-precision merged event with reports from several
/// documents, the indexes of those documents (for story clusters).
pub(crate) fn same_story_docs(
    reps: &[Rep],
    mentions: &[Mention],
    docs: &[DocMeta],
) -> Vec<Vec<usize>> {
    // Documents by id (the last of equal ids).
    let by_id: FxHashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_ref(), i))
        .collect();
    reps.iter()
        .filter(|r| !all_background(r, mentions) && r.date.is_some_and(|d| d.precision == 1))
        .filter_map(|r| {
            let mut v: Vec<usize> = members(r, mentions)
                .filter_map(|m| by_id.get(doc_id(docs, m.doc)).copied())
                .collect();
            v.sort_unstable();
            v.dedup();
            (v.len() > 1).then_some(v)
        })
        .collect()
}
