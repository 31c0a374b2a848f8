//! # marsad-figures: numbers, quantities and dates in Arabic news
//!
//! Casualty counts, troop numbers, sums of money and dates are what readers
//! of conflict reporting check first, and what reports disagree on most.
//! This crate finds every one of them in an analysed text
//! ([`marsad_text::Text`]), resolves it to a value, and keeps its exact
//! byte span.
//!
//! ```
//! use marsad_figures::{extract, FigureKind};
//! let text = marsad_text::analyze("قتل أكثر من 300 جندي في 17 سبتمبر 2024.");
//! let figs = extract(&text, None);
//! assert_eq!(figs[0].kind, FigureKind::Quantity);
//! assert_eq!(figs[0].low, Some(300.0));
//! assert_eq!(figs[0].unit.as_deref(), Some("soldier"));
//! assert_eq!(figs[1].date.as_ref().unwrap().value.as_deref(), Some("2024-09-17"));
//! ```
//!
//! ## Design
//! A small rule engine in the spirit of Facebook's Duckling: the lexemes —
//! number words, ordinals, counted nouns, currencies, month names in five
//! calendars, cue phrases for bounds, relative dates and times — are data
//! (`data/*.tsv`, embedded with `include_str!` and loaded once into one hash
//! map, see [`lex`]); the rules that compose them are small functions over
//! token indices (`engine` for numbers and amounts, `dates` for dates and
//! times), each documented with the linguistic reason for it. One token
//! lookup per token is done up front; the rules then only compare cached
//! readings, so extraction runs at tens of MB/s.
//!
//! Main entry points:
//! - [`extract`]: all figures of a text, non-overlapping, in text order.
//!   Relative dates resolve against the reference (publication) date; with
//!   no reference they are returned unresolved with their grain.
//! - [`parse`]: a Duckling-compatible parse of a whole expression for one
//!   dimension ([`Dim`]), in Duckling's JSON shape; the `marsad parse`
//!   command and the Duckling evaluation use it.
//!
//! Conventions: [`Figure::conservative`] follows ACLED for vague amounts —
//! the low bound of the range the expression denotes: `عشرات` (tens) = 10,
//! `مئات` = 100, `آلاف` = 1000, `عشرات الآلاف` = 10000, and `عدة/بضع`
//! (several, a few: 3..9) = 3; for `أكثر من N` / `ما لا يقل عن N` it is N.
//! Ranges (`بين 10 و20`) have no `value`, only `low`/`high`, and a
//! conservative value equal to `low`. Bounds keep the number as `value`:
//! `أكثر من 300` → low 300, high open; `أقل من 5` → high 5, low open;
//! `حوالي 500` → `approx`. Exact numbers have low = high = value. Measures
//! are converted to their base unit (`0.5 كغ` = 500 gram); money carries
//! an ISO 4217 code when the text names the currency (`جنيه مصري` = EGP)
//! and a generic class otherwise (`pound`, `riyal`, `dinar`); durations
//! carry their unit (`month`).
//!
//! Dates: `value` is the ISO 8601 prefix of the grain ([`iso_prefix`]:
//! `2023-12-31`, `2023-12`, `2023-W37`, `2023`, decade `202`, century `20`),
//! seasons use TimeML's `2015-SU`. Intervals (`أواخر مارس`, `بين 13 و15
//! تموز`, `عامي 2020 و2021`) have `from` and an exclusive `to`; their
//! `value` is the start. Weeks, quarters/seasons, decades and centuries
//! also carry `from`/`to` (as days, or years for decades and centuries),
//! so readers never need to decode `2024-W37` or `195`. ACLED's `time_precision` is 1 for a day or finer,
//! 2 for a week, 3 for a month or coarser (for intervals: by length).
//!
//! This crate does no I/O and never panics on input.

pub mod lex;

mod dates;
mod duckling;
mod engine;

pub use duckling::{Dim, parse};

use chrono::{Datelike, NaiveDateTime};
use marsad_text::TokenKind;

use crate::dates::Dv;
use crate::engine::{Acc, Ctx, Mode};

use serde::{Deserialize, Serialize};

/// What kind of figure a mention is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureKind {
    /// A bare number.
    Number,
    /// A number with a counted noun (`15000 جندي`).
    Quantity,
    /// `الثالث`.
    Ordinal,
    /// `46 في المائة`.
    Percent,
    /// `ثلثي`.
    Fraction,
    /// `5 ملايين دولار`.
    Money,
    /// `ضعف`, `ثلاثة أضعاف` (a multiple).
    Multiple,
    /// `ستة أشهر`.
    Duration,
    /// A date, date range or time.
    Date,
}

