//! Turning one analysed document into what the writer stores, off the
//! writer thread.
//!
//! [`prepare`] is pure CPU work (sentence spans, character offsets, rows,
//! JSON encoding), so callers run it in parallel (the CLI uses
//! rayon) and hand the single writer only ready rows. It never touches the
//! disk.

use std::collections::BTreeMap;

use marsad_extract::DocAnalysis;
use marsad_ingest::Document;
use marsad_text::CharMap;

use crate::Error;

/// A byte span with its code-point equivalent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte start.
    pub start: i64,
    /// Byte end.
    pub end: i64,
    /// Code-point start.
    pub start_char: i64,
    /// Code-point end.
    pub end_char: i64,
}

/// One row of the `mentions` table.
#[derive(Debug, Clone)]
pub struct MentionRow {
    /// `figure`, `entity` or `attribution`.
    pub kind: &'static str,
    /// Index in its list of the analysis.
    pub idx: usize,
    /// Figure kind, entity type or source type.
    pub subtype: String,
    /// Where.
    pub span: Span,
    /// The text of the span.
    pub text: String,
    /// Entity id (entities and attributions to entities).
    pub entity_id: Option<String>,
    /// The mention as JSON.
    pub value: String,
}

/// One row of the `entities` table.
#[derive(Debug, Clone)]
pub struct EntityRow {
    /// Entity id.
    pub id: String,
    /// Type (`PERS`, `ORG`, ...).
    pub etype: String,
    /// Canonical name.
    pub name: String,
    /// Mentions in this document.
    pub mentions: usize,
}

/// A document ready to be written.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The document.
    pub doc: Document,
    /// Its analysis.
    pub analysis: DocAnalysis,
    /// [`content_hash`] of the document.
    pub hash: String,
    /// The analysis as gzip-compressed JSON ([`encode_analysis`]).
    pub analysis_blob: Vec<u8>,
    /// Sentence spans.
    pub sentences: Vec<Span>,
    /// Mention rows.
    pub mentions: Vec<MentionRow>,
    /// Entity rows.
    pub entities: Vec<EntityRow>,
}

/// The content hash of a document: xxh3-128 over its content fields (id,
/// title, source, url, published, text, links, metadata), hex. Same id +
/// same hash = same article, which the store skips. `origin` (where the
/// file was) and `duplicate_of` (relative to what else one run read) are
/// facts about a reading, not about the article, so they are left out: a
/// moved file or a different batch of inputs does not make an article new.
pub fn content_hash(doc: &Document) -> String {
    use xxhash_rust::xxh3::Xxh3;
    let mut h = Xxh3::new();
    let mut field = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    field(&doc.id);
    field(doc.title.as_deref().unwrap_or("\u{0}none"));
    field(doc.source.as_deref().unwrap_or("\u{0}none"));
    field(doc.url.as_deref().unwrap_or("\u{0}none"));
    field(doc.published.as_deref().unwrap_or("\u{0}none"));
    field(&doc.text);
    for l in &doc.links {
        field(l);
    }
    let meta = serde_json::Value::Object(doc.metadata.clone()).to_string();
    field(&meta);
    format!("{:032x}", h.digest128())
}

/// The analysis as stored: JSON, gzip-compressed (fast level). Analyses
/// are mostly repeated keys and numbers; compressed they take about a
/// seventh of the space, and SQLite stays a few times the raw text.
pub fn encode_analysis(a: &DocAnalysis) -> Result<Vec<u8>, Error> {
    use std::io::Write;
    let json = serde_json::to_vec(a)?;
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(json.len() / 5),
        flate2::Compression::fast(),
    );
    gz.write_all(&json)
        .map_err(|e| Error::Corrupt(format!("compressing: {e}")))?;
    gz.finish()
        .map_err(|e| Error::Corrupt(format!("compressing: {e}")))
}

