//! Where the reports disagree.
//!
//! Claims are grouped by **subject** (the extraction stage's `subject_id`,
//! e.g. `org:minusma/peacekeepers`; a claim whose subject cannot be
//! identified beyond its document has none and is never compared),
//! **measure** (as given: `killed`,
//! `strength`, ...) and, for claims attached to an event, the **merged
//! event**: "12 killed" about one attack and "30 killed" about another are
//! not a disagreement. Claims about no event describe a state at the time
//! of writing (a force's strength, a count of refugees), which changes: they
//! are compared only between articles published in the same month.
//!
//! Within a group, claims with the **same scope** (the extraction stage's
//! `scope_key`: the qualifiers that change what is counted, such as `in
//! hostile acts`; cumulative `since 2013` is not one of them) must all be
//! true at once. If two of their intervals ([`crate::range`]) do not intersect, the
//! group is a `contradiction` and all its claims are listed, each with its
//! source and sentence, together with the UCDP-style reconciliation of the
//! group. Intervals on a line intersect pairwise exactly when the largest
//! lower end lies below the smallest upper end, so this test is linear in
//! the group's size.
//!
//! Claims of the same subject and measure with **different scopes** count
//! different things (`183 killed in hostile acts` vs `311 dead` in all):
//! when values across scopes differ (some cross-scope pair does not
//! intersect) the group is reported as `different_scope` — explained, not a
//! contradiction. Groups whose claims all agree are not reported.
//!
//! Claims from copies of an article (`duplicate_of`) are left out: a copy
//! neither confirms nor contradicts its original.

use std::hash::Hash;

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

/// What the disagreement test compares of a claim.
pub(crate) struct Key<'a, E> {
    /// From a copy of an article?
    pub(crate) copy: bool,
    pub(crate) subject_id: Option<&'a str>,
    pub(crate) measure: &'a str,
    /// Merged event.
    pub(crate) event: Option<E>,
    /// Publication month of its document.
    pub(crate) month: Option<&'a str>,
    pub(crate) scope_key: &'a str,
    /// Document id and source.
    pub(crate) voice: (&'a str, &'a str),
    pub(crate) interval: Option<Interval>,
}

/// (subject id, measure, merged event, publication month for claims not
/// about an event).
type GroupKey<'a, E> = (&'a str, &'a str, Option<E>, Option<&'a str>);

/// The disagreements among claims (see the module doc): for each, whether
/// it is a contradiction, and its claims (indexes into `keys`), in order
/// of their first claim.
pub(crate) fn find<'a, E: Eq + Hash + Copy>(
    keys: impl Iterator<Item = Key<'a, E>>,
) -> Vec<(bool, Vec<usize>)> {
    struct Member<'a> {
        i: usize,
        iv: Interval,
        scope_key: &'a str,
        voice: (&'a str, &'a str),
    }
    let mut order: Vec<GroupKey<'a, E>> = Vec::new();
    let mut groups: FxHashMap<GroupKey<'a, E>, Vec<Member<'a>>> = FxHashMap::default();
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
        let when = match c.event {
            Some(_) => None,
            None => c.month,
        };
        let k = (subject, c.measure, c.event, when);
        let g = groups.entry(k).or_default();
        if g.is_empty() {
            order.push(k);
        }
        g.push(Member {
            i,
            iv,
            scope_key: c.scope_key,
            voice: c.voice,
        });
    }
    let mut out = Vec::new();
    for k in order {
        let Some(g) = groups.get(&k) else { continue };
        if g.len() < 2 {
            continue;
        }
        // Partition by scope, in order of first appearance.
        let mut parts: Vec<(&str, Vec<&Member>)> = Vec::new();
        for m in g {
            match parts.iter_mut().find(|(s, _)| *s == m.scope_key) {
                Some(p) => p.1.push(m),
                None => parts.push((m.scope_key, vec![m])),
            }
        }
        for (_, p) in &parts {
            // A contradiction needs two voices: a report does not contradict
            // itself (one source giving two figures for one thing in one
            // document is giving parts and totals: `ثماني قواعد من أصل ثلاث
            // عشرة`), but two documents, or two sources quoted in one, do.
            let voiced: Vec<((&str, &str), Interval)> = p.iter().map(|m| (m.voice, m.iv)).collect();
            if p.len() >= 2 && disjoint_across(&voiced) {
                out.push((true, p.iter().map(|m| m.i).collect()));
            }
        }
        if parts.len() >= 2 {
            let scoped: Vec<(usize, Interval)> = parts
                .iter()
                .enumerate()
                .flat_map(|(k, (_, p))| p.iter().map(move |m| (k, m.iv)))
                .collect();
            if disjoint_across(&scoped) {
                out.push((false, g.iter().map(|m| m.i).collect()));
            }
        }
    }
    out
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
    let month: FxHashMap<&str, &str> = docs
        .iter()
        .filter_map(|d| Some((d.info.id.as_str(), d.info.published.as_deref()?.get(..7)?)))
        .collect();
    let keys = claims.iter().map(|c| Key {
        copy: copies.contains(c.doc.as_str()),
        subject_id: c.subject_id.as_deref(),
        measure: &c.measure,
        event: c.event.as_deref(),
        month: month.get(c.doc.as_str()).copied(),
        scope_key: &c.scope_key,
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
    let mut month: FxHashMap<&str, &str> = FxHashMap::default();
    for d in docs {
        if d.duplicate_of.is_some() {
            copies.insert(&d.id);
        }
        if let Some(m) = d.month {
            month.insert(&d.id, st.get(m));
        }
    }
    let id = |c: &CClaim| docs.get(c.doc as usize).map_or("", |d| &d.id);
    let keys = claims.iter().map(|c| Key {
        copy: copies.contains(id(c)),
        subject_id: c.subject_id.map(|s| st.get(s)),
        measure: st.get(c.measure),
        event: c.event,
        month: month.get(id(c)).copied(),
        scope_key: st.get(c.scope_key),
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
