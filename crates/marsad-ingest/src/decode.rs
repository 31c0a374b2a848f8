//! Turning the bytes of a file into text: encodings and binary detection.
//!
//! Arabic text reaches analysts in a handful of encodings, and we recognise
//! them in this order:
//!
//! 1. **A byte-order mark** decides: UTF-8 (`EF BB BF`), UTF-16 LE (`FF FE`)
//!    or UTF-16 BE (`FE FF`). Word on Windows and many exporters write one.
//!    The mark is removed. Malformed sequences after a BOM are an error:
//!    the file claims an encoding it does not have.
//! 2. **Valid UTF-8** without a BOM is taken as UTF-8 (the web's encoding).
//! 3. **Otherwise Windows-1256**, the legacy Arabic code page still served by
//!    many Arabic sites and produced by old Windows tools. Every byte maps to
//!    a character in Windows-1256, so decoding never fails; instead we check
//!    that the result *looks like text*: mostly letters (Arabic or Latin),
//!    digits, spaces and punctuation, with almost no control characters.
//!    ISO-8859-6 is not tried: it is rare and its Arabic letters sit at
//!    different positions, so a wrong guess would be worse than an error.
//!
//! UTF-16 **without** a BOM is recognised too when its byte pattern is
//! unmistakable: all NUL bytes on one parity of offsets, and 90% of the
//! bytes there being `00` or `06` (the high bytes of Latin and Arabic code
//! units). Arabic text in UTF-16 always looks like that; binary data does
//! not.
//!
//! A file is **binary** (and refused with the reason) when it holds NUL bytes
//! and is not UTF-16, when control characters are more than a few
//! per cent of the decoded characters, or when neither UTF-8 nor a plausible
//! Windows-1256 reading exists. This keeps PDFs, images and archives given by
//! mistake from flooding the analysis with garbage.
//!
//! This module does no I/O; it works on byte slices.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1256};

/// Why a byte sequence was not accepted as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeProblem {
    /// Looks like a binary file; the string says why.
    Binary(String),
    /// Declares (by BOM) an encoding it does not follow, or fits none.
    Undecodable(String),
}

/// Which encoding a text was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16 little-endian (with BOM).
    Utf16Le,
    /// UTF-16 big-endian (with BOM).
    Utf16Be,
    /// UTF-16 little-endian without BOM, recognised from its byte pattern.
    Utf16LeNoBom,
    /// UTF-16 big-endian without BOM, recognised from its byte pattern.
    Utf16BeNoBom,
    /// Windows-1256 (Arabic), detected from non-UTF-8 bytes.
    Windows1256,
}

impl Encoding {
    /// Name used in metadata (`encoding`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Utf16LeNoBom => "utf-16le-no-bom",
            Encoding::Utf16BeNoBom => "utf-16be-no-bom",
            Encoding::Windows1256 => "windows-1256",
        }
    }
}

/// Decode `bytes` to text, detecting the encoding as described in the module
/// doc. Returns the text and the encoding used.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeProblem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => check_text(s).map(|()| (s.to_owned(), Encoding::Utf8Bom)),
            Err(e) => Err(DecodeProblem::Undecodable(format!(
                "UTF-8 byte-order mark but invalid UTF-8 at byte {}",
                e.valid_up_to() + 3
            ))),
        };
    }
    for (bom, enc, which) in [
        (&b"\xFF\xFE"[..], UTF_16LE, Encoding::Utf16Le),
        (&b"\xFE\xFF"[..], UTF_16BE, Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            if !rest.len().is_multiple_of(2) {
                return Err(DecodeProblem::Undecodable(format!(
                    "{} byte-order mark but an odd number of bytes",
                    which.name()
                )));
            }
            let (text, had_errors) = enc.decode_without_bom_handling(rest);
            if had_errors {
                return Err(DecodeProblem::Undecodable(format!(
                    "{} byte-order mark but malformed {} data",
                    which.name(),
                    which.name()
                )));
            }
            check_text(&text)?;
            return Ok((text.into_owned(), which));
        }
    }
    if let Some(pos) = memchr_nul(bytes) {
        if let Some((enc, which)) = bomless_utf16(bytes) {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if !had_errors {
                check_text(&text)?;
                return Ok((text.into_owned(), which));
            }
        }
        return Err(DecodeProblem::Binary(format!("NUL byte at offset {pos}")));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            check_text(s)?;
            Ok((s.to_owned(), Encoding::Utf8))
        }
        Err(utf8_err) => {
            let (text, _, _) = WINDOWS_1256.decode(bytes);
            if looks_like_text(&text) {
                check_text(&text)?;
                Ok((text.into_owned(), Encoding::Windows1256))
            } else {
                Err(DecodeProblem::Undecodable(format!(
                    "not UTF-8 (invalid byte at offset {}) and not plausible Windows-1256 text",
                    utf8_err.valid_up_to()
                )))
            }
        }
    }
}

