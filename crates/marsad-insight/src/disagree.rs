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

use rustc_hash::{FxHashMap, FxHashSet};

use crate::digest::DocDigest;
use crate::range::Interval;
use crate::reconcile::{FigureReport, reconcile};
use crate::{ClaimRecord, Disagreement, DisagreementClaim, MergedEvent};

/// All claims of all documents, with their merged event ids. The claims
/// are moved out of the digests (they are the bulk of a digest).
pub fn claim_records(
    docs: &mut [DocDigest],
    events: &[MergedEvent],
    local_to_merged: &[FxHashMap<usize, usize>],
) -> Vec<ClaimRecord> {
    let mut out = Vec::with_capacity(docs.iter().map(|d| d.claims.len()).sum());
    for (di, d) in docs.iter_mut().enumerate() {
        let claims = std::mem::take(&mut d.claims);
        for (mut c, ev) in claims.into_iter().zip(&d.claim_events) {
            c.event = ev
                .and_then(|l| local_to_merged.get(di)?.get(&l).copied())
                .and_then(|m| events.get(m))
                .map(|e| e.id.clone());
            out.push(c);
        }
    }
    out
}

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

/// (subject id, measure, merged event id, publication month for claims
/// not about an event).
type GroupKey = (String, String, Option<String>, Option<String>);

/// Contradictions and different-scope groups among `claims` (see the
/// module doc), in order of their first claim.
pub fn disagreements(claims: &[ClaimRecord], docs: &[DocDigest]) -> Vec<Disagreement> {
    let copies: FxHashSet<&str> = docs
        .iter()
        .filter(|d| d.info.duplicate_of.is_some())
        .map(|d| d.info.id.as_str())
        .collect();
    // (subject, measure, event) → claims (index, interval).
    let month: FxHashMap<&str, &str> = docs
        .iter()
        .filter_map(|d| Some((d.info.id.as_str(), d.info.published.as_deref()?.get(..7)?)))
        .collect();
    let mut order: Vec<GroupKey> = Vec::new();
    let mut groups: FxHashMap<GroupKey, Vec<(usize, Interval)>> = FxHashMap::default();
    for (i, c) in claims.iter().enumerate() {
        if copies.contains(c.doc.as_str()) {
            continue;
        }
        let Some(subject) = c.subject_id.clone() else {
            continue;
        };
        if subject.is_empty() || c.measure.is_empty() {
            continue;
        }
        let Some(iv) = c.interval() else { continue };
        let when = match c.event {
            Some(_) => None,
            None => month.get(c.doc.as_str()).map(|m| m.to_string()),
        };
        let k = (subject, c.measure.clone(), c.event.clone(), when);
        let g = groups.entry(k.clone()).or_default();
        if g.is_empty() {
            order.push(k);
        }
        g.push((i, iv));
    }
    let mut out = Vec::new();
    for k in order {
        let Some(g) = groups.get(&k) else { continue };
        if g.len() < 2 {
            continue;
        }
        let first = &claims[g[0].0];
        // Partition by scope, in order of first appearance.
        let mut parts: Vec<(&str, Vec<(usize, Interval)>)> = Vec::new();
        for &(i, iv) in g {
            let sk = claims[i].scope_key.as_str();
            match parts.iter_mut().find(|(s, _)| *s == sk) {
                Some(p) => p.1.push((i, iv)),
                None => parts.push((sk, vec![(i, iv)])),
            }
        }
        for (_, p) in &parts {
            // A contradiction needs two voices: a report does not contradict
            // itself (one source giving two figures for one thing in one
            // document is giving parts and totals: `ثماني قواعد من أصل ثلاث
            // عشرة`), but two documents, or two sources quoted in one, do.
            let voiced: Vec<((&str, &str), Interval)> = p
                .iter()
                .map(|(i, iv)| ((claims[*i].doc.as_str(), claims[*i].source.as_str()), *iv))
                .collect();
            if p.len() >= 2 && disjoint_across(&voiced) {
                let c0 = &claims[p[0].0];
                out.push(Disagreement {
                    subject: c0.subject.clone(),
                    measure: c0.measure.clone(),
                    scope: c0.scope.clone(),
                    kind: "contradiction".to_string(),
                    event: c0.event.clone(),
                    reconciled: Some(reconcile(
                        p.iter()
                            .map(|(i, iv)| figure_report(&claims[*i], iv))
                            .collect(),
                    )),
                    claims: p.iter().map(|(i, _)| side(&claims[*i])).collect(),
                });
            }
        }
        if parts.len() >= 2 {
            let scoped: Vec<(usize, Interval)> = parts
                .iter()
                .enumerate()
                .flat_map(|(k, (_, p))| p.iter().map(move |(_, iv)| (k, *iv)))
                .collect();
            let cross = disjoint_across(&scoped);
            if cross {
                out.push(Disagreement {
                    subject: first.subject.clone(),
                    measure: first.measure.clone(),
                    scope: Vec::new(),
                    kind: "different_scope".to_string(),
                    event: first.event.clone(),
                    reconciled: None,
                    claims: g.iter().map(|(i, _)| side(&claims[*i])).collect(),
                });
            }
        }
    }
    out
}
