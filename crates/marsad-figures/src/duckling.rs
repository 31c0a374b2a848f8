//! Duckling-compatible parsing of one whole expression.
//!
//! [`parse`] runs the same rules as [`crate::extract`], in Duckling's
//! resolution mode (bare weekdays and dates are the *next* ones, a
//! 12-hour reading without a day period is the next such hour), and
//! accepts a parse only if it covers the whole expression. The JSON has
//! Duckling's shape: `{"type":"value","value":12}`, money and quantities
//! with `unit`, durations with `unit` and `normalized` seconds, times with
//! an ISO datetime in the reference's offset and a `grain`, and intervals
//! `{"type":"interval","from":{…},"to":{…}}` with an exclusive `to`.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use marsad_text::TokenKind;
use serde_json::{Value, json};

use crate::dates::Dv;
use crate::engine::{Acc, Amt, Ctx, Mode};
use crate::lex::{PKind, UnitKind};
use crate::{FigureKind, Grain};

/// A Duckling dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dim {
    /// Cardinal numbers (`Numeral`).
    Number,
    /// Ordinals.
    Ordinal,
    /// Measured quantities (`2 جرام`) and counted nouns.
    Quantity,
    /// Percentages.
    Percent,
    /// Amounts of money.
    Money,
    /// Durations.
    Duration,
    /// Dates and times (Duckling's `Time`).
    Date,
}

impl Dim {
    /// Parse a dimension name: ours (`number`, `date`) or Duckling's
    /// (`Numeral`, `Time`, `AmountOfMoney`).
    pub fn from_name(s: &str) -> Option<Dim> {
        Some(match s.to_ascii_lowercase().as_str() {
            "number" | "numeral" => Dim::Number,
            "ordinal" => Dim::Ordinal,
            "quantity" => Dim::Quantity,
            "percent" | "percentage" => Dim::Percent,
            "money" | "amountofmoney" => Dim::Money,
            "duration" => Dim::Duration,
            "date" | "time" => Dim::Date,
            _ => return None,
        })
    }
}

fn num_json(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!((v * 1e9).round() / 1e9)
    }
}

/// Duckling's name for a currency class.
fn currency(unit: &str) -> &str {
    match unit {
        "USD" => "$",
        "pound" => "£",
        "EUR" => "EUR",
        other => other,
    }
}

/// Parse the whole of `expr` as one expression of dimension `dim`, resolving
/// dates against `reference`. `None` when no parse covers all of it.
pub fn parse(expr: &str, dim: Dim, reference: DateTime<FixedOffset>) -> Option<Value> {
    let text = marsad_text::analyze(expr);
    let mut c = Ctx::new(&text, Mode::Duckling);
    c.offset_min = reference.offset().local_minus_utc() / 60;
    let full = c.len();
    let mut n = full;
    while n > 0 && matches!(c.n(n - 1), "." | "," | "?" | "!") {
        n -= 1;
    }
    if n == 0 {
        return None;
    }
    match dim {
        Dim::Number => {
            let (neg, i) = if c.n(0) == "-" && c.glued(1) {
                (true, 1)
            } else {
                (false, 0)
            };
            let (v, e) = fraction(&c, i).or_else(|| {
                let x = c.number(i)?;
                (!x.pct).then_some((x.v, x.end))
            })?;
            (e == n).then(|| json!({"type": "value", "value": num_json(if neg { -v } else { v })}))
        }
        Dim::Ordinal => {
            let (v, e) = c.ordinal(0, Acc::Any)?;
            (e == n).then(|| json!({"type": "value", "value": v}))
        }
        Dim::Percent => {
            let a = c.amount(0)?;
            (a.end == n && a.kind == FigureKind::Percent)
                .then(|| amount_json(&a, |u| u.to_string()))
        }
        Dim::Money => {
            let mut a = c.amount(0)?;
            if a.kind != FigureKind::Money {
                return None;
            }
            cents(&c, &mut a);
            (a.end == n || a.end == full).then(|| amount_json(&a, |u| currency(u).to_string()))
        }
        Dim::Quantity => {
            let a = quantity(&c, 0)?;
            if a.end != n || a.kind != FigureKind::Quantity {
                return None;
            }
            let mut v = amount_json(&a, |u| u.to_string());
            if let Some(p) = a.product {
                v["product"] = json!(&expr[c.t[p].start..c.t[p].end]);
            }
            Some(v)
        }
        Dim::Duration => {
            let a = c.amount(0)?;
            if a.end != n || a.kind != FigureKind::Duration {
                return None;
            }
            let unit = a.unit.clone()?;
            let v = a.value?;
            let secs = match unit.as_str() {
                "second" => 1.0,
                "minute" => 60.0,
                "hour" => 3600.0,
                "day" => 86400.0,
                "week" => 604800.0,
                "month" => 2592000.0,
                "year" => 31536000.0,
                "decade" => 315360000.0,
                _ => 3153600000.0,
            };
            Some(json!({"type": "value", "value": num_json(v), "unit": unit,
                "normalized": {"unit": "second", "value": num_json(v * secs)}}))
        }
        Dim::Date => {
            let r = reference.naive_local();
            let mut i = 0;
            // A preposition or an approximation before a date does not
            // change it: في الأول من مارس، قرابة الثلاثاء القادم.
            if c.n(0) == "في" {
                i = 1;
            } else if let Some(e) = c.has(0, PKind::Approx, Acc::Any) {
                i = e;
            }
            let d = c.date(i, Some(r))?;
            if d.end != n {
                return None;
            }
            date_json(&d.v, reference)
        }
    }
}

