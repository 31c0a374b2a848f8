//! Where the reports disagree.
//!
//! Claims are grouped by **subject** (the extraction stage's `subject_id`,
//! e.g. `org:minusma/peacekeepers`; a claim whose subject cannot be
//! identified beyond its document has none and is never compared),
//! **measure** (as given: `killed`, `strength`, ...) and, for claims
//! attached to an event, the **merged event**: "12 killed" about one attack
//! and "30 killed" about another are not a disagreement. Claims about no
//! event describe a state at the time of writing, which changes, so they
//! are compared only between articles published close together, and only
//! for measures that name a state (`data/comparable.tsv`): a running death
//! toll only between articles published at most a day apart (it rises from
//! one day to the next), a force's strength or number of bases within 30
//! days; plain counts and percentages only within one event. The claims of
//! a group are cut into windows of that many days, each starting at the
//! earliest claim not yet in one; claims of articles without a
//! publication date are compared with each other.
//!
//! A claim is not compared at all when it cannot be a statement about one
//! identified quantity:
//! - it is attached to no event, counts the victims of incidents rather
//!   than the members of one group (`data/victims.txt`:
//!   `country:IR/people`) and its sentence gives no running toll
//!   (`data/running_toll.txt`: `منذ`, `الحصيلة`): two plane crashes in one
//!   country on one day are two tolls, while "121 killed since the marches
//!   began" and a force's own dead are one running toll each;
//! - its subject says nothing about what is counted (`data/uncounted.txt`:
//!   `country:US/count` is "a number of something American" — 16
//!   companies, 3 films);
//! - its figure is an order of magnitude rather than a count: an interval
//!   whose upper end is more than [`VAGUE_SPAN`] times its lower end
//!   (`عدة` 3–10, `عشرات` 10–99, `آلاف`): "dozens of soldiers" is not
//!   contradicted by "2,000 soldiers", it is about other soldiers;
//! - it is a state figure (`strength`, `bases`) of a country's forces with
//!   no place in its scope: a country has many forces (its troops in Syria,
//!   in Korea, in an exercise), an organization's peacekeepers are one;
//! - it is a force's strength but its figure counts something other than
//!   the force's people (`28 طائرة` next to `الجيش`: aircraft; the counted
//!   units a strength may have are in `data/force_units.txt`).
//!
//! Within a group, claims with the **same scope** (the extraction stage's
//! `scope_key`: the qualifiers that change what is counted, such as `in
//! hostile acts`; cumulative `since 2013` is not one of them) must all be
//! true at once. If two of their intervals ([`crate::range`]) do not
//! intersect, the group is a `contradiction` and all its claims are listed,
//! each with its source and sentence, together with the UCDP-style
//! reconciliation of the group. Intervals on a line intersect pairwise
//! exactly when the largest lower end lies below the smallest upper end, so
//! this test is linear in the group's size.
//!
//! Claims of the same subject and measure with **different scopes** count
//! different things (`183 killed in hostile acts` vs `311 dead` in all):
//! when values across scopes differ (some pair of claims from different
//! voices and scopes does not intersect; a quadratic test, over one window
//! of one subject) the group is reported as `different_scope` — explained,
//! not a contradiction. Groups whose claims all agree are not reported.
//!
//! Claims from copies of an article (`duplicate_of`) are left out: a copy
//! neither confirms nor contradicts its original.

use std::hash::Hash;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::build::{CClaim, CDis, CompactReport, DocMeta, Strings};
use crate::digest::DocDigest;
use crate::range::Interval;
use crate::reconcile::{FigureReport, reconcile};
use crate::spill::Spill;
use crate::{ClaimRecord, Disagreement, DisagreementClaim};

/// The interval reaching highest from below (largest lower end, strict
/// before inclusive) and the one ending lowest (smallest upper end).
fn extremes(ivs: impl Iterator<Item = Interval>) -> Option<(Interval, Interval)> {
    let mut lo: Option<Interval> = None;
    let mut hi: Option<Interval> = None;
    for iv in ivs {
        if lo.is_none_or(|l| iv.lo > l.lo || (iv.lo == l.lo && !iv.lo_incl && l.lo_incl)) {
            lo = Some(iv);
        }
        if hi.is_none_or(|h| iv.hi < h.hi || (iv.hi == h.hi && !iv.hi_incl && h.hi_incl)) {
            hi = Some(iv);
        }
    }
    Some((lo?, hi?))
}

