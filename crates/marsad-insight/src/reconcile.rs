//! UCDP-style reconciliation of the figures several reports give for the
//! same thing (an event's dead, a force's strength).
//!
//! The Uppsala Conflict Data Program codes three estimates for every event:
//! **low** (the lowest reliable figure), **high** (the highest) and **best**
//! (the most likely). ACLED codes one number, the most **conservative**
//! reported figure. Given the reports' own intervals, marsad computes:
//!
//! - `low` = the minimum of the reports' lower ends;
//! - `high` = the maximum of the reports' finite upper ends — or `None`
//!   (open) when some report is open-ended (`أكثر من 300`) with a lower end
//!   above every finite upper end, or when no report has a finite upper end:
//!   then no report bounds the figure from above;
//! - `best` = the **median** of the reports' best values; with an even
//!   number of reports, the lower of the two middle values, so that `best`
//!   is always a figure some report actually gave and leans conservative;
//! - `conservative` = the lowest best value, where a vague amount counts at
//!   its conservative value (`عشرات` = 10, from `Figure.conservative`): ACLED's
//!   fatality number.
//!
//! Copies of an article (`duplicate_of`) are not independent reports and are
//! left out by the caller; the same figure from the same document is counted
//! once.

use serde::{Deserialize, Serialize};

/// One report's figure, as reconciliation sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureReport {
    /// Lower end.
    pub low: Option<f64>,
    /// Best value.
    pub best: Option<f64>,
    /// Upper end (`None` with `open_high` = unbounded).
    pub high: Option<f64>,
    /// Is the upper end unbounded (`أكثر من`)?
    pub open_high: bool,
    /// ACLED's conservative reading of this figure.
    pub conservative: Option<f64>,
    /// Document id.
    pub doc: String,
    /// Sentence index.
    pub sentence: usize,
    /// Who says so.
    pub source: String,
}

/// Reconciled estimates with the reports they come from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Lowest reported lower end.
    pub low: Option<f64>,
    /// Median of the reported best values.
    pub best: Option<f64>,
    /// Highest finite upper end (`None` = open or unknown).
    pub high: Option<f64>,
    /// ACLED's conservative figure: the lowest best value.
    pub conservative: Option<f64>,
    /// The reports, each with its own figures and source.
    pub sources: Vec<FigureReport>,
}

impl Estimate {
    /// No report gave a figure.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

/// Reconcile `reports` (see the module doc). Exact repeats of the same
/// figure from the same document are counted once.
pub fn reconcile(reports: Vec<FigureReport>) -> Estimate {
    let mut sources: Vec<FigureReport> = Vec::with_capacity(reports.len());
    for r in reports {
        if r.best.is_none() && r.low.is_none() && r.high.is_none() {
            continue;
        }
        let dup = sources
            .iter()
            .any(|s| s.doc == r.doc && s.low == r.low && s.best == r.best && s.high == r.high);
        if !dup {
            sources.push(r);
        }
    }
    if sources.is_empty() {
        return Estimate::default();
    }
    let low = sources
        .iter()
        .filter_map(|s| s.low.or(s.best))
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))));
    let max_finite = sources
        .iter()
        .filter(|s| !s.open_high)
        .filter_map(|s| s.high.or(s.best))
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    let open_above = sources.iter().filter(|s| s.open_high).any(|s| {
        let l = s.low.or(s.best).unwrap_or(0.0);
        max_finite.is_none_or(|h| l >= h)
    });
    let high = if open_above { None } else { max_finite };
    let mut bests: Vec<f64> = sources.iter().filter_map(|s| s.best.or(s.low)).collect();
    bests.sort_by(f64::total_cmp);
    let best = if bests.is_empty() {
        None
    } else {
        Some(bests[(bests.len() - 1) / 2])
    };
    let conservative = sources
        .iter()
        .filter_map(|s| s.conservative.or(s.best).or(s.low))
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))));
    Estimate {
        low,
        best,
        high,
        conservative,
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(doc: &str, low: f64, best: f64, high: Option<f64>) -> FigureReport {
        FigureReport {
            low: Some(low),
            best: Some(best),
            high,
            open_high: high.is_none(),
            conservative: None,
            doc: doc.into(),
            sentence: 0,
            source: String::new(),
        }
    }

    #[test]
    fn median_low_high() {
        let e = reconcile(vec![
            rep("a", 10.0, 10.0, Some(10.0)),
            rep("b", 12.0, 12.0, Some(12.0)),
            rep("c", 20.0, 20.0, Some(20.0)),
            rep("d", 15.0, 15.0, Some(15.0)),
        ]);
        assert_eq!(e.low, Some(10.0));
        assert_eq!(e.high, Some(20.0));
        assert_eq!(e.best, Some(12.0));
        assert_eq!(e.conservative, Some(10.0));
    }

    #[test]
    fn open_ended_above_every_finite_high_opens_high() {
        let e = reconcile(vec![
            rep("a", 10.0, 10.0, Some(10.0)),
            rep("b", 30.0, 30.0, None),
        ]);
        assert_eq!(e.high, None);
        let e = reconcile(vec![
            rep("a", 40.0, 40.0, Some(40.0)),
            rep("b", 30.0, 30.0, None),
        ]);
        assert_eq!(e.high, Some(40.0));
    }
}
