//! The token view and the number, quantity, money, percent and duration
//! rules.
//!
//! The engine works on the tokens of `marsad_text` (search forms, byte
//! spans) with one lexicon lookup per token done up front ([`Ctx::new`]).
//! Every rule is a function from a token index to an optional match ending
//! at a later token index; rules compose by calling each other, the way
//! Duckling's Arabic rules compose (a number, then a counted noun; a bound,
//! then a number; ...). No rule allocates per token.
//!
//! # Cardinal numbers (`Ctx::number`)
//! - **Digits** in any of the three digit sets, with thousands separators
//!   and a decimal part (the tokenizer keeps `11,600` and `٣٫٥` whole), then
//!   optionally a multiplier word: `12 ألفاً`, `3.5 مليون`, `100 الف`.
//! - **Words**: Arabic puts units before tens (`خمسة وعشرون` = 5 + 20) and
//!   joins every part with `و`; larger groups come first (`مئة وخمسون ألفاً`
//!   = (100 + 50) × 1000, `ثلاثة آلاف وخمسمئة` = 3000 + 500). A number is a
//!   sequence of groups of strictly decreasing scale joined by `و` (written
//!   apart or attached); a group is a number below 1000 optionally
//!   multiplied by `ألف/آلاف/مليون/ملايين/مليار`, a bare multiplier (`ألف`
//!   = 1000) or a dual multiplier (`ألفين` = 2000). Below 1000: hundreds
//!   (`ثلاثمئة`, `ثلاث مئة`), then `و` + below 100; below 100: a teen
//!   (unit + `عشر/عشرة`, or colloquial `اتناشر`), unit + `و` + tens, tens,
//!   unit, `عشرة`.
//! - `فاصلة` (decimal point) joins an integer and its decimals:
//!   `واحد فاصلة واحد` = 1.1.
//! - A fraction word multiplies a following multiplier (`نصف مليون`) and
//!   adds to a preceding one (`مليون ونصف`).
//!
//! # Amounts (`Ctx::amount`)
//! A number followed by what it counts decides the figure's kind: `%` or
//! `في المائة` (percent), a currency noun/symbol/code (money; a nationality
//! adjective picks the currency: `جنيه مصري` = EGP), a time unit
//! (duration), a measure (quantity in the base unit: `0.5 كغ` = 500 gram),
//! or a counted noun from `data/units.tsv` (quantity). The noun may follow
//! `من` with the article (`300 من الجنود`). A dual noun alone is two of it
//! (`جنديين`, `لهجومين`, `أسبوعين`); a singular noun before `واحد/اثنان` is
//! one/two of it (`جندي واحد`).
//!
//! Vague amounts are plurals of powers of ten (`عشرات`, `مئات`, `آلاف`,
//! `عشرات الآلاف`) or `عدة/بضع`; they get a range and ACLED's conservative
//! value (the low bound: tens = 10, hundreds = 100, a few = 3).
//!
//! Bounds come before the number (`حوالي، نحو، أكثر من، ما لا يقل عن، أقل
//! من، ما يصل إلى`) or after it (`تقريبا، على الأقل، أو أكثر`); ranges are
//! `بين X و Y`, `من X إلى Y`, `X-Y`, with the counted noun after Y applying
//! to both.
//!
//! # What is not an amount
//! Phone numbers and ids (seven or more plain digits, a leading zero, a
//! leading `+`, runs of three or more digit groups), numbers glued to Latin
//! letters (the tokenizer keeps `C-130` as one Latin token), URLs. Years
//! are claimed by the date rules first.

use marsad_text::{Text, TokenKind};

use crate::FigureKind;
use crate::lex::{GNum, Hits, Lexicon, NumClass, PKind, Phrase, UnitKind, pro};

/// One token as the rules see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tk<'a> {
    /// Search form.
    pub n: &'a str,
    /// Byte span in the original text.
    pub start: usize,
    /// End byte.
    pub end: usize,
    /// Kind.
    pub kind: TokenKind,
    /// Is there a gap (whitespace) before this token?
    pub gap: bool,
    /// Lexicon readings.
    pub hits: Hits,
    /// Can this token carry a figure's content (see [`crate::lex::Entry::content`])?
    pub content: bool,
}

/// How relative dates without a direction are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// News reporting: a bare weekday is the latest on or before the
    /// reference; a day-month without year is the nearest one.
    News,
    /// Duckling's conventions: bare weekdays and dates are the next ones.
    Duckling,
}

/// The rule context for one text.
pub(crate) struct Ctx<'a> {
    /// Tokens.
    pub t: Vec<Tk<'a>>,
    /// Lexicon.
    pub lex: &'static Lexicon,
    /// Resolution mode.
    pub mode: Mode,
    /// UTC offset of the reference in minutes (for `بتوقيت غرينتش`); 0 when
    /// unknown.
    pub offset_min: i32,
}

/// A parsed number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num {
    pub v: f64,
    pub end: usize,
    /// Written with digits.
    pub digits: bool,
    /// Digits without separators, decimals or multiplier.
    pub plain: bool,
    /// Number of integer digits (digits only).
    pub ndig: usize,
    /// Carried a `%`.
    pub pct: bool,
}

