//! Clitic analysis: which letters at the edges of an Arabic word are
//! separate words written attached (proclitics and enclitic pronouns).
//!
//! Written by hand because no Rust library segments Arabic clitics, and the
//! Python analysers (CAMeL Tools, Farasa) are two orders of magnitude too
//! slow for our throughput target. The analysis works on the search form of
//! one word and returns byte lengths, never allocating.
//!
//! # Proclitics
//! In order of attachment: a conjunction `و` or `ف`; then a preposition `ب`,
//! `ك`, `ل` or the future particle `س`; then the article `ال`. `ل` + `ال`
//! is written `لل` (the alef drops): `للأمم` = `ل + ال + أمم`.
//!
//! Rules, and why:
//! 1. A word on the protected list (`data/protected.txt`) is never split:
//!    `الله`, `إلى` (`الي`), `التي` begin with `ال` but have no article;
//!    `واشنطن`, `فلسطين`, `لبنان` begin with clitic-looking letters.
//! 2. The article is split when at least two letters remain (`الجيش` →
//!    `ال + جيش`); Arabic has no stems of fewer than two letters.
//! 3. Without the article, a conjunction/preposition is split only on
//!    evidence that the remainder is a word and the whole is not: the
//!    remainder (≥ 2 letters) is attested in the vocabulary and the whole
//!    word does not itself take the article. `وقال` → `و + قال` (`قال` is
//!    attested, `الوقال` is not); `وزير` stays whole (`الوزير` is attested);
//!    `والي` stays whole. For out-of-vocabulary words (rare names,
//!    typos) a single `و`/`ف` is split only when at least four letters
//!    remain (`وتينزاوتين`), since short unknown words are more often names.
//! 4. `س` (future) is only split before an imperfect-verb prefix
//!    (`ي ت ن ا`): `سيغادر` = `س + يغادر`, but `سلام` is a noun.
//!
//! # Enclitics
//! Object and possessive pronouns `هما هم ها كما كم كن نا ه ي`, longest
//! first. Rules:
//! 1. Never on a word with the article: Arabic does not allow `ال` and a
//!    possessive pronoun on the same noun (`الحكومتها` is ungrammatical).
//! 2. `ه` is never split from a word that ended in `ة` (the feminine ending
//!    was written, so the `ه` in the search form is not a pronoun).
//! 3. The stem must be attested in the vocabulary (or, if it ends in `ت`,
//!    its form with `ة`: `حكومتها` → `حكومت` → `حكومه`), and the whole
//!    word must not take the article (`تفاهم` stays whole because `التفاهم`
//!    is attested; `قواتهم` splits because `القواتهم` is not).
//! 4. `ي` (my) is split only from stems of at least two letters that are
//!    attested and when the whole word does not take the article, which
//!    keeps nisba adjectives and names (`مالي`, `المالي`, `عربي`) whole.

use crate::lexicon::{Key, Lexicon};

/// The proclitics found on a word, as a bit set in attachment order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Proclitics(pub(crate) u8);

impl Proclitics {
    const WA: u8 = 1;
    const FA: u8 = 2;
    const BI: u8 = 4;
    const KA: u8 = 8;
    const LI: u8 = 16;
    const SA: u8 = 32;
    const AL: u8 = 64;

    /// No proclitic.
    pub const NONE: Proclitics = Proclitics(0);

    /// Does it include the article `ال`?
    pub fn has_article(self) -> bool {
        self.0 & Self::AL != 0
    }

    /// Is the set empty?
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The proclitics as strings, in attachment order (`و`, `ب`, `ال`, ...).
    pub fn iter(self) -> impl Iterator<Item = &'static str> {
        [
            (Self::WA, "و"),
            (Self::FA, "ف"),
            (Self::BI, "ب"),
            (Self::KA, "ك"),
            (Self::LI, "ل"),
            (Self::SA, "س"),
            (Self::AL, "ال"),
        ]
        .into_iter()
        .filter(move |(b, _)| self.0 & b != 0)
        .map(|(_, s)| s)
    }

    /// Does it include the preposition `ب`, `ل` or `ك`?
    pub fn has_preposition(self) -> bool {
        self.0 & (Self::BI | Self::LI | Self::KA) != 0
    }
}

/// An enclitic pronoun.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Enclitic {
    /// None.
    #[default]
    None,
    /// `ه` him/his.
    Hu,
    /// `ها` her/its.
    Ha,
    /// `هم` them (m.).
    Hum,
    /// `هما` them two.
    Huma,
    /// `كم` you (pl.).
    Kum,
    /// `كما` you two.
    Kuma,
    /// `كن` you (f. pl.).
    Kunna,
    /// `نا` us/our.
    Na,
    /// `ي` me/my.
    Ya,
}

