//! Tokenization of Arabic news text into spans of the original string.
//!
//! Written by hand because general-purpose segmenters (Unicode UAX #29,
//! whitespace splitting) get Arabic news wrong in ways that matter here:
//! they split `11,600` and `٣٫٥` at the separator, break `C-130` and URLs
//! apart, treat tatweel and diacritics as word boundaries, and know nothing
//! of hashtags written with Arabic letters (`#مالي_اليوم`).
//!
//! Token kinds, in the order they are tried at each position:
//! - [`TokenKind::Url`]: `http://`, `https://` or `www.` up to whitespace,
//!   without trailing punctuation (`.`, `،`, `)`, `»`, quotes).
//! - [`TokenKind::Email`]: ASCII local part, `@`, a dotted domain.
//! - [`TokenKind::Hashtag`] `#` + letters/digits/underscores (any script);
//!   [`TokenKind::Mention`] `@` + ASCII letters/digits/underscores.
//! - [`TokenKind::Number`]: digits in any of the three digit sets, with
//!   thousands groups (`,` or `٬` followed by exactly three digits), one
//!   decimal part (`.` or `٫` followed by a digit), and a trailing `%`/`٪`.
//!   A comma not followed by exactly three digits ends the number, so
//!   `2020,2021` is two numbers.
//! - [`TokenKind::Latin`]: Latin letters and digits, joined by inner hyphens
//!   or apostrophes (`C-130`, `CSP-PSD`, `COVID-19`, `O'Brien`), and dotted
//!   acronyms (`U.S.`).
//! - [`TokenKind::Word`]: Arabic letters, with any diacritics, tatweel and
//!   zero-width joiners they carry.
//! - [`TokenKind::Punct`]: anything else that is not whitespace, one
//!   character per token except runs of dots (`...`).
//!
//! Offsets are byte offsets into the original string; see
//! [`crate::CharMap`] for code-point offsets. This module never allocates
//! per token.
//!
//! Speed: Arabic text is mostly two-byte UTF-8 (U+0600..U+06FF), so the
//! scanner classifies those characters with one lookup in a table built at
//! compile time from the predicates below ([`is_arabic_letter`],
//! [`crate::normalize::is_dropped`]) instead of decoding each character
//! and testing a chain of ranges (the table is indexed by the raw byte
//! pair). A unit test checks it against the predicates.

use crate::normalize::{PAIRS, is_dropped, pair_char, pair_index};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// An Arabic word (possibly with clitics attached).
    Word,
    /// A number written with digits, possibly with separators and `%`.
    Number,
    /// A word in Latin script, an acronym or a model name (`C-130`).
    Latin,
    /// A web address.
    Url,
    /// An e-mail address.
    Email,
    /// `#tag`.
    Hashtag,
    /// `@handle`.
    Mention,
    /// Punctuation or any other symbol.
    Punct,
}

impl TokenKind {
    /// The kind's name as it appears in JSON (`word`, `number`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Word => "word",
            TokenKind::Number => "number",
            TokenKind::Latin => "latin",
            TokenKind::Url => "url",
            TokenKind::Email => "email",
            TokenKind::Hashtag => "hashtag",
            TokenKind::Mention => "mention",
            TokenKind::Punct => "punct",
        }
    }
}

/// A raw token: kind and byte span in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawToken {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
    /// What it is.
    pub kind: TokenKind,
    /// The token is made only of characters that normalization leaves as
    /// they are (most Arabic words): its search form is its text.
    pub plain: bool,
}

/// Is `c` an Arabic letter (not a digit, mark or punctuation)?
#[inline]
pub const fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{066E}'..='\u{066F}' |
        '\u{0671}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}' | '\u{06FA}'..='\u{06FF}' |
        '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}' |
        '\u{FB50}'..='\u{FD3D}' | '\u{FD50}'..='\u{FDFB}' | '\u{FE70}'..='\u{FEFC}')
}