/// Is there a pair of intervals of **different classes** that do not
/// intersect? Intervals on a line intersect pairwise exactly when the
/// largest lower end lies below the smallest upper end (Helly's theorem in
/// one dimension), so per class only its two extremes matter, and among
/// classes only the two with the smallest upper ends and the two with the
/// largest lower ends: linear in the number of intervals.
fn disjoint_across<K: PartialEq + Copy>(items: &[(K, Interval)]) -> bool {
    let mut classes: Vec<(K, Interval, Interval)> = Vec::new();
    let mut keys: Vec<K> = Vec::new();
    for (k, _) in items {
        if !keys.contains(k) {
            keys.push(*k);
        }
    }
    if keys.len() < 2 {
        return false;
    }
    for k in keys {
        if let Some((lo, hi)) = extremes(items.iter().filter(|(x, _)| *x == k).map(|(_, iv)| *iv)) {
            classes.push((k, lo, hi));
        }
    }
    let mut by_hi: Vec<usize> = (0..classes.len()).collect();
    by_hi.sort_by(|&a, &b| classes[a].2.hi.total_cmp(&classes[b].2.hi));
    let mut by_lo: Vec<usize> = (0..classes.len()).collect();
    by_lo.sort_by(|&a, &b| classes[b].1.lo.total_cmp(&classes[a].1.lo));
    for &v in by_hi.iter().take(2) {
        for &w in by_lo.iter().take(2) {
            if v != w && !classes[w].1.intersects(&classes[v].2) {
                return true;
            }
        }
    }
    false
}

fn side(c: &ClaimRecord) -> DisagreementClaim {
    DisagreementClaim {
        value: c.value,
        low: c.low,
        high: c.high,
        approx: c.approx,
        bound: c.bound,
        scope: c.scope.clone(),
        doc: c.doc.clone(),
        sentence: c.sentence,
        source: c.source.clone(),
        text: c.text.clone(),
    }
}

fn figure_report(c: &ClaimRecord, iv: &Interval) -> FigureReport {
    FigureReport {
        low: Some(iv.lo),
        best: c.value.or(c.low).or(c.high),
        high: (!iv.open_high()).then_some(iv.hi),
        open_high: iv.open_high(),
        conservative: c.conservative.or(c.value),
        doc: c.doc.clone(),
        sentence: c.sentence,
        source: c.source.clone(),
    }
}

/// An interval whose upper end is more than this many times its lower end
/// is an order of magnitude (`عشرات`), not a count to contradict.
pub const VAGUE_SPAN: f64 = 3.0;

/// Largest window of claims whose different-scope test looks at every
/// pair (beyond, only scopes are told apart, not voices).
const MAX_PAIRWISE: usize = 4096;

/// The comparison rule of a measure.
#[derive(Debug, Clone, Copy)]
struct Rule {
    /// Claims not about an event are compared when published at most this
    /// many days apart; `None`: never.
    window: Option<i32>,
    /// A country's subject needs a scope (state figures of forces).
    country_scoped: bool,
    /// The figure must count a force's people (`data/force_units.txt`) or
    /// have no counted noun.
    force: bool,
}

static COMPARABLE: &str = include_str!("../data/comparable.tsv");
static UNCOUNTED: &str = include_str!("../data/uncounted.txt");
static FORCE_UNITS: &str = include_str!("../data/force_units.txt");
static VICTIMS: &str = include_str!("../data/victims.txt");
static RUNNING_TOLL: &str = include_str!("../data/running_toll.txt");

struct Rules {
    measures: FxHashMap<String, Rule>,
    uncounted: FxHashSet<String>,
    force_units: FxHashSet<String>,
    victims: FxHashSet<String>,
    running_toll: Vec<String>,
}

fn rules() -> &'static Rules {
    static R: OnceLock<Rules> = OnceLock::new();
    R.get_or_init(|| {
        let data = |t: &'static str| {
            t.lines()
                .map(|l| l.split('#').next().unwrap_or("").trim_end())
                .filter(|l| !l.trim().is_empty())
        };
        let mut measures = FxHashMap::default();
        for l in data(COMPARABLE) {
            let f: Vec<&str> = l.split('\t').map(str::trim).collect();
            let window = f.get(1).and_then(|w| w.parse().ok());
            let country_scoped = f.get(2).copied() == Some("scoped");
            let force = f.get(3).copied() == Some("force");
            measures.insert(
                f[0].to_string(),
                Rule {
                    window,
                    country_scoped,
                    force,
                },
            );
        }
        let words = |t| data(t).map(|l| l.trim().to_string()).collect();
        Rules {
            measures,
            uncounted: words(UNCOUNTED),
            force_units: words(FORCE_UNITS),
            victims: words(VICTIMS),
            running_toll: data(RUNNING_TOLL)
                .map(|l| format!(" {} ", search_words(l).trim()))
                .collect(),
        }
    })
}

