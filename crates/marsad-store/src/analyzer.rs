//! The Arabic analyzer of the search index, as tantivy tokenizers.
//!
//! Two indexed text fields see every article through `marsad-text`:
//!
//! - **`norm`** ([`Mode::Norm`]): each word's *search form* (diacritics and
//!   tatweel dropped, `أ إ آ ٱ → ا`, `ى → ي`, `ة → ه`, Eastern digits →
//!   ASCII, Latin lower-cased) and, **at the same position**, its clitic-free
//!   base when that differs (`والسلام` → `والسلام` + `سلام`). The search form
//!   makes spelling variants one term; the stacked base makes a word with
//!   attached `و ف ب ك ل ال لل` findable by its bare form and by any other
//!   cliticised form (the query side also looks up its base). Because the
//!   base sits at the word's own position, phrase queries over bases work.
//! - **`stem`** ([`Mode::Stem`]): each word's light10 stem, which also folds
//!   number and gender suffixes (`القوات`, `قوات`, `قواتها` …). It is the
//!   loosest match and is ranked lowest.
//!
//! Punctuation is not indexed (but positions are counted over words only, so
//! `قوات، حفظ` is still a phrase). Token offsets are byte offsets into the
//! original text, so matches map back to what the journalist wrote.
//!
//! Queries are analysed with exactly the same functions
//! ([`query_terms`]), so a query word and a document word meet in the same
//! form. The tokenizers are registered in the index under the names
//! [`NORM_TOKENIZER`] and [`STEM_TOKENIZER`] and run in tantivy's indexing
//! thread, which analyses each text once for both fields (it keeps the last
//! two texts it analysed). (Feeding tantivy pre-tokenized text, computed in
//! parallel, was measured ~20% slower end to end: tantivy documents
//! serialize pre-tokenized strings to JSON and back.) A field's tokens are
//! kept compactly (one string holds all their texts) and streamed through
//! one reused [`Token`]: no allocation per token, about 3% less CPU in a
//! whole-corpus `marsad ingest` (interleaved runs, 2 cores).
//!
//! This module does not touch the disk.

use marsad_text::TokenKind;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Tokenizer name of the normalized field.
pub const NORM_TOKENIZER: &str = "marsad_ar_norm";
/// Tokenizer name of the light-stemmed field.
pub const STEM_TOKENIZER: &str = "marsad_ar_stem";

/// Which forms a token stream carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Search form, plus the clitic-free base at the same position.
    Norm,
    /// Light10 stem.
    Stem,
}

/// The analysed forms of one query or document word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordForms {
    /// Search form (`والسلام`).
    pub norm: String,
    /// Clitic-free base (`سلام`).
    pub base: String,
    /// Light10 stem (`سلام`).
    pub stem: String,
}

/// Should a token of this kind be indexed?
#[inline]
fn indexed(kind: TokenKind) -> bool {
    kind != TokenKind::Punct
}

/// Tokens of `text` for the `norm` and `stem` fields, in that order.
pub fn index_tokens(text: &str) -> (Vec<Token>, Vec<Token>) {
    let a = marsad_text::analyze_raw(text);
    (tokens_of(&a, Mode::Norm), tokens_of(&a, Mode::Stem))
}

/// Tokens of one field from an existing analysis.
pub fn tokens_of(a: &marsad_text::Analysis, mode: Mode) -> Vec<Token> {
    let mut out = Vec::with_capacity(a.tokens.len() * if mode == Mode::Norm { 2 } else { 1 });
    each_token(a, mode, |from, to, position, text| {
        out.push(Token {
            offset_from: from,
            offset_to: to,
            position,
            text: text.to_owned(),
            position_length: 1,
        })
    });
    out
}

/// Call `f(offset_from, offset_to, position, text)` for every token of one
/// field of an analysis, in order (what [`tokens_of`] collects).
fn each_token(a: &marsad_text::Analysis, mode: Mode, mut f: impl FnMut(usize, usize, usize, &str)) {
    let mut pos = 0usize;
    for t in &a.tokens {
        if !indexed(t.kind) {
            continue;
        }
        let n = a.norm(t);
        if n.is_empty() {
            continue;
        }
        let (from, to) = (t.start as usize, t.end as usize);
        match mode {
            Mode::Norm => {
                f(from, to, pos, n);
                let b = a.base(t);
                if !b.is_empty() && b != n {
                    f(from, to, pos, b);
                }
            }
            Mode::Stem => {
                let s = a.stem(t);
                f(from, to, pos, if s.is_empty() { n } else { s });
            }
        }
        pos += 1;
    }
}

/// One field's tokens of a text, compactly: offsets and position per
/// token, and their texts one after another in one string. Two
/// allocations per text instead of one per token; the token stream copies
/// each text into one reused [`Token`].
#[derive(Debug, Default)]
struct FieldTokens {
    /// (offset_from, offset_to, position, end of the text in `texts`).
    spans: Vec<(u32, u32, u32, u32)>,
    texts: String,
}

impl FieldTokens {
    fn of(a: &marsad_text::Analysis, mode: Mode) -> FieldTokens {
        let mut out = FieldTokens {
            spans: Vec::with_capacity(a.tokens.len() * if mode == Mode::Norm { 2 } else { 1 }),
            texts: String::with_capacity(a.norm_buf.len() * if mode == Mode::Norm { 2 } else { 1 }),
        };
        each_token(a, mode, |from, to, position, text| {
            out.texts.push_str(text);
            out.spans.push((
                from as u32,
                to as u32,
                position as u32,
                out.texts.len() as u32,
            ));
        });
        out
    }
}

