//! The tantivy side of the store: schema and index documents.
//!
//! One index document per stored document. Text fields (`norm`, `stem`)
//! carry the title and then the text, analysed by the tokenizers of
//! [`crate::analyzer`];
//! nothing is stored in the index but the id (SQLite keeps the text), so
//! the index stays small. Filter fields are raw (untokenized) terms:
//! `source` (lower-cased), `published` (date, fast), `entity` (entity ids
//! and the search form of canonical names), `event_type` (lower-cased
//! ACLED type). Three fast-only string columns hold what facets count and
//! show, each value once per document: `facet_source` (the source as
//! written), `facet_event_type` and `facet_entity` (canonical names); see
//! [`crate::facets`].

use std::collections::BTreeSet;

use marsad_extract::DocAnalysis;
use marsad_ingest::Document;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, Index, TantivyDocument};

use crate::analyzer::{ArabicTokenizer, Mode, NORM_TOKENIZER, STEM_TOKENIZER};

/// The fields of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Document id (raw, stored): the delete key.
    pub id: Field,
    /// SQLite key (fast).
    pub key: Field,
    /// Search forms + clitic-free bases.
    pub norm: Field,
    /// Light stems.
    pub stem: Field,
    /// Lower-cased source.
    pub source: Field,
    /// Publication date.
    pub published: Field,
    /// Entity ids and normalized names.
    pub entity: Field,
    /// Lower-cased event types.
    pub event_type: Field,
    /// Facet column: source as written.
    pub facet_source: Field,
    /// Facet column: event types.
    pub facet_event_type: Field,
    /// Facet column: canonical entity names.
    pub facet_entity: Field,
}

/// Names of the facet columns, in the order of [`crate::Facets`]' lists.
pub const FACET_FIELDS: [&str; 3] = ["facet_source", "facet_event_type", "facet_entity"];

/// Build the schema.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tok: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tok)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    // Not indexed, not stored: a raw fast column only.
    let facet = || TextOptions::default().set_fast("raw");
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        key: b.add_u64_field("key", FAST),
        norm: b.add_text_field("norm", text(NORM_TOKENIZER)),
        stem: b.add_text_field("stem", text(STEM_TOKENIZER)),
        source: b.add_text_field("source", STRING),
        published: b.add_date_field("published", INDEXED | FAST),
        entity: b.add_text_field("entity", STRING),
        event_type: b.add_text_field("event_type", STRING),
        facet_source: b.add_text_field(FACET_FIELDS[0], facet()),
        facet_event_type: b.add_text_field(FACET_FIELDS[1], facet()),
        facet_entity: b.add_text_field(FACET_FIELDS[2], facet()),
    };
    (b.build(), fields)
}

/// Register the Arabic tokenizers on `index`.
pub fn register_tokenizers(index: &Index) {
    let m = index.tokenizers();
    m.register(
        NORM_TOKENIZER,
        TextAnalyzer::from(ArabicTokenizer::new(Mode::Norm)),
    );
    m.register(
        STEM_TOKENIZER,
        TextAnalyzer::from(ArabicTokenizer::new(Mode::Stem)),
    );
}

/// Parse an ISO 8601 date or date-time into a tantivy date (UTC).
pub fn parse_date(s: &str) -> Option<DateTime> {
    let s = s.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(DateTime::from_timestamp_secs(dt.timestamp()));
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(DateTime::from_timestamp_secs(dt.and_utc().timestamp()));
        }
    }
    let day = s.get(..10).unwrap_or(s);
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    Some(DateTime::from_timestamp_secs(
        d.and_hms_opt(0, 0, 0)?.and_utc().timestamp(),
    ))
}

/// Lower-case key of a source for filtering.
pub fn source_key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Lower-case key of an event type for filtering.
pub fn event_type_key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Keys of an entity for filtering: its store-wide key
/// ([`crate::prepare::entity_key`]) and the search form of its name.
pub fn entity_keys(id: &str, name: &str) -> [String; 2] {
    [id.to_owned(), marsad_text::search_form(name, false)]
}

/// Build the index document of one stored document. The text fields are
/// analysed by the registered Arabic tokenizers when tantivy indexes it.
pub fn index_document(
    f: &Fields,
    key: u64,
    doc: &Document,
    analysis: &DocAnalysis,
) -> TantivyDocument {
    let mut d = TantivyDocument::new();
    d.add_text(f.id, &doc.id);
    d.add_u64(f.key, key);
    if let Some(title) = doc.title.as_deref().filter(|t| !t.is_empty()) {
        d.add_text(f.norm, title);
        d.add_text(f.stem, title);
    }
    d.add_text(f.norm, &doc.text);
    d.add_text(f.stem, &doc.text);
    if let Some(s) = doc.source.as_deref().filter(|s| !s.trim().is_empty()) {
        d.add_text(f.source, source_key(s));
        d.add_text(f.facet_source, s.trim());
    }
    if let Some(p) = doc.published.as_deref().and_then(parse_date) {
        d.add_date(f.published, p);
    }
    let mut keys = BTreeSet::new();
    let mut names = BTreeSet::new();
    for e in &analysis.entities {
        let etype = crate::prepare::lower_json_str(&e.etype);
        let key = crate::prepare::entity_key(&e.id, &etype, &e.canonical);
        for k in entity_keys(&key, &e.canonical) {
            if !k.is_empty() {
                keys.insert(k);
            }
        }
        if !e.canonical.trim().is_empty() {
            names.insert(e.canonical.trim());
        }
    }
    for k in keys {
        d.add_text(f.entity, k);
    }
    for n in names {
        d.add_text(f.facet_entity, n);
    }
    let types: BTreeSet<&str> = analysis
        .events
        .iter()
        .map(|e| e.event_type.trim())
        .filter(|t| !t.is_empty())
        .collect();
    for t in types {
        d.add_text(f.event_type, event_type_key(t));
        d.add_text(f.facet_event_type, t);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_the_forms_inputs_use() {
        let day = parse_date("2018-03-04").map(|d| d.into_timestamp_secs());
        assert_eq!(day, Some(1_520_121_600));
        let t = parse_date("2018-03-04T10:00:00+02:00").map(|d| d.into_timestamp_secs());
        assert_eq!(t, Some(1_520_121_600 + 8 * 3600));
        assert!(parse_date("March 4").is_none());
    }
}
