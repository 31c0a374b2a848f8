//! The interval a reported figure stands for, and when two of them agree.
//!
//! A claim is not a number but a statement about a number, and Arabic news
//! marks how exact it is:
//!
//! - a bare figure (`قتل 12 جندياً`) is exact: **[v, v]**;
//! - `حوالي`, `نحو`, `قرابة` (the figures stage sets `approx`) mean "about":
//!   **[0.9·v, 1.1·v]**. Ten per cent is the tolerance: `حوالي 310` admits
//!   279–341, which covers the rounding a journalist does when writing
//!   "about" over a precise count, without making every two figures of the
//!   same order agree;
//! - `أكثر من v`, `ما يزيد على v`, `يفوق v` are **(v, ∞)** (strictly more);
//!   `ما لا يقل عن v`, `على الأقل` are **[v, ∞)**;
//! - `أقل من v`, `دون v` are **[0, v)**; `حتى v`, `ما يصل إلى v` are **[0, v]**;
//! - a range (`بين 20 و30`, `20 إلى 30`) is **[low, high]** as given;
//! - a vague amount (`عشرات`) comes from the figures stage as a range
//!   (tens = 10 … 99) and is taken as given.
//!
//! The figures stage records an open upper bound as `high = None` but does
//! not say whether the lower bound is strict; [`Bound`] recovers that from
//! the cue at the start of the figure's text, using the cue table in
//! `data/bounds.tsv`. Without a recognised cue an open upper bound is read
//! as "more than" (by far the most frequent wording in news), and an open
//! lower bound as "less than".
//!
//! Two claims **agree** when their intervals intersect: `حوالي 310`
//! ([279, 341]) and `أكثر من 300` ((300, ∞)) agree; `300` and `أكثر من 300`
//! do not.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Approximation tolerance: `حوالي v` stands for [v·(1−APPROX), v·(1+APPROX)].
pub const APPROX_TOLERANCE: f64 = 0.10;

/// How a one-sided figure is bounded, read from its cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// `أكثر من v`: (v, ∞).
    MoreThan,
    /// `على الأقل v`: [v, ∞).
    AtLeast,
    /// `أقل من v`: [0, v).
    LessThan,
    /// `حتى v`: [0, v].
    UpTo,
}

static BOUNDS_TSV: &str = include_str!("../data/bounds.tsv");

fn cue_table() -> &'static [(String, Bound)] {
    static T: OnceLock<Vec<(String, Bound)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut v = Vec::new();
        for line in BOUNDS_TSV.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let mut it = line.split('\t');
            let (Some(cue), Some(kind)) = (it.next(), it.next()) else {
                continue;
            };
            let b = match kind.trim() {
                "more_than" => Bound::MoreThan,
                "at_least" => Bound::AtLeast,
                "less_than" => Bound::LessThan,
                "up_to" => Bound::UpTo,
                _ => continue,
            };
            v.push((marsad_text::search_form(cue.trim(), false), b));
        }
        // Longest cue first, so `ما لا يقل عن` wins over `يقل عن`.
        v.sort_by_key(|(c, _)| std::cmp::Reverse(c.len()));
        v
    })
}

/// The bound cue a figure's text starts with (or ends with, for `فأكثر`
/// and `على الأقل` written after the number), if any.
pub fn bound_cue(figure_text: &str) -> Option<Bound> {
    let form = marsad_text::search_form(figure_text, false);
    cue_table()
        .iter()
        .find(|(c, _)| {
            !c.is_empty()
                && ((form.starts_with(c.as_str()) && form.as_bytes().get(c.len()) == Some(&b' '))
                    || (form.ends_with(c.as_str())
                        && form.len() > c.len()
                        && form.as_bytes()[form.len() - c.len() - 1] == b' '))
        })
        .map(|(_, b)| *b)
}

/// An interval of values, with open or closed ends.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Is the lower end included?
    pub lo_incl: bool,
    /// Upper end (`f64::INFINITY` when open).
    pub hi: f64,
    /// Is the upper end included?
    pub hi_incl: bool,
}

impl Interval {
    /// [v, v].
    pub fn exact(v: f64) -> Self {
        Interval {
            lo: v,
            lo_incl: true,
            hi: v,
            hi_incl: true,
        }
    }

    /// Do the two intervals share at least one value?
    pub fn intersects(&self, o: &Interval) -> bool {
        // a ends before b starts?
        let before =
            |a: &Interval, b: &Interval| a.hi < b.lo || (a.hi == b.lo && !(a.hi_incl && b.lo_incl));
        !(before(self, o) || before(o, self))
    }

    /// Is the upper end unbounded?
    pub fn open_high(&self) -> bool {
        self.hi.is_infinite()
    }
}

/// The interval a figure stands for, from its `value/low/high`, `approx`
/// flag and bound cue (see the module doc). `None` when it has no value.
pub fn interval(
    value: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    approx: bool,
    bound: Option<Bound>,
) -> Option<Interval> {
    let around = |v: f64| {
        if approx {
            Interval {
                lo: v * (1.0 - APPROX_TOLERANCE),
                lo_incl: true,
                hi: v * (1.0 + APPROX_TOLERANCE),
                hi_incl: true,
            }
        } else {
            Interval::exact(v)
        }
    };
    match (low, high) {
        (Some(l), Some(h)) if l == h => Some(around(l)),
        (Some(l), Some(h)) => Some(Interval {
            lo: l.min(h),
            lo_incl: true,
            hi: l.max(h),
            hi_incl: true,
        }),
        (Some(l), None) => Some(Interval {
            lo: l,
            lo_incl: bound == Some(Bound::AtLeast),
            hi: f64::INFINITY,
            hi_incl: false,
        }),
        (None, Some(h)) => Some(Interval {
            lo: 0.0,
            lo_incl: true,
            hi: h,
            hi_incl: bound == Some(Bound::UpTo),
        }),
        (None, None) => value.map(around),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approx_and_more_than_agree() {
        let a = interval(Some(310.0), None, None, true, None).unwrap();
        let b = interval(Some(300.0), Some(300.0), None, false, Some(Bound::MoreThan)).unwrap();
        assert!(a.intersects(&b));
    }

    #[test]
    fn exact_and_more_than_same_value_disagree() {
        let a = interval(Some(300.0), Some(300.0), Some(300.0), false, None).unwrap();
        let b = interval(Some(300.0), Some(300.0), None, false, Some(Bound::MoreThan)).unwrap();
        assert!(!a.intersects(&b));
        let c = interval(Some(300.0), Some(300.0), None, false, Some(Bound::AtLeast)).unwrap();
        assert!(a.intersects(&c));
    }

    #[test]
    fn cues() {
        assert_eq!(bound_cue("أكثر من 300"), Some(Bound::MoreThan));
        assert_eq!(bound_cue("ما لا يقل عن 20"), Some(Bound::AtLeast));
        assert_eq!(bound_cue("أقل من 5"), Some(Bound::LessThan));
        assert_eq!(bound_cue("300"), None);
    }
}
