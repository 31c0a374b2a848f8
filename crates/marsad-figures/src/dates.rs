//! Date and time rules: absolute dates in every month system, relative
//! dates resolved against a reference, ranges, parts of months, seasons,
//! decades, centuries, holidays and times of day.
//!
//! # Absolute dates
//! `[weekday] [الموافق] DAY [من] [شهر] MONTH [YEAR]`, `MONTH [YEAR]`,
//! `عام/العام/سنة YEAR`, `عامي Y1 و Y2`, numeric `31/12/2023`, `2023-12-31`,
//! `2/2013`. A month is a name from `data/months.tsv` (Gregorian
//! transliterated, Syriac/Levantine with or without the article,
//! Maghrebi, Moroccan, Hijri) or `شهر` + a number; Arabic news often gives
//! two systems side by side (`31 ديسمبر/كانون الأول`, `يوليو (تموز)`), and
//! the second name is consumed with the first. Names that are also common
//! words or personal names (`ماي`, `جوان`, `رجب`, `صفر`) are months only
//! beside a day, a year, or after `شهر`. A year followed by `هـ` (or a
//! Hijri month) is Hijri and converted with the tabular Islamic calendar.
//! The day may be an ordinal (`الأول من شباط`, `أول تموز`).
//!
//! # Relative dates
//! Resolved against the reference (publication) date when there is one,
//! otherwise returned unresolved with their grain. `اليوم/أمس/غدا` and their
//! variants; `[يوم] الثلاثاء` — in news, the latest such day on or before
//! the reference (reports are in the past tense), with `المقبل/القادم`
//! the next one, with `الماضي/السابق` the one before; the calendar units
//! `الأسبوع/الشهر/العام` with `الماضي/المقبل/الحالي`; `قبل/منذ N unit`
//! (ago) and `بعد N unit`; seasons; `القرن الماضي`. A day and month without
//! a year take the year that puts them nearest the reference.
//!
//! # Parts, ranges, times
//! `أوائل/مطلع/بداية` = days 1–10, `منتصف/أواسط` = 11–20, `أواخر/نهاية` =
//! 21–end (of a year: thirds). Ranges `من X إلى Y`, `بين X و Y`, `X-Y MONTH`,
//! `MONTH X-Y`, where a bare day borrows its month from the other end.
//! Times `الساعة 3`, `3:18 صباحا`, `الثالثة وربع بعد الظهر`, `الساعة 12 إلا ربع`.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime};
use marsad_text::TokenKind;

use crate::Grain;
use crate::engine::{Acc, Ctx, Mode};
use crate::lex::{Cal, GNum, NumClass, PKind, UnitKind, pro};

/// A date value found by the rules.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Dv {
    /// A calendar value: start, grain, exclusive end for intervals, and a
    /// TimeML label for values ISO cannot write (`2015-SU`).
    Abs {
        from: NaiveDateTime,
        grain: Grain,
        to: Option<NaiveDateTime>,
        label: Option<String>,
    },
    /// Relative and not resolvable without a reference.
    Rel { grain: Grain },
}

/// A matched date: token span and value.
#[derive(Debug, Clone)]
pub(crate) struct Dm {
    pub start: usize,
    pub end: usize,
    pub v: Dv,
}

fn dt(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_start(y: i32, m: u32) -> Option<NaiveDate> {
    ymd(y, m, 1)
}

fn next_month(d: NaiveDate) -> Option<NaiveDate> {
    d.checked_add_months(Months::new(1))
}

/// Hijri (tabular, civil epoch) → Gregorian.
pub(crate) fn hijri_to_gregorian(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&m) || !(1..=30).contains(&d) {
        return None;
    }
    let y = y as i64;
    let m = m as i64;
    let jd = d as i64
        + ((29.5 * (m - 1) as f64).ceil() as i64)
        + (y - 1) * 354
        + (3 + 11 * y).div_euclid(30)
        + 1_948_439;
    NaiveDate::from_num_days_from_ce_opt((jd - 1_721_425) as i32)
}

/// Gregorian → Hijri year (tabular), used to find holidays in a year.
fn hijri_year_of(d: NaiveDate) -> i32 {
    let jd = d.num_days_from_ce() as i64 + 1_721_425;
    ((30 * (jd - 1_948_439) + 10_646).div_euclid(10_631)) as i32
}

/// Gregorian Easter Sunday (the anonymous Gregorian algorithm).
fn easter(y: i32) -> Option<NaiveDate> {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, month as u32, day as u32)
}

fn grain_of(unit: &str) -> Grain {
    match unit {
        "second" => Grain::Second,
        "minute" => Grain::Minute,
        "hour" => Grain::Hour,
        "day" => Grain::Day,
        "week" => Grain::Week,
        "month" => Grain::Month,
        "quarter" => Grain::Quarter,
        "decade" => Grain::Decade,
        "century" => Grain::Century,
        _ => Grain::Year,
    }
}

/// Start of the `grain` unit containing `d`.
fn floor(d: NaiveDate, g: Grain) -> Option<NaiveDate> {
    match g {
        Grain::Week => Some(d - Duration::days(d.weekday().num_days_from_monday() as i64)),
        Grain::Month => month_start(d.year(), d.month()),
        Grain::Quarter => month_start(d.year(), (d.month() - 1) / 3 * 3 + 1),
        Grain::Year => ymd(d.year(), 1, 1),
        Grain::Decade => ymd(d.year() - d.year().rem_euclid(10), 1, 1),
        Grain::Century => ymd(d.year() - d.year().rem_euclid(100), 1, 1),
        _ => Some(d),
    }
}

/// Move `d` by `n` units of `g`. Shifts beyond ±100,000 units are
/// meaningless in text and rejected, so no arithmetic below can overflow.
fn shift(d: NaiveDateTime, g: Grain, n: i64) -> Option<NaiveDateTime> {
    if n.unsigned_abs() > 100_000 {
        return None;
    }
    let months = |k: i64| -> Option<NaiveDateTime> {
        let m = u32::try_from(k.unsigned_abs()).ok()?;
        if k >= 0 {
            d.checked_add_months(Months::new(m))
        } else {
            d.checked_sub_months(Months::new(m))
        }
    };
    match g {
        Grain::Second => d.checked_add_signed(Duration::try_seconds(n)?),
        Grain::Minute => d.checked_add_signed(Duration::try_minutes(n)?),
        Grain::Hour => d.checked_add_signed(Duration::try_hours(n)?),
        Grain::Day => d.checked_add_signed(Duration::try_days(n)?),
        Grain::Week => d.checked_add_signed(Duration::try_weeks(n)?),
        Grain::Month => months(n),
        Grain::Quarter => months(3 * n),
        Grain::Year => months(12 * n),
        Grain::Decade => months(120 * n),
        Grain::Century => months(1200 * n),
    }
}

/// End (exclusive) of the unit of `g` starting at `d`.
pub(crate) fn unit_end(d: NaiveDateTime, g: Grain) -> Option<NaiveDateTime> {
    shift(d, g, 1)
}

/// A partial calendar date.
#[derive(Debug, Clone, Copy, Default)]
struct Cd {
    y: Option<i32>,
    m: Option<u32>,
    d: Option<u32>,
    hijri: bool,
    /// Year given relative to the reference: `من العام الماضي` = -1.
    yoff: Option<i32>,
    /// Month given with a direction: `مارس الماضي` (-1), `أبريل الجاري` (0).
    mdir: Option<i64>,
    /// No month name, a month relative to the reference: `من الشهر الماضي`.
    moff: Option<i64>,
}

impl<'a> Ctx<'a> {
    // ---------------------------------------------------------------
    // Components

    /// A year number at `i` with an optional era marker: (year, hijri, end).
    fn year_at(&self, i: usize) -> Option<(i32, bool, usize)> {
        let t = self.t.get(i)?;
        if t.kind != TokenKind::Number {
            return None;
        }
        if !t.n.bytes().all(|b| b.is_ascii_digit()) || !(3..=4).contains(&t.n.len()) {
            return None;
        }
        let y: i32 = t.n.parse().ok()?;
        let mut e = i + 1;
        let mut hijri = false;
        if let Some((p, e2, _)) = self.phrase(e, &[PKind::HijriEra, PKind::GregEra], Acc::Bare) {
            hijri = p.kind == PKind::HijriEra;
            e = e2;
        }
        if !(1000..=2999).contains(&y) && !hijri {
            return None;
        }
        Some((y, hijri, e))
    }