/// Time grain of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grain {
    /// Second.
    Second,
    /// Minute.
    Minute,
    /// Hour.
    Hour,
    /// Day.
    Day,
    /// Week.
    Week,
    /// Month.
    Month,
    /// Quarter.
    Quarter,
    /// Year.
    Year,
    /// Decade.
    Decade,
    /// Century.
    Century,
}

/// A resolved (or unresolvable) date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateValue {
    /// ISO prefix of its grain: `2023-12-31`, `2023-12`, `2013`; `None` when
    /// relative and no reference date was given.
    pub value: Option<String>,
    /// Grain.
    pub grain: Grain,
    /// ACLED time precision: 1 day, 2 week, 3 month or coarser.
    pub time_precision: u8,
    /// Interval start (inclusive), ISO prefix.
    pub from: Option<String>,
    /// Interval end (exclusive), ISO prefix.
    pub to: Option<String>,
    /// Was it resolved to a calendar value?
    pub resolved: bool,
}

/// One figure found in a text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Kind.
    pub kind: FigureKind,
    /// Byte offset in the original text.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// Best value (numbers, quantities, percents, money, durations in their unit).
    pub value: Option<f64>,
    /// Lower bound.
    pub low: Option<f64>,
    /// Upper bound (`None` = open).
    pub high: Option<f64>,
    /// Approximate (`حوالي`, `نحو`, vague amounts).
    pub approx: bool,
    /// Normalized class of the counted noun / currency code / duration unit.
    pub unit: Option<String>,
    /// The counted noun as written.
    pub unit_text: Option<String>,
    /// ACLED's conservative value for vague amounts (tens = 10).
    pub conservative: Option<f64>,
    /// Date value for `kind == Date`.
    pub date: Option<DateValue>,
}

/// ISO prefix of `d` at grain `g`: `2023-12-31`, `2023-12`, `2023`,
/// `2023-W05`, `2023-Q1`, `202` (decade), `20` (century), with the time for
/// hour/minute/second grains.
pub fn iso_prefix(d: NaiveDateTime, g: Grain) -> String {
    match g {
        Grain::Second => d.format("%Y-%m-%dT%H:%M:%S").to_string(),
        Grain::Minute => d.format("%Y-%m-%dT%H:%M").to_string(),
        Grain::Hour => d.format("%Y-%m-%dT%H").to_string(),
        Grain::Day => d.format("%Y-%m-%d").to_string(),
        Grain::Week => d.format("%G-W%V").to_string(),
        Grain::Month => d.format("%Y-%m").to_string(),
        Grain::Quarter => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
        Grain::Year => format!("{:04}", d.year()),
        Grain::Decade => format!("{:03}", d.year().div_euclid(10)),
        Grain::Century => format!("{:02}", d.year().div_euclid(100)),
    }
}

fn precision(g: Grain) -> u8 {
    match g {
        Grain::Second | Grain::Minute | Grain::Hour | Grain::Day => 1,
        Grain::Week => 2,
        _ => 3,
    }
}

fn date_value(v: &Dv) -> DateValue {
    match v {
        Dv::Rel { grain } => DateValue {
            value: None,
            grain: *grain,
            time_precision: precision(*grain),
            from: None,
            to: None,
            resolved: false,
        },
        Dv::Abs {
            from,
            grain,
            to,
            label,
        } => {
            let tp = match to {
                Some(t) => {
                    let days = (*t - *from).num_days();
                    if days <= 1 {
                        1
                    } else if days <= 7 {
                        2
                    } else {
                        3
                    }
                }
                None => precision(*grain),
            };
            // Bounds are written at a grain every ISO reader parses: days
            // for weeks and quarters/seasons, years for decades/centuries.
            // Values of those grains also get their bounds, so a reader
            // never has to decode `2024-W37` or `195`.
            let bg = match grain {
                Grain::Week | Grain::Quarter => Grain::Day,
                Grain::Decade | Grain::Century => Grain::Year,
                g => *g,
            };
            let end = match to {
                Some(t) => Some(*t),
                None if bg != *grain => dates::unit_end(*from, *grain),
                None => None,
            };
            DateValue {
                value: Some(label.clone().unwrap_or_else(|| iso_prefix(*from, *grain))),
                grain: *grain,
                time_precision: tp,
                from: end.map(|_| iso_prefix(*from, bg)),
                to: end.map(|t| iso_prefix(t, bg)),
                resolved: true,
            }
        }
    }
}

