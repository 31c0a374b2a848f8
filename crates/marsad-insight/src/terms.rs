//! Term vectors for clustering and summaries: light stems (from
//! `marsad-text`) of content words, and entity ids.
//!
//! Function words and reporting verbs (`data/stopwords.txt`) are left out:
//! every Arabic news sentence has `في`, `أن` and `قال`, so they say nothing
//! about what a story is about. Stems rather than words, because Arabic
//! inflects and attaches clitics: `الهجوم`, `وهجوم`, `هجومها` share the stem
//! `هجوم`. Entity ids are added as terms of their own (`e:` + id), so two
//! articles naming `Bamako` in different spellings still share it.
//!
//! Terms are 64-bit xxh3 hashes of `s:stem` / `e:id`: no string is kept,
//! and with under a million distinct terms a collision is vanishingly rare.

use rustc_hash::FxHashSet;
use std::sync::OnceLock;

static STOPWORDS: &str = include_str!("../data/stopwords.txt");

fn stopwords() -> &'static FxHashSet<String> {
    static S: OnceLock<FxHashSet<String>> = OnceLock::new();
    S.get_or_init(|| {
        STOPWORDS
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(|l| marsad_text::search_form(l, false))
            .collect()
    })
}

/// Is this (search-form) word a stopword?
pub fn is_stopword(w: &str) -> bool {
    stopwords().contains(w)
}

/// Hash of a stem term.
pub fn stem_term(stem: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(b"s:");
    h.update(stem.as_bytes());
    h.digest()
}

/// Hash of an entity term.
pub fn entity_term(id: &str) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(b"e:");
    h.update(id.as_bytes());
    h.digest()
}

/// The content stem of a token, if it is a content word.
pub fn content_stem<'a>(a: &'a marsad_text::Analysis, t: &marsad_text::Token) -> Option<&'a str> {
    if !matches!(
        t.kind,
        marsad_text::TokenKind::Word | marsad_text::TokenKind::Latin
    ) {
        return None;
    }
    let norm = a.norm(t);
    let base = a.base(t);
    if is_stopword(norm) || is_stopword(base) {
        return None;
    }
    let stem = a.stem(t);
    (stem.chars().count() >= 2).then_some(stem)
}