    /// `عام 2013`, `العام 2012`, `لعام 2014`, `من عام 2014`, `سنة 2015`,
    /// or a bare year after a month. Returns (year, hijri, end).
    fn year_part(&self, i: usize) -> Option<(i32, bool, usize)> {
        let mut j = i;
        if matches!(self.n(j), "من" | "في") && self.has(j + 1, PKind::YearWord, Acc::Any).is_some()
        {
            j += 1;
        }
        if let Some(e) = self.has(j, PKind::YearWord, Acc::Any) {
            return self.year_at(e);
        }
        self.year_at(i)
    }

    /// A day of the month at `i`: digits 1..31, an ordinal, or (with the
    /// article) a cardinal word.
    fn day_at(&self, i: usize, acc: Acc) -> Option<(u32, usize)> {
        let t = self.t.get(i)?;
        if t.kind == TokenKind::Number {
            if !t.n.bytes().all(|b| b.is_ascii_digit()) || t.n.len() > 2 {
                return None;
            }
            let d: u32 = t.n.parse().ok()?;
            return (1..=31).contains(&d).then_some((d, i + 1));
        }
        if let Some((v, e)) = self.ordinal(i, acc) {
            return (1..=31).contains(&v).then_some((v, e));
        }
        if let Some((v, e)) = self.words_number(i, acc) {
            let d = v as u32;
            return ((1..=31).contains(&d) && d as f64 == v).then_some((d, e));
        }
        None
    }

    /// A month at `i`: a name, `شهر` + name, `شهر` + number, with a second
    /// name in another system (`ديسمبر/كانون الأول`, `يوليو (تموز)`).
    /// Returns (month, hijri, strict, end).
    fn month_at(&self, i: usize, acc: Acc) -> Option<(u32, bool, bool, usize)> {
        let (j, word) = match self.has(i, PKind::MonthWord, acc) {
            Some(e) => (e, true),
            None => (i, false),
        };
        let macc = if word { Acc::Bare } else { acc };
        let (m, hijri, strict, mut e) =
            if let Some((p, e, _)) = self.phrase(j, &[PKind::Month], macc) {
                (p.a as u32, p.cal == Cal::Hijri, p.strict && !word, e)
            } else if word {
                let t = self.t.get(j)?;
                let m = if t.kind == TokenKind::Number && t.n.len() <= 2 {
                    t.n.parse::<u32>().ok()?
                } else {
                    let (v, e) = self.words_number(j, Acc::Bare)?;
                    if e != j + 1 {
                        return None;
                    }
                    v as u32
                };
                if !(1..=12).contains(&m) {
                    return None;
                }
                (m, false, false, j + 1)
            } else {
                return None;
            };
        // A second name for the same month.
        if self.n(e) == "/" || self.n(e) == "-" {
            if let Some((p, e2, _)) = self.phrase(e + 1, &[PKind::Month], Acc::Bare)
                && p.a as u32 == m
            {
                e = e2;
            }
        } else if self.n(e) == "("
            && let Some((p, e2, _)) = self.phrase(e + 1, &[PKind::Month], Acc::Bare)
            && p.a as u32 == m
            && self.n(e2) == ")"
        {
            e = e2 + 1;
        }
        Some((m, hijri, strict, e))
    }

    /// `[يوم] الثلاثاء`: (weekday, end, bare). `bare` = written without
    /// the article and without `يوم` (`اثنين`), which is a weekday only when
    /// a week follows.
    fn weekday_at(&self, i: usize) -> Option<(u32, usize, bool)> {
        let mut j = i;
        let dayword = self.has(j, PKind::DayWord, Acc::Any);
        if let Some(e) = dayword {
            j = e;
        }
        let acc = if dayword.is_some() {
            Acc::Bare
        } else {
            Acc::Any
        };
        let (p, e, _) = self.phrase(j, &[PKind::Weekday], acc)?;
        Some((p.a as u32, e, p.strict && dayword.is_none()))
    }

    /// Skip `،` and `الموافق` after a weekday.
    fn skip_agreeing(&self, mut j: usize) -> usize {
        if matches!(self.n(j), "," | "في") {
            j += 1;
        }
        if let Some(e) = self.has(j, PKind::Agreeing, Acc::Bare) {
            j = e;
        }
        j
    }

    // ---------------------------------------------------------------
    // Calendar dates

    /// DAY [من] MONTH [YEAR], MONTH [YEAR], MONTH DAY: the calendar core.
    fn cal_date(&self, i: usize, acc: Acc) -> Option<(Cd, usize)> {
        // DAY MONTH [YEAR]
        if let Some((d, e)) = self.day_at(i, acc) {
            let mut j = e;
            if matches!(self.n(j), "من" | "في") {
                j += 1;
            }
            if let Some((m, hijri, _, e2)) = self.month_at(j, Acc::Any) {
                let mut cd = Cd {
                    y: None,
                    m: Some(m),
                    d: Some(d),
                    hijri,
                    ..Cd::default()
                };
                let end = self.year_tail(&mut cd, e2);
                return Some((cd, end));
            }
            // `17 من الشهر الجاري/الماضي`: a day of a month given relatively.
            if j > e
                && let Some((Grain::Month, off, e2)) = self.rel_unit(j)
            {
                let cd = Cd {
                    d: Some(d),
                    moff: Some(off),
                    ..Cd::default()
                };
                return Some((cd, e2));
            }
        }
        // MONTH [YEAR]
        let (m, hijri, strict, e) = self.month_at(i, acc)?;
        let mut cd = Cd {
            y: None,
            m: Some(m),
            d: None,
            hijri,
            ..Cd::default()
        };
        let end = self.year_tail(&mut cd, e);
        if strict && cd.y.is_none() {
            return None;
        }
        Some((cd, end))
    }

    /// What may follow a month: a year (`2023`, `عام 2023`, `1445 هـ`), a
    /// relative year (`من العام الماضي`), or a direction on the month
    /// itself (`مارس الماضي`, `أبريل الجاري`).
    fn year_tail(&self, cd: &mut Cd, e: usize) -> usize {
        if let Some((y, h, e3)) = self.year_part(self.skip_comma(e)) {
            cd.y = Some(y);
            cd.hijri |= h;
            return e3;
        }
        let k = if matches!(self.n(e), "من" | "في") {
            e + 1
        } else {
            e
        };
        if let Some((Grain::Year, off, e3)) = self.rel_unit(k) {
            cd.yoff = Some(off as i32);
            return e3;
        }
        if let Some((p, e3, _)) = self.phrase(e, &[PKind::RelMod], Acc::Bare) {
            cd.mdir = Some(p.a);
            return e3;
        }
        e
    }

    fn skip_comma(&self, j: usize) -> usize {
        if self.n(j) == ","
            && self
                .t
                .get(j + 1)
                .is_some_and(|t| t.kind == TokenKind::Number)
        {
            j + 1
        } else {
            j
        }
    }

    /// Numeric dates: 31/12/2023, 2023-12-31, 31-12-2023, 2/2013.
    fn numeric_date(&self, i: usize) -> Option<(Cd, usize)> {
        let num = |k: usize| -> Option<(u32, usize)> {
            let t = self.t.get(k)?;
            if t.kind != TokenKind::Number || !t.n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((t.n.parse().ok()?, t.n.len()))
        };
        let sep = |k: usize| -> Option<&str> {
            let s = self.n(k);
            (matches!(s, "/" | "-" | ".") && self.glued(k) && self.glued(k + 1)).then_some(s)
        };
        let (a, la) = num(i)?;
        let s1 = sep(i + 1)?;
        let (b, lb) = num(i + 2)?;
        if let Some(s2) = sep(i + 3)
            && s2 == s1
            && let Some((c, lc)) = num(i + 4)
        {
            let (y, m, d) = if la == 4 {
                (a as i32, b, c)
            } else if lc == 4 {
                (c as i32, b, a)
            } else {
                return None;
            };
            ymd(y, m, d)?;
            return Some((
                Cd {
                    y: Some(y),
                    m: Some(m),
                    d: Some(d),
                    hijri: false,
                    ..Cd::default()
                },
                i + 5,
            ));
        }
        if s1 == "/" && lb == 4 && la <= 2 && (1..=12).contains(&a) {
            return Some((
                Cd {
                    y: Some(b as i32),
                    m: Some(a),
                    d: None,
                    hijri: false,
                    ..Cd::default()
                },
                i + 3,
            ));
        }
        None
    }