/// The forms of every indexed word of a query string, in order.
pub fn query_terms(text: &str) -> Vec<WordForms> {
    let a = marsad_text::analyze_raw(text);
    a.tokens
        .iter()
        .filter(|t| indexed(t.kind) && !a.norm(t).is_empty())
        .map(|t| {
            let norm = a.norm(t).to_owned();
            let base = non_empty_or(a.base(t), &norm);
            let stem = non_empty_or(a.stem(t), &norm);
            WordForms { norm, base, stem }
        })
        .collect()
}

fn non_empty_or(s: &str, fallback: &str) -> String {
    if s.is_empty() {
        fallback.to_owned()
    } else {
        s.to_owned()
    }
}

thread_local! {
    /// The last texts this thread analysed for the index, with their
    /// analyses: tantivy tokenizes a document's `norm` values (title, text)
    /// and then its `stem` values (the same strings), so each is analysed
    /// once instead of twice.
    static RECENT: std::cell::RefCell<Vec<(String, marsad_text::Analysis)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// How many texts [`RECENT`] keeps (a document's title and text).
const RECENT_TEXTS: usize = 2;

/// The field tokens of the analysis of `text`, analysing it only if it is
/// not one of this thread's last [`RECENT_TEXTS`] texts (compared in full).
fn cached_tokens(text: &str, mode: Mode) -> FieldTokens {
    RECENT.with(|r| {
        let mut recent = r.borrow_mut();
        if let Some((_, a)) = recent.iter().find(|(t, _)| t == text) {
            return FieldTokens::of(a, mode);
        }
        let a = marsad_text::analyze_raw(text);
        let tokens = FieldTokens::of(&a, mode);
        if recent.len() >= RECENT_TEXTS {
            recent.remove(0);
        }
        recent.push((text.to_owned(), a));
        tokens
    })
}

/// The marsad Arabic tokenizer for one [`Mode`].
#[derive(Debug, Clone, Copy)]
pub struct ArabicTokenizer {
    mode: Mode,
}

impl ArabicTokenizer {
    /// A tokenizer producing `mode`'s forms.
    pub fn new(mode: Mode) -> Self {
        ArabicTokenizer { mode }
    }
}

/// The token stream of [`ArabicTokenizer`]: one [`Token`], refilled from
/// the compact field tokens at each step.
pub struct ArabicTokenStream {
    tokens: FieldTokens,
    next: usize,
    token: Token,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream {
        ArabicTokenStream {
            tokens: cached_tokens(text, self.mode),
            next: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for ArabicTokenStream {
    fn advance(&mut self) -> bool {
        let spans = &self.tokens.spans;
        let Some(&(from, to, position, end)) = spans.get(self.next) else {
            return false;
        };
        let start = self
            .next
            .checked_sub(1)
            .and_then(|i| spans.get(i))
            .map_or(0, |s| s.3 as usize);
        let t = &mut self.token;
        t.offset_from = from as usize;
        t.offset_to = to as usize;
        t.position = position as usize;
        t.position_length = 1;
        t.text.clear();
        t.text.push_str(
            self.tokens
                .texts
                .get(start..end as usize)
                .unwrap_or_default(),
        );
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(ts: &[Token]) -> Vec<(usize, &str)> {
        ts.iter().map(|t| (t.position, t.text.as_str())).collect()
    }

    #[test]
    fn base_is_stacked_on_the_word_position() {
        let (norm, stem) = index_tokens("قوات حفظ والسلام.");
        let n = texts(&norm);
        assert!(n.contains(&(2, "والسلام")), "{n:?}");
        assert!(n.contains(&(2, "سلام")), "{n:?}");
        assert_eq!(stem.len(), 3);
        assert!(norm.iter().all(|t| t.offset_from < t.offset_to));
    }

    #[test]
    fn variants_share_the_norm_form() {
        let a = query_terms("إنسحاب");
        let b = query_terms("انسحاب");
        assert_eq!(a[0].norm, b[0].norm);
        let c = query_terms("القوّات");
        let d = query_terms("القوات");
        assert_eq!(c, d);
    }

    #[test]
    fn tokenizer_streams_what_index_tokens_gives() {
        let mut tk = ArabicTokenizer::new(Mode::Stem);
        let mut s = tk.token_stream("الجنود الماليون");
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push(t.text.clone());
        }
        let (norm, stem) = index_tokens("الجنود الماليون");
        assert_eq!(out, stem.iter().map(|t| t.text.clone()).collect::<Vec<_>>());
        // The same text again, in the other mode (from the thread's cache),
        // then a different one: each stream is that text's own.
        for (text, want) in [
            ("الجنود الماليون", norm),
            ("وصلت القوات", index_tokens("وصلت القوات").0),
        ] {
            let mut tk = ArabicTokenizer::new(Mode::Norm);
            let mut s = tk.token_stream(text);
            let mut got = Vec::new();
            while let Some(t) = s.next() {
                got.push((t.position, t.text.clone()));
            }
            let want: Vec<(usize, String)> =
                want.iter().map(|t| (t.position, t.text.clone())).collect();
            assert_eq!(got, want);
        }
    }
}
