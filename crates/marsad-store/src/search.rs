//! Search: query language, tantivy query building, facets and snippets.
//!
//! # Query language
//! - Words are all required (AND): `انسحاب بعثة`.
//! - `"…"` (or `«…»`, `“…”`) is a phrase: `"قوات حفظ السلام"`.
//! - A word or phrase prefixed with `-` must not occur: `مالي -باماكو`.
//! - Filters come from [`Query`]'s fields (source, date range, entity,
//!   event type), never from the text.
//!
//! # Matching and ranking
//! Every query word is analysed like document words
//! ([`crate::analyzer::query_terms`]) and matches when any of its forms
//! does, scored with BM25 and boosted by how exact the match is:
//! search form in the `norm` field ×[`BOOST_EXACT`] (spelling variants
//! — hamza seats, `ة/ه`, `ى/ي`, diacritics, tatweel — are already one
//! form), clitic-free base in `norm` ×[`BOOST_BASE`] (`والسلام` ~ `السلام`),
//! light stem in `stem` ×[`BOOST_STEM`] (`القوات` ~ `قواتها`). Phrases do
//! the same with phrase queries over each form. Filters are constant-score
//! (they select, they do not rank).
//!
//! # Snippets
//! The best sentence (most distinct query words, then most matches) of
//! the original text, cut to about [`SNIPPET_CHARS`] characters around
//! the first match, HTML-escaped, with every matching word wrapped in
//! `<b>…</b>`. Matching re-analyses the text with `marsad-text` and
//! compares forms, so highlights sit on the exact original bytes.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, Term};

use crate::analyzer::{WordForms, query_terms};
use crate::index::{Fields, entity_keys, event_type_key, parse_date, source_key};

/// Boost of a match on the search form.
pub const BOOST_EXACT: f32 = 3.0;
/// Boost of a match on the clitic-free base.
pub const BOOST_BASE: f32 = 1.5;
/// Boost of a match on the light stem.
pub const BOOST_STEM: f32 = 1.0;
/// Target snippet length in characters.
pub const SNIPPET_CHARS: usize = 220;

/// A search request.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Query {
    /// Query text (see the module docs). Empty = every document.
    pub text: String,
    /// Results to return.
    pub limit: usize,
    /// Results to skip.
    pub offset: usize,
    /// Only this source (case-insensitive).
    pub source: Option<String>,
    /// Published on or after this day (ISO 8601).
    pub from: Option<String>,
    /// Published on or before this day (inclusive; ISO 8601).
    pub to: Option<String>,
    /// Mentions this entity (id or name).
    pub entity: Option<String>,
    /// Has an event of this type (case-insensitive).
    pub event_type: Option<String>,
    /// Compute facet counts.
    pub facets: bool,
}

impl Query {
    /// A query for `text` returning 10 results.
    pub fn new(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            limit: 10,
            ..Query::default()
        }
    }
}

/// One hit.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Relevance score.
    pub score: f32,
    /// HTML snippet of the original text, matches in `<b>…</b>`.
    pub snippet: String,
}

/// Facet counts of the whole result set (not only the returned page).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Facets {
    /// By source.
    pub sources: Vec<(String, u64)>,
    /// By event type.
    pub event_types: Vec<(String, u64)>,
    /// By entity name.
    pub entities: Vec<(String, u64)>,
}

/// Search results.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchResults {
    /// Number of matching documents.
    pub total: usize,
    /// The requested page of hits, best first.
    pub results: Vec<Hit>,
    /// Facet counts, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

/// One parsed clause of the query text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Words (one for a word, several for a phrase).
    pub words: Vec<WordForms>,
    /// Excluded (`-`).
    pub negated: bool,
}

const QUOTES: &[(char, char)] = &[('"', '"'), ('«', '»'), ('“', '”')];