/// The day number of a publication date (`2024-09-17...`), if it has a day.
pub(crate) fn day_number(published: &str) -> Option<i32> {
    let s = crate::merge::parse_prefix(published.get(..10)?)?;
    Some(chrono::Datelike::num_days_from_ce(&s.from))
}

/// Is a claim of `subject_id` in `sentence` a running toll of victims:
/// does it count victims ([`counts_victims`]) and does its sentence give a
/// running toll ([`running_toll`])? (The sentence is only read for
/// victims.)
pub(crate) fn running_victims_toll(subject_id: Option<&str>, sentence: &str) -> bool {
    counts_victims(subject_id) && running_toll(sentence)
}

/// Does `sentence` give a running toll (`data/running_toll.txt`: `منذ`,
/// `الحصيلة`, ...) rather than the count of one incident? Whole words of
/// its search form.
fn running_toll(sentence: &str) -> bool {
    let words = search_words(sentence);
    rules()
        .running_toll
        .iter()
        .any(|p| words.contains(p.as_str()))
}

/// The words of `s` in search form, each followed by a space, after a
/// leading space.
fn search_words(s: &str) -> String {
    let norm = marsad_text::normalize(s, marsad_text::Form::Search);
    let mut words = String::with_capacity(norm.len() + 2);
    words.push(' ');
    for w in norm
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        words.push_str(w);
        words.push(' ');
    }
    words
}

/// Would [`running_toll`] matter for a claim of this subject: does it
/// count victims (`data/victims.txt`)?
fn counts_victims(subject_id: Option<&str>) -> bool {
    subject_id.is_some_and(|s| rules().victims.contains(s.rsplit('/').next().unwrap_or(s)))
}

/// Is this figure an order of magnitude rather than a count?
fn vague(iv: &Interval) -> bool {
    iv.lo > 0.0 && iv.hi.is_finite() && iv.hi > VAGUE_SPAN * iv.lo
}

/// What the disagreement test compares of a claim.
pub(crate) struct Key<'a, E> {
    /// From a copy of an article?
    pub(crate) copy: bool,
    pub(crate) subject_id: Option<&'a str>,
    pub(crate) measure: &'a str,
    /// Merged event.
    pub(crate) event: Option<E>,
    /// Publication day of its document (a day number).
    pub(crate) day: Option<i32>,
    pub(crate) scope_key: &'a str,
    /// What the figure counts (unit class), if known.
    pub(crate) unit: Option<&'a str>,
    /// Does its sentence give a running toll ([`running_toll`])?
    pub(crate) running: bool,
    /// Document id and source.
    pub(crate) voice: (&'a str, &'a str),
    pub(crate) interval: Option<Interval>,
}

/// (subject id, measure, merged event).
type GroupKey<'a, E> = (&'a str, &'a str, Option<E>);