    /// Resolve a partial date.
    fn resolve(&self, cd: Cd, reference: Option<NaiveDateTime>) -> Option<Dv> {
        if let Some(off) = cd.moff {
            let Some(r) = reference else {
                return Some(Dv::Rel { grain: Grain::Day });
            };
            let ms = shift(dt(floor(r.date(), Grain::Month)?), Grain::Month, off)?.date();
            return Some(Dv::Abs {
                from: dt(ymd(ms.year(), ms.month(), cd.d?)?),
                grain: Grain::Day,
                to: None,
                label: None,
            });
        }
        let m = cd.m?;
        if cd.hijri {
            let Some(y) = cd.y else {
                return Some(Dv::Rel {
                    grain: if cd.d.is_some() {
                        Grain::Day
                    } else {
                        Grain::Month
                    },
                });
            };
            let from = hijri_to_gregorian(y, m, cd.d.unwrap_or(1))?;
            return Some(match cd.d {
                Some(_) => Dv::Abs {
                    from: dt(from),
                    grain: Grain::Day,
                    to: None,
                    label: None,
                },
                None => {
                    let to = if m == 12 {
                        hijri_to_gregorian(y + 1, 1, 1)?
                    } else {
                        hijri_to_gregorian(y, m + 1, 1)?
                    };
                    Dv::Abs {
                        from: dt(from),
                        grain: Grain::Day,
                        to: Some(dt(to)),
                        label: None,
                    }
                }
            });
        }
        let grain = if cd.d.is_some() {
            Grain::Day
        } else {
            Grain::Month
        };
        let y = match cd.y {
            Some(y) => y,
            None => {
                let Some(r) = reference else {
                    return Some(Dv::Rel { grain });
                };
                let (ry, rm) = (r.date().year(), r.date().month());
                if let Some(off) = cd.yoff {
                    ry + off
                } else if let Some(dir) = cd.mdir {
                    match dir {
                        -1 if m < rm => ry,
                        -1 => ry - 1,
                        1 if m > rm => ry,
                        1 => ry + 1,
                        _ => ry,
                    }
                } else {
                    self.pick_year(r.date(), m, cd.d)?
                }
            }
        };
        let from = ymd(y, m, cd.d.unwrap_or(1))?;
        Some(Dv::Abs {
            from: dt(from),
            grain,
            to: None,
            label: None,
        })
    }

    /// The year for a day-month (or month) without one: Duckling takes the
    /// next occurrence; news takes the nearest to the reference.
    fn pick_year(&self, r: NaiveDate, m: u32, d: Option<u32>) -> Option<i32> {
        let y = r.year();
        match self.mode {
            Mode::Duckling => {
                let this = ymd(y, m, d.unwrap_or(1))?;
                // Duckling resolves the month first (the current month
                // counts as upcoming), then the day within it.
                let _ = this;
                Some(if m < r.month() { y + 1 } else { y })
            }
            Mode::News => {
                // Reports mostly look back: the occurrence in the year-long
                // window from ten months before to two months after the
                // reference.
                for cand in [y + 1, y, y - 1] {
                    if let Some(x) = ymd(cand, m, d.unwrap_or(1).min(28)) {
                        let dd = (x - r).num_days();
                        if (-300..=65).contains(&dd) {
                            return Some(cand);
                        }
                    }
                }
                Some(y)
            }
        }
    }

    // ---------------------------------------------------------------
    // The date rule

    /// The longest date expression at `i`.
    pub fn date(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        let t = self.t.get(i)?;
        // Fast reject: dates start with a digit, a lexicon word or `(`.
        if t.kind != TokenKind::Number && t.hits[0].is_none() && t.n != "." {
            return None;
        }
        let mut best: Option<Dm> = None;
        let mut consider = |m: Option<Dm>| {
            if let Some(m) = m
                && best.as_ref().is_none_or(|b| m.end > b.end)
            {
                best = Some(m);
            }
        };
        consider(self.range_date(i, r));
        consider(self.simple_date(i, r));
        let mut b = best?;
        // The same day in a second calendar: `15 رمضان 1439 هـ الموافق 10
        // يونيو 2018 م`. The Gregorian equivalent (usually second) is the
        // announced one; the tabular Hijri conversion may be a day off.
        let mut k = b.end;
        if self.n(k) == "," || self.n(k) == "(" {
            k += 1;
        }
        if let Some(e) = self.has(k, PKind::Agreeing, Acc::Any)
            && let Some(d2) = self.abs_date(e, Acc::Any, r)
        {
            let g1 = grain_of_rel(&b.v);
            let g2 = grain_of_rel(&d2.v);
            let mut end = d2.end;
            if self.n(end) == ")" {
                end += 1;
            }
            if g2 <= g1 {
                b.v = d2.v;
            }
            b.end = end;
        }
        // A time after a day: الخميس الساعة 8.
        if let Dv::Abs {
            from,
            grain: Grain::Day,
            to: None,
            ..
        } = b.v
            && let Some((h, mi, g, e)) = self.time_at(b.end).or_else(|| {
                // الثلاثاء 17 سبتمبر، عند الساعة الخامسة فجرا.
                let mut k = b.end;
                if self.n(k) == "," {
                    k += 1;
                }
                if matches!(self.n(k), "عند" | "في" | "حوالي" | "نحو") {
                    k += 1;
                }
                if k == b.end || self.has(k, PKind::HourWord, Acc::Any).is_none() {
                    return None;
                }
                self.time_at(k)
            })
        {
            let (from, g, e) = self.zone(from.date().and_hms_opt(h, mi, 0)?, g, e);
            return Some(Dm {
                start: b.start,
                end: e,
                v: Dv::Abs {
                    from,
                    grain: g,
                    to: None,
                    label: None,
                },
            });
        }
        Some(b)
    }

    /// `بتوقيت غرينتش` after a time at `e`: converted to the reference's
    /// offset when it is known (Duckling reports zoned times at minute
    /// grain); in news the wall time is kept and the zone joins the span.
    fn zone(&self, t: NaiveDateTime, g: Grain, e: usize) -> (NaiveDateTime, Grain, usize) {
        let Some((p, e2, _)) = self.phrase(e, &[PKind::Zone], Acc::Any) else {
            return (t, g, e);
        };
        if self.mode == Mode::News {
            return (t, g, e2);
        }
        let shift = i64::from(self.offset_min) - p.a;
        match t.checked_add_signed(Duration::minutes(shift.clamp(-1440, 1440))) {
            Some(x) => (x, Grain::Minute, e2),
            None => (t, g, e2),
        }
    }

    /// A single (non-range) date expression at `i`, with an optional part
    /// of the day before it (`صباح الثلاثاء`, `مساء أمس`).
    fn simple_date(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        if let Some((_, e, _)) = self.phrase(i, &[PKind::DayPeriod], Acc::Any)
            && let Some(mut d) = self.simple_date_core(e, r)
            && match &d.v {
                Dv::Abs { grain, to, .. } => *grain == Grain::Day && to.is_none(),
                Dv::Rel { grain } => *grain == Grain::Day,
            }
        {
            d.start = i;
            return Some(d);
        }
        self.simple_date_core(i, r)
    }

    fn simple_date_core(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        let mut best: Option<Dm> = None;
        let mut consider = |m: Option<Dm>| {
            if let Some(m) = m
                && best.as_ref().is_none_or(|b| m.end > b.end)
            {
                best = Some(m);
            }
        };
        if self.mode == Mode::Duckling {
            // Duckling reads `الثلاثاء الثالث من أيلول` as the third Tuesday.
            consider(self.nth_in_month(i, r));
        }
        consider(self.weekday_date(i, r));
        consider(self.abs_date(i, Acc::Any, r));
        consider(self.year_date(i));
        consider(self.relative(i, r));
        consider(self.part_date(i, r));
        consider(self.period_names(i, r));
        consider(self.time_date(i, r));
        consider(self.nth_in_month(i, r));
        consider(self.units_span(i, r));
        consider(self.until(i, r));
        best
    }