/// Split query text into clauses.
pub fn parse_query(text: &str) -> Vec<Clause> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (negated, body) = match rest.strip_prefix('-') {
            Some(b) if !b.starts_with(char::is_whitespace) && !b.is_empty() => (true, b),
            _ => (false, rest),
        };
        let first = body.chars().next().unwrap_or(' ');
        if let Some(&(_, close)) = QUOTES.iter().find(|(open, _)| *open == first) {
            let inner = &body[first.len_utf8()..];
            let (phrase, after) = match inner.find(close) {
                Some(i) => (&inner[..i], &inner[i + close.len_utf8()..]),
                None => (inner, ""),
            };
            let words = query_terms(phrase);
            if !words.is_empty() {
                out.push(Clause { words, negated });
            }
            rest = after;
        } else {
            let end = body.find(char::is_whitespace).unwrap_or(body.len());
            let words = query_terms(&body[..end]);
            if !words.is_empty() {
                out.push(Clause { words, negated });
            }
            rest = &body[end..];
        }
    }
    out
}

fn term(f: Field, s: &str) -> Term {
    Term::from_field_text(f, s)
}

fn boosted(q: Box<dyn TQuery>, b: f32) -> Box<dyn TQuery> {
    Box::new(BoostQuery::new(q, b))
}

fn seq_query(f: Field, words: &[&str]) -> Box<dyn TQuery> {
    if words.len() == 1 {
        Box::new(TermQuery::new(
            term(f, words[0]),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(words.iter().map(|w| term(f, w)).collect()))
    }
}

/// The tantivy query matching one clause (any of its forms).
fn clause_query(f: &Fields, c: &Clause) -> Box<dyn TQuery> {
    let norms: Vec<&str> = c.words.iter().map(|w| w.norm.as_str()).collect();
    let bases: Vec<&str> = c.words.iter().map(|w| w.base.as_str()).collect();
    let stems: Vec<&str> = c.words.iter().map(|w| w.stem.as_str()).collect();
    let mut should = vec![(
        Occur::Should,
        boosted(seq_query(f.norm, &norms), BOOST_EXACT),
    )];
    if bases != norms {
        should.push((
            Occur::Should,
            boosted(seq_query(f.norm, &bases), BOOST_BASE),
        ));
    }
    should.push((
        Occur::Should,
        boosted(seq_query(f.stem, &stems), BOOST_STEM),
    ));
    Box::new(BooleanQuery::new(should))
}

fn filter(q: Box<dyn TQuery>) -> (Occur, Box<dyn TQuery>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
}

/// Is a filter value given?
fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Build the tantivy query of a request; `None` when the query text had
/// words but none was searchable (only punctuation).
pub fn build_query(f: &Fields, q: &Query) -> Result<Box<dyn TQuery>, crate::Error> {
    let clauses = parse_query(&q.text);
    let mut parts: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    let mut positive = false;
    for c in &clauses {
        let occur = if c.negated {
            Occur::MustNot
        } else {
            positive = true;
            Occur::Must
        };
        parts.push((occur, clause_query(f, c)));
    }
    if !positive {
        parts.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)),
        ));
    }
    if let Some(s) = given(&q.source) {
        parts.push(filter(Box::new(TermQuery::new(
            term(f.source, &source_key(s)),
            IndexRecordOption::Basic,
        ))));
    }
    if let Some(t) = given(&q.event_type) {
        parts.push(filter(Box::new(TermQuery::new(
            term(f.event_type, &event_type_key(t)),
            IndexRecordOption::Basic,
        ))));
    }
    if let Some(e) = given(&q.entity) {
        let keys = entity_keys(e, e);
        let should: Vec<(Occur, Box<dyn TQuery>)> = keys
            .iter()
            .filter(|k| !k.is_empty())
            .map(|k| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term(f.entity, k), IndexRecordOption::Basic))
                        as Box<dyn TQuery>,
                )
            })
            .collect();
        parts.push(filter(Box::new(BooleanQuery::new(should))));
    }
    let from = match given(&q.from) {
        Some(s) => Bound::Included(Term::from_field_date(f.published, day(s, 0)?)),
        None => Bound::Unbounded,
    };
    let to = match given(&q.to) {
        // Inclusive day: everything before the next midnight.
        Some(s) => Bound::Excluded(Term::from_field_date(f.published, day(s, 1)?)),
        None => Bound::Unbounded,
    };
    if !matches!((&from, &to), (Bound::Unbounded, Bound::Unbounded)) {
        parts.push(filter(Box::new(RangeQuery::new(from, to))));
    }
    Ok(Box::new(BooleanQuery::new(parts)))
}

