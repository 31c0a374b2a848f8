//! Character-level normalization of Arabic text for matching and search.
//!
//! Arabic news spells the same word many ways: with or without diacritics
//! (tashkeel), stretched with tatweel (`ـ`), with any of four alef-hamza
//! forms, with `ى` or `ي` at the end, with `ة` or `ه`, with Persian keyboard
//! letters (`ک`, `ی`), with Eastern Arabic or Persian digits, and sometimes in
//! legacy presentation forms (`ﻻ`, `ﷲ`). Matching has to see through all of
//! that, while every match must still point at the characters the user wrote.
//!
//! The rules, and why:
//! - **Presentation forms** (U+FB50–U+FDFF, U+FE70–U+FEFF) and full-width
//!   forms are replaced by their Unicode NFKC decomposition, because they are
//!   glyph-level encodings of ordinary letters (old PDFs and web pages).
//! - **Diacritics** (U+064B–U+065F), the superscript alef (U+0670), Quranic
//!   annotation marks and **tatweel** (U+0640) are dropped: they are optional
//!   in Arabic orthography and almost never written consistently.
//! - Invisible format characters (ZWJ, ZWNJ, LRM, RLM, ALM, BOM, soft hyphen)
//!   are dropped: they come from copy-paste and break matching.
//! - **Alef variants** `أ إ آ ٱ` → `ا`: hamza seats on alef are routinely
//!   omitted in news text.
//! - **Alef maqsura** `ى` → `ي`: the two are confused in final position
//!   (Egyptian typing writes `على` as `علي`).
//! - **Ta marbuta** `ة` → `ه` *in the search form only* ([`Form::Search`]):
//!   writers drop the dots, but the match form keeps `ة` because the clitic
//!   analyser must tell a feminine ending from the pronoun suffix `ه`.
//! - **Persian/Urdu letters** `ک ڪ` → `ك`, `ی ې` → `ي`, `ۀ ہ ە` → `ه`: keyboards
//!   outside the Arab world produce them.
//! - **Digits**: Eastern Arabic (U+0660–0669) and Persian (U+06F0–06F9) → ASCII,
//!   so `١٢` and `12` are the same number.
//! - **Arabic punctuation** `،` `؛` `؟` `٫` `٬` `٪` → `,` `;` `?` `.` `,` `%`.
//! - ASCII letters are lower-cased so `MINUSMA` matches `Minusma`.
//!
//! Every rule maps one input character to zero or more output characters and
//! never looks at neighbours, so normalization is idempotent and a
//! normalized string can always be mapped back to the original text
//! ([`normalize_with_map`]). This module never changes the original text.
//!
//! For speed, the per-token search form ([`push_token_search_form`]) looks
//! the characters of the two-byte Arabic block U+0600..U+06FF up in a table
//! computed at compile time from these same rules, and copies runs of
//! unchanged characters in one go.

use unicode_normalization::char::decompose_compatible;

/// Which normalized form to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// Everything except `ة → ه`. Used for clitic analysis and lexicons that
    /// care about the feminine ending.
    Match,
    /// The form used for search and for all lexicon matching: also `ة → ه`.
    Search,
}

/// Is `c` an Arabic diacritic, Quranic mark, tatweel or invisible format
/// character that normalization drops?
#[inline]
pub const fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' |
        '\u{0610}'..='\u{061A}' | '\u{06D6}'..='\u{06DC}' | '\u{06DF}'..='\u{06E8}' |
        '\u{06EA}'..='\u{06ED}' | '\u{08D3}'..='\u{08FF}' |
        '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{FEFF}' | '\u{00AD}' | '\u{202A}'..='\u{202E}' |
        '\u{2066}'..='\u{2069}')
}

/// Is `c` a presentation or compatibility form that needs NFKC?
#[inline]
fn needs_nfkc(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' | '\u{FF01}'..='\u{FF5E}')
}