    /// Calendar date or numeric date, resolved.
    fn abs_date(&self, i: usize, acc: Acc, r: Option<NaiveDateTime>) -> Option<Dm> {
        let (cd, e) = match self.numeric_date(i) {
            Some(x) => x,
            None => self.cal_date(i, acc)?,
        };
        Some(Dm {
            start: i,
            end: e,
            v: self.resolve(cd, r)?,
        })
    }

    /// `[يوم] الاثنين [الموافق] 18 شباط`, `الأحد السابع عشر`, bare weekdays
    /// and weekdays with a direction or a week.
    fn weekday_date(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        // `هذا الاثنين`: this (coming) Monday.
        let this_end = self.has(i, PKind::This, Acc::Any);
        let (wd, e, bare) = self.weekday_at(this_end.unwrap_or(i))?;
        let this = this_end.is_some();
        let j = self.skip_agreeing(e);
        if bare {
            // Only with a week: اثنين الأسبوع الحالي.
            let k = if self.n(e) == "من" { e + 1 } else { e };
            if self.rel_unit(k).is_none_or(|x| x.0 != Grain::Week) {
                return None;
            }
        }
        if !this && let Some(mut d) = self.abs_date(j, Acc::Any, r) {
            d.start = i;
            return Some(d);
        }
        // Weekday + day of month: الأحد السابع عشر (this month).
        if !this
            && let Some((day, e2)) = self.day_at(j, Acc::Al)
            && self.t[j].kind != TokenKind::Number
        {
            let Some(rf) = r else {
                return Some(Dm {
                    start: i,
                    end: e2,
                    v: Dv::Rel { grain: Grain::Day },
                });
            };
            let rd = rf.date();
            let mut d = ymd(rd.year(), rd.month(), day)?;
            if self.mode == Mode::Duckling && d < rd {
                d = d.checked_add_months(Months::new(1))?;
            }
            return Some(self.day(i, e2, d));
        }
        // Weekday of a given week: الاثنين من هذا الأسبوع، اثنين الأسبوع الحالي.
        let mut k = e;
        if self.n(k) == "من" {
            k += 1;
        }
        if let Some((g, off, e2)) = self.rel_unit(k)
            && g == Grain::Week
        {
            let Some(rf) = r else {
                return Some(Dm {
                    start: i,
                    end: e2,
                    v: Dv::Rel { grain: Grain::Day },
                });
            };
            let ws = floor(rf.date(), Grain::Week)? + Duration::weeks(off);
            return Some(self.day(i, e2, ws + Duration::days(wd as i64)));
        }
        // Direction: القادم / الماضي.
        let (dir, end) = match self.phrase(e, &[PKind::RelMod], Acc::Bare) {
            Some((p, e2, _)) => (p.a, e2),
            None => (i64::MIN, e),
        };
        let Some(rf) = r else {
            return Some(Dm {
                start: i,
                end,
                v: Dv::Rel { grain: Grain::Day },
            });
        };
        let rd = rf.date();
        let cur = rd.weekday().num_days_from_monday() as i64;
        let wd = wd as i64;
        let d = match dir {
            1 => {
                let mut k = (wd - cur).rem_euclid(7);
                if k == 0 {
                    k = 7;
                }
                rd + Duration::days(k)
            }
            -1 => {
                let mut k = (cur - wd).rem_euclid(7);
                if k == 0 {
                    k = 7;
                }
                rd - Duration::days(k)
            }
            _ => {
                if self.mode == Mode::Duckling || this {
                    rd + Duration::days((wd - cur).rem_euclid(7))
                } else {
                    rd - Duration::days((cur - wd).rem_euclid(7))
                }
            }
        };
        Some(self.day(i, end, d))
    }

    fn day(&self, start: usize, end: usize, d: NaiveDate) -> Dm {
        Dm {
            start,
            end,
            v: Dv::Abs {
                from: dt(d),
                grain: Grain::Day,
                to: None,
                label: None,
            },
        }
    }

    /// `عام 2013`, `عامي 2020 و2021`, a bare year (news), `1445 هـ`.
    fn year_date(&self, i: usize) -> Option<Dm> {
        if let Some((p, e, _)) = self.phrase(i, &[PKind::YearWord], Acc::Any) {
            let (y1, h1, e1) = self.year_at(e)?;
            let dual = p.words[0].ends_with('ي');
            if dual {
                let (k, acc) = if self.n(e1) == "و" {
                    (e1 + 1, Acc::Bare)
                } else {
                    (e1, Acc::Wa)
                };
                let y2 = self.t.get(k).and_then(|t| {
                    let s = t.n.strip_prefix('و').unwrap_or(t.n);
                    let ok = acc == Acc::Bare || t.n.starts_with('و');
                    (ok && s.len() == 4)
                        .then(|| s.parse::<i32>().ok())
                        .flatten()
                });
                if let Some(y2) = y2
                    && y2 > y1
                {
                    return Some(Dm {
                        start: i,
                        end: k + 1,
                        v: Dv::Abs {
                            from: dt(ymd(y1, 1, 1)?),
                            grain: Grain::Year,
                            to: Some(dt(ymd(y2 + 1, 1, 1)?)),
                            label: None,
                        },
                    });
                }
            }
            return self.year_value(i, e1, y1, h1);
        }
        let (y, h, e) = self.year_at(i)?;
        let t = &self.t[i];
        if !h {
            // A bare year in news: a plain 4-digit number in a plausible
            // range that does not count anything.
            if self.mode == Mode::Duckling || !(1800..=2100).contains(&y) || t.n.len() != 4 {
                return None;
            }
            let n = crate::engine::Num {
                v: y as f64,
                end: e,
                digits: true,
                plain: true,
                ndig: 4,
                pct: false,
            };
            let a = self.core_amount(i, Acc::Any);
            if a.is_some_and(|a| a.kind != crate::FigureKind::Number || a.end > n.end) {
                return None;
            }
            if i > 0 && !t.gap && matches!(self.n(i - 1), "+" | "-" | "/" | "#") {
                return None;
            }
        }
        self.year_value(i, e, y, h)
    }

    fn year_value(&self, i: usize, e: usize, y: i32, hijri: bool) -> Option<Dm> {
        if hijri {
            let from = hijri_to_gregorian(y, 1, 1)?;
            let to = hijri_to_gregorian(y + 1, 1, 1)?;
            return Some(Dm {
                start: i,
                end: e,
                v: Dv::Abs {
                    from: dt(from),
                    grain: Grain::Day,
                    to: Some(dt(to)),
                    label: None,
                },
            });
        }
        Some(Dm {
            start: i,
            end: e,
            v: Dv::Abs {
                from: dt(ymd(y, 1, 1)?),
                grain: Grain::Year,
                to: None,
                label: None,
            },
        })
    }

    /// `الأسبوع الماضي`, `الشهر المقبل`, `هذا العام`, `السنة السابقة`:
    /// (grain, offset, end).
    fn rel_unit(&self, i: usize) -> Option<(Grain, i64, usize)> {
        if let Some(e) = self.has(i, PKind::This, Acc::Any) {
            let (g, e2) = self.cal_unit(e, true)?;
            return Some((g, 0, e2));
        }
        let (g, e) = self.cal_unit(i, true)?;
        let (p, e2, _) = self.phrase(e, &[PKind::RelMod], Acc::Bare)?;
        Some((g, p.a, e2))
    }

    /// A calendar unit word (`الأسبوع`, `العام`): (grain, end).
    fn cal_unit(&self, i: usize, article: bool) -> Option<(Grain, usize)> {
        let t = self.t.get(i)?;
        for h in t.hits.iter().flatten() {
            if article && h.pro & pro::AL == 0 {
                continue;
            }
            for &pid in &self.lex.entry(*h).phrases {
                let p = &self.lex.phrases[pid as usize];
                if p.kind == PKind::CalUnit && p.words.len() == 1 {
                    return Some((grain_of(&p.s), i + 1));
                }
            }
        }
        None
    }