/// Recognise UTF-16 without a byte-order mark (some exporters omit it):
/// every NUL byte sits on one parity of offsets, and the bytes there are
/// almost all high bytes of Basic Latin (`00`) or Arabic (`06`) code units.
fn bomless_utf16(bytes: &[u8]) -> Option<(&'static encoding_rs::Encoding, Encoding)> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(1 << 16)];
    let high_bytes = |parity: usize| {
        let mut high = 0usize;
        let mut nul = 0usize;
        let mut total = 0usize;
        for pair in sample.chunks_exact(2) {
            total += 1;
            let b = pair[parity];
            nul += usize::from(b == 0);
            high += usize::from(b == 0 || b == 0x06);
        }
        (high, nul, total)
    };
    let (le_high, le_nul, total) = high_bytes(1);
    let (be_high, be_nul, _) = high_bytes(0);
    if le_nul > 0 && be_nul == 0 && le_high * 10 >= total * 9 {
        Some((UTF_16LE, Encoding::Utf16LeNoBom))
    } else if be_nul > 0 && le_nul == 0 && be_high * 10 >= total * 9 {
        Some((UTF_16BE, Encoding::Utf16BeNoBom))
    } else {
        None
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// Is `c` a control character that never occurs in real text files?
fn is_bad_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0C}')) || c == '\u{FFFD}'
}

/// Reject decoded text dominated by control characters (binary data that
/// happened to be valid in the encoding).
fn check_text(s: &str) -> Result<(), DecodeProblem> {
    if s.contains('\0') {
        return Err(DecodeProblem::Binary("contains NUL characters".into()));
    }
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in s.chars().take(1 << 20) {
        total += 1;
        if is_bad_control(c) {
            bad += 1;
        }
    }
    // More than 2% control characters (or replacement characters): no
    // human-written text looks like that.
    if total > 0 && bad * 50 > total {
        return Err(DecodeProblem::Binary(format!(
            "{bad} of {total} characters are control characters"
        )));
    }
    Ok(())
}

/// Does a Windows-1256 reading look like Arabic/Latin prose? At least 70% of
/// the non-space characters must be letters, digits or common punctuation,
/// and at least half of them letters.
fn looks_like_text(s: &str) -> bool {
    let mut non_space = 0usize;
    let mut letters = 0usize;
    let mut ok = 0usize;
    for c in s.chars().take(1 << 20) {
        if c.is_whitespace() {
            continue;
        }
        non_space += 1;
        if c.is_alphabetic() {
            letters += 1;
            ok += 1;
        } else if c.is_ascii_digit() || is_common_punct(c) {
            ok += 1;
        }
    }
    non_space == 0 || (ok * 10 >= non_space * 7 && letters * 2 >= non_space)
}

fn is_common_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '"'
            | '\''
            | '('
            | ')'
            | '['
            | ']'
            | '-'
            | '/'
            | '%'
            | '،'
            | '؛'
            | '؟'
            | '«'
            | '»'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '–'
            | '—'
            | '…'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain_and_bom() {
        let (t, e) = decode("قال الوزير".as_bytes()).unwrap();
        assert_eq!((t.as_str(), e), ("قال الوزير", Encoding::Utf8));
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice("قال".as_bytes());
        let (t, e) = decode(&b).unwrap();
        assert_eq!((t.as_str(), e), ("قال", Encoding::Utf8Bom));
    }

    #[test]
    fn windows_1256_roundtrip() {
        let src = "أعلنت الحكومة اليوم عن خطة جديدة للإعمار في 12 مدينة.";
        let (bytes, _, unmappable) = WINDOWS_1256.encode(src);
        assert!(!unmappable);
        let (t, e) = decode(&bytes).unwrap();
        assert_eq!(e, Encoding::Windows1256);
        assert_eq!(t, src);
    }

    #[test]
    fn utf16_without_bom() {
        let src = "قال المتحدث: 12 قتيلا (AFP).";
        let le: Vec<u8> = src.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = src.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(
            decode(&le).unwrap(),
            (src.to_owned(), Encoding::Utf16LeNoBom)
        );
        assert_eq!(
            decode(&be).unwrap(),
            (src.to_owned(), Encoding::Utf16BeNoBom)
        );
    }

    #[test]
    fn binary_is_refused() {
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeProblem::Binary(_))
        ));
        let noise: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 32) as u8 + 1).collect();
        assert!(decode(&noise).is_err());
    }
}