/// Map one character that is not dropped and not a presentation form.
#[inline]
const fn map_simple(c: char, form: Form) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' | '\u{0675}' => 'ا',
        'ى' | 'ی' | 'ې' | '\u{06CD}' => 'ي',
        'ة' if matches!(form, Form::Search) => 'ه',
        'ک' | 'ڪ' => 'ك',
        'ۀ' | 'ہ' | 'ە' | 'ھ' => 'ه',
        '\u{0660}'..='\u{0669}' => (b'0' + (c as u32 - 0x0660) as u8) as char,
        '\u{06F0}'..='\u{06F9}' => (b'0' + (c as u32 - 0x06F0) as u8) as char,
        '،' => ',',
        '؛' => ';',
        '؟' => '?',
        '\u{066B}' => '.',
        '\u{066C}' => ',',
        '\u{066A}' => '%',
        'A'..='Z' => c.to_ascii_lowercase(),
        _ => c,
    }
}

/// Push the normalized form of `c` onto `out`, calling `on_push` once per
/// pushed character. Returns nothing: dropped characters push nothing.
#[inline]
pub fn push_normalized(
    c: char,
    form: Form,
    out: &mut String,
    mut on_push: impl FnMut(&mut String),
) {
    // Fast path for the Arabic block's letters (U+0621..U+064A without the
    // tatweel), which are most of the text: only a handful map to something else.
    if ('\u{0621}'..='\u{064A}').contains(&c) && c != '\u{0640}' {
        let m = match c {
            'أ' | 'إ' | 'آ' => 'ا',
            'ى' => 'ي',
            'ة' if form == Form::Search => 'ه',
            _ => c,
        };
        out.push(m);
        on_push(out);
        return;
    }
    if c.is_ascii() {
        if c.is_ascii_uppercase() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
        on_push(out);
        return;
    }
    if is_dropped(c) {
        return;
    }
    if needs_nfkc(c) {
        decompose_compatible(c, |d| {
            if !is_dropped(d) {
                out.push(map_simple(d, form));
                on_push(out);
            }
        });
        return;
    }
    out.push(map_simple(c, form));
    on_push(out);
}

/// The search-form rule of one code point of the two-byte Arabic block
/// U+0600..U+06FF (UTF-8 lead bytes `D8`..`DB`).
#[derive(Clone, Copy)]
struct Search2 {
    /// What the character becomes (unused when dropped).
    out: char,
    /// `S_*` bits.
    flags: u8,
}

/// The character maps to itself.
const S_IDENT: u8 = 1;
/// The character is dropped.
const S_DROP: u8 = 2;
/// The character is `ة`.
const S_TA: u8 = 4;

/// [`push_normalized`] in [`Form::Search`] for every code point of
/// U+0600..U+06FF, computed at compile time from the same rules
/// ([`is_dropped`], [`map_simple`]; no presentation form lies in this block),
/// so the per-token loop needs no character decoding. Indexed by the raw
/// byte pair ([`pair_index`]).
static SEARCH2: [Search2; PAIRS] = build_search2();

const fn build_search2() -> [Search2; PAIRS] {
    let mut t = [Search2 {
        out: '\0',
        flags: 0,
    }; PAIRS];
    let mut k = 0;
    while k < PAIRS {
        let c = pair_char(k);
        t[k] = if is_dropped(c) {
            Search2 {
                out: c,
                flags: S_DROP,
            }
        } else {
            let m = map_simple(c, Form::Search);
            let mut flags = if m as u32 == c as u32 { S_IDENT } else { 0 };
            if c as u32 == 0x0629 {
                flags |= S_TA;
            }
            Search2 { out: m, flags }
        };
        k += 1;
    }
    t
}

/// Entries of a table indexed by [`pair_index`]: every byte pair with a
/// lead byte `D8`..`DB`.
pub(crate) const PAIRS: usize = 1024;