    /// A duration after قبل/منذ/بعد/خلال: number + time unit, a dual, or a
    /// unit alone (one): (count, grain, end).
    fn duration_at(&self, i: usize) -> Option<(f64, Grain, usize)> {
        let a = self.amount(i);
        if let Some(a) = a
            && a.kind == crate::FigureKind::Duration
            && let Some(v) = a.value.or(a.low)
        {
            return Some((v, grain_of(a.unit.as_deref().unwrap_or("")), a.end));
        }
        let (u, g, p) = self.unit(i)?;
        let unit = &self.lex.units[u as usize];
        if unit.kind != UnitKind::Duration || g != GNum::Sg || p & pro::AL != 0 {
            return None;
        }
        // `منذ عام 2012` is a year and `خلال شهر فبراير` a month, not "a
        // year ago" or "within a month".
        if self
            .t
            .get(i + 1)
            .is_some_and(|t| t.kind == TokenKind::Number)
            || self.phrase(i + 1, &[PKind::Month], Acc::Bare).is_some()
        {
            return None;
        }
        Some((1.0, grain_of(&unit.class), i + 1))
    }

    /// Relative dates.
    fn relative(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        let kinds = [
            PKind::RelDay,
            PKind::Now,
            PKind::Ago,
            PKind::In,
            PKind::Within,
        ];
        let mut best: Option<Dm> = None;
        if let Some((g, off, e)) = self.rel_unit(i) {
            let v = match r {
                None => Dv::Rel { grain: g },
                Some(rf) => {
                    let base = dt(floor(rf.date(), g)?);
                    Dv::Abs {
                        from: shift(base, g, off)?,
                        grain: g,
                        to: None,
                        label: None,
                    }
                }
            };
            best = Some(Dm {
                start: i,
                end: e,
                v,
            });
        }
        let (p, e, _) = match self.phrase(i, &kinds, Acc::Any) {
            Some(x) => x,
            None => {
                // Duckling's colloquial `من اسبوع` (a week ago).
                if self.mode == Mode::Duckling && self.n(i) == "من" {
                    let (n, g, e2) = self.duration_at(i + 1)?;
                    let rf = r?;
                    return Some(self.ago(i, e2, rf, n, g, -1));
                }
                return best;
            }
        };
        let m = match p.kind {
            // `اليوم الأول/الثاني` is the first/second day of something,
            // `اليوم الذي` the day when: not today.
            PKind::RelDay
                if e == i + 1
                    && (self.ordinal(e, Acc::Al).is_some()
                        || matches!(self.n(e), "الذي" | "الذى")) =>
            {
                return best;
            }
            PKind::RelDay => {
                let v = match r {
                    None => Dv::Rel { grain: Grain::Day },
                    Some(rf) => Dv::Abs {
                        from: dt(rf.date() + Duration::days(p.a)),
                        grain: Grain::Day,
                        to: None,
                        label: None,
                    },
                };
                // A weekday in apposition: اليوم الأحد، غدا الاثنين.
                let end = match self.phrase(e, &[PKind::Weekday], Acc::Bare) {
                    Some((_, e2, _)) => e2,
                    None => e,
                };
                Dm { start: i, end, v }
            }
            PKind::Now => {
                let v = match r {
                    None => Dv::Rel {
                        grain: Grain::Second,
                    },
                    Some(rf) => Dv::Abs {
                        from: rf,
                        grain: Grain::Second,
                        to: None,
                        label: None,
                    },
                };
                Dm {
                    start: i,
                    end: e,
                    v,
                }
            }
            PKind::Ago | PKind::In => {
                let Some((n, g, e2)) = self.duration_at(e) else {
                    // `منذ أشهر`, `قبل سنوات`: some units ago, a vague
                    // past at that grain that no reference can pin down.
                    if p.kind == PKind::Ago
                        && let Some((u, GNum::Pl, 0)) = self.unit(e)
                        && self.lex.units[u as usize].kind == UnitKind::Duration
                    {
                        let g = grain_of(&self.lex.units[u as usize].class);
                        let m = Dm {
                            start: i,
                            end: e + 1,
                            v: Dv::Rel { grain: g },
                        };
                        if best.as_ref().is_none_or(|b| m.end > b.end) {
                            best = Some(m);
                        }
                    }
                    return best;
                };
                let dir = if p.kind == PKind::Ago { -1 } else { 1 };
                match r {
                    None => Dm {
                        start: i,
                        end: e2,
                        v: Dv::Rel {
                            grain: ago_grain(g),
                        },
                    },
                    Some(rf) => self.ago(i, e2, rf, n, g, dir),
                }
            }
            _ => {
                // Within: from now to the end of N units (Duckling). In news
                // `خلال شهر` is as often "during a month": require a count.
                let Some((n, g, e2)) = self.duration_at(e) else {
                    return best;
                };
                if self.mode == Mode::News
                    && e2 == e + 1
                    && self.unit(e).is_some_and(|u| u.1 == GNum::Sg)
                {
                    return best;
                }
                let rf = r?;
                let end = shift(dt(rf.date()), g, n.round() as i64)?;
                Dm {
                    start: i,
                    end: e2,
                    v: Dv::Abs {
                        from: if self.mode == Mode::News {
                            dt(rf.date())
                        } else {
                            rf
                        },
                        grain: if self.mode == Mode::News {
                            Grain::Day
                        } else {
                            Grain::Second
                        },
                        to: Some(end),
                        label: None,
                    },
                }
            }
        };
        if best.as_ref().is_none_or(|b| m.end > b.end) {
            best = Some(m);
        }
        best
    }

    fn ago(&self, i: usize, e: usize, rf: NaiveDateTime, n: f64, g: Grain, dir: i64) -> Dm {
        // Beyond ±100,000 units `shift` refuses, and the date stays
        // unresolved.
        let n = (n.round() as i64).clamp(-1_000_000, 1_000_000) * dir;
        let g2 = ago_grain(g);
        let v = match g {
            Grain::Second | Grain::Minute | Grain::Hour => shift(rf, g, n),
            _ => shift(dt(rf.date()), g, n).and_then(|d| floor(d.date(), g2).map(dt)),
        };
        Dm {
            start: i,
            end: e,
            v: match v {
                Some(from) => Dv::Abs {
                    from,
                    grain: g2,
                    to: None,
                    label: None,
                },
                None => Dv::Rel { grain: g2 },
            },
        }
    }

    /// `أوائل آذار`, `أواخر شهر مارس`, `منتصف نوفمبر 2023`, `مطلع الشهر`,
    /// `أواخر العام الماضي`, `نهاية 2013`.
    fn part_date(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        let (p, e, _) = self.phrase(i, &[PKind::Part], Acc::Any)?;
        let (lo, hi) = (p.a, p.b);
        let inner = self
            .abs_date(e, Acc::Any, r)
            .or_else(|| self.year_date(e))
            .or_else(|| self.period_names(e, r))
            .or_else(|| self.relative(e, r))
            .or_else(|| {
                // مطلع الشهر / نهاية العام: the current one.
                let (g, e2) = self.cal_unit(e, true)?;
                let v = match r {
                    None => Dv::Rel { grain: g },
                    Some(rf) => Dv::Abs {
                        from: dt(floor(rf.date(), g)?),
                        grain: g,
                        to: None,
                        label: None,
                    },
                };
                Some(Dm {
                    start: e,
                    end: e2,
                    v,
                })
            })?;
        let v = match inner.v {
            Dv::Rel { grain } => Dv::Rel { grain },
            Dv::Abs {
                from, grain, to, ..
            } => match grain {
                Grain::Month => {
                    let d0 = from.date();
                    let from2 = ymd(d0.year(), d0.month(), lo as u32)?;
                    let to2 = if hi == 0 {
                        next_month(d0)?
                    } else {
                        ymd(d0.year(), d0.month(), hi as u32)? + Duration::days(1)
                    };
                    Dv::Abs {
                        from: dt(from2),
                        grain: Grain::Day,
                        to: Some(dt(to2)),
                        label: None,
                    }
                }
                Grain::Year => {
                    let y = from.date().year();
                    let (m1, m2) = match lo {
                        1 => (1, 5),
                        11 => (5, 9),
                        _ => (9, 13),
                    };
                    let to2 = if m2 == 13 {
                        ymd(y + 1, 1, 1)?
                    } else {
                        ymd(y, m2, 1)?
                    };
                    Dv::Abs {
                        from: dt(ymd(y, m1, 1)?),
                        grain: Grain::Month,
                        to: Some(dt(to2)),
                        label: None,
                    }
                }
                _ => Dv::Abs {
                    from,
                    grain,
                    to,
                    label: None,
                },
            },
        };
        Some(Dm {
            start: i,
            end: inner.end,
            v,
        })
    }

