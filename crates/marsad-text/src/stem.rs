//! Light stemming for search, after Larkey, Ballesteros and Connell's
//! *light10* as implemented in Lucene's `ArabicStemmer` (the reference the
//! search field must agree with).
//!
//! Light stemming removes only affixes that are almost always inflection,
//! never roots: one prefix from `ال وال بال كال فال لل و` (longest listed
//! first, `و` only when at least three letters remain, the others when at
//! least two remain), then each suffix of `ها ان ات ون ين يه ية ه ة ي` in
//! that order when at least two letters remain. Words on the protected list
//! (`واشنطن`, `الله`) are returned unchanged, which is our one departure
//! from Lucene: names are not inflected.
//!
//! The stem is always a sub-slice of the normalized word, so it needs no
//! allocation.

use crate::lexicon::{Key, Lexicon};

const PREFIXES: [&str; 7] = ["ال", "وال", "بال", "كال", "فال", "لل", "و"];
const SUFFIXES: [&str; 10] = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

/// Code points of `s`, usable in constants.
const fn const_nchars(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] & 0xC0 != 0x80 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The affixes with their lengths in code points, counted at compile time.
const fn with_lens<const N: usize>(a: [&'static str; N]) -> [(&'static str, usize); N] {
    let mut out = [("", 0); N];
    let mut k = 0;
    while k < N {
        out[k] = (a[k], const_nchars(a[k]));
        k += 1;
    }
    out
}

const PREFIX_LENS: [(&str, usize); 7] = with_lens(PREFIXES);
const SUFFIX_LENS: [(&str, usize); 10] = with_lens(SUFFIXES);

/// Code points of `s` (its bytes that do not continue a character; words
/// are short, so this beats the general `chars().count()`).
#[inline]
fn nchars(s: &str) -> usize {
    s.bytes().filter(|&b| b & 0xC0 != 0x80).count()
}

/// Does `a` start with `p`? Compared byte by byte: affixes are a few bytes
/// long, too short for a call to `memcmp` to pay off.
#[inline]
pub(crate) fn has_prefix(a: &[u8], p: &[u8]) -> bool {
    a.len() >= p.len() && a.iter().zip(p).all(|(x, y)| x == y)
}

/// Does `a` end with `s`? Byte by byte, like [`has_prefix`].
#[inline]
pub(crate) fn has_suffix(a: &[u8], s: &[u8]) -> bool {
    a.len() >= s.len() && a[a.len() - s.len()..].iter().zip(s).all(|(x, y)| x == y)
}

/// The light10 stem of `word` (search form), as a byte range of `word`.
pub fn light10_range(word: &str) -> (usize, usize) {
    light10_range_key(word, Lexicon::key(word))
}

/// [`light10_range`] with the lexicon key of `word` already computed.
pub(crate) fn light10_range_key(word: &str, kw: Key) -> (usize, usize) {
    if Lexicon::get().protected_key(kw) {
        return (0, word.len());
    }
    let mut start = 0;
    let mut len = nchars(word);
    for &(p, plen) in &PREFIX_LENS {
        let ok = if plen == 1 { len >= 4 } else { len >= plen + 2 };
        if ok && has_prefix(word.as_bytes(), p.as_bytes()) {
            start = p.len();
            len -= plen;
            break;
        }
    }
    let mut end = word.len();
    for &(s, slen) in &SUFFIX_LENS {
        if len >= slen + 2 && has_suffix(&word.as_bytes()[start..end], s.as_bytes()) {
            end -= s.len();
            len -= slen;
        }
    }
    (start, end)
}

/// The light10 stem of `word` (search form).
pub fn light10(word: &str) -> &str {
    let (a, b) = light10_range(word);
    &word[a..b]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lucene_examples() {
        assert_eq!(light10("الحسن"), "حسن");
        assert_eq!(light10("والحسن"), "حسن");
        assert_eq!(light10("بالحسن"), "حسن");
        assert_eq!(light10("للحسن"), "حسن");
        assert_eq!(light10("وحسن"), "حسن");
        assert_eq!(light10("حسنها"), "حسن");
        assert_eq!(light10("حسنات"), "حسن");
        assert_eq!(light10("حسنون"), "حسن");
        assert_eq!(light10("حسنين"), "حسن");
        assert_eq!(light10("حسنه"), "حسن");
        assert_eq!(light10("حسني"), "حسن");
        assert_eq!(light10("واشنطن"), "واشنطن");
    }
}