/// Is `c` a digit in the ASCII, Eastern Arabic or Persian set?
#[inline]
pub fn is_digit(c: char) -> bool {
    matches!(c, '0'..='9' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

/// Value of a digit in any of the three sets.
#[inline]
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

/// [`is_arabic_letter`].
const T_LETTER: u8 = 1;
/// U+0621..U+065F: letters, tatweel and marks that the first, fast part of
/// a word scan accepts.
const T_RUN: u8 = 2;
/// Accepted by the fast part and left unchanged by normalization: the
/// letters of U+0621..U+064A except `آ أ إ ة ى`.
const T_PLAIN: u8 = 4;
/// Continues a word after the fast part: an Arabic letter, tatweel or a
/// dropped mark.
const T_CONT: u8 = 8;

/// Classes of the code points U+0600..U+06FF (two-byte UTF-8 with lead
/// byte `D8`..`DB`), computed at compile time from the predicates above so
/// the tokenizer's hot loops need no character decoding: one lookup per
/// letter, indexed by the raw byte pair ([`pair_index`]).
static CLASS2: [u8; PAIRS] = build_class2();

const fn build_class2() -> [u8; PAIRS] {
    let mut t = [0u8; PAIRS];
    let mut k = 0;
    while k < PAIRS {
        let c = pair_char(k);
        let cp = c as u32;
        let mut f = 0;
        if is_arabic_letter(c) {
            f |= T_LETTER;
        }
        if cp >= 0x0621 && cp <= 0x065F {
            f |= T_RUN;
        }
        let plain =
            (cp >= 0x0621 && cp <= 0x063A && !matches!(cp, 0x0622 | 0x0623 | 0x0625 | 0x0629))
                || (cp >= 0x0641 && cp <= 0x064A && cp != 0x0649);
        if plain {
            f |= T_PLAIN;
        }
        // No code point of this block is whitespace or U+FEFF (checked by a
        // test), so the word-continuation rule reduces to this.
        if is_arabic_letter(c) || cp == 0x0640 || is_dropped(c) {
            f |= T_CONT;
        }
        t[k] = f;
        k += 1;
    }
    t
}

/// The `CLASS2` bits of the character at `i` if it is two-byte Arabic
/// (U+0600..U+06FF), else `None`.
#[inline]
fn class2_at(bytes: &[u8], i: usize) -> Option<u8> {
    let b0 = *bytes.get(i)?;
    let b1 = *bytes.get(i + 1)?;
    CLASS2.get(pair_index(b0, b1)).copied()
}

#[inline]
fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (c > '\u{00BF}' && c < '\u{0250}' && c.is_alphabetic())
}

#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// Tokenize `text`, calling `f` for every token in order.
pub fn tokenize_with(text: &str, mut f: impl FnMut(RawToken)) {
    let bytes = text.as_bytes();
    let n = text.len();
    let mut i = 0usize;
    while i < n {
        let b = bytes[i];
        // Fast path for ASCII whitespace.
        if b == b' ' || b == b'\n' || b == b'\t' || b == b'\r' {
            i += 1;
            continue;
        }
        // Fast path for a word starting with a two-byte Arabic letter (it is
        // neither whitespace nor dropped, so the general path below would
        // come to the same `scan_word`).
        if let Some(cls) = class2_at(bytes, i)
            && cls & T_LETTER != 0
        {
            let (end, plain) = scan_word(text, i);
            f(RawToken {
                start: i as u32,
                end: end as u32,
                kind: TokenKind::Word,
                plain,
            });
            i = end;
            continue;
        }
        let Some(c) = char_at(text, i) else { break };
        if c.is_whitespace() || (is_dropped(c) && !c.is_alphanumeric()) && c != '\u{0640}' {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let mut plain = false;
        let (end, kind) = if is_arabic_letter(c) || c == '\u{0640}' {
            let (e, p) = scan_word(text, i);
            plain = p;
            (e, TokenKind::Word)
        } else if is_digit(c) {
            (scan_number(text, i), TokenKind::Number)
        } else if c.is_ascii_alphabetic() {
            if let Some(e) = scan_url(text, i) {
                (e, TokenKind::Url)
            } else if let Some(e) = scan_email(text, i) {
                (e, TokenKind::Email)
            } else {
                (scan_latin(text, i), TokenKind::Latin)
            }
        } else if is_latin_letter(c) {
            (scan_latin(text, i), TokenKind::Latin)
        } else if c == '#' {
            match scan_tag_body(text, i + 1, true) {
                Some(e) => (e, TokenKind::Hashtag),
                None => (i + 1, TokenKind::Punct),
            }
        } else if c == '@' {
            match scan_tag_body(text, i + 1, false) {
                Some(e) => (e, TokenKind::Mention),
                None => (i + 1, TokenKind::Punct),
            }
        } else if c == '.' {
            let mut e = i + 1;
            while e < n && bytes[e] == b'.' {
                e += 1;
            }
            (e, TokenKind::Punct)
        } else {
            (i + c.len_utf8(), TokenKind::Punct)
        };
        f(RawToken {
            start: start as u32,
            end: end as u32,
            kind,
            plain,
        });
        i = end.max(i + 1);
        // Never stop inside a multi-byte character.
        while i < n && !text.is_char_boundary(i) {
            i += 1;
        }
    }
}

/// Tokenize into a vector.
pub fn tokenize(text: &str) -> Vec<RawToken> {
    let mut v = Vec::with_capacity(text.len() / 6);
    tokenize_with(text, |t| v.push(t));
    v
}

/// Scan an Arabic word starting at `i`: its end and whether it is plain.
///
/// A first, fast part runs over the common Arabic block U+0621..U+065F
/// (letters, tatweel, marks); once it meets anything else, a second part
/// continues over Arabic letters of any block, tatweel and dropped marks.
/// The word ends after its last character; it is plain when the fast part
/// covered it all and met only letters that normalization leaves unchanged.
#[inline]
fn scan_word(text: &str, mut i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut plain = true;
    // Two bytes at a time (the fast part only accepts two-byte characters).
    let mut all = T_PLAIN;
    for ch in bytes[i..].chunks_exact(2) {
        let Some(&cls) = CLASS2.get(pair_index(ch[0], ch[1])) else {
            break;
        };
        if cls & T_RUN == 0 {
            break;
        }
        all &= cls;
        i += 2;
    }
    plain &= all & T_PLAIN != 0;
    // ASCII (space, punctuation) never continues a word.
    if bytes.get(i).is_none_or(|b| b.is_ascii()) {
        return (i, plain);
    }
    let (end, rest_plain) = scan_word_rest(text, i);
    (end, plain && rest_plain)
}

/// The second part of [`scan_word`], from `i` on: its end, and whether it
/// was empty. Rare, so kept out of line.
#[inline(never)]
fn scan_word_rest(text: &str, mut i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut plain = true;
    loop {
        if let Some(cls) = class2_at(bytes, i) {
            if cls & T_CONT == 0 {
                break;
            }
            plain = false;
            i += 2;
            continue;
        }
        let Some(c) = char_at(text, i) else { break };
        if is_arabic_letter(c)
            || c == '\u{0640}'
            || (is_dropped(c) && !c.is_whitespace() && c != '\u{FEFF}')
        {
            // Tatweel and marks belong to the word: `هـ` keeps its tatweel.
            plain = false;
            i += c.len_utf8();
        } else {
            break;
        }
    }
    (i, plain)
}

fn scan_digits(text: &str, mut i: usize) -> usize {
    while let Some(c) = char_at(text, i) {
        if is_digit(c) {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

fn count_digits(text: &str, i: usize) -> (usize, usize) {
    let e = scan_digits(text, i);
    (text[i..e].chars().count(), e)
}

fn scan_number(text: &str, i: usize) -> usize {
    let mut e = scan_digits(text, i);
    // Thousands groups: separator followed by exactly three digits, then not
    // another digit.
    while let Some(sep @ (',' | '\u{066C}')) = char_at(text, e) {
        let after = e + sep.len_utf8();
        let (cnt, end) = count_digits(text, after);
        if cnt != 3 {
            break;
        }
        e = end;
    }
    // One decimal part.
    if let Some(sep @ ('.' | '\u{066B}')) = char_at(text, e) {
        let after = e + sep.len_utf8();
        if char_at(text, after).is_some_and(is_digit) {
            e = scan_digits(text, after);
        }
    }
    if let Some(p @ ('%' | '\u{066A}')) = char_at(text, e) {
        e += p.len_utf8();
    }
    e
}

fn scan_latin(text: &str, mut i: usize) -> usize {
    loop {
        // A run of letters/digits.
        let run_start = i;
        while let Some(c) = char_at(text, i) {
            if is_latin_letter(c) || c.is_ascii_digit() {
                i += c.len_utf8();
            } else {
                break;
            }
        }
        if i == run_start {
            return i;
        }
        // Joiners: hyphen/apostrophe followed by a letter or digit, or a dot
        // inside a dotted acronym (`U.S.`).
        match char_at(text, i) {
            Some(j @ ('-' | '\'' | '\u{2019}' | '_')) => {
                if char_at(text, i + j.len_utf8())
                    .is_some_and(|c| is_latin_letter(c) || c.is_ascii_digit())
                {
                    i += j.len_utf8();
                    continue;
                }
                return i;
            }
            Some('.') => {
                // Dotted acronym: single letters separated by dots.
                let run_len = i - run_start;
                let next = char_at(text, i + 1);
                if run_len == 1 && next.is_some_and(|c| c.is_ascii_uppercase()) {
                    let after_next = char_at(text, i + 2);
                    if after_next == Some('.') {
                        i += 1;
                        continue;
                    }
                }
                if run_len == 1 && text.as_bytes()[run_start].is_ascii_uppercase() {
                    // Final dot of `U.S.` belongs to the acronym when the
                    // token already has a dot inside.
                    if text[..run_start].ends_with('.') {
                        return i + 1;
                    }
                }
                return i;
            }
            _ => return i,
        }
    }
}

const URL_TRAILING: &[char] = &[
    '.', ',', ';', ':', '!', '?', ')', ']', '}', '»', '”', '"', '\'', '،', '؛', '؟',
];

fn scan_url(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i..];
    let lower_prefix = |p: &str| {
        rest.len() >= p.len() && rest.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    };
    if !(lower_prefix("http://") || lower_prefix("https://") || lower_prefix("www.")) {
        return None;
    }
    let mut e = i;
    for c in rest.chars() {
        if c.is_whitespace() || c == '<' || c == '>' || c == '"' || c == '«' || c == '»' {
            break;
        }
        e += c.len_utf8();
    }
    while e > i {
        let Some(c) = text[..e].chars().next_back() else {
            break;
        };
        if URL_TRAILING.contains(&c) {
            // Keep a closing paren that has an opening one in the URL.
            if c == ')' && text[i..e].contains('(') {
                break;
            }
            e -= c.len_utf8();
        } else {
            break;
        }
    }
    let min = if lower_prefix("www.") { 5 } else { 9 };
    (e - i >= min).then_some(e)
}

fn scan_email(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut e = i;
    while e < bytes.len()
        && (bytes[e].is_ascii_alphanumeric() || matches!(bytes[e], b'.' | b'_' | b'-' | b'+'))
    {
        e += 1;
    }
    if e >= bytes.len() || bytes[e] != b'@' || e == i {
        return None;
    }
    let dom_start = e + 1;
    let mut d = dom_start;
    let mut dots = 0;
    while d < bytes.len()
        && (bytes[d].is_ascii_alphanumeric() || bytes[d] == b'-' || bytes[d] == b'.')
    {
        if bytes[d] == b'.' {
            dots += 1;
        }
        d += 1;
    }
    while d > dom_start && bytes[d - 1] == b'.' {
        d -= 1;
        dots -= 1;
    }
    (dots >= 1 && d > dom_start + 2).then_some(d)
}

fn scan_tag_body(text: &str, mut i: usize, any_script: bool) -> Option<usize> {
    let start = i;
    while let Some(c) = char_at(text, i) {
        // The cheap tests first: most hashtags are Arabic.
        let ok = if any_script {
            is_arabic_letter(c)
                || c == '_'
                || c.is_alphanumeric()
                || (is_dropped(c) && !c.is_whitespace())
        } else {
            c.is_ascii_alphanumeric() || c == '_'
        };
        if ok {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    (i > start).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(t: &str) -> Vec<(&str, TokenKind)> {
        tokenize(t)
            .into_iter()
            .map(|k| (&t[k.start as usize..k.end as usize], k.kind))
            .collect()
    }

    #[test]
    fn numbers_and_latin() {
        let t = toks("نحو 11,600 جندي و٣٫٥ مليون و12.5% طائرة C-130 عام 2020,2021");
        assert!(t.contains(&("11,600", TokenKind::Number)));
        assert!(t.contains(&("٣٫٥", TokenKind::Number)));
        assert!(t.contains(&("12.5%", TokenKind::Number)));
        assert!(t.contains(&("C-130", TokenKind::Latin)));
        assert!(t.contains(&("2020", TokenKind::Number)));
        assert!(t.contains(&("2021", TokenKind::Number)));
    }

    /// The compile-time class table must agree with the predicates it is
    /// built from on every code point it covers.
    #[test]
    fn class2_table_matches_predicates() {
        for k in 0..256u32 {
            let Some(c) = char::from_u32(0x600 + k) else {
                continue;
            };
            let mut buf = [0u8; 4];
            let enc = c.encode_utf8(&mut buf).as_bytes();
            let cls = class2_at(enc, 0).unwrap_or(0);
            let u = c as u32;
            assert_eq!(cls & T_LETTER != 0, is_arabic_letter(c), "U+{u:04X}");
            assert_eq!(
                cls & T_RUN != 0,
                (0x0621..=0x065F).contains(&u),
                "U+{u:04X}"
            );
            let cont = is_arabic_letter(c)
                || c == '\u{0640}'
                || (is_dropped(c) && !c.is_whitespace() && c != '\u{FEFF}');
            assert_eq!(cls & T_CONT != 0, cont, "U+{u:04X}");
            assert_eq!(pair_char(pair_index(enc[0], enc[1])), c, "U+{u:04X}");
        }
    }

    #[test]
    fn urls_tags() {
        let t = toks("انظر https://x.com/a/status/1. و#مالي_اليوم @user_1 a.b@example.org");
        assert!(t.contains(&("https://x.com/a/status/1", TokenKind::Url)));
        assert!(t.contains(&("#مالي_اليوم", TokenKind::Hashtag)));
        assert!(t.contains(&("@user_1", TokenKind::Mention)));
        assert!(t.contains(&("a.b@example.org", TokenKind::Email)));
    }
}