/// `١١/١٠`, `2/1000`: a fraction written with a slash.
fn fraction(c: &Ctx<'_>, i: usize) -> Option<(f64, usize)> {
    let a = c.t.get(i)?;
    let b = c.t.get(i + 2)?;
    if a.kind != TokenKind::Number
        || c.n(i + 1) != "/"
        || !c.glued(i + 1)
        || !c.glued(i + 2)
        || b.kind != TokenKind::Number
    {
        return None;
    }
    let (x, _, _, _) = crate::engine::parse_digits(a.n)?;
    let (y, _, _, _) = crate::engine::parse_digits(b.n)?;
    (y != 0.0).then_some((x / y, i + 3))
}

/// A measured quantity, allowing a slash fraction before the unit.
fn quantity(c: &Ctx<'_>, i: usize) -> Option<Amt> {
    if let Some((v, e)) = fraction(c, i) {
        // Reuse the amount rules on the unit by parsing a dummy number: the
        // unit noun follows the fraction directly.
        let (u, tok, end) = {
            let (u, g) = c.unit_acc(e, Acc::Bare)?;
            if g == crate::lex::GNum::Dual {
                return None;
            }
            (u, e, e + 1)
        };
        let unit = &c.lex.units[u as usize];
        if unit.kind != UnitKind::Measure {
            return None;
        }
        let v = v * unit.factor;
        return Some(Amt {
            kind: FigureKind::Quantity,
            start: i,
            end,
            value: Some(v),
            low: Some(v),
            high: Some(v),
            approx: false,
            unit: Some(unit.class.clone()),
            unit_kind: Some(unit.kind),
            unit_tok: Some(tok),
            conservative: None,
            product: None,
            interval: false,
        });
    }
    c.amount(i)
}

/// `$20 43`, `20$ 43c`: dollars and cents.
fn cents(c: &Ctx<'_>, a: &mut Amt) {
    let Some(t) = c.t.get(a.end) else { return };
    if t.kind != TokenKind::Number || t.n.len() > 2 || a.interval {
        return;
    }
    let Ok(x) = t.n.parse::<f64>() else { return };
    let mut e = a.end + 1;
    if c.n(e) == "c" && c.glued(e) {
        e += 1;
    }
    a.value = a.value.map(|v| v + x / 100.0);
    a.low = a.value;
    a.high = a.value;
    a.end = e;
}

fn amount_json(a: &Amt, unit: impl Fn(&str) -> String) -> Value {
    let u = a.unit.as_deref().map(&unit);
    let with_unit = |v: f64| {
        let mut o = json!({"value": num_json(v)});
        if let Some(u) = &u {
            o["unit"] = json!(u);
        }
        o
    };
    if a.interval {
        let mut o = json!({"type": "interval"});
        if let Some(l) = a.low {
            o["from"] = with_unit(l);
        }
        if let Some(h) = a.high {
            o["to"] = with_unit(h);
        }
        return o;
    }
    let mut o = with_unit(a.value.or(a.low).unwrap_or(0.0));
    o["type"] = json!("value");
    o
}

fn grain_name(g: Grain) -> &'static str {
    match g {
        Grain::Second => "second",
        Grain::Minute => "minute",
        Grain::Hour => "hour",
        Grain::Day => "day",
        Grain::Week => "week",
        Grain::Month => "month",
        Grain::Quarter => "quarter",
        Grain::Year => "year",
        Grain::Decade => "decade",
        Grain::Century => "century",
    }
}

fn fmt_time(d: NaiveDateTime, tz: &FixedOffset) -> Option<String> {
    let t = tz.from_local_datetime(&d).single()?;
    Some(t.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string())
}

fn date_json(v: &Dv, reference: DateTime<FixedOffset>) -> Option<Value> {
    let tz = reference.offset();
    match v {
        Dv::Rel { .. } => None,
        Dv::Abs {
            from, grain, to, ..
        } => {
            let g = grain_name(*grain);
            match to {
                None => Some(json!({"type": "value", "value": fmt_time(*from, tz)?, "grain": g})),
                Some(t) => Some(json!({"type": "interval",
                    "from": {"value": fmt_time(*from, tz)?, "grain": g},
                    "to": {"value": fmt_time(*t, tz)?, "grain": g}})),
            }
        }
    }
}