/// A matched amount (before conversion to a [`crate::Figure`]).
#[derive(Debug, Clone)]
pub(crate) struct Amt {
    pub kind: FigureKind,
    pub start: usize,
    pub end: usize,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub approx: bool,
    pub unit: Option<String>,
    pub unit_kind: Option<UnitKind>,
    /// Token index of the counted noun.
    pub unit_tok: Option<usize>,
    pub conservative: Option<f64>,
    /// Duckling's `product` (`3 أكواب من السكر`): token index.
    pub product: Option<usize>,
    /// Interval in Duckling's sense (bounded on one or both sides).
    pub interval: bool,
}

impl Amt {
    fn new(kind: FigureKind, start: usize, end: usize, v: f64) -> Amt {
        Amt {
            kind,
            start,
            end,
            value: Some(v),
            low: Some(v),
            high: Some(v),
            approx: false,
            unit: None,
            unit_kind: None,
            unit_tok: None,
            conservative: None,
            product: None,
            interval: false,
        }
    }
}

/// Which proclitics a token may carry at a given position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Acc {
    /// Any (the first word of an expression: `بثلاثة`, `للعام`).
    Any,
    /// None at all.
    Bare,
    /// Exactly the conjunction `و` (a continuing part of a compound).
    Wa,
    /// `و` + article (`والعشرين` in ordinals).
    WaAl,
    /// The article only.
    Al,
}

impl Acc {
    #[inline]
    fn ok(self, p: u8) -> bool {
        match self {
            Acc::Any => true,
            Acc::Bare => p == 0,
            Acc::Wa => p == pro::WA,
            Acc::WaAl => p == pro::WA || p == pro::WA | pro::AL,
            Acc::Al => p == 0 || p == pro::AL,
        }
    }
}

/// Round away binary noise from a decimal times a power of ten
/// (`8.2 × 10⁶` = 8199999.999999999 in floating point).
pub(crate) fn clean(x: f64) -> f64 {
    if x.abs() < 1e15 {
        (x * 1e6).round() / 1e6
    } else {
        x
    }
}

/// Parse a digit token's search form: value, percent, plain, integer digits.
pub(crate) fn parse_digits(s: &str) -> Option<(f64, bool, bool, usize)> {
    let (s, pct) = match s.strip_suffix('%') {
        Some(x) => (x, true),
        None => (s, false),
    };
    let mut buf = [0u8; 48];
    let mut n = 0;
    let mut plain = true;
    let mut ndig = 0;
    let mut seen_dot = false;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => {
                if n >= buf.len() {
                    return None;
                }
                buf[n] = b;
                n += 1;
                if !seen_dot {
                    ndig += 1;
                }
            }
            b',' => plain = false,
            b'.' => {
                plain = false;
                seen_dot = true;
                if n >= buf.len() {
                    return None;
                }
                buf[n] = b'.';
                n += 1;
            }
            _ => return None,
        }
    }
    let v: f64 = std::str::from_utf8(&buf[..n]).ok()?.parse().ok()?;
    Some((v, pct, plain, ndig))
}