/// Midnight of the day `s` names, plus `plus_days`.
fn day(s: &str, plus_days: i64) -> Result<DateTime, crate::Error> {
    let d = parse_date(s).ok_or_else(|| crate::Error::BadQuery(format!("not a date: {s:?}")))?;
    let secs = d.into_timestamp_secs();
    Ok(DateTime::from_timestamp_secs(
        secs - secs.rem_euclid(86_400) + plus_days * 86_400,
    ))
}

/// HTML-escape `s` into `out`.
fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The snippet of `text` for the query `clauses` (see the module docs).
pub fn snippet(text: &str, clauses: &[Clause]) -> String {
    let a = marsad_text::analyze_raw(text);
    let positive: Vec<&Clause> = clauses.iter().filter(|c| !c.negated).collect();
    // Indexed tokens (what positions count over).
    let idx: Vec<usize> = (0..a.tokens.len())
        .filter(|&i| a.tokens[i].kind != marsad_text::TokenKind::Punct)
        .collect();
    let matches = |ti: usize, w: &WordForms| {
        let t = &a.tokens[ti];
        let (n, b, s) = (a.norm(t), a.base(t), a.stem(t));
        w.norm == n || w.base == b || w.norm == b || (!s.is_empty() && w.stem == s)
    };
    // For every token: the clause it belongs to (a word, or a whole
    // occurrence of a phrase: lone words of a phrase are not marked).
    let mut clause_of: Vec<Option<usize>> = vec![None; a.tokens.len()];
    for (ci, c) in positive.iter().enumerate() {
        let k = c.words.len();
        if k == 0 || idx.len() < k {
            continue;
        }
        for start in 0..=idx.len() - k {
            if (0..k).all(|j| matches(idx[start + j], &c.words[j])) {
                for j in 0..k {
                    clause_of[idx[start + j]].get_or_insert(ci);
                }
            }
        }
    }
    let hits: Vec<(usize, usize)> = clause_of
        .iter()
        .enumerate()
        .filter_map(|(ti, c)| c.map(|c| (ti, c)))
        .collect();
    // Best sentence: most distinct words, then most hits, then earliest.
    let mut best: Option<(usize, usize, usize)> = None; // (distinct, count, sentence)
    let mut i = 0;
    while i < hits.len() {
        let si = a
            .sentence_at(a.tokens[hits[i].0].start as usize)
            .unwrap_or(0);
        let mut seen = Vec::new();
        let mut j = i;
        while j < hits.len()
            && a.sentence_at(a.tokens[hits[j].0].start as usize)
                .unwrap_or(0)
                == si
        {
            if !seen.contains(&hits[j].1) {
                seen.push(hits[j].1);
            }
            j += 1;
        }
        let cand = (seen.len(), j - i, si);
        if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
            best = Some(cand);
        }
        i = j;
    }
    let (from, to) = match best.and_then(|b| a.sentences.get(b.2)) {
        Some(s) => (s.start as usize, s.end as usize),
        None => (0, text.len()),
    };
    let first_hit = hits
        .iter()
        .map(|&(ti, _)| a.tokens[ti].start as usize)
        .find(|&p| p >= from)
        .unwrap_or(from);
    let (from, to) = window(text, from, to, first_hit);
    let mut out = String::with_capacity((to - from) * 2);
    if from > 0 {
        out.push('…');
    }
    let mut pos = from;
    for &(ti, _) in &hits {
        let t = &a.tokens[ti];
        let (s, e) = (t.start as usize, t.end as usize);
        if s < pos || e > to {
            continue;
        }
        escape_into(&text[pos..s], &mut out);
        out.push_str("<b>");
        escape_into(&text[s..e], &mut out);
        out.push_str("</b>");
        pos = e;
    }
    escape_into(&text[pos..to], &mut out);
    if to < text.len() {
        out.push('…');
    }
    out.trim().to_owned()
}