/// The disagreements among claims (see the module doc): for each, whether
/// it is a contradiction, and its claims (indexes into `keys`), in order
/// of their first claim.
pub(crate) fn find<'a, E: Eq + Hash + Copy>(
    keys: impl Iterator<Item = Key<'a, E>>,
) -> Vec<(bool, Vec<usize>)> {
    struct Member<'a> {
        i: usize,
        iv: Interval,
        day: Option<i32>,
        scope_key: &'a str,
        voice: (&'a str, &'a str),
    }
    let rules = rules();
    let mut order: Vec<GroupKey<'a, E>> = Vec::new();
    let mut groups: FxHashMap<GroupKey<'a, E>, (Option<i32>, Vec<Member<'a>>)> =
        FxHashMap::default();
    for (i, c) in keys.enumerate() {
        if c.copy {
            continue;
        }
        let Some(subject) = c.subject_id else {
            continue;
        };
        if subject.is_empty() || c.measure.is_empty() {
            continue;
        }
        let Some(iv) = c.interval else { continue };
        let class = subject.rsplit('/').next().unwrap_or(subject);
        if rules.uncounted.contains(class) || vague(&iv) {
            continue;
        }
        let rule = rules.measures.get(c.measure).copied().unwrap_or(Rule {
            window: None,
            country_scoped: false,
            force: false,
        });
        if rule.force && c.unit.is_some_and(|u| !rules.force_units.contains(u)) {
            continue;
        }
        // Claims about an event are compared within it; the others within
        // their measure's window of publication days.
        let window = match (c.event, rule.window) {
            (Some(_), _) => None,
            (None, None) => continue,
            (None, Some(_)) if rules.victims.contains(class) && !c.running => continue,
            (None, Some(_))
                if rule.country_scoped
                    && subject.starts_with("country:")
                    && c.scope_key.is_empty() =>
            {
                continue;
            }
            (None, Some(w)) => Some(w),
        };
        let k = (subject, c.measure, c.event);
        let g = groups.entry(k).or_insert((window, Vec::new()));
        if g.1.is_empty() {
            order.push(k);
        }
        g.1.push(Member {
            i,
            iv,
            day: c.day,
            scope_key: c.scope_key,
            voice: c.voice,
        });
    }
    // (first claim, kind, claims)
    let mut out: Vec<(usize, bool, Vec<usize>)> = Vec::new();
    for k in order {
        let Some((window, g)) = groups.get(&k) else {
            continue;
        };
        if g.len() < 2 {
            continue;
        }
        // Buckets of claims that must agree: the whole group for an event;
        // otherwise windows of publication days, each starting at the
        // earliest claim not yet in one (undated claims together).
        let mut buckets: Vec<Vec<&Member>> = Vec::new();
        match window {
            None => buckets.push(g.iter().collect()),
            Some(w) => {
                let mut by_day: Vec<&Member> = g.iter().collect();
                by_day.sort_by_key(|m| (m.day.is_none(), m.day, m.i));
                let mut start: Option<Option<i32>> = None;
                for m in by_day {
                    let fits = match (start, m.day) {
                        (Some(Some(a)), Some(b)) => b - a <= *w,
                        (Some(None), None) => true,
                        _ => false,
                    };
                    if !fits {
                        start = Some(m.day);
                        buckets.push(Vec::new());
                    }
                    if let Some(b) = buckets.last_mut() {
                        b.push(m);
                    }
                }
                for b in &mut buckets {
                    b.sort_by_key(|m| m.i);
                }
            }
        }
        for b in buckets {
            if b.len() < 2 {
                continue;
            }
            let first = b[0].i;
            // Partition by scope, in order of first appearance.
            let mut parts: Vec<(&str, Vec<&Member>)> = Vec::new();
            for m in &b {
                match parts.iter_mut().find(|(s, _)| *s == m.scope_key) {
                    Some(p) => p.1.push(m),
                    None => parts.push((m.scope_key, vec![m])),
                }
            }
            for (_, p) in &parts {
                // A contradiction needs two voices: a report does not
                // contradict itself (one source giving two figures for one
                // thing in one document is giving parts and totals: `ثماني
                // قواعد من أصل ثلاث عشرة`), but two documents, or two
                // sources quoted in one, do.
                let voiced: Vec<((&str, &str), Interval)> =
                    p.iter().map(|m| (m.voice, m.iv)).collect();
                if p.len() >= 2 && disjoint_across(&voiced) {
                    out.push((first, true, p.iter().map(|m| m.i).collect()));
                }
            }
            // Different scopes explain a difference between two voices;
            // one report giving a part and a total (`31 ضابطا يتوزعون على
            // خمسة`) is not a disagreement of any kind.
            let differ = if b.len() <= MAX_PAIRWISE {
                b.iter().enumerate().any(|(k, x)| {
                    b[k + 1..].iter().any(|y| {
                        x.scope_key != y.scope_key && x.voice != y.voice && !x.iv.intersects(&y.iv)
                    })
                })
            } else {
                // Too many to pair up: any two scopes that differ.
                let scoped: Vec<(usize, Interval)> = parts
                    .iter()
                    .enumerate()
                    .flat_map(|(k, (_, p))| p.iter().map(move |m| (k, m.iv)))
                    .collect();
                disjoint_across(&scoped)
            };
            if parts.len() >= 2 && differ {
                out.push((first, false, b.iter().map(|m| m.i).collect()));
            }
        }
    }
    out.sort_by_key(|x| x.0);
    out.into_iter().map(|(_, k, c)| (k, c)).collect()
}

