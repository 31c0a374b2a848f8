//! # marsad-text: the Arabic text layer
//!
//! Everything marsad knows about a document starts here: its tokens, their
//! normalized and stemmed forms, their clitics, and its sentences — all as
//! spans of the **original** text, so every later figure, name and event can
//! point back at the exact characters the journalist wrote.
//!
//! ```
//! use marsad_text::{analyze, CharMap};
//! let text = "وقال الجيشُ إن ١٢ جندياً قتلوا. وأضاف: «الوضع تحت السيطرة».";
//! let a = analyze(text);
//! assert_eq!(a.sentences.len(), 2);
//! let t = &a.tokens[1];
//! assert_eq!(a.token_text(t), "الجيشُ");
//! assert_eq!(a.norm(t), "الجيش");
//! assert_eq!(a.base(t), "جيش");
//! assert_eq!(a.norm(&a.tokens[3]), "12");
//! let chars = CharMap::new(text);
//! assert_eq!(chars.char_offset(t.start as usize), 5);
//! ```
//!
//! Main types:
//! - [`Analysis`]: tokens and sentences of one text, with one buffer holding
//!   every token's normalized form (no per-token allocation).
//! - [`Token`]: kind, byte span in the original, ranges of its normalized
//!   form, clitic-free base and light stem in that buffer, and its clitics.
//! - [`CharMap`]: byte offsets → code-point offsets, for the JSON output
//!   (which counts Unicode code points).
//! - [`normalize::normalize_with_map`]: a whole-text normalized string with
//!   a map back, for matchers that work on running text.
//!
//! Modules: [`normalize`] (character rules), [`tokenize`], [`sentences`],
//! [`clitics`], [`stem`], [`lexicon`] (embedded word lists). Each module doc
//! explains its rules and why.
//!
//! This crate does no I/O and never modifies the original text. Internally
//! all offsets are byte offsets into the original `&str`.
//!
//! # Speed
//!
//! One pass: the tokenizer classifies two-byte Arabic (U+0600..U+06FF) with
//! compile-time tables instead of decoding characters, plain words are
//! copied into [`Analysis::norm_buf`] as they are, other tokens go through
//! a table-driven search form, and clitics and stems come from a per-thread
//! word cache (computed once per distinct form). Measured over the first
//! 5,000 ANT articles (12.66 MB), in instructions because the shared
//! build machine is too loaded for stable wall times (`valgrind
//! --tool=callgrind`, difference between one and two passes; the one-off
//! lexicon load excluded): 46.1 Ir per byte with a warm word cache, 51.5 on
//! a first pass; before the tables and the cheaper cache misses, 76.6 and
//! 88.0. The criterion bench is `cargo bench -p marsad-text --bench text`.

pub mod clitics;
pub mod lexicon;
pub mod normalize;
pub mod sentences;
pub mod stem;
pub mod tokenize;

pub use clitics::{CliticSplit, Enclitic, Proclitics};
pub use normalize::{Form, NormMap, normalize, normalize_with_map};
pub use sentences::SentenceSpan;
pub use tokenize::{RawToken, TokenKind};

/// One token of an analysed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset in the original text.
    pub start: u32,
    /// Byte offset one past the end in the original text.
    pub end: u32,
    /// What it is.
    pub kind: TokenKind,
    /// Normalized (search form) text: byte range in [`Analysis::norm_buf`].
    pub norm: (u32, u32),
    /// The word without its clitics: byte range in [`Analysis::norm_buf`].
    pub base: (u32, u32),
    /// Light10 stem: byte range in [`Analysis::norm_buf`].
    pub stem: (u32, u32),
    /// Proclitics (words only).
    pub pro: Proclitics,
    /// Enclitic pronoun (words only).
    pub enc: Enclitic,
    /// Did the original word end in `ة`? (The search form writes `ه`.)
    pub ta_marbuta: bool,
}

/// Tokens and sentences of one text.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// All tokens' normalized forms, back to back.
    pub norm_buf: String,
    /// Tokens in text order.
    pub tokens: Vec<Token>,
    /// Sentences in text order; every token belongs to exactly one.
    pub sentences: Vec<SentenceSpan>,
    text_len: usize,
}

impl Analysis {
    /// The normalized (search) form of `t`.
    #[inline]
    pub fn norm(&self, t: &Token) -> &str {
        &self.norm_buf[t.norm.0 as usize..t.norm.1 as usize]
    }