/// Cut `[from, to)` to about [`SNIPPET_CHARS`] characters, keeping `anchor`
/// visible with some context before it, on char boundaries and preferably
/// at spaces.
fn window(text: &str, from: usize, to: usize, anchor: usize) -> (usize, usize) {
    let span = &text[from..to];
    if span.chars().count() <= SNIPPET_CHARS {
        return trim_ws(text, from, to);
    }
    let before = SNIPPET_CHARS / 4;
    // Walk back `before` chars from the anchor.
    let mut start = anchor;
    for _ in 0..before {
        match text[from..start].chars().next_back() {
            Some(c) => start -= c.len_utf8(),
            None => break,
        }
    }
    if start > from
        && let Some(sp) = text[start..anchor].find(' ')
    {
        start += sp + 1;
    }
    let mut end = start;
    for c in text[start..to].chars().take(SNIPPET_CHARS) {
        end += c.len_utf8();
    }
    if end < to
        && let Some(sp) = text[start..end].rfind(' ')
        && sp > 0
    {
        end = start + sp;
    }
    trim_ws(text, start, end)
}

fn trim_ws(text: &str, mut from: usize, mut to: usize) -> (usize, usize) {
    let s = &text[from..to];
    from += s.len() - s.trim_start().len();
    to -= s.len() - s.trim_end().len();
    (from, to.max(from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_phrases_and_negation() {
        let c = parse_query(r#"مالي "قوات حفظ السلام" -باماكو «الأمم المتحدة»"#);
        assert_eq!(c.len(), 4);
        assert_eq!(c[1].words.len(), 3);
        assert!(c[2].negated);
        assert_eq!(c[3].words.len(), 2);
        assert!(parse_query("  ، . ").is_empty());
    }

    #[test]
    fn unclosed_quote_takes_the_rest() {
        let c = parse_query("\"قوات حفظ");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].words.len(), 2);
    }

    #[test]
    fn snippet_highlights_original_spelling() {
        let text = "افتتاحية. وأعلنت البعثةُ انسحابَها من مالي بعد عشر سنوات. خاتمة <قصيرة>.";
        let s = snippet(text, &parse_query("البعثة"));
        assert!(s.contains("<b>البعثةُ</b>"), "{s}");
        assert!(!s.contains("افتتاحية"), "{s}");
        let s = snippet(text, &parse_query("قصيرة"));
        assert!(s.contains("&lt;<b>قصيرة</b>&gt;"), "{s}");
    }

    #[test]
    fn only_whole_phrase_occurrences_are_marked() {
        let text = "وصلت قوات الجيش. وغادرت قوات حفظ السلام المدينة.";
        let s = snippet(text, &parse_query("\"قوات حفظ السلام\""));
        assert_eq!(s, "…وغادرت <b>قوات</b> <b>حفظ</b> <b>السلام</b> المدينة.");
    }

    #[test]
    fn long_sentences_are_cut_around_the_match() {
        let filler = "كلمة ".repeat(200);
        let text = format!("{filler}الانسحاب {filler}");
        let s = snippet(&text, &parse_query("انسحاب"));
        assert!(s.contains("<b>الانسحاب</b>"), "{s}");
        assert!(
            s.chars().count() < SNIPPET_CHARS + 40,
            "{}",
            s.chars().count()
        );
        assert!(s.starts_with('…') && s.ends_with('…'));
    }
}