    /// Seasons, decades, centuries, holidays.
    fn period_names(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        let kinds = [PKind::Season, PKind::Decade, PKind::Century, PKind::Holiday];
        let (p, e, _) = self.phrase(i, &kinds, Acc::Any)?;
        match p.kind {
            PKind::Season => {
                // Optional year or direction.
                let mut end = e;
                let mut year = r.map(|x| x.date().year());
                if let Some((y, _, e2)) = self.year_part(e) {
                    year = Some(y);
                    end = e2;
                } else if let Some((q, e2, _)) = self.phrase(e, &[PKind::RelMod], Acc::Bare) {
                    year = year.map(|y| y + q.a as i32);
                    end = e2;
                } else if !p.words[0].starts_with("ال") {
                    // `صيف` alone without a year is a common noun.
                    return None;
                }
                let Some(y) = year else {
                    return Some(Dm {
                        start: i,
                        end,
                        v: Dv::Rel {
                            grain: Grain::Quarter,
                        },
                    });
                };
                let (m1, y2, m2) = match p.s.as_str() {
                    "SP" => (3, y, 6),
                    "SU" => (6, y, 9),
                    "FA" => (9, y, 12),
                    _ => (12, y + 1, 3),
                };
                let y1 = if p.s == "WI" { y - 1 } else { y };
                let (y1, y2) = if p.s == "WI" { (y1 + 1, y2) } else { (y1, y2) };
                let (from, to) = if p.s == "WI" {
                    (ymd(y1 - 1, 12, 1)?, ymd(y1, 3, 1)?)
                } else {
                    (ymd(y1, m1, 1)?, ymd(y2, m2, 1)?)
                };
                Some(Dm {
                    start: i,
                    end,
                    v: Dv::Abs {
                        from: dt(from),
                        grain: Grain::Quarter,
                        to: Some(dt(to)),
                        label: Some(format!("{y}-{}", p.s)),
                    },
                })
            }
            PKind::Decade => {
                let mut century = 1900;
                let mut end = e;
                // من القرن الماضي / العشرين / الحالي
                if self.n(e) == "من"
                    && let Some((c, e2)) = self.century_at(e + 1, r)
                {
                    century = c * 100;
                    end = e2;
                }
                let y = century + p.a as i32;
                Some(Dm {
                    start: i,
                    end,
                    v: Dv::Abs {
                        from: dt(ymd(y, 1, 1)?),
                        grain: Grain::Decade,
                        to: None,
                        label: None,
                    },
                })
            }
            PKind::Century => {
                let (c, e2) = self.century_at(i, r)?;
                Some(Dm {
                    start: i,
                    end: e2,
                    v: Dv::Abs {
                        from: dt(ymd(c * 100, 1, 1)?),
                        grain: Grain::Century,
                        to: None,
                        label: None,
                    },
                })
            }
            _ => {
                let mut end = e;
                let year = match self.year_at(e) {
                    Some((y, false, e2)) => {
                        end = e2;
                        Some(y)
                    }
                    _ => None,
                };
                let d = self.holiday(p.cal, p.a as u32, p.b as u32, year, r)?;
                Some(self.day(i, end, d))
            }
        }
    }

    /// A holiday in `year`, or the next (Duckling) / nearest (news) one.
    fn holiday(
        &self,
        cal: Cal,
        m: u32,
        d: u32,
        year: Option<i32>,
        r: Option<NaiveDateTime>,
    ) -> Option<NaiveDate> {
        let in_year = |y: i32| -> Option<NaiveDate> {
            match cal {
                Cal::Gregorian => ymd(y, m, d),
                Cal::Easter => easter(y),
                Cal::Hijri => {
                    let h0 = hijri_year_of(ymd(y, 1, 1)?);
                    (h0..=h0 + 1)
                        .filter_map(|h| hijri_to_gregorian(h, m, d))
                        .find(|g| g.year() == y)
                }
            }
        };
        if let Some(y) = year {
            return in_year(y);
        }
        let rd = r?.date();
        let cands: Vec<NaiveDate> = (rd.year() - 1..=rd.year() + 1)
            .filter_map(in_year)
            .collect();
        match self.mode {
            Mode::Duckling => cands.into_iter().find(|x| *x >= rd),
            Mode::News => cands.into_iter().min_by_key(|x| (*x - rd).num_days().abs()),
        }
    }

    /// `القرن التاسع عشر`, `القرن 19`, `القرن الماضي`: (first two digits of
    /// the century's years, end).
    fn century_at(&self, i: usize, r: Option<NaiveDateTime>) -> Option<(i32, usize)> {
        let e = self.has(i, PKind::Century, Acc::Any)?;
        if let Some((n, e2)) = self.ordinal(e, Acc::Al) {
            return Some((n as i32 - 1, e2));
        }
        if let Some(t) = self.t.get(e)
            && t.kind == TokenKind::Number
            && let Ok(n) = t.n.parse::<i32>()
            && (1..=30).contains(&n)
        {
            return Some((n - 1, e + 1));
        }
        if let Some(n) = self.num_acc(e, Acc::Al)
            && n.0 == NumClass::Tens
            && n.1 == 20.0
        {
            return Some((19, e + 1));
        }
        let (p, e2, _) = self.phrase(e, &[PKind::RelMod], Acc::Bare)?;
        let cur = r?.date().year() / 100;
        Some((cur + p.a as i32, e2))
    }

    // ---------------------------------------------------------------
    // Times

    /// A time of day at `i`: (hour, minute, grain, end). 12-hour readings
    /// are fixed by a day period when there is one.
    pub fn time_at(&self, i: usize) -> Option<(u32, u32, Grain, usize)> {
        let hw = self.has(i, PKind::HourWord, Acc::Any);
        let j = hw.unwrap_or(i);
        let t = self.t.get(j)?;
        let (mut h, mut mi, mut grain, mut e);
        if t.kind == TokenKind::Number
            && self.n(j + 1) == ":"
            && self.glued(j + 1)
            && self.glued(j + 2)
        {
            h = t.n.parse::<u32>().ok()?;
            let mt = self.t.get(j + 2)?;
            if mt.kind != TokenKind::Number || mt.n.len() != 2 {
                return None;
            }
            mi = mt.n.parse::<u32>().ok()?;
            grain = Grain::Minute;
            e = j + 3;
        } else if t.kind == TokenKind::Number {
            hw?;
            h = t.n.parse::<u32>().ok()?;
            mi = 0;
            grain = Grain::Hour;
            e = j + 1;
        } else {
            // Words: الثالثة (ordinal) or ثلاثة (cardinal, after الساعة).
            if let Some((v, e2)) = self.ordinal(j, Acc::Al)
                && t.n.ends_with('ه')
            {
                h = v;
                e = e2;
            } else {
                hw?;
                let (v, e2) = self.hour_words(j)?;
                h = v;
                e = e2;
            }
            mi = 0;
            grain = Grain::Hour;
        }
        if h > 24 || mi > 59 {
            return None;
        }
        // Minutes: و 18 دقيقة، وربع، ونصف، وثلث، إلا ربع.
        if grain == Grain::Hour {
            let (k, acc) = if self.n(e) == "و" {
                (e + 1, Acc::Bare)
            } else {
                (e, Acc::Wa)
            };
            if let Some((p, e2, _)) = self.phrase(k, &[PKind::MinFrac], acc) {
                mi = p.a as u32;
                grain = Grain::Minute;
                e = e2;
            } else if let Some(n) = self.number_acc(k, acc)
                && n.v < 60.0
                && n.v.fract() == 0.0
                && self.has(n.end, PKind::MinuteWord, Acc::Bare).is_some()
            {
                mi = n.v as u32;
                grain = Grain::Minute;
                e = self
                    .has(n.end, PKind::MinuteWord, Acc::Bare)
                    .unwrap_or(n.end);
            } else if let Some(e2) = self.has(e, PKind::Minus, Acc::Bare)
                && let Some((p, e3, _)) = self.phrase(e2, &[PKind::MinFrac], Acc::Bare)
            {
                h = if h == 0 { 23 } else { h - 1 };
                mi = 60 - p.a as u32;
                grain = Grain::Minute;
                e = e3;
            }
        }
        // A day period fixes a 12-hour reading.
        let period = self.phrase(e, &[PKind::Period], Acc::Any);
        let had_period = period.is_some();
        if let Some((p, e2, _)) = period {
            if p.s == "pm" && h < 12 {
                h += 12;
            } else if p.s == "am" && h == 12 {
                h = 0;
            }
            e = e2;
        }
        if hw.is_none() && !had_period && grain == Grain::Hour {
            // An ordinal alone is not a time.
            return None;
        }
        if h >= 24 {
            return None;
        }
        Some((h, mi, grain, e))
    }