/// Decode a stored analysis: gzip-compressed JSON, or plain JSON text.
pub fn decode_analysis(bytes: &[u8]) -> Result<DocAnalysis, Error> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut json = Vec::with_capacity(bytes.len() * 6);
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes), &mut json)
            .map_err(|e| Error::Corrupt(format!("stored analysis: {e}")))?;
        Ok(serde_json::from_slice(&json)?)
    } else {
        Ok(serde_json::from_slice(bytes)?)
    }
}

/// The store-wide key of an entity. Gazetteer ids (`gpe:ML`,
/// `org:minusma`) are global and used as they are; document-local ids
/// (`doc:…`, numbered per document, so `doc:pers:1` is a different person
/// in each article) are replaced by the type and the search form of the
/// canonical name (`pers:عبد الله ديوب`), so the same name is one entity
/// across documents and different names never merge.
pub fn entity_key(id: &str, etype: &str, canonical: &str) -> String {
    if id.starts_with("doc:") || id.is_empty() {
        format!(
            "{}:{}",
            etype.to_lowercase(),
            marsad_text::search_form(canonical, false)
        )
    } else {
        id.to_owned()
    }
}

fn span(chars: &CharMap<'_>, text: &str, start: usize, end: usize) -> (Span, String) {
    let (s, e) = (
        start.min(text.len()),
        end.min(text.len()).max(start.min(text.len())),
    );
    let slice = text.get(s..e).unwrap_or_default().to_owned();
    (
        Span {
            start: s as i64,
            end: e as i64,
            start_char: chars.char_offset(s) as i64,
            end_char: chars.char_offset(e) as i64,
        },
        slice,
    )
}

fn lower_json_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Prepare `doc` and its analysis for writing.
pub fn prepare(doc: Document, analysis: DocAnalysis) -> Result<Prepared, Error> {
    let hash = content_hash(&doc);
    let analysis_blob = encode_analysis(&analysis)?;
    let text = doc.text.as_str();
    let chars = CharMap::new(text);
    let ta = marsad_text::analyze_raw(text);
    let sentences = ta
        .sentences
        .iter()
        .map(|s| span(&chars, text, s.start as usize, s.end as usize).0)
        .collect();
    let mut mentions = Vec::new();
    for (i, f) in analysis.figures.iter().enumerate() {
        let (sp, t) = span(&chars, text, f.start, f.end);
        mentions.push(MentionRow {
            kind: "figure",
            idx: i,
            subtype: lower_json_str(&f.kind),
            span: sp,
            text: t,
            entity_id: None,
            value: serde_json::to_string(f)?,
        });
    }
    let mut entities: BTreeMap<String, EntityRow> = BTreeMap::new();
    for (i, e) in analysis.entities.iter().enumerate() {
        let (sp, t) = span(&chars, text, e.start, e.end);
        let etype = lower_json_str(&e.etype);
        let key = entity_key(&e.id, &etype, &e.canonical);
        mentions.push(MentionRow {
            kind: "entity",
            idx: i,
            subtype: etype.clone(),
            span: sp,
            text: t,
            entity_id: Some(key.clone()),
            value: serde_json::to_string(e)?,
        });
        entities
            .entry(key.clone())
            .or_insert_with(|| EntityRow {
                id: key,
                etype,
                name: e.canonical.clone(),
                mentions: 0,
            })
            .mentions += 1;
    }
    for (i, a) in analysis.attributions.iter().enumerate() {
        let (sp, t) = span(&chars, text, a.start, a.end);
        mentions.push(MentionRow {
            kind: "attribution",
            idx: i,
            subtype: lower_json_str(&a.source_type),
            span: sp,
            text: t,
            entity_id: a.source_id.clone(),
            value: serde_json::to_string(a)?,
        });
    }
    let entities = entities.into_values().collect();
    drop(ta);
    Ok(Prepared {
        hash,
        analysis_blob,
        sentences,
        mentions,
        entities,
        doc,
        analysis,
    })
}