/// A disagreement from its claims (the first one names it).
fn disagreement(contradiction: bool, claims: &[ClaimRecord]) -> Disagreement {
    let Some(c0) = claims.first() else {
        return Disagreement {
            subject: String::new(),
            measure: String::new(),
            scope: Vec::new(),
            kind: String::new(),
            event: None,
            reconciled: None,
            claims: Vec::new(),
        };
    };
    Disagreement {
        subject: c0.subject.clone(),
        measure: c0.measure.clone(),
        scope: if contradiction {
            c0.scope.clone()
        } else {
            Vec::new()
        },
        kind: if contradiction {
            "contradiction"
        } else {
            "different_scope"
        }
        .to_string(),
        event: c0.event.clone(),
        reconciled: contradiction.then(|| {
            reconcile(
                claims
                    .iter()
                    .filter_map(|c| Some(figure_report(c, &c.interval()?)))
                    .collect(),
            )
        }),
        claims: claims.iter().map(side).collect(),
    }
}

/// Contradictions and different-scope groups among `claims` (see the
/// module doc), in order of their first claim. `docs` says which documents
/// are copies and when each was published.
pub fn disagreements(claims: &[ClaimRecord], docs: &[DocDigest]) -> Vec<Disagreement> {
    let copies: FxHashSet<&str> = docs
        .iter()
        .filter(|d| d.info.duplicate_of.is_some())
        .map(|d| d.info.id.as_str())
        .collect();
    let day: FxHashMap<&str, i32> = docs
        .iter()
        .filter_map(|d| {
            Some((
                d.info.id.as_str(),
                day_number(d.info.published.as_deref()?)?,
            ))
        })
        .collect();
    let keys = claims.iter().map(|c| Key {
        copy: copies.contains(c.doc.as_str()),
        subject_id: c.subject_id.as_deref(),
        measure: &c.measure,
        event: c.event.as_deref(),
        day: day.get(c.doc.as_str()).copied(),
        scope_key: &c.scope_key,
        unit: None,
        running: running_victims_toll(c.subject_id.as_deref(), &c.text),
        voice: (&c.doc, &c.source),
        interval: c.interval(),
    });
    find(keys)
        .into_iter()
        .map(|(contradiction, idx)| {
            let cs: Vec<ClaimRecord> = idx.iter().map(|&i| claims[i].clone()).collect();
            disagreement(contradiction, &cs)
        })
        .collect()
}

/// The disagreements of a compact report.
pub(crate) fn compact(claims: &[CClaim], docs: &[DocMeta], st: &Strings) -> Vec<CDis> {
    // By id, as the claim records name their documents (the last of equal
    // ids).
    let mut copies: FxHashSet<&str> = FxHashSet::default();
    let mut day: FxHashMap<&str, i32> = FxHashMap::default();
    for d in docs {
        if d.duplicate_of.is_some() {
            copies.insert(&d.id);
        }
        if let Some(x) = d.date {
            day.insert(&d.id, x);
        }
    }
    let id = |c: &CClaim| docs.get(c.doc as usize).map_or("", |d| &d.id);
    let keys = claims.iter().map(|c| Key {
        copy: copies.contains(id(c)),
        subject_id: c.subject_id.map(|s| st.get(s)),
        measure: st.get(c.measure),
        event: c.event,
        day: day.get(id(c)).copied(),
        scope_key: st.get(c.scope_key),
        unit: c.unit.map(|u| st.get(u)),
        running: c.running,
        voice: (id(c), st.get(c.source)),
        interval: c.interval(),
    });
    find(keys)
        .into_iter()
        .map(|(contradiction, idx)| CDis {
            contradiction,
            claims: idx.into_iter().map(|i| i as u32).collect(),
        })
        .collect()
}

/// Disagreement `i` of a compact report, its claims read back.
pub(crate) fn build_disagreement<S: Spill>(
    cr: &CompactReport<S>,
    i: usize,
) -> Result<Disagreement, S::Error> {
    let Some(d) = cr.disagreements.get(i) else {
        return Ok(disagreement(false, &[]));
    };
    let claims = d
        .claims
        .iter()
        .map(|&c| cr.claim(c as usize))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(disagreement(d.contradiction, &claims))
}