    /// An hour written as a cardinal word (1..12).
    fn hour_words(&self, j: usize) -> Option<(u32, usize)> {
        let (c, v) = self.num_acc(j, Acc::Any)?;
        let v = match c {
            NumClass::Unit | NumClass::Ten => v as u32,
            NumClass::UnitTeen => {
                let (v2, e) = self.words_number(j, Acc::Any)?;
                return (v2 <= 24.0).then_some((v2 as u32, e));
            }
            _ => return None,
        };
        if let Some((NumClass::Ten, _)) = self.num_acc(j + 1, Acc::Bare) {
            return Some((v + 10, j + 2));
        }
        Some((v, j + 1))
    }

    /// A time alone, resolved on the reference day.
    fn time_date(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        let (mut h, mi, grain, e) = self.time_at(i)?;
        let period = self.time_has_period(i, e);
        let Some(rf) = r else {
            return Some(Dm {
                start: i,
                end: e,
                v: Dv::Rel { grain },
            });
        };
        if self.mode == Mode::Duckling && !period && h <= 12 {
            let t0 = rf.date().and_hms_opt(h, mi, 0)?;
            if t0 < rf && h < 12 {
                h += 12;
            }
        }
        let (from, grain, e) = self.zone(rf.date().and_hms_opt(h, mi, 0)?, grain, e);
        Some(Dm {
            start: i,
            end: e,
            v: Dv::Abs {
                from,
                grain,
                to: None,
                label: None,
            },
        })
    }

    fn time_has_period(&self, i: usize, e: usize) -> bool {
        (i..e).any(|k| {
            self.phrase(k, &[PKind::Period], Acc::Any)
                .is_some_and(|p| p.1 == e)
        })
    }

    /// `الثلاثاء الأخير من شهر مارس`, `ثالث ثلاثاء في أيلول 2014`, `آخر
    /// اثنين من الشهر القادم`, `اليوم الثالث من أكتوبر`, `آخر يوم بشهر
    /// عشرة سنة 2015`, `أول أسبوع بشهر أكتوبر 2014`.
    fn nth_in_month(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        // Forms: ORD/آخر + (weekday|يوم|أسبوع) | (weekday|اليوم) + ORD/الأخير.
        let last = |k: usize| -> Option<usize> {
            matches!(self.n(k), "اخر" | "الاخير" | "الاخيره").then_some(k + 1)
        };
        let what = |k: usize| -> Option<(i64, usize)> {
            // -1 = day, -2 = week, 0..6 = weekday
            if let Some((p, e, _)) = self.phrase(k, &[PKind::Weekday], Acc::Any) {
                return Some((p.a, e));
            }
            match self.n(k) {
                "يوم" | "اليوم" => Some((-1, k + 1)),
                "اسبوع" | "الاسبوع" => Some((-2, k + 1)),
                _ => None,
            }
        };
        let (nth, kind, e) = if let Some(e) = last(i) {
            let (w, e2) = what(e)?;
            (-1i64, w, e2)
        } else if let Some((v, e)) = self.ordinal(i, Acc::Any)
            && let Some((w, e2)) = what(e)
        {
            (v as i64, w, e2)
        } else {
            let (w, e) = what(i)?;
            if let Some(e2) = last(e) {
                (-1, w, e2)
            } else {
                let (v, e2) = self.ordinal(e, Acc::Al)?;
                (v as i64, w, e2)
            }
        };
        let mut k = e;
        if matches!(self.n(k), "من" | "في") {
            k += 1;
        }
        // The month: a calendar month, or الشهر + direction.
        let (ms, end) = if let Some(m) = self.abs_date(k, Acc::Any, r) {
            if let Dv::Abs {
                from,
                grain: Grain::Month,
                ..
            } = m.v
            {
                // السنة القادمة after the month.
                let mut end = m.end;
                let mut from = from.date();
                if let Some((Grain::Year, off, e3)) = self.rel_unit(end) {
                    let ry = r?.date().year() + off as i32;
                    from = ymd(ry, from.month(), 1)?;
                    end = e3;
                }
                (from, end)
            } else {
                return None;
            }
        } else if let Some((Grain::Month, off, e2)) = self.rel_unit(k) {
            let rf = r?;
            (
                shift(dt(floor(rf.date(), Grain::Month)?), Grain::Month, off)?.date(),
                e2,
            )
        } else if self.n(e) == "بعد"
            && let Some(h) = self.period_names(e + 1, r)
            && let Dv::Abs { from, .. } = h.v
            && kind >= 0
            && nth > 0
        {
            // ثالث ثلاثاء بعد كريسماس 2014.
            let base = from.date();
            let cur = base.weekday().num_days_from_monday() as i64;
            let mut d = (kind - cur).rem_euclid(7);
            if d == 0 {
                d = 7;
            }
            let day = base + Duration::days(d + 7 * (nth - 1));
            return Some(self.day(i, h.end, day));
        } else {
            return None;
        };
        let me = next_month(ms)?;
        let v = match kind {
            -1 => {
                let d = if nth < 0 {
                    me - Duration::days(1)
                } else {
                    ms + Duration::days(nth - 1)
                };
                if d >= me {
                    return None;
                }
                self.day(i, end, d).v
            }
            -2 => {
                // Weeks starting in the month.
                let first =
                    ms + Duration::days((7 - ms.weekday().num_days_from_monday() as i64) % 7);
                let d = if nth < 0 {
                    floor(me - Duration::days(1), Grain::Week)?
                } else {
                    first + Duration::weeks(nth - 1)
                };
                Dv::Abs {
                    from: dt(d),
                    grain: Grain::Week,
                    to: None,
                    label: None,
                }
            }
            w => {
                let d = if nth < 0 {
                    let l = me - Duration::days(1);
                    let cur = l.weekday().num_days_from_monday() as i64;
                    l - Duration::days((cur - w).rem_euclid(7))
                } else {
                    let cur = ms.weekday().num_days_from_monday() as i64;
                    ms + Duration::days((w - cur).rem_euclid(7) + 7 * (nth - 1))
                };
                if d >= me {
                    return None;
                }
                self.day(i, end, d).v
            }
        };
        Some(Dm { start: i, end, v })
    }

    /// `الأسابيع الثلاثة القادمة`, `الأيام العشرة الماضية`, `الأشهر الستة
    /// الأخيرة`: N whole units after or before the current one.
    fn units_span(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        let (u, g, p) = self.unit(i)?;
        let unit = &self.lex.units[u as usize];
        if unit.kind != UnitKind::Duration || p & pro::AL == 0 {
            return None;
        }
        let (n, e) = match g {
            GNum::Pl => {
                let x = self.number_acc(i + 1, Acc::Al)?;
                (x.v, x.end)
            }
            GNum::Dual => (2.0, i + 1),
            GNum::Sg => return None,
        };
        let (dir, end) = match self.phrase(e, &[PKind::RelMod], Acc::Bare) {
            Some((q, e2, _)) if q.a != 0 => (q.a, e2),
            _ => {
                if matches!(self.n(e), "الاخيره" | "الاخيرين" | "الاخير") {
                    (-1, e + 1)
                } else {
                    return None;
                }
            }
        };
        let g = grain_of(&unit.class);
        let Some(rf) = r else {
            return Some(Dm {
                start: i,
                end,
                v: Dv::Rel { grain: g },
            });
        };
        let n = (n.round() as i64).clamp(0, 1_000_000);
        let cur = dt(floor(rf.date(), g)?);
        let (from, to) = if dir > 0 {
            (shift(cur, g, 1)?, shift(cur, g, n + 1)?)
        } else {
            (shift(cur, g, -n)?, cur)
        };
        Some(Dm {
            start: i,
            end,
            v: Dv::Abs {
                from,
                grain: g,
                to: Some(to),
                label: None,
            },
        })
    }