impl Enclitic {
    /// The pronoun as written (search form), empty for `None`.
    pub fn as_str(self) -> &'static str {
        match self {
            Enclitic::None => "",
            Enclitic::Hu => "ه",
            Enclitic::Ha => "ها",
            Enclitic::Hum => "هم",
            Enclitic::Huma => "هما",
            Enclitic::Kum => "كم",
            Enclitic::Kuma => "كما",
            Enclitic::Kunna => "كن",
            Enclitic::Na => "نا",
            Enclitic::Ya => "ي",
        }
    }
}

const ENCLITICS: [(Enclitic, &str); 9] = [
    (Enclitic::Huma, "هما"),
    (Enclitic::Kuma, "كما"),
    (Enclitic::Hum, "هم"),
    (Enclitic::Ha, "ها"),
    (Enclitic::Kum, "كم"),
    (Enclitic::Kunna, "كن"),
    (Enclitic::Na, "نا"),
    (Enclitic::Hu, "ه"),
    (Enclitic::Ya, "ي"),
];

/// Result of clitic analysis of one word (search form).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CliticSplit {
    /// The proclitics.
    pub pro: Proclitics,
    /// The enclitic pronoun.
    pub enc: Enclitic,
    /// Byte offset in the word where the base starts.
    pub base_start: usize,
    /// Byte offset in the word where the base ends.
    pub base_end: usize,
}

const ALEF_LAM: &str = "ال";
const AR_LETTER_BYTES: usize = 2;

#[inline]
fn nchars(s: &str) -> usize {
    // Arabic letters in the search form are all two bytes.
    s.len() / AR_LETTER_BYTES
}

/// Analyse the clitics of `word` (search form, Arabic letters only).
/// `had_ta_marbuta` says whether the original word ended in `ة`.
pub fn analyse(word: &str, had_ta_marbuta: bool) -> CliticSplit {
    analyse_key(word, Lexicon::key(word), had_ta_marbuta)
}

/// [`analyse`] with the lexicon key of `word` already computed. Every form
/// (the word, its rest after a conjunction, its base) is hashed once and
/// asked all its lexicon questions by key.
pub(crate) fn analyse_key(word: &str, kw: Key, had_ta_marbuta: bool) -> CliticSplit {
    let lex = Lexicon::get();
    let whole = CliticSplit {
        pro: Proclitics::NONE,
        enc: Enclitic::None,
        base_start: 0,
        base_end: word.len(),
    };
    if nchars(word) < 3 || lex.protected_key(kw) {
        return whole;
    }
    let (pro, base_start) = proclitics(word, kw, lex);
    let base = &word[base_start..];
    let mut split = CliticSplit {
        pro,
        enc: Enclitic::None,
        base_start,
        base_end: word.len(),
    };
    if pro.has_article() {
        return split;
    }
    let kb = if base_start == 0 {
        kw
    } else {
        Lexicon::key(base)
    };
    if lex.protected_key(kb) {
        return split;
    }
    if let Some((enc, len)) = enclitic(base, kb, had_ta_marbuta, lex) {
        split.enc = enc;
        split.base_end = word.len() - len;
    }
    split
}

fn proclitics(word: &str, kw: Key, lex: &Lexicon) -> (Proclitics, usize) {
    let mut bits = 0u8;
    // Conjunction.
    let conj = if word.starts_with("و") {
        Some(Proclitics::WA)
    } else if word.starts_with("ف") {
        Some(Proclitics::FA)
    } else {
        None
    };
    // Try the analyses from the richest to the poorest and keep the first
    // that the rules accept.
    let rest_after_conj = if conj.is_some() {
        &word[AR_LETTER_BYTES..]
    } else {
        word
    };
    let kr = if conj.is_some() {
        Lexicon::key(rest_after_conj)
    } else {
        kw
    };
    // Article directly after the conjunction (or at the start).
    if let Some(after) = strip_article_key(rest_after_conj, kr, lex) {
        if let Some(c) = conj {
            bits |= c;
        }
        bits |= Proclitics::AL;
        return (Proclitics(bits), word.len() - after.len());
    }
    // Preposition + article, or لل.
    for (bit, letter) in [
        (Proclitics::BI, "ب"),
        (Proclitics::KA, "ك"),
        (Proclitics::LI, "ل"),
    ] {
        if let Some(r) = rest_after_conj.strip_prefix(letter) {
            let after_art = if letter == "ل" && r.starts_with("ل") && !r.starts_with(ALEF_LAM) {
                // لل = ل + ال with the alef dropped.
                let rr = &r[AR_LETTER_BYTES..];
                (nchars(rr) >= 2 && !lex.protected(rr)).then_some(rr)
            } else {
                strip_article(r, lex)
            };
            if let Some(after) = after_art {
                if let Some(c) = conj {
                    bits |= c;
                }
                bits |= bit | Proclitics::AL;
                return (Proclitics(bits), word.len() - after.len());
            }
        }
    }
    // No article: conjunction and/or preposition/future, on evidence.
    let whole_is_word =
        lex.takes_article_key(kw) || (lex.attested_key(kw) && !lex.attested_key(kr));
    if whole_is_word {
        return (Proclitics::NONE, 0);
    }
    for (bit, letter) in [
        (Proclitics::BI, "ب"),
        (Proclitics::KA, "ك"),
        (Proclitics::LI, "ل"),
        (Proclitics::SA, "س"),
    ] {
        if let Some(r) = rest_after_conj.strip_prefix(letter) {
            if bit == Proclitics::SA
                && !(r.starts_with("ي")
                    || r.starts_with("ت")
                    || r.starts_with("ن")
                    || r.starts_with("ا"))
            {
                continue;
            }
            if nchars(r) >= 2
                && lex.attested(r)
                && !lex.takes_article_key(kr)
                && !lex.protected_key(kr)
            {
                if let Some(c) = conj {
                    bits |= c;
                }
                bits |= bit;
                return (Proclitics(bits), word.len() - r.len());
            }
        }
    }
    if let Some(c) = conj {
        let r = rest_after_conj;
        let ok = if lex.attested_key(kr) || lex.takes_article_key(kr) {
            nchars(r) >= 2
        } else {
            !lex.attested_key(kw) && nchars(r) >= 4
        };
        if ok || lex.protected_key(kr) {
            bits |= c;
            return (Proclitics(bits), AR_LETTER_BYTES);
        }
    }
    (Proclitics::NONE, 0)
}

