//! Sentence splitting over tokens.
//!
//! Splitting works on the token stream, not on characters, so the dots in
//! `11.5`, `11,600`, `https://x.com/a.b`, `a@b.org` and `U.S.` can never end
//! a sentence: they are inside single tokens.
//!
//! A sentence ends:
//! - after a token `.`, `...`, `…`, `!`, `?`, `؟`, `;` or `؛`, plus any
//!   closing quotes and brackets that follow it;
//! - at a line break (news text puts one paragraph per line, and headings,
//!   captions and list items have no final punctuation).
//!
//! A `.` does not end a sentence:
//! - after an abbreviation (`data/abbreviations.txt`: `د.`, `م.`, `Dr.`);
//! - after a single Latin capital letter (an initial: `J. Smith`);
//! - inside an open quotation (`«…»`, `“…”`, `"…"`), unless the quotation
//!   has run for more than 600 bytes, in which case it is probably
//!   unbalanced and we fall back to splitting.
//!
//! A terminal inside a quotation ends the sentence only when the quotation
//! closes right after it (`.”`, `؟»`).

use crate::lexicon::Lexicon;
use crate::tokenize::{RawToken, TokenKind};

/// A sentence: byte span in the original text and the range of its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Byte offset of the first character.
    pub start: u32,
    /// Byte offset one past the last character.
    pub end: u32,
    /// Index of the first token.
    pub first_token: u32,
    /// Index one past the last token.
    pub end_token: u32,
}

fn is_open_quote(s: &str) -> bool {
    matches!(s, "«" | "“" | "„")
}
fn is_close_quote(s: &str) -> bool {
    matches!(s, "»" | "”")
}
fn is_closer(s: &str) -> bool {
    matches!(s, "»" | "”" | "\"" | "'" | ")" | "]" | "}" | "’")
}

/// Split `text`, already tokenized into `tokens`, into sentences.
pub fn split(text: &str, tokens: &[RawToken]) -> Vec<SentenceSpan> {
    let lex = Lexicon::get();
    let mut out = Vec::with_capacity(tokens.len() / 15 + 1);
    let bytes = text.as_bytes();
    let mut first: Option<usize> = None;
    let mut quote_depth: i32 = 0;
    let mut ascii_quote_open = false;
    let mut quote_start = 0usize;
    let mut i = 0usize;
    let tok = |k: usize| &text[tokens[k].start as usize..tokens[k].end as usize];
    let emit = |first: usize, last: usize, out: &mut Vec<SentenceSpan>| {
        out.push(SentenceSpan {
            start: tokens[first].start,
            end: tokens[last].end,
            first_token: first as u32,
            end_token: (last + 1) as u32,
        });
    };
    while i < tokens.len() {
        // Line break between the previous token and this one?
        if let Some(f) = first
            && i > 0
            && memchr_newline(&bytes[tokens[i - 1].end as usize..tokens[i].start as usize])
        {
            emit(f, i - 1, &mut out);
            first = None;
            quote_depth = 0;
            ascii_quote_open = false;
        }
        if first.is_none() {
            first = Some(i);
        }
        if tokens[i].kind == TokenKind::Punct {
            let t = tok(i);
            if is_open_quote(t) {
                if quote_depth == 0 && !ascii_quote_open {
                    quote_start = tokens[i].start as usize;
                }
                quote_depth += 1;
            } else if is_close_quote(t) {
                quote_depth = (quote_depth - 1).max(0);
            } else if t == "\"" {
                if !ascii_quote_open && quote_depth == 0 {
                    quote_start = tokens[i].start as usize;
                }
                ascii_quote_open = !ascii_quote_open;
            }
            let terminal =
                matches!(t, "." | "!" | "?" | "؟" | ";" | "؛" | "…") || t.starts_with("..");
            if terminal {
                let in_quote = (quote_depth > 0 || ascii_quote_open)
                    && (tokens[i].start as usize - quote_start) < 600;
                let mut boundary = !in_quote;
                if t == "." && i > 0 && tokens[i - 1].end == tokens[i].start {
                    let prev = tok(i - 1);
                    let pk = tokens[i - 1].kind;
                    if (pk == TokenKind::Word || pk == TokenKind::Latin)
                        && is_abbreviation(lex, prev)
                    {
                        boundary = false;
                    }
                    if pk == TokenKind::Latin
                        && prev.len() == 1
                        && prev.as_bytes()[0].is_ascii_uppercase()
                    {
                        boundary = false;
                    }
                }
                if in_quote {
                    // `.»`, `؟”`: the quotation closes right after: end both.
                    if i + 1 < tokens.len()
                        && tokens[i + 1].start == tokens[i].end
                        && is_closer(tok(i + 1))
                    {
                        boundary = true;
                    }
                }
                if boundary {
                    // Absorb closing quotes/brackets and further terminals.
                    let mut last = i;
                    while last + 1 < tokens.len()
                        && tokens[last + 1].kind == TokenKind::Punct
                        && !memchr_newline(
                            &bytes[tokens[last].end as usize..tokens[last + 1].start as usize],
                        )
                    {
                        let nt = tok(last + 1);
                        if is_closer(nt)
                            || matches!(nt, "." | "!" | "?" | "؟" | "…")
                            || nt.starts_with("..")
                        {
                            last += 1;
                        } else {
                            break;
                        }
                    }
                    if let Some(f) = first.take() {
                        emit(f, last, &mut out);
                    }
                    quote_depth = 0;
                    ascii_quote_open = false;
                    i = last + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    if let Some(f) = first
        && !tokens.is_empty()
    {
        emit(f, tokens.len() - 1, &mut out);
    }
    out
}

/// Does the gap between two tokens hold a line break? Gaps are mostly one
/// space, so a plain loop beats a call to `memchr`.
#[inline]
#[allow(
    clippy::manual_contains,
    reason = "`contains` calls out to memchr, slower on one-byte gaps"
)]
fn memchr_newline(b: &[u8]) -> bool {
    b.iter().any(|&c| c == b'\n')
}

/// Is `w`, lower-cased (ASCII), an abbreviation? Lower-cases short words
/// on the stack instead of allocating, and only when they have a capital.
fn is_abbreviation(lex: &Lexicon, w: &str) -> bool {
    if !w.bytes().any(|b| b.is_ascii_uppercase()) {
        return lex.abbreviation(w);
    }
    let mut buf = [0u8; 64];
    match buf.get_mut(..w.len()) {
        Some(b) => {
            b.copy_from_slice(w.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).is_ok_and(|l| lex.abbreviation(l))
        }
        None => lex.abbreviation(&w.to_ascii_lowercase()),
    }
}