    /// `حتى الساعة 2:00`, `حتى نهاية العام`: from the reference until then.
    fn until(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        if self.n(i) != "حتي" {
            return None;
        }
        let d = self.simple_date(i + 1, r)?;
        let Dv::Abs {
            from, to, grain, ..
        } = d.v
        else {
            return None;
        };
        let rf = r?;
        // Until a day includes that day; until a time of day stops at it.
        let end = if grain <= Grain::Hour {
            from
        } else {
            to.or_else(|| unit_end(from, grain))?
        };
        if end <= rf {
            return None;
        }
        Some(Dm {
            start: i,
            end: d.end,
            v: Dv::Abs {
                from: if self.mode == Mode::News {
                    dt(rf.date())
                } else {
                    rf
                },
                grain: if self.mode == Mode::News {
                    Grain::Day
                } else {
                    Grain::Second
                },
                to: Some(end),
                label: None,
            },
        })
    }

    // ---------------------------------------------------------------
    // Ranges

    /// `من X إلى Y`, `بين X و Y`, `X-Y MONTH`, `MONTH X-Y`.
    fn range_date(&self, i: usize, r: Option<NaiveDateTime>) -> Option<Dm> {
        let (between, j) = match self.phrase(i, &[PKind::Between, PKind::From], Acc::Any) {
            Some((p, e, _)) => (Some(p.kind == PKind::Between), e),
            None => (None, i),
        };
        // MONTH X-Y
        if between.is_none()
            && let Some((m, hijri, _, e)) = self.month_at(i, Acc::Any)
            && !hijri
            && let Some((d1, e1)) = self.day_at(e, Acc::Bare)
            && self.n(e1) == "-"
            && let Some((d2, e2)) = self.day_at(e1 + 1, Acc::Bare)
            && d2 > d1
        {
            let cd = Cd {
                y: None,
                m: Some(m),
                d: Some(d1),
                hijri: false,
                ..Cd::default()
            };
            let mut end = e2;
            let mut cd = cd;
            if let Some((y, _, e3)) = self.year_part(e2) {
                cd.y = Some(y);
                end = e3;
            }
            return self.day_range(i, end, cd, d2, r);
        }
        // X (إلى|و|-) Y where X is a bare day and Y a full date.
        let sep_after = |e1: usize| -> Option<usize> {
            if self.n(e1) == "-" {
                return Some(e1 + 1);
            }
            match between {
                Some(true) => {
                    if self.n(e1) == "و" {
                        Some(e1 + 1)
                    } else {
                        Some(e1)
                    }
                }
                Some(false) => self.has(e1, PKind::To, Acc::Bare),
                None => None,
            }
        };
        if let Some((d1, e1)) = self.day_at(j, Acc::Any)
            && self.t[j].kind == TokenKind::Number
            && let Some(k) = sep_after(e1)
        {
            let acc = if between == Some(true) && k == e1 {
                Acc::Wa
            } else {
                Acc::Bare
            };
            // The second day with و attached: و15.
            let k2 = k;
            let second = if acc == Acc::Wa {
                let t = self.t.get(k2)?;
                t.n.strip_prefix('و')
                    .and_then(|s| s.parse::<u32>().ok())
                    .map(|d| (d, k2 + 1))
            } else {
                self.day_at(k2, Acc::Bare)
            };
            if let Some((d2, e2)) = second
                && d2 > d1
            {
                let mut kk = e2;
                if matches!(self.n(kk), "من") {
                    kk += 1;
                }
                if let Some((mut cd, end)) = self.cal_date(kk, Acc::Any)
                    && cd.d.is_none()
                {
                    cd.d = Some(d1);
                    return self.day_range(i, end, cd, d2, r);
                }
            }
        }
        // Y1-Y2, Y1/Y2: two years joined by a dash or a slash.
        if let Some((y1, false, e1)) = self.year_at(j)
            && e1 == j + 1
            && matches!(self.n(e1), "-" | "/")
            && let Some((y2, false, e2)) = self.year_at(e1 + 1)
            && y2 > y1
        {
            return Some(Dm {
                start: i,
                end: e2,
                v: Dv::Abs {
                    from: dt(ymd(y1, 1, 1)?),
                    grain: Grain::Year,
                    to: Some(dt(ymd(y2 + 1, 1, 1)?)),
                    label: None,
                },
            });
        }
        let between = between?;
        // Two full dates (or years, or times).
        let a = self.simple_date(j, r)?;
        let k = if between {
            if self.n(a.end) == "و" {
                a.end + 1
            } else {
                a.end
            }
        } else {
            self.has(a.end, PKind::To, Acc::Bare)
                .or_else(|| (self.n(a.end) == "-").then_some(a.end + 1))?
        };
        let b = if between && k == a.end {
            // و attached to the second: و2023، وحتى.
            let t = self.t.get(k)?;
            if !t.n.starts_with('و') {
                return None;
            }
            let y: i32 = t.n.strip_prefix('و')?.parse().ok()?;
            let from = dt(ymd(y, 1, 1)?);
            Dm {
                start: k,
                end: k + 1,
                v: Dv::Abs {
                    from,
                    grain: Grain::Year,
                    to: None,
                    label: None,
                },
            }
        } else {
            self.simple_date(k, r).or_else(|| {
                // A bare year after إلى: من عام 2021 إلى 2023.
                let (y, _, e) = self.year_at(k)?;
                Some(Dm {
                    start: k,
                    end: e,
                    v: Dv::Abs {
                        from: dt(ymd(y, 1, 1)?),
                        grain: Grain::Year,
                        to: None,
                        label: None,
                    },
                })
            })?
        };
        let (
            Dv::Abs {
                from: f1,
                grain: g1,
                to: _,
                ..
            },
            Dv::Abs {
                from: f2,
                grain: g2,
                to: t2,
                ..
            },
        ) = (&a.v, &b.v)
        else {
            return Some(Dm {
                start: i,
                end: b.end,
                v: Dv::Rel {
                    grain: grain_of_rel(&a.v),
                },
            });
        };
        // A time range takes the period of its end: من الثالثة إلى الرابعة مساء.
        let (f1, g) = if *g1 <= Grain::Hour
            && *g2 <= Grain::Hour
            && f2.time() >= NaiveTime::from_hms_opt(12, 0, 0)?
            && f1.time() < NaiveTime::from_hms_opt(12, 0, 0)?
            && f1.date() == f2.date()
        {
            (f1.checked_add_signed(Duration::hours(12))?, *g1)
        } else {
            (*f1, *g1)
        };
        let end = match t2 {
            Some(t) => *t,
            None => unit_end(*f2, *g2)?,
        };
        if end <= f1 {
            return None;
        }
        Some(Dm {
            start: i,
            end: b.end,
            v: Dv::Abs {
                from: f1,
                grain: g,
                to: Some(end),
                label: None,
            },
        })
    }

    fn day_range(
        &self,
        i: usize,
        end: usize,
        cd: Cd,
        d2: u32,
        r: Option<NaiveDateTime>,
    ) -> Option<Dm> {
        let v = match self.resolve(cd, r)? {
            Dv::Abs { from, .. } => {
                let to = ymd(from.date().year(), from.date().month(), d2)? + Duration::days(1);
                Dv::Abs {
                    from,
                    grain: Grain::Day,
                    to: Some(dt(to)),
                    label: None,
                }
            }
            rel => rel,
        };
        Some(Dm { start: i, end, v })
    }
}

fn grain_of_rel(v: &Dv) -> Grain {
    match v {
        Dv::Abs { grain, .. } | Dv::Rel { grain } => *grain,
    }
}

/// The grain of `N units ago`: days for days and weeks, else the unit.
fn ago_grain(g: Grain) -> Grain {
    match g {
        Grain::Week => Grain::Day,
        g => g,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hijri_conversion() {
        // 1 Ramadan 1445 ≈ 11 March 2024 (tabular: 2024-03-11 or 12).
        let d = hijri_to_gregorian(1445, 9, 1).unwrap();
        assert!((d - ymd(2024, 3, 11).unwrap()).num_days().abs() <= 1, "{d}");
        assert_eq!(hijri_year_of(ymd(2024, 3, 20).unwrap()), 1445);
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter(2013), ymd(2013, 3, 31));
        assert_eq!(easter(2024), ymd(2024, 3, 31));
    }
}
