//! # marsad-figures: numbers, quantities and dates in Arabic news
//!
//! (Overview to be completed by the implementation.)

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
