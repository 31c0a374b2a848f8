//! Gazetteer hints: one small bit set per token saying which name lists the
//! token belongs to, given to the tagger as features.
//!
//! The lists are data files in `data/` prefixed `ner-`:
//! - `ner-countries.txt`, `ner-places.txt`: derived from GeoNames by
//!   `scripts/build_ner_lexicons.py` (country names, populated places with
//!   an Arabic name).
//! - `ner-organizations.txt`, `ner-person-names.txt`, `ner-titles.txt`,
//!   `ner-person-triggers.txt`, `ner-org-heads.txt`, `ner-loc-heads.txt`,
//!   `ner-name-particles.txt`, `ner-time-words.txt`, `ner-nisba-stems.txt`:
//!   written by hand; each file's header says why its words are evidence.
//!
//! Matching works on the search form ([`marsad_text::normalize`]) and is
//! clitic-aware: a multi-word name is matched starting at a token whose
//! conjunction/preposition (`و ف ب ل ك`, and `لل` → `ال`) is stripped, so
//! `وبريطانيا`, `للأمم المتحدة` and `بالعراق` all hit their entries. A
//! token inside (not first in) a multi-word match also gets [`INSIDE`].
//!
//! These hints are *evidence*, never decisions: the tagger weighs them with
//! everything else it sees. The model was trained with exactly the hints this
//! module computes, so callers must pass [`hints_for_words`]'s output (or a
//! superset built by OR-ing in bits from a richer gazetteer, which the model
//! then reads as the same evidence) to [`super::Tagger::tag_words`].

use super::features::FastMap as HashMap;

use std::sync::OnceLock;

use marsad_text::normalize::{Form, push_normalized};

/// Gazetteer hints of one token: a bit set of the constants in this module.
pub type GazHints = u16;

/// Country name (or part of one).
pub const COUNTRY: GazHints = 1;
/// Populated place name (or part of one).
pub const PLACE: GazHints = 1 << 1;
/// Organization name (or part of one).
pub const ORG: GazHints = 1 << 2;
/// Given name.
pub const PERSON_NAME: GazHints = 1 << 3;
/// Title or role that precedes a name.
pub const TITLE: GazHints = 1 << 4;
/// Nisba adjective of nationality or origin.
pub const NISBA: GazHints = 1 << 5;
/// Speech or reporting verb.
pub const SPEECH: GazHints = 1 << 6;
/// Head noun of an organization name.
pub const ORG_HEAD: GazHints = 1 << 7;
/// Head noun of a place name.
pub const LOC_HEAD: GazHints = 1 << 8;
/// Not the first token of a multi-word list match.
pub const INSIDE: GazHints = 1 << 9;
/// Month or weekday name.
pub const TIME: GazHints = 1 << 10;
/// Particle inside personal names (`بن`, `أبو`, `عبد`).
pub const NAME_PARTICLE: GazHints = 1 << 11;

/// Number of hint bits in use (features are generated per bit).
pub const N_BITS: u32 = 12;

struct Lists {
    /// Search-form phrase (words joined by one space) → bits.
    phrases: HashMap<String, GazHints>,
    /// Search-form single words → bits (single-token entries only).
    words: HashMap<String, GazHints>,
    /// First words of multi-word phrases → longest phrase length in words.
    starts: HashMap<String, usize>,
    nisba: HashMap<String, ()>,
}

const FILES: &[(&str, GazHints)] = &[
    (include_str!("../../data/ner-countries.txt"), COUNTRY),
    (include_str!("../../data/ner-places.txt"), PLACE),
    (include_str!("../../data/ner-organizations.txt"), ORG),
    (include_str!("../../data/ner-person-names.txt"), PERSON_NAME),
    (include_str!("../../data/ner-titles.txt"), TITLE),
    (include_str!("../../data/ner-person-triggers.txt"), SPEECH),
    (include_str!("../../data/ner-org-heads.txt"), ORG_HEAD),
    (include_str!("../../data/ner-loc-heads.txt"), LOC_HEAD),
    (include_str!("../../data/ner-time-words.txt"), TIME),
    (
        include_str!("../../data/ner-name-particles.txt"),
        NAME_PARTICLE,
    ),
];
const NISBA_STEMS: &str = include_str!("../../data/ner-nisba-stems.txt");
/// Nisba endings, longest first (search form: `ة` is written `ه`).
const NISBA_ENDINGS: [&str; 7] = ["يتين", "يون", "يين", "يان", "يه", "ي", "ين"];