    /// The clitic-free base of `t` (search form).
    #[inline]
    pub fn base(&self, t: &Token) -> &str {
        &self.norm_buf[t.base.0 as usize..t.base.1 as usize]
    }

    /// The light stem of `t`.
    #[inline]
    pub fn stem(&self, t: &Token) -> &str {
        &self.norm_buf[t.stem.0 as usize..t.stem.1 as usize]
    }

    /// Length in bytes of the analysed text.
    pub fn text_len(&self) -> usize {
        self.text_len
    }

    /// Index of the sentence containing byte offset `pos`.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| (s.end as usize) <= pos);
        (i < self.sentences.len() && self.sentences[i].start as usize <= pos).then_some(i)
    }

    /// Index of the first token starting at or after byte offset `pos`.
    pub fn token_at_or_after(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| (t.start as usize) < pos)
    }

    /// Tokens of sentence `i`.
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        let s = &self.sentences[i];
        &self.tokens[s.first_token as usize..s.end_token as usize]
    }
}

/// Analyse `text`: tokenize, normalize, analyse clitics, stem, split
/// sentences.
pub fn analyze(text: &str) -> Text<'_> {
    Text {
        text,
        analysis: analyze_raw(text),
    }
}

/// A text together with its analysis.
#[derive(Debug, Clone)]
pub struct Text<'a> {
    /// The original text.
    pub text: &'a str,
    /// Its analysis.
    pub analysis: Analysis,
}

impl<'a> std::ops::Deref for Text<'a> {
    type Target = Analysis;
    fn deref(&self) -> &Analysis {
        &self.analysis
    }
}

impl<'a> Text<'a> {
    /// The original text of token `t`.
    #[inline]
    pub fn token_text(&self, t: &Token) -> &'a str {
        &self.text[t.start as usize..t.end as usize]
    }

    /// The original text of sentence `i`.
    pub fn sentence_text(&self, i: usize) -> &'a str {
        let s = &self.analysis.sentences[i];
        &self.text[s.start as usize..s.end as usize]
    }
}

/// Analyse `text` without keeping a borrow of it.
pub fn analyze_raw(text: &str) -> Analysis {
    WORD_CACHE.with(|c| analyze_with_cache(text, &mut c.borrow_mut()))
}

fn analyze_with_cache(text: &str, cache: &mut WordCache) -> Analysis {
    let mut norm_buf = String::with_capacity(text.len());
    let mut tokens = Vec::with_capacity(text.len() / 7 + 1);
    let mut raws = Vec::with_capacity(text.len() / 7 + 1);
    tokenize::tokenize_with(text, |r| raws.push(r));
    for r in &raws {
        let s = &text[r.start as usize..r.end as usize];
        let n0 = norm_buf.len();
        let ta_marbuta = if r.plain {
            norm_buf.push_str(s);
            false
        } else {
            normalize::push_token_search_form(s, &mut norm_buf)
        };
        let n1 = norm_buf.len();
        let mut tok = Token {
            start: r.start,
            end: r.end,
            kind: r.kind,
            norm: (n0 as u32, n1 as u32),
            base: (n0 as u32, n1 as u32),
            stem: (n0 as u32, n1 as u32),
            pro: Proclitics::NONE,
            enc: Enclitic::None,
            ta_marbuta,
        };
        if r.kind == TokenKind::Word && n1 > n0 {
            {
                let p = cache.get(&norm_buf, n0, n1, ta_marbuta);
                tok.pro = p.pro;
                tok.enc = p.enc;
                tok.base = (
                    (n0 + p.base.0 as usize) as u32,
                    (n1 - p.base.1 as usize) as u32,
                );
                tok.stem = (
                    (n0 + p.stem.0 as usize) as u32,
                    (n1 - p.stem.1 as usize) as u32,
                );
            }
        }
        tokens.push(tok);
    }
    let sentences = sentences::split(text, &raws);
    Analysis {
        norm_buf,
        tokens,
        sentences,
        text_len: text.len(),
    }
}

/// Clitics and stem of one word, as offsets from its start and end.
#[derive(Debug, Clone, Copy)]
struct WordAnalysis {
    pro: Proclitics,
    enc: Enclitic,
    base: (u8, u8),
    stem: (u8, u8),
}