/// Index of the two bytes `b0 b1` in a table of [`PAIRS`] entries: `(b0 <<
/// 8 | b1) - 0xD800`, in range exactly when `b0` is `D8`..`DB`, the lead
/// bytes of U+0600..U+06FF. In valid UTF-8 such a lead byte is always
/// followed by its continuation byte, so a hit is that character.
#[inline]
pub(crate) const fn pair_index(b0: u8, b1: u8) -> usize {
    ((b0 as usize) << 8 | b1 as usize).wrapping_sub(0xD800)
}

/// The character a table index of [`pair_index`] stands for (`'\0'` for a
/// second byte that is no continuation byte, which valid UTF-8 never has).
pub(crate) const fn pair_char(k: usize) -> char {
    let (b0, b1) = ((0xD8 + (k >> 8)) as u32, (k & 0xFF) as u32);
    if b1 & 0xC0 != 0x80 {
        return '\0';
    }
    match char::from_u32((b0 & 0x1F) << 6 | (b1 & 0x3F)) {
        Some(c) => c,
        None => '\0',
    }
}

/// One two-byte Arabic character `e` at byte `i` of the token `s`: an
/// unchanged one extends the run being copied; another first flushes the
/// run, then writes its search form (nothing when dropped).
#[inline(always)]
fn push_pair(
    e: Search2,
    s: &str,
    i: usize,
    run: &mut usize,
    ta_marbuta: &mut bool,
    out: &mut String,
) {
    if e.flags & S_IDENT != 0 {
        *ta_marbuta = false;
        return;
    }
    if *run < i {
        out.push_str(&s[*run..i]);
    }
    if e.flags & S_DROP == 0 {
        out.push(e.out);
        *ta_marbuta = e.flags & S_TA != 0;
    }
    *run = i + 2;
}

/// Append the search form of one token to `out`, copying runs of
/// characters that normalization leaves unchanged in one go. Characters of
/// the two-byte Arabic block (U+0600..U+06FF) are looked up in a table
/// built at compile time from the character rules, and ASCII other than
/// capitals is unchanged; only the rest is decoded and normalized one
/// character at a time. Returns whether the token's last letter was `ة`
/// (which the search form writes `ه`).
pub fn push_token_search_form(s: &str, out: &mut String) -> bool {
    let b = s.as_bytes();
    // One ASCII character (most punctuation tokens): lower-cased, as below.
    if let &[c] = b
        && c.is_ascii()
    {
        out.push(c.to_ascii_lowercase() as char);
        return false;
    }
    let mut i = 0;
    let mut run = 0;
    let mut ta_marbuta = false;
    // A leading run of two-byte Arabic (all of most words), two bytes at a
    // time; the general loop below takes over at the first other character.
    for ch in b.chunks_exact(2) {
        let Some(&e) = SEARCH2.get(pair_index(ch[0], ch[1])) else {
            break;
        };
        push_pair(e, s, i, &mut run, &mut ta_marbuta, out);
        i += 2;
    }
    while i < b.len() {
        let c0 = b[i];
        if let Some(&e) = b.get(i + 1).and_then(|&c1| SEARCH2.get(pair_index(c0, c1))) {
            push_pair(e, s, i, &mut run, &mut ta_marbuta, out);
            i += 2;
            continue;
        }
        if c0 < 0x80 && !c0.is_ascii_uppercase() {
            i += 1;
            ta_marbuta = false;
            continue;
        }
        // Flush the unchanged run, then handle one character the slow way.
        out.push_str(&s[run..i]);
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        push_normalized(c, Form::Search, out, |_| {});
        if c == 'ة' {
            ta_marbuta = true;
        } else if !is_dropped(c) {
            ta_marbuta = false;
        }
        i += c.len_utf8();
        run = i;
    }
    if run < s.len() {
        out.push_str(&s[run..]);
    }
    ta_marbuta
}

/// Normalize `text` into a new string.
pub fn normalize(text: &str, form: Form) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_normalized(c, form, &mut out, |_| {});
    }
    out
}