fn strip_article<'a>(w: &'a str, lex: &Lexicon) -> Option<&'a str> {
    // (Hashed only when the article is there.)
    if !w.starts_with(ALEF_LAM) {
        return None;
    }
    strip_article_key(w, Lexicon::key(w), lex)
}

/// [`strip_article`] with the key of `w` already computed.
fn strip_article_key<'a>(w: &'a str, kw: Key, lex: &Lexicon) -> Option<&'a str> {
    let r = w.strip_prefix(ALEF_LAM)?;
    (nchars(r) >= 2 && !lex.protected_key(kw)).then_some(r)
}

fn enclitic(base: &str, kb: Key, had_ta_marbuta: bool, lex: &Lexicon) -> Option<(Enclitic, usize)> {
    if lex.takes_article_key(kb) {
        return None;
    }
    for &(enc, s) in &ENCLITICS {
        if enc == Enclitic::Hu && had_ta_marbuta {
            continue;
        }
        if !crate::stem::has_suffix(base.as_bytes(), s.as_bytes()) {
            continue;
        }
        let Some(stem) = base.get(..base.len() - s.len()) else {
            continue;
        };
        if nchars(stem) < 2 {
            continue;
        }
        let ks = Lexicon::key(stem);
        let attested = lex.attested_key(ks)
            || lex.takes_article_key(ks)
            || stem.strip_suffix("ت").is_some_and(|t| {
                // حكومت → حكومه (ة in the search form), hashed from its
                // bytes on the stack.
                let mut buf = [0u8; 64];
                let n = t.len();
                if n + 2 > buf.len() {
                    return false;
                }
                buf[..n].copy_from_slice(t.as_bytes());
                buf[n..n + 2].copy_from_slice("ه".as_bytes());
                let kf = Key::of_bytes(&buf[..n + 2]);
                lex.attested_key(kf) || lex.takes_article_key(kf)
            });
        if attested {
            return Some((enc, s.len()));
        }
        // The longest matching suffix decides; `ها` failing does not make `ه`+`ا` plausible.
        if enc != Enclitic::Huma && enc != Enclitic::Kuma {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(w: &str) -> (Vec<&'static str>, String, &'static str) {
        let s = analyse(w, false);
        (
            s.pro.iter().collect(),
            w[s.base_start..s.base_end].to_string(),
            s.enc.as_str(),
        )
    }

    #[test]
    fn splits() {
        assert_eq!(parts("وقال"), (vec!["و"], "قال".into(), ""));
        assert_eq!(parts("الجيش"), (vec!["ال"], "جيش".into(), ""));
        assert_eq!(parts("للامم"), (vec!["ل", "ال"], "امم".into(), ""));
        assert_eq!(
            parts("وبالمدينه"),
            (vec!["و", "ب", "ال"], "مدينه".into(), "")
        );
        assert_eq!(parts("بباماكو"), (vec!["ب"], "باماكو".into(), ""));
        assert_eq!(parts("ومالي"), (vec!["و"], "مالي".into(), ""));
    }

    #[test]
    fn protected_and_lexical() {
        for w in [
            "واشنطن",
            "فلسطين",
            "الله",
            "والي",
            "الي",
            "وزير",
            "مالي",
            "المالي",
            "التي",
        ] {
            let (p, b, e) = parts(w);
            assert!(
                p.is_empty() || w.starts_with("ال") && w != "الله" && w != "الي" && w != "التي",
                "{w}: {p:?}"
            );
            assert!(e.is_empty(), "{w}: enclitic {e}");
            let _ = b;
        }
    }
}