fn compute_word(w: &str, ta_marbuta: bool) -> WordAnalysis {
    // One hash of the form serves both analyses' lexicon lookups.
    let key = lexicon::Lexicon::key(w);
    let sp = clitics::analyse_key(w, key, ta_marbuta);
    let (a, b) = stem::light10_range_key(w, key);
    let clamp = |x: usize| x.min(u8::MAX as usize) as u8;
    WordAnalysis {
        pro: sp.pro,
        enc: sp.enc,
        base: (clamp(sp.base_start), clamp(w.len() - sp.base_end)),
        stem: (clamp(a), clamp(w.len() - b)),
    }
}

/// Word forms repeat (news vocabulary is Zipfian), so each thread keeps the
/// analysis of recently seen forms in a two-way set-associative cache of
/// 2^17 entries (2 MB): one or two probes instead of the half dozen lexicon
/// lookups (each a likely cache miss) of a fresh analysis. Measured on the
/// text-layer bench when the cache was introduced (before the tokenizer's
/// class tables): direct-mapped 2^16 entries 66 MiB/s, two-way 2^17
/// entries 86 MiB/s, two-way 2^18 no better.
///
/// Entries are keyed by a 64-bit xxh3 hash of the form (and the `ة` flag)
/// rather than the form itself, which saves a string comparison; with 2^17
/// entries the chance that two live forms share a 64-bit hash is below 10^-9.
struct WordCache(Vec<[(u64, Option<WordAnalysis>); 2]>);

impl WordCache {
    /// Sets of two ways each: a frequent form is not evicted by one rare
    /// form that happens to share its set (the most recently used way is
    /// kept first).
    const SETS: usize = 1 << 16;

    fn new() -> Self {
        WordCache(vec![[(0, None); 2]; Self::SETS])
    }

    /// The analysis of the word `buf[n0..n1]`. Hashes its bytes without
    /// slicing the string (no character-boundary checks on a hit).
    #[inline]
    fn get(&mut self, buf: &str, n0: usize, n1: usize, ta_marbuta: bool) -> WordAnalysis {
        let bytes = buf.as_bytes().get(n0..n1).unwrap_or_default();
        let key = xxhash_rust::xxh3::xxh3_64(bytes) ^ (ta_marbuta as u64);
        let set = &mut self.0[(key as usize) & (Self::SETS - 1)];
        if set[0].0 == key
            && let Some(a) = set[0].1
        {
            return a;
        }
        if set[1].0 == key
            && let Some(a) = set[1].1
        {
            set.swap(0, 1);
            return a;
        }
        let a = compute_word(buf.get(n0..n1).unwrap_or_default(), ta_marbuta);
        set[1] = set[0];
        set[0] = (key, Some(a));
        a
    }
}

thread_local! {
    static WORD_CACHE: std::cell::RefCell<WordCache> = std::cell::RefCell::new(WordCache::new());
}

/// Search form of a whole text: normalized tokens joined by single spaces
/// (with `stem`, light stems), punctuation dropped. This is what the
/// `marsad normalize` command prints and what the search index stores.
pub fn search_form(text: &str, stem: bool) -> String {
    let a = analyze_raw(text);
    let mut out = String::with_capacity(text.len());
    for t in &a.tokens {
        if t.kind == TokenKind::Punct {
            continue;
        }
        let s = if stem { a.stem(t) } else { a.norm(t) };
        if s.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(s);
    }
    out
}

/// Byte offsets → Unicode code-point offsets for one text.
///
/// Built once per text (one pass), then each lookup is O(log n) over
/// checkpoints every 64 bytes plus a short scan.
#[derive(Debug, Clone)]
pub struct CharMap<'a> {
    text: &'a str,
    checkpoints: Vec<u32>,
}

const CHECKPOINT: usize = 64;

impl<'a> CharMap<'a> {
    /// Build the map for `text`.
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut count = 0u32;
        for (i, &b) in bytes.iter().enumerate() {
            if i % CHECKPOINT == 0 {
                checkpoints.push(count);
            }
            if (b & 0xC0) != 0x80 {
                count += 1;
            }
        }
        CharMap { text, checkpoints }
    }

    /// Code-point offset of byte offset `byte` (which must be a char
    /// boundary or `text.len()`).
    pub fn char_offset(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let cp = byte / CHECKPOINT;
        if cp >= self.checkpoints.len() {
            return self.text.chars().count();
        }
        let mut count = self.checkpoints[cp] as usize;
        for &b in &self.text.as_bytes()[cp * CHECKPOINT..byte] {
            if (b & 0xC0) != 0x80 {
                count += 1;
            }
        }
        count
    }

    /// Total number of code points.
    pub fn len_chars(&self) -> usize {
        self.char_offset(self.text.len())
    }
}