fn data_lines(s: &'static str) -> impl Iterator<Item = &'static str> {
    s.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

/// Search form of `s` (one word or a phrase).
pub(crate) fn search_form(s: &str, out: &mut String) {
    out.clear();
    for c in s.chars() {
        push_normalized(c, Form::Search, out, |_| {});
    }
}

fn lists() -> &'static Lists {
    static L: OnceLock<Lists> = OnceLock::new();
    L.get_or_init(|| {
        let mut phrases: HashMap<String, GazHints> = HashMap::default();
        let mut words: HashMap<String, GazHints> = HashMap::default();
        let mut starts: HashMap<String, usize> = HashMap::default();
        let mut buf = String::new();
        for &(text, bit) in FILES {
            for line in data_lines(text) {
                search_form(line, &mut buf);
                let ws: Vec<&str> = buf.split_whitespace().collect();
                match ws.len() {
                    0 => {}
                    1 => *words.entry(ws[0].to_string()).or_default() |= bit,
                    n => {
                        *phrases.entry(ws.join(" ")).or_default() |= bit;
                        let e = starts.entry(ws[0].to_string()).or_default();
                        *e = (*e).max(n);
                    }
                }
            }
        }
        let mut nisba = HashMap::default();
        for line in data_lines(NISBA_STEMS) {
            search_form(line, &mut buf);
            nisba.insert(buf.clone(), ());
        }
        Lists {
            phrases,
            words,
            starts,
            nisba,
        }
    })
}

/// Candidate forms of a token to look up: its search form, its
/// clitic-free base, and (when it had the article) the base with `ال`, so
/// `للأمم` is looked up as `الامم` and `والعراق` as `العراق`.
fn variants(t: &HintTok<'_>, out: &mut [String; 3]) -> usize {
    out[0].clear();
    out[0].push_str(t.norm);
    let mut n = 1;
    if t.base != t.norm && !t.base.is_empty() {
        out[n].clear();
        out[n].push_str(t.base);
        n += 1;
        if t.article {
            out[n].clear();
            out[n].push_str("ال");
            out[n].push_str(t.base);
            if out[n] != t.norm {
                n += 1;
            }
        }
    }
    n
}

/// What the hint matcher needs of a token: its search form, clitic-free
/// base (search form) and whether the article was split off.
#[derive(Debug, Clone, Copy)]
pub struct HintTok<'a> {
    /// Search form.
    pub norm: &'a str,
    /// Clitic-free base.
    pub base: &'a str,
    /// Did the token carry the article `ال`?
    pub article: bool,
}

fn is_nisba(w: &str, l: &Lists) -> bool {
    let w = w.strip_prefix("ال").unwrap_or(w);
    for e in NISBA_ENDINGS {
        if let Some(stem) = w.strip_suffix(e)
            && stem.chars().count() >= 2
            && l.nisba.contains_key(stem)
        {
            return true;
        }
    }
    false
}

/// What one token alone says: the bits of its single-word entries and
/// nisba form, and whether some variant starts a multi-word entry.
fn word_hints(t: &HintTok<'_>, l: &Lists, vars: &mut [String; 3]) -> (GazHints, bool) {
    let mut bits = 0;
    let mut starts = false;
    let nv = variants(t, vars);
    for v in &vars[..nv] {
        if let Some(&b) = l.words.get(v.as_str()) {
            bits |= b;
        }
        if let Some(bare) = v.strip_prefix("ال")
            && bare.chars().count() >= 2
            && let Some(&b) = l.words.get(bare)
        {
            // Head nouns and titles are listed without the article.
            bits |= b & (TITLE | ORG_HEAD | LOC_HEAD);
        }
        if is_nisba(v, l) {
            bits |= NISBA;
        }
        starts |= l.starts.contains_key(v.as_str());
    }
    (bits, starts)
}

/// Word hints cached per thread ([`super::cache`]), keyed by a hash of
/// the token's forms: most tokens of a text are words seen before.
const WORD_CACHE: usize = 1 << 15;

thread_local! {
    static WORDS: std::cell::RefCell<super::cache::GenCache<u64, (GazHints, bool)>> =
        std::cell::RefCell::new(super::cache::GenCache::new(WORD_CACHE));
}

/// Hints for a sentence given its analysed tokens.
pub fn hints_for_tokens(toks: &[HintTok<'_>]) -> Vec<GazHints> {
    let l = lists();
    let mut out = vec![0 as GazHints; toks.len()];
    let mut vars: [String; 3] = Default::default();
    let mut key = String::new();
    for i in 0..toks.len() {
        let t = &toks[i];
        let k = super::features::fnv(t.norm.as_bytes()).rotate_left(17)
            ^ super::features::fnv(t.base.as_bytes())
            ^ t.article as u64;
        let (bits, starts) = WORDS.with(|c| {
            c.borrow_mut()
                .get_or_insert_with(k, || word_hints(t, l, &mut vars))
        });
        out[i] |= bits;
        if !starts {
            continue;
        }
        let nv = variants(t, &mut vars);
        for v in &vars[..nv] {
            let Some(&maxlen) = l.starts.get(v.as_str()) else {
                continue;
            };
            key.clear();
            key.push_str(v);
            for (len, next) in toks.iter().enumerate().skip(i + 1).take(maxlen - 1) {
                key.push(' ');
                key.push_str(next.norm);
                if let Some(&b) = l.phrases.get(key.as_str()) {
                    out[i] |= b;
                    for h in &mut out[i + 1..=len] {
                        *h |= b | INSIDE;
                    }
                }
            }
        }
    }
    out
}

/// Hints for a sentence given its tokens as written (analysed with the
/// text layer's clitic rules, as [`marsad_text::analyze`] would).
pub fn hints_for_words(words: &[&str]) -> Vec<GazHints> {
    let a = super::analyse_words(words);
    let toks: Vec<HintTok<'_>> = a.iter().map(|r| a.hint_tok(r)).collect();
    hints_for_tokens(&toks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clitic_aware_multiword_match() {
        let h = hints_for_words(&["وقال", "الرئيس", "إن", "للأمم", "المتحدة", "كبيرا"]);
        assert_ne!(h[0] & SPEECH, 0);
        assert_ne!(h[1] & TITLE, 0);
        assert_ne!(h[3] & ORG, 0);
        assert_ne!(h[4] & ORG, 0);
        assert_ne!(h[4] & INSIDE, 0);
        assert_eq!(h[5], 0);
    }

    #[test]
    fn nisba_and_country() {
        let h = hints_for_words(&["الجيش", "الفرنسي", "في", "ومالي"]);
        assert_ne!(h[1] & NISBA, 0);
        assert_ne!(h[3] & COUNTRY, 0);
        assert_eq!(h[0] & (COUNTRY | NISBA), 0);
    }
}