/// All figures in the text, non-overlapping, in text order.
///
/// `reference` is the publication date/time of the document: relative dates
/// (`أمس`, `الأسبوع الماضي`, `يوم الثلاثاء`) resolve against it; with `None`
/// they are returned with `resolved: false` and their grain, never guessed.
pub fn extract(text: &marsad_text::Text<'_>, reference: Option<NaiveDateTime>) -> Vec<Figure> {
    let c = Ctx::new(text, Mode::News);
    let mut out: Vec<Figure> = Vec::new();
    let n = c.len();
    let mut i = 0;
    while i < n {
        let t = &c.t[i];
        // A figure starts at a content token, or at a cue word with content
        // close after it.
        let candidate = t.content
            || t.n == "%"
            || (t.hits[0].is_some() && c.t[i + 1..n.min(i + 5)].iter().any(|x| x.content));
        if !candidate {
            i += 1;
            continue;
        }
        let d = c.date(i, reference).filter(|d| d.end > d.start);
        let mut a = c
            .amount(i)
            .filter(|a| a.end > a.start && keep_amount(&c, a));
        // `ثماني قواعد من أصل ثلاثة عشر`: the whole counts the same noun.
        if let Some(a) = a.as_mut()
            && a.unit.is_none()
            && a.kind == FigureKind::Number
            && let Some(prev) = out.last()
            && prev.unit.is_some()
            && matches!(prev.kind, FigureKind::Quantity | FigureKind::Money)
            && let Some(k) = c.token_at_byte(prev.end)
            && c.has(k, lex::PKind::OutOf, Acc::Any) == Some(i)
        {
            a.kind = prev.kind;
            a.unit = prev.unit.clone();
        }
        let d_end = d.as_ref().map_or(0, |d| d.end);
        let a_end = a.as_ref().map_or(0, |a| a.end);
        if let Some(d) = d
            && d_end >= a_end
        {
            out.push(Figure {
                kind: FigureKind::Date,
                start: c.t[d.start].start,
                end: c.t[d.end - 1].end,
                value: None,
                low: None,
                high: None,
                approx: false,
                unit: None,
                unit_text: None,
                conservative: None,
                date: Some(date_value(&d.v)),
            });
            i = d.end.max(i + 1);
            continue;
        }
        if let Some(a) = a {
            // A bound before a date's day is not a bound on a number:
            // `حتى 30 حزيران 2023` is "until 30 June", not "up to 30".
            if !t.content
                && let Some(k) = (i + 1..a.end).find(|&k| c.t[k].content)
                && c.date(k, reference).is_some_and(|d| d.end > a.end)
            {
                i = k;
                continue;
            }
            out.push(Figure {
                kind: a.kind,
                start: c.t[a.start].start,
                end: c.t[a.end - 1].end,
                value: a.value,
                low: a.low,
                high: a.high,
                approx: a.approx,
                unit: a.unit.clone(),
                unit_text: a
                    .unit_tok
                    .map(|k| text.text[c.t[k].start..c.t[k].end].to_string()),
                conservative: a.conservative,
                date: None,
            });
            i = a.end.max(i + 1);
            continue;
        }
        if let Some((v, e)) = c.ordinal(i, Acc::Any) {
            out.push(Figure {
                kind: FigureKind::Ordinal,
                start: t.start,
                end: c.t[e - 1].end,
                value: Some(v as f64),
                low: Some(v as f64),
                high: Some(v as f64),
                approx: false,
                unit: None,
                unit_text: None,
                conservative: None,
                date: None,
            });
            i = e.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

/// Drop bare number words that are not figures in running text: `واحد`,
/// `أحد` (one, one of) alone, and a lone number word carrying a preposition
/// (`لست` is "I am not", not "for six"): short number words collide with
/// common words once a clitic is attached, and a real count with a
/// preposition nearly always has its counted noun after it.
fn keep_amount(c: &Ctx<'_>, a: &engine::Amt) -> bool {
    if a.kind == FigureKind::Number && a.end == a.start + 1 && c.t[a.start].kind == TokenKind::Word
    {
        if a.value.is_some_and(|v| v <= 1.0) {
            return false;
        }
        if c.num(a.start)
            .is_some_and(|(_, _, p)| p & !lex::pro::WA != 0)
        {
            return false;
        }
    }
    true
}