impl<'a> Ctx<'a> {
    /// Build the token view of an analysed text.
    pub fn new(text: &'a Text<'_>, mode: Mode) -> Ctx<'a> {
        let lex = Lexicon::get();
        let mut t = Vec::with_capacity(text.tokens.len());
        let mut prev_end = 0usize;
        for tok in &text.tokens {
            let n = text.analysis.norm(tok);
            let start = tok.start as usize;
            let mut hits = match tok.kind {
                TokenKind::Word | TokenKind::Punct | TokenKind::Latin => lex.lookup(n),
                _ => [None, None],
            };
            // A counted noun with a possessive pronoun: `عناصرها`, `جنوده`
            // (the text layer's clitic-free base, only for noun readings).
            if hits[0].is_none()
                && tok.kind == TokenKind::Word
                && tok.enc != marsad_text::Enclitic::None
            {
                let base = text.analysis.base(tok);
                if let Some(h) = lex.lookup(base)[0]
                    && h.pro == 0
                    && lex.entry(h).unit.is_some()
                {
                    hits = [Some(h), None];
                }
            }
            // A clitic reading of a word written with a final ه (not ة):
            // that ه is the pronoun, so `بعده` is "after it", not `ب + عدة`.
            if tok.kind == TokenKind::Word && !tok.ta_marbuta && n.ends_with('ه') {
                for h in hits.iter_mut() {
                    if h.is_some_and(|x| x.pro & !pro::AL != 0) {
                        *h = None;
                    }
                }
                if hits[0].is_none() {
                    hits = [hits[1], None];
                }
            }
            let content = tok.kind == TokenKind::Number
                || hits.iter().flatten().any(|h| lex.entry(*h).content)
                || (matches!(tok.kind, TokenKind::Punct | TokenKind::Latin)
                    && lex.symbols.contains_key(n));
            t.push(Tk {
                n,
                start,
                end: tok.end as usize,
                kind: tok.kind,
                gap: start > prev_end,
                hits,
                content,
            });
            prev_end = tok.end as usize;
        }
        Ctx {
            t,
            lex,
            mode,
            offset_min: 0,
        }
    }

    /// Number of tokens.
    #[inline]
    pub fn len(&self) -> usize {
        self.t.len()
    }

    /// Index of the first token starting at or after byte `pos`.
    pub fn token_at_byte(&self, pos: usize) -> Option<usize> {
        let k = self.t.partition_point(|t| t.start < pos);
        (k < self.t.len()).then_some(k)
    }

    /// Search form of token `i` ("" past the end).
    #[inline]
    pub fn n(&self, i: usize) -> &'a str {
        self.t.get(i).map_or("", |t| t.n)
    }

    /// Is token `i` glued to the previous one (no space)?
    #[inline]
    pub fn glued(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.gap)
    }

    /// Cardinal word reading of token `i`.
    pub fn num(&self, i: usize) -> Option<(NumClass, f64, u8)> {
        let t = self.t.get(i)?;
        t.hits
            .iter()
            .flatten()
            .find_map(|h| self.lex.entry(*h).num.map(|(c, v)| (c, v, h.pro)))
    }

    /// Cardinal word reading with an accepted clitic set.
    pub fn num_acc(&self, i: usize, acc: Acc) -> Option<(NumClass, f64)> {
        let t = self.t.get(i)?;
        t.hits.iter().flatten().find_map(|h| {
            let e = self.lex.entry(*h);
            e.num.filter(|_| acc.ok(h.pro))
        })
    }

    /// Ordinal word reading of token `i`: value, is-أول, clitics.
    pub fn ord(&self, i: usize) -> Option<(u32, bool, u8)> {
        let t = self.t.get(i)?;
        t.hits
            .iter()
            .flatten()
            .find_map(|h| self.lex.entry(*h).ord.map(|(v, o)| (v, o, h.pro)))
    }

    /// Counted-noun reading of token `i`.
    pub fn unit(&self, i: usize) -> Option<(u16, GNum, u8)> {
        let t = self.t.get(i)?;
        t.hits
            .iter()
            .flatten()
            .find_map(|h| self.lex.entry(*h).unit.map(|(u, g)| (u, g, h.pro)))
    }

    /// Counted-noun reading with an accepted clitic set.
    pub fn unit_acc(&self, i: usize, acc: Acc) -> Option<(u16, GNum)> {
        let t = self.t.get(i)?;
        t.hits
            .iter()
            .flatten()
            .find_map(|h| self.lex.entry(*h).unit.filter(|_| acc.ok(h.pro)))
    }

    /// The longest phrase of one of `kinds` starting at token `i` whose first
    /// word carries clitics accepted by `acc`: (phrase, end token, clitics).
    pub fn phrase(
        &self,
        i: usize,
        kinds: &[PKind],
        acc: Acc,
    ) -> Option<(&'static Phrase, usize, u8)> {
        let t = self.t.get(i)?;
        let mut best: Option<(&'static Phrase, usize, u8)> = None;
        for h in t.hits.iter().flatten() {
            if !acc.ok(h.pro) {
                continue;
            }
            for &pid in &self.lex.entry(*h).phrases {
                let p = &self.lex.phrases[pid as usize];
                if !kinds.contains(&p.kind) {
                    continue;
                }
                let len = p.words.len();
                if best.is_some_and(|b| b.1 - i >= len) {
                    continue;
                }
                if p.words[1..]
                    .iter()
                    .enumerate()
                    .all(|(k, w)| self.n(i + 1 + k) == w.as_str())
                {
                    best = Some((p, i + len, h.pro));
                }
            }
        }
        best
    }

    /// Is there a phrase of `kind` at `i`? Returns its end.
    #[inline]
    pub fn has(&self, i: usize, kind: PKind, acc: Acc) -> Option<usize> {
        self.phrase(i, &[kind], acc).map(|p| p.1)
    }

    // ------------------------------------------------------------------
    // Numbers

    /// A cardinal number at `i` (digits or words), first token with any
    /// clitics.
    pub fn number(&self, i: usize) -> Option<Num> {
        self.number_acc(i, Acc::Any)
    }

    /// A cardinal number at `i` whose first token carries clitics `acc`.
    pub fn number_acc(&self, i: usize, acc: Acc) -> Option<Num> {
        let t = self.t.get(i)?;
        match t.kind {
            TokenKind::Number => {
                let (mut v, pct, plain, ndig) = parse_digits(t.n)?;
                let mut end = i + 1;
                let mut plain = plain;
                if !pct {
                    if let Some((f, e)) = self.point_tail(end) {
                        v += f;
                        end = e;
                        plain = false;
                    }
                    if let Some((c, m)) = self.num_acc(end, Acc::Bare)
                        && matches!(c, NumClass::Mult | NumClass::MultPl)
                    {
                        v = clean(v * m);
                        end += 1;
                        plain = false;
                        // The remainder: 12 ألفا و500، 3 ملايين و200 ألف
                        // (of the multiplier's order; و5 starts another count).
                        if self.n(end) == "و"
                            && let Some(r) = self.number_acc(end + 1, Acc::Bare)
                            && !r.pct
                            && r.v < m
                            && r.v >= m / 10.0
                        {
                            v += r.v;
                            end = r.end;
                        }
                    }
                }
                Some(Num {
                    v,
                    end,
                    digits: true,
                    plain,
                    ndig,
                    pct,
                })
            }
            TokenKind::Punct if t.n == "." => {
                // `.75` and `٫٧٧`: a decimal with no integer part.
                let nt = self.t.get(i + 1)?;
                if nt.kind != TokenKind::Number || nt.gap || nt.n.contains(['.', ',', '%']) {
                    return None;
                }
                let (d, _, _, nd) = parse_digits(nt.n)?;
                Some(Num {
                    v: d / 10f64.powi(nd as i32),
                    end: i + 2,
                    digits: true,
                    plain: false,
                    ndig: 0,
                    pct: false,
                })
            }
            TokenKind::Word => {
                let (v, end) = self.words_number(i, acc)?;
                let (v, end) = match self.point_tail(end) {
                    Some((f, e)) => (v + f, e),
                    None => (v, end),
                };
                Some(Num {
                    v,
                    end,
                    digits: false,
                    plain: false,
                    ndig: 0,
                    pct: false,
                })
            }
            _ => None,
        }
    }

    /// `فاصلة` + digits or words: the decimal part.
    fn point_tail(&self, i: usize) -> Option<(f64, usize)> {
        let (c, _) = self.num_acc(i, Acc::Bare)?;
        if c != NumClass::Point {
            return None;
        }
        let t = self.t.get(i + 1)?;
        if t.kind == TokenKind::Number {
            let (d, pct, plain, nd) = parse_digits(t.n)?;
            if pct || !plain {
                return None;
            }
            return Some((d / 10f64.powi(nd as i32), i + 2));
        }
        let (d, e) = self.words_number(i + 1, Acc::Bare)?;
        let nd = if d < 1.0 {
            1
        } else {
            (d.log10().floor() as i32) + 1
        };
        Some((d / 10f64.powi(nd), e))
    }

    /// A number written in words.
    pub fn words_number(&self, i: usize, acc: Acc) -> Option<(f64, usize)> {
        let mut total = 0.0;
        let mut j = i;
        let mut last_scale = f64::INFINITY;
        let mut first = true;
        loop {
            let (k, a) = if first {
                (j, acc)
            } else if self.n(j) == "و" {
                (j + 1, Acc::Bare)
            } else {
                (j, Acc::Wa)
            };
            let Some((g, scale, e)) = self.group(k, a).or_else(|| {
                // A remainder in digits after a multiplier: ثلاثة آلاف و500.
                if first || last_scale < 1000.0 || self.n(j) != "و" {
                    return None;
                }
                let t = self.t.get(k)?;
                if t.kind != TokenKind::Number || t.gap {
                    return None;
                }
                let (v, pct, plain, _) = parse_digits(t.n)?;
                // A remainder of the multiplier's order (500 after آلاف);
                // a small one (و5) more often starts a separate count.
                (plain && !pct && v < last_scale && v >= last_scale / 10.0).then_some((
                    v,
                    1.0,
                    k + 1,
                ))
            }) else {
                break;
            };
            if scale >= last_scale {
                break;
            }
            total += g;
            last_scale = scale;
            j = e;
            first = false;
        }
        (!first).then_some((total, j))
    }

    /// One group: a number below 1000 optionally multiplied, or a
    /// multiplier alone. Returns (value, scale, end).
    fn group(&self, k: usize, acc: Acc) -> Option<(f64, f64, usize)> {
        let (c, v) = self.num_acc(k, acc)?;
        match c {
            NumClass::Mult => {
                let mut val = v;
                let mut e = k + 1;
                if let Some((f, e2)) = self.and_frac(e) {
                    val += f * v;
                    e = e2;
                }
                Some((val, v, e))
            }
            NumClass::MultDual => Some((v, v / 2.0, k + 1)),
            NumClass::Frac => {
                let (c2, m) = self.num_acc(k + 1, Acc::Bare)?;
                (c2 == NumClass::Mult).then_some((v * m, m, k + 2))
            }
            NumClass::MultPl | NumClass::Point | NumClass::HundredPl => None,
            _ => {
                let (small, mut e) = self.small(k, acc)?;
                if let Some((c2, m)) = self.num_acc(e, Acc::Bare)
                    && matches!(c2, NumClass::Mult | NumClass::MultPl)
                {
                    let mut val = small * m;
                    e += 1;
                    if let Some((f, e2)) = self.and_frac(e) {
                        val += f * m;
                        e = e2;
                    }
                    return Some((val, m, e));
                }
                Some((small, 1.0, e))
            }
        }
    }

    /// `ونصف`, `و ربع` after a multiplier or unit.
    pub fn and_frac(&self, e: usize) -> Option<(f64, usize)> {
        let (k, a) = if self.n(e) == "و" {
            (e + 1, Acc::Bare)
        } else {
            (e, Acc::Wa)
        };
        let (c, f) = self.num_acc(k, a)?;
        (c == NumClass::Frac).then_some((f, k + 1))
    }

    /// A number below 1000 in words.
    fn small(&self, k: usize, acc: Acc) -> Option<(f64, usize)> {
        let (c, v) = self.num_acc(k, acc)?;
        let (h, e) = match c {
            NumClass::Hundreds => (v, k + 1),
            NumClass::Hundred => (100.0, k + 1),
            NumClass::Unit => match self.num_acc(k + 1, Acc::Bare) {
                Some((NumClass::Hundred | NumClass::HundredPl, _)) => (v * 100.0, k + 2),
                _ => (0.0, k),
            },
            _ => (0.0, k),
        };
        if h > 0.0 {
            let (kk, a) = if self.n(e) == "و" {
                (e + 1, Acc::Bare)
            } else {
                (e, Acc::Wa)
            };
            if let Some((b, e2)) = self.below100(kk, a) {
                return Some((h + b, e2));
            }
            return Some((h, e));
        }
        self.below100(k, acc)
    }

    /// A number below 100 in words.
    fn below100(&self, k: usize, acc: Acc) -> Option<(f64, usize)> {
        let (c, v) = self.num_acc(k, acc)?;
        match c {
            NumClass::Teen | NumClass::Tens => Some((v, k + 1)),
            NumClass::Ten => Some((10.0, k + 1)),
            NumClass::Zero => Some((0.0, k + 1)),
            NumClass::Unit | NumClass::UnitTeen => {
                if let Some((NumClass::Ten, _)) = self.num_acc(k + 1, Acc::Bare) {
                    return Some((10.0 + v, k + 2));
                }
                if c == NumClass::UnitTeen {
                    return None;
                }
                let (kk, a) = if self.n(k + 1) == "و" {
                    (k + 2, Acc::Bare)
                } else {
                    (k + 1, Acc::Wa)
                };
                if let Some((NumClass::Tens, t)) = self.num_acc(kk, a) {
                    return Some((v + t, kk + 1));
                }
                Some((v, k + 1))
            }
            _ => None,
        }
    }

    /// An ordinal at `i`: `الثالث`, `الحادي عشر`, `الخامس والعشرون`,
    /// `الأحد عشر`, `الواحد والعشرون`. Returns (value, end).
    pub fn ordinal(&self, i: usize, acc: Acc) -> Option<(u32, usize)> {
        if let Some((v, only, p)) = self.ord(i)
            && acc.ok(p)
        {
            if only {
                return Some((v, i + 1));
            }
            return Some(self.ord_tail(v, i + 1));
        }
        // A cardinal unit with the article, continued: الأحد عشر.
        let (c, v, p) = self.num(i)?;
        if p & pro::AL == 0 || !acc.ok(p) {
            return None;
        }
        if !matches!(c, NumClass::Unit | NumClass::UnitTeen) {
            return None;
        }
        let (o, e) = self.ord_tail(v as u32, i + 1);
        (e > i + 1).then_some((o, e))
    }

    fn ord_tail(&self, v: u32, j: usize) -> (u32, usize) {
        if let Some((NumClass::Ten, _)) = self.num_acc(j, Acc::Bare) {
            return (v + 10, j + 1);
        }
        let (kk, a) = if self.n(j) == "و" {
            (j + 1, Acc::Al)
        } else {
            (j, Acc::WaAl)
        };
        if let Some((NumClass::Tens, t)) = self.num_acc(kk, a) {
            return (v + t as u32, kk + 1);
        }
        (v, j)
    }

    // ------------------------------------------------------------------
    // Amounts

    /// Is the digit number at `i..` phone-number or id-like?
    fn id_like(&self, i: usize, n: &Num) -> bool {
        let t = &self.t[i];
        if t.kind != TokenKind::Number {
            return false;
        }
        if n.plain && (n.ndig >= 7 || (n.ndig >= 3 && t.n.starts_with('0'))) {
            return true;
        }
        // `+` before, or glued to Latin letters or a hyphenated code.
        if i > 0 {
            let p = &self.t[i - 1];
            if !t.gap && (p.n == "+" || p.kind == TokenKind::Latin || p.n == "#") {
                return true;
            }
        }
        if let Some(nx) = self.t.get(n.end)
            && !nx.gap
            && nx.kind == TokenKind::Latin
            && !self.lex.symbols.contains_key(nx.n)
        {
            return true;
        }
        // A run of three or more digit groups separated by spaces or dashes.
        let is_num = |k: usize| self.t.get(k).is_some_and(|x| x.kind == TokenKind::Number);
        let mut run = 1;
        let mut j = i + 1;
        loop {
            if is_num(j) {
                run += 1;
                j += 1;
            } else if self.n(j) == "-" && is_num(j + 1) {
                j += 1;
            } else {
                break;
            }
        }
        let mut j = i;
        while j > 0 {
            if is_num(j - 1) {
                run += 1;
                j -= 1;
            } else if j > 1 && self.n(j - 1) == "-" && is_num(j - 2) {
                j -= 1;
            } else {
                break;
            }
        }
        run >= 3
    }

    /// A currency symbol or code at `i`: (class, end).
    pub fn symbol(&self, i: usize) -> Option<(String, usize)> {
        let t = self.t.get(i)?;
        if !matches!(
            t.kind,
            TokenKind::Punct | TokenKind::Latin | TokenKind::Word
        ) {
            return None;
        }
        if t.kind == TokenKind::Word && t.n.chars().count() > 1 {
            return None;
        }
        if t.kind != TokenKind::Word
            && let Some(c) = self.lex.symbols.get(t.n)
        {
            // Longer glued abbreviation wins below; single symbol here.
            if !self.glued(i + 1)
                || self
                    .t
                    .get(i + 1)
                    .is_some_and(|x| x.kind == TokenKind::Number)
            {
                return Some((c.clone(), i + 1));
            }
        }
        // Abbreviations like ج.م. written as glued tokens.
        let mut buf = String::new();
        let mut best = None;
        for k in 0..5 {
            let Some(x) = self.t.get(i + k) else { break };
            if k > 0 && x.gap {
                break;
            }
            if x.kind == TokenKind::Number {
                break;
            }
            buf.push_str(x.n);
            if let Some(c) = self.lex.symbols.get(buf.as_str()) {
                best = Some((c.clone(), i + k + 1));
            }
        }
        best
    }

    /// A nationality adjective after a generic currency noun.
    fn currency_adj(&self, class: &str, i: usize) -> Option<(String, usize)> {
        let t = self.t.get(i)?;
        if t.kind != TokenKind::Word {
            return None;
        }
        let w = t.n.strip_prefix("ال").unwrap_or(t.n);
        for (base, stem, code) in &self.lex.currency_adj {
            if base != class {
                continue;
            }
            if let Some(rest) = w.strip_prefix(stem.as_str())
                && matches!(rest, "ي" | "يه" | "يا" | "يين" | "يون" | "يات" | "")
            {
                return Some((code.clone(), i + 1));
            }
        }
        None
    }

    /// Counted noun at `j` (bare, or after `من` with the article):
    /// (unit, token of the noun, end).
    fn counted(&self, j: usize) -> Option<(u16, usize, usize)> {
        if let Some((u, g)) = self.unit_acc(j, Acc::Bare)
            && g != GNum::Dual
        {
            return Some((u, j, j + 1));
        }
        // `300 من الجنود`, `30 من رجال الأمن` (a plural, with the article or
        // in construct).
        if self.n(j) == "من"
            && let Some((u, GNum::Pl)) = self.unit_acc(j + 1, Acc::Al)
        {
            return Some((u, j + 1, j + 2));
        }
        None
    }

    /// Apply a counted noun to an amount.
    fn with_unit(&self, a: &mut Amt, u: u16, tok: usize, end: usize) {
        let unit = &self.lex.units[u as usize];
        a.unit_kind = Some(unit.kind);
        a.unit_tok = Some(tok);
        a.end = end;
        let f = unit.factor;
        let scale = |x: Option<f64>| x.map(|v| v * f);
        if f != 1.0 {
            a.value = scale(a.value);
            a.low = scale(a.low);
            a.high = scale(a.high);
            a.conservative = scale(a.conservative);
        }
        a.unit = Some(unit.class.clone());
        a.kind = match unit.kind {
            UnitKind::Money => FigureKind::Money,
            UnitKind::Duration => FigureKind::Duration,
            _ => FigureKind::Quantity,
        };
        if unit.kind == UnitKind::Money
            && let Some((code, e)) = self.currency_adj(&unit.class, a.end)
        {
            a.unit = Some(code);
            a.end = e;
        }
        // Duckling's product (`3 أكواب من السكر`); in news `من` after a
        // distance is "from" (`مئات الكيلومترات من العاصمة`).
        if self.mode == Mode::Duckling
            && self.n(a.end) == "من"
            && matches!(unit.kind, UnitKind::Measure)
            && self
                .t
                .get(a.end + 1)
                .is_some_and(|t| t.kind == TokenKind::Word)
        {
            a.product = Some(a.end + 1);
            a.end += 2;
        }
        if matches!(unit.kind, UnitKind::Person | UnitKind::Thing)
            && let Some(e) = self.has(a.end, PKind::Other, Acc::Bare)
        {
            a.end = e;
        }
        if unit.kind == UnitKind::Person
            && let Some(c) = self.qualify(&unit.class, a.end)
        {
            a.unit = Some(c.to_string());
        }
    }

    /// A qualifier within four words after a counted noun that refines its
    /// class (`جنديا من قوات حفظ السلام` → peacekeeper).
    fn qualify(&self, class: &str, from: usize) -> Option<&'static str> {
        for (base, new, words) in &self.lex.qualifiers {
            if base != class || words.is_empty() {
                continue;
            }
            for k in from..(from + 4).min(self.t.len()) {
                if self.t[k].kind == TokenKind::Punct && self.n(k) != "-" {
                    break;
                }
                let first = self.n(k);
                let w0 = words[0].as_str();
                let first_ok = first == w0
                    || first.strip_prefix('و') == Some(w0)
                    || first.strip_prefix('ب') == Some(w0)
                    || first.strip_prefix('ل') == Some(w0);
                if first_ok
                    && words[1..]
                        .iter()
                        .enumerate()
                        .all(|(x, w)| self.n(k + 1 + x) == w.as_str())
                {
                    return Some(new.as_str());
                }
            }
        }
        None
    }

    /// What follows a number at `n.end`: percent, currency, counted noun.
    fn suffix(&self, start: usize, n: &Num) -> Amt {
        let mut a = Amt::new(FigureKind::Number, start, n.end, n.v);
        if n.pct {
            a.kind = FigureKind::Percent;
            return a;
        }
        let j = n.end;
        if let Some(e) = self.has(j, PKind::Percent, Acc::Any) {
            a.kind = FigureKind::Percent;
            a.end = e;
            return a;
        }
        if self.n(j) == "%" {
            a.kind = FigureKind::Percent;
            a.end = j + 1;
            return a;
        }
        if let Some((code, e)) = self.symbol(j) {
            a.kind = FigureKind::Money;
            a.unit = Some(code);
            a.unit_kind = Some(UnitKind::Money);
            a.end = e;
            return a;
        }
        if let Some((NumClass::Frac, f)) = self.num_acc(j, Acc::Bare) {
            // ثلاثة أرباع = 3/4.
            if f < 1.0 && !n.digits {
                a.kind = FigureKind::Fraction;
                a.value = Some(n.v * f);
                a.low = a.value;
                a.high = a.value;
                a.end = j + 1;
                return a;
            }
        }
        if let Some(e) = self.has(j, PKind::Multiple, Acc::Bare) {
            a.kind = FigureKind::Multiple;
            a.end = e;
            return a;
        }
        if let Some((u, tok, e)) = self.counted(j) {
            self.with_unit(&mut a, u, tok, e);
            // `ساعة ونصف` after a number: 2 ساعات ونصف.
            if a.kind == FigureKind::Duration
                && let Some((f, e2)) = self.and_frac(a.end)
            {
                a.value = a.value.map(|v| v + f);
                a.low = a.value;
                a.high = a.value;
                a.end = e2;
            }
        }
        a
    }

    /// A core amount at `i` (no bounds): number + what it counts, a vague
    /// amount, a dual noun, a fraction, a multiple, or a currency symbol
    /// before a number.
    pub fn core_amount(&self, i: usize, acc: Acc) -> Option<Amt> {
        let t = self.t.get(i)?;
        // Currency symbol before the number: $10, $ 10.
        if matches!(t.kind, TokenKind::Punct | TokenKind::Latin)
            && let Some((code, e)) = self.symbol(i)
            && let Some(n) = self.number_acc(e, Acc::Bare)
            && self.t[e].kind == TokenKind::Number
        {
            let mut a = Amt::new(FigureKind::Money, i, n.end, n.v);
            a.unit = Some(code);
            a.unit_kind = Some(UnitKind::Money);
            return Some(a);
        }
        if let Some(n) = self.number_acc(i, acc) {
            if self.mode == Mode::News && self.id_like(i, &n) {
                return None;
            }
            return Some(self.suffix(i, &n));
        }
        // `%46`: the sign written first, as right-to-left typing leaves it.
        if t.n == "%"
            && self
                .t
                .get(i + 1)
                .is_some_and(|x| x.kind == TokenKind::Number && !x.gap)
            && let Some(n) = self.number_acc(i + 1, Acc::Bare)
            && !n.pct
        {
            let mut a = Amt::new(FigureKind::Percent, i, n.end, n.v);
            a.end = n.end;
            return Some(a);
        }
        // Vague amounts: عشرات، مئات الآلاف، عدة.
        if let Some((p, e, _)) = self.phrase(i, &[PKind::Vague], acc) {
            let mut a = Amt::new(FigureKind::Number, i, e, 0.0);
            a.value = None;
            a.low = Some(p.a as f64);
            a.high = Some(p.b as f64);
            a.conservative = Some(p.a as f64);
            a.approx = true;
            if let Some((u, tok, e2)) = self.counted(e) {
                self.with_unit(&mut a, u, tok, e2);
            } else if let Some((u, g)) = self.unit_acc(e, Acc::Al)
                && g != GNum::Dual
            {
                // Construct state: عشرات القتلى، آلاف المدنيين.
                self.with_unit(&mut a, u, e, e + 1);
            }
            return Some(a);
        }
        // A dual noun: جنديين، لهجومين، أسبوعين.
        if let Some((u, g, p)) = self.unit(i)
            && acc.ok(p)
        {
            if g == GNum::Dual {
                let mut a = Amt::new(FigureKind::Number, i, i + 1, 2.0);
                self.with_unit(&mut a, u, i, i + 1);
                return Some(a);
            }
            // جندي واحد، جنديان اثنان.
            if let Some((NumClass::Unit, v)) = self.num_acc(i + 1, Acc::Bare)
                && v <= 2.0
            {
                let mut a = Amt::new(FigureKind::Number, i, i + 2, v);
                self.with_unit(&mut a, u, i, i + 2);
                a.end = a.end.max(i + 2);
                return Some(a);
            }
            // Duckling's one-unit durations: لحظة.
            if self.mode == Mode::Duckling
                && self.lex.units[u as usize].kind == UnitKind::Duration
                && t.n == "لحظه"
            {
                let mut a = Amt::new(FigureKind::Number, i, i + 1, 1.0);
                self.with_unit(&mut a, u, i, i + 1);
                return Some(a);
            }
        }
        // A fraction word: نصف، ثلثي. With a unit: نصف ساعة.
        if let Some((NumClass::Frac, f)) = self.num_acc(i, acc) {
            let mut a = Amt::new(FigureKind::Fraction, i, i + 1, f);
            if let Some((u, tok, e)) = self.counted(i + 1) {
                self.with_unit(&mut a, u, tok, e);
            }
            return Some(a);
        }
        if let Some((p, e, _)) = self.phrase(i, &[PKind::Multiple], acc)
            && p.a > 1
        {
            return Some(Amt::new(FigureKind::Multiple, i, e, p.a as f64));
        }
        None
    }

    /// A full amount at `i`: optional bound or range, core amount, post
    /// markers, and the `من أصل N` whole.
    pub fn amount(&self, i: usize) -> Option<Amt> {
        let mut a = self.bounded(i)?;
        // Post markers.
        if let Some((p, e, _)) =
            self.phrase(a.end, &[PKind::PostApprox, PKind::PostAtLeast], Acc::Any)
        {
            match p.kind {
                PKind::PostApprox => a.approx = true,
                _ => {
                    a.low = a.value.or(a.low);
                    a.high = None;
                    a.interval = true;
                }
            }
            a.end = e;
        }
        Some(a)
    }

    fn bounded(&self, i: usize) -> Option<Amt> {
        let kinds = [
            PKind::Approx,
            PKind::More,
            PKind::AtLeast,
            PKind::Less,
            PKind::UpTo,
            PKind::Between,
            PKind::From,
        ];
        if let Some((p, e, _)) = self.phrase(i, &kinds, Acc::Any) {
            match p.kind {
                PKind::Between | PKind::From => {
                    if let Some(mut a) = self.range(e, p.kind == PKind::Between) {
                        a.start = i;
                        return Some(a);
                    }
                }
                _ => {
                    // `أكثر من عام`, `نحو ساعة`: a singular unit of time
                    // after a bound counts one.
                    let one = || {
                        let (u, g) = self.unit_acc(e, Acc::Bare)?;
                        let unit = &self.lex.units[u as usize];
                        let next_is_number = self
                            .t
                            .get(e + 1)
                            .is_some_and(|t| t.kind == TokenKind::Number);
                        if g != GNum::Sg || unit.kind != UnitKind::Duration || next_is_number {
                            return None;
                        }
                        let mut a = Amt::new(FigureKind::Number, e, e + 1, 1.0);
                        self.with_unit(&mut a, u, e, e + 1);
                        Some(a)
                    };
                    if let Some(mut a) = self
                        .core_or_range(e)
                        .filter(|a| !self.year_like(e, a))
                        .or_else(one)
                    {
                        a.start = i;
                        let v = a.value.or(a.low);
                        match p.kind {
                            PKind::Approx => a.approx = true,
                            PKind::More | PKind::AtLeast => {
                                a.low = v;
                                a.high = None;
                                a.interval = true;
                            }
                            _ => {
                                a.low = None;
                                a.high = a.value.or(a.high);
                                a.interval = true;
                            }
                        }
                        if a.conservative.is_none() && p.kind != PKind::Approx {
                            a.conservative = v;
                        }
                        return Some(a);
                    }
                }
            }
        }
        self.core_or_range(i)
    }

    /// A bare four-digit number in the range of years with nothing counted:
    /// after a bound (`حتى 2016`) it is a date.
    fn year_like(&self, i: usize, a: &Amt) -> bool {
        a.kind == FigureKind::Number
            && a.end == i + 1
            && self.t[i].kind == TokenKind::Number
            && self.t[i].n.len() == 4
            && a.value.is_some_and(|v| (1800.0..=2100.0).contains(&v))
    }

    /// A core amount, or an `X-Y` range.
    fn core_or_range(&self, i: usize) -> Option<Amt> {
        let t = self.t.get(i)?;
        if t.kind == TokenKind::Number
            && self.n(i + 1) == "-"
            && self
                .t
                .get(i + 2)
                .is_some_and(|x| x.kind == TokenKind::Number)
            && let Some(x) = self.number_acc(i, Acc::Bare)
            && x.end == i + 1
            && let Some(mut b) = self.core_amount(i + 2, Acc::Bare)
            && b.low.is_some_and(|y| y > x.v)
        {
            b.start = i;
            b.value = None;
            b.low = Some(x.v * factor_of(&b, self));
            b.conservative = b.low;
            b.interval = true;
            return Some(b);
        }
        self.core_amount(i, Acc::Any)
    }

    /// `X و Y` (after بين) or `X إلى Y` (after من), unit after Y.
    fn range(&self, i: usize, between: bool) -> Option<Amt> {
        let x = self.number_acc(i, Acc::Any)?;
        let j = x.end;
        let (k, acc) = if between {
            if self.n(j) == "و" {
                (j + 1, Acc::Bare)
            } else {
                (j, Acc::Wa)
            }
        } else if let Some(e) = self.has(j, PKind::To, Acc::Bare) {
            (e, Acc::Bare)
        } else if self.n(j) == "-" {
            (j + 1, Acc::Bare)
        } else {
            (j, Acc::Any)
        };
        if !between && acc == Acc::Any {
            // من عشرة لعشرين: the second number carries ل.
            let t = self.t.get(k)?;
            let li = t.hits.iter().flatten().any(|h| h.pro == pro::LI);
            if !li {
                return None;
            }
        }
        let mut b = self.core_amount(k, if acc == Acc::Any { Acc::Any } else { acc })?;
        let y = b.value?;
        if y <= x.v * factor_of(&b, self) {
            // Not a rising range.
            if y < x.v {
                return None;
            }
        }
        let f = factor_of(&b, self);
        b.start = i;
        b.value = None;
        b.low = Some(x.v * f);
        b.high = Some(y);
        b.conservative = b.low;
        b.interval = true;
        Some(b)
    }
}

/// The unit factor already applied to an amount (kilograms → grams).
fn factor_of(a: &Amt, c: &Ctx<'_>) -> f64 {
    a.unit_tok
        .and_then(|t| c.unit(t))
        .map_or(1.0, |(u, _, _)| c.lex.units[u as usize].factor)
}
