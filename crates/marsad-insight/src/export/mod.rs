//! Renderings of a [`Report`]: ACLED-style CSV ([`acled`]), GeoJSON
//! ([`geo`]) and Markdown ([`md`]), plus the helpers the binary's HTML page
//! shares with them ([`figure_groups`], [`fmt_claim_value`], [`fmt_num`]).

pub mod acled;
pub mod geo;
pub mod md;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::range::Bound;
use crate::reconcile::{Estimate, FigureReport, reconcile};
use crate::{ClaimRecord, Report};

pub use acled::{ACLED_COLUMNS, acled_csv};
pub use geo::geojson;
pub use md::markdown;

/// A number as a person writes it: no `.0` on whole numbers.
pub fn fmt_num(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A claim's value as the article states it, in Arabic: `حوالي 310`,
/// `أكثر من 300`, `20–30`.
pub fn fmt_claim_value(
    value: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    approx: bool,
    bound: Option<Bound>,
) -> String {
    let v = value.or(low).or(high);
    let body = match (low, high) {
        (Some(l), Some(h)) if l != h => format!("{}–{}", fmt_num(l), fmt_num(h)),
        (Some(l), None) => match bound {
            Some(Bound::AtLeast) => format!("{} على الأقل", fmt_num(l)),
            _ => format!("أكثر من {}", fmt_num(l)),
        },
        (None, Some(h)) => match bound {
            Some(Bound::UpTo) => format!("حتى {}", fmt_num(h)),
            _ => format!("أقل من {}", fmt_num(h)),
        },
        _ => v.map(fmt_num).unwrap_or_else(|| "؟".into()),
    };
    if approx {
        format!("حوالي {body}")
    } else {
        body
    }
}

/// An estimate as `أدنى 10 · أفضل 12 · أعلى 20`.
pub fn fmt_estimate(e: &Estimate) -> String {
    let f = |x: Option<f64>, open: bool| match x {
        Some(v) => fmt_num(v),
        None if open => "مفتوح".into(),
        None => "—".into(),
    };
    format!(
        "أدنى {} · أفضل تقدير {} · أعلى {}",
        f(e.low, false),
        f(e.best, false),
        f(e.high, !e.sources.is_empty())
    )
}

/// Claims about the same subject, measure, scope and event, reconciled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureGroup {
    /// Subject.
    pub subject: String,
    /// Measure.
    pub measure: String,
    /// Scope.
    pub scope: Vec<String>,
    /// Merged event, if any.
    pub event: Option<String>,
    /// Reconciled estimate.
    pub estimate: Estimate,
    /// The claims, in report order.
    pub claims: Vec<ClaimRecord>,
}

/// Group the report's claims by subject, measure, scope and event, in
/// order of first claim, each with its UCDP-style reconciliation. Copies of
/// articles are left out.
pub fn figure_groups(r: &Report) -> Vec<FigureGroup> {
    let copies: std::collections::HashSet<&str> = r
        .documents
        .iter()
        .filter(|d| d.duplicate_of.is_some())
        .map(|d| d.id.as_str())
        .collect();
    // Claims whose subject is not identifiable beyond their document are
    // grouped within it only.
    let key = |c: &ClaimRecord| {
        (
            c.subject_id
                .clone()
                .unwrap_or_else(|| format!("{}\0{}", c.doc, c.subject)),
            c.measure.clone(),
            c.scope_key.clone(),
            c.event.clone(),
        )
    };
    let mut index: FxHashMap<(String, String, String, Option<String>), usize> =
        FxHashMap::default();
    let mut groups: Vec<Vec<&ClaimRecord>> = Vec::new();
    for c in &r.claims {
        if copies.contains(c.doc.as_str()) || c.subject.is_empty() {
            continue;
        }
        let k = key(c);
        let i = *index.entry(k).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[i].push(c);
    }
    groups
        .into_iter()
        .map(|g| {
            let reports = g
                .iter()
                .filter_map(|c| {
                    let iv = c.interval()?;
                    Some(FigureReport {
                        low: Some(iv.lo),
                        best: c.value.or(c.low).or(c.high),
                        high: (!iv.open_high()).then_some(iv.hi),
                        open_high: iv.open_high(),
                        conservative: c.conservative.or(c.value),
                        doc: c.doc.clone(),
                        sentence: c.sentence,
                        source: c.source.clone(),
                    })
                })
                .collect();
            FigureGroup {
                subject: g[0].subject.clone(),
                measure: g[0].measure.clone(),
                scope: g[0].scope.clone(),
                event: g[0].event.clone(),
                estimate: reconcile(reports),
                claims: g.into_iter().cloned().collect(),
            }
        })
        .collect()
}
