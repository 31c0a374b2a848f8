//! Renderings of a [`Report`]: ACLED-style CSV ([`acled`]), GeoJSON
//! ([`geo`]) and Markdown ([`md`]), plus the helpers the binary's HTML page
//! shares with them ([`figure_groups`], [`fmt_claim_value`], [`fmt_num`], [`fmt_display`]).

pub mod acled;
pub mod geo;
pub mod md;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::range::Bound;
use crate::reconcile::{Estimate, FigureReport, reconcile};
use crate::{ClaimRecord, Report};

pub use acled::{ACLED_COLUMNS, acled_csv, write_acled_csv};
pub use geo::{geojson, write_geojson};
pub use md::{markdown, write_markdown};

/// A number as a person writes it: no `.0` on whole numbers.
pub fn fmt_num(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

/// A number for reading: [`fmt_num`] with thousands grouped (`12,000`),
/// as Arabic news prints them. Not for CSV, where a comma separates fields.
pub fn fmt_display(v: f64) -> String {
    let s = fmt_num(v);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    if digits.len() < 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return s;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
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
        (Some(l), Some(h)) if l != h => format!("{}–{}", fmt_display(l), fmt_display(h)),
        (Some(l), None) => match bound {
            Some(Bound::AtLeast) => format!("{} على الأقل", fmt_display(l)),
            _ => format!("أكثر من {}", fmt_display(l)),
        },
        (None, Some(h)) => match bound {
            Some(Bound::UpTo) => format!("حتى {}", fmt_display(h)),
            _ => format!("أقل من {}", fmt_display(h)),
        },
        _ => v.map(fmt_display).unwrap_or_else(|| "؟".into()),
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
        Some(v) => fmt_display(v),
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
    let mut groups: Vec<Vec<ClaimRecord>> = Vec::new();
    for c in &r.claims {
        if copies.contains(c.doc.as_str()) || c.subject.is_empty() {
            continue;
        }
        let k = key(c);
        let i = *index.entry(k).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[i].push(c.clone());
    }
    groups.into_iter().map(figure_group).collect()
}

/// One figure group from its claims (the first names it).
pub(crate) fn figure_group(g: Vec<ClaimRecord>) -> FigureGroup {
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
    let first = g.first();
    FigureGroup {
        subject: first.map(|c| c.subject.clone()).unwrap_or_default(),
        measure: first.map(|c| c.measure.clone()).unwrap_or_default(),
        scope: first.map(|c| c.scope.clone()).unwrap_or_default(),
        event: first.and_then(|c| c.event.clone()),
        estimate: reconcile(reports),
        claims: g,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_numbers() {
        assert_eq!(fmt_display(12000.0), "12,000");
        assert_eq!(fmt_display(1500.0), "1500");
        assert_eq!(fmt_display(1234567.0), "1,234,567");
        assert_eq!(fmt_display(-12000.0), "-12,000");
        assert_eq!(fmt_display(12.5), "12.5");
        assert_eq!(fmt_num(12000.0), "12000");
        assert_eq!(
            fmt_claim_value(Some(310.0), Some(310.0), Some(310.0), true, None),
            "حوالي 310"
        );
        assert_eq!(
            fmt_claim_value(Some(300.0), Some(300.0), None, false, Some(Bound::MoreThan)),
            "أكثر من 300"
        );
    }
}