/// Normalize `text` and return, with it, a map from every byte offset of the
/// normalized string (plus its end) to the byte offset in `text` of the
/// character it came from. `map.len() == normalized.len() + 1`; the last
/// entry is `text.len()`.
///
/// A span `a..b` of the normalized string maps back to
/// `map[a]..end_of(map[b-1])`, see [`NormMap::original_span`].
pub fn normalize_with_map(text: &str, form: Form) -> NormMap {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let start = out.len();
        push_normalized(c, form, &mut out, |_| {});
        for _ in start..out.len() {
            map.push(i as u32);
        }
    }
    map.push(text.len() as u32);
    NormMap {
        normalized: out,
        map,
    }
}

/// A normalized string with the way back to the original text.
#[derive(Debug, Clone)]
pub struct NormMap {
    /// The normalized text.
    pub normalized: String,
    map: Vec<u32>,
}

impl NormMap {
    /// Byte offset in the original text of the character that produced the
    /// normalized byte at `norm_byte`.
    pub fn original_offset(&self, norm_byte: usize) -> usize {
        self.map[norm_byte.min(self.map.len() - 1)] as usize
    }

    /// The original byte span covering the normalized byte span `a..b`
    /// (whole original characters, including any dropped diacritics that sit
    /// inside the span).
    pub fn original_span(&self, original: &str, a: usize, b: usize) -> (usize, usize) {
        if a >= b {
            let o = self.original_offset(a);
            return (o, o);
        }
        let start = self.original_offset(a);
        let last = self.original_offset(b - 1);
        // Extend to the end of the last character and over trailing dropped
        // marks that belong to it (diacritics, tatweel).
        let mut end = last + original[last..].chars().next().map_or(0, char::len_utf8);
        for c in original[end..].chars() {
            if is_dropped(c) && !c.is_whitespace() {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        (start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_rules() {
        assert_eq!(normalize("أَحْمَدُ", Form::Search), "احمد");
        assert_eq!(normalize("مدرسة", Form::Search), "مدرسه");
        assert_eq!(normalize("مدرسة", Form::Match), "مدرسة");
        assert_eq!(normalize("على", Form::Search), "علي");
        assert_eq!(normalize("١٢٬٠٠٠", Form::Search), "12,000");
        assert_eq!(normalize("ﷲ", Form::Search), "الله");
        assert_eq!(normalize("جـــيش", Form::Search), "جيش");
        assert_eq!(normalize("MINUSMA", Form::Search), "minusma");
    }

    /// The compile-time table must agree with [`push_normalized`] on every
    /// code point it covers.
    #[test]
    fn search2_table_matches_rules() {
        for k in 0..256u32 {
            let Some(c) = char::from_u32(0x600 + k) else {
                continue;
            };
            let mut want = String::new();
            push_normalized(c, Form::Search, &mut want, |_| {});
            let mut buf = [0u8; 4];
            let enc = c.encode_utf8(&mut buf).as_bytes();
            let e = SEARCH2[pair_index(enc[0], enc[1])];
            assert_eq!(
                pair_char(pair_index(enc[0], enc[1])),
                c,
                "U+{:04X}",
                c as u32
            );
            let got = if e.flags & S_DROP != 0 {
                String::new()
            } else {
                e.out.to_string()
            };
            assert_eq!(got, want, "U+{:04X}", c as u32);
            assert_eq!(
                e.flags & S_IDENT != 0,
                want == c.to_string(),
                "U+{:04X}",
                c as u32
            );
            assert_eq!(e.flags & S_TA != 0, c == 'ة', "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn map_back() {
        let t = "قالَ الـجيشُ";
        let m = normalize_with_map(t, Form::Search);
        assert_eq!(m.normalized, "قال الجيش");
        let a = m.normalized.find("الجيش").unwrap_or(0);
        let (s, e) = m.original_span(t, a, m.normalized.len());
        assert_eq!(&t[s..e], "الـجيشُ");
    }
}
