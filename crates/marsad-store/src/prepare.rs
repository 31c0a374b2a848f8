//! Turning one analysed document into what the writer stores, off the
//! writer thread.
//!
//! [`prepare`] (or [`prepare_analyzed`], when the caller still holds the
//! text-layer analysis it extracted from) is pure CPU work — content hash,
//! per-document entity rows, counts, and the two compressed blobs: the text
//! and the analysis as JSON, each a zstd frame ([`compress`]) — so callers
//! run it in parallel (the CLI uses rayon) and hand the single writer only
//! ready values. It never touches the disk.

use std::cell::RefCell;
use std::collections::BTreeMap;

use marsad_extract::DocAnalysis;
use marsad_ingest::Document;

use crate::Error;

/// zstd level of the stored blobs. Level 3 (zstd's default) packs
/// article text to about 0.39 of its UTF-8 size and analysis JSON to about
/// a fifth, at a few hundred MB/s: well under 1% of ingest time.
pub const ZSTD_LEVEL: i32 = 3;

/// One entity of one document (what [`crate::Store::entities`] sums).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRow {
    /// Store-wide entity key ([`entity_key`]).
    pub id: String,
    /// Type, lower-case (`pers`, `org`, `gpe`, ...).
    pub etype: String,
    /// Canonical name of its first mention in the document.
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
    /// The text, compressed ([`compress`]).
    pub text_blob: Vec<u8>,
    /// The analysis as JSON, compressed ([`compress`]).
    pub analysis_blob: Vec<u8>,
    /// Number of sentences of the text.
    pub sentences: usize,
    /// Entity rows, one per store-wide entity key, in key order.
    pub entities: Vec<EntityRow>,
}

impl Prepared {
    /// Figure, entity and attribution mentions of the analysis.
    pub fn mentions(&self) -> usize {
        let a = &self.analysis;
        a.figures.len() + a.entities.len() + a.attributions.len()
    }
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

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
}

fn zstd_err(what: &str) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Corrupt(format!("{what}: {e}"))
}

/// Compress `bytes` into one zstd frame (level [`ZSTD_LEVEL`], content
/// size in the header). Each thread keeps its compression context.
pub fn compress(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        let z = match &mut *c {
            Some(z) => z,
            None => c.insert(zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(zstd_err("zstd"))?),
        };
        z.compress(bytes).map_err(zstd_err("compressing"))
    })
}

const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// Largest content size taken from a frame header to size the output.
const MAX_TRUSTED_SIZE: u64 = 64 << 20;

thread_local! {
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> = const { RefCell::new(None) };
}

/// Decompress a blob written by [`compress`] (whose frame header has the
/// content size). Each thread keeps its decompression context.
pub fn decompress(blob: &[u8]) -> Result<Vec<u8>, Error> {
    if !blob.starts_with(&ZSTD_MAGIC) {
        return Err(Error::Corrupt("stored blob is not a zstd frame".into()));
    }
    // A size the header claims is only trusted up to a sane bound (a
    // damaged header must not make us allocate gigabytes).
    let size = match zstd::zstd_safe::get_frame_content_size(blob) {
        Ok(Some(n)) if n <= MAX_TRUSTED_SIZE => n as usize,
        _ => return zstd::stream::decode_all(blob).map_err(zstd_err("stored blob")),
    };
    DECOMPRESSOR.with(|d| {
        let mut d = d.borrow_mut();
        let z = match &mut *d {
            Some(z) => z,
            None => d.insert(zstd::bulk::Decompressor::new().map_err(zstd_err("zstd"))?),
        };
        z.decompress(blob, size).map_err(zstd_err("stored blob"))
    })
}

/// Decompress a stored text.
pub fn decode_text(blob: &[u8]) -> Result<String, Error> {
    String::from_utf8(decompress(blob)?)
        .map_err(|_| Error::Corrupt("stored text is not UTF-8".into()))
}

/// The analysis as stored: JSON (self-describing, so analyses written
/// before a field was added still read), zstd-compressed.
pub fn encode_analysis(a: &DocAnalysis) -> Result<Vec<u8>, Error> {
    compress(&serde_json::to_vec(a)?)
}

/// Decode a stored analysis: zstd-compressed JSON ([`encode_analysis`]),
/// or, as schema version 1 stored them, gzip-compressed or plain JSON.
pub fn decode_analysis(bytes: &[u8]) -> Result<DocAnalysis, Error> {
    if bytes.starts_with(&ZSTD_MAGIC) {
        Ok(serde_json::from_slice(&decompress(bytes)?)?)
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
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

/// Lower-case serde name of a unit enum value (`GPE` → `gpe`).
pub(crate) fn lower_json_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_lowercase))
        .unwrap_or_default()
}

/// Prepare `doc` and its analysis for writing. Tokenizes the text once to
/// count its sentences; callers that still have the text-layer analysis
/// use [`prepare_analyzed`].
pub fn prepare(doc: Document, analysis: DocAnalysis) -> Result<Prepared, Error> {
    let sentences = marsad_text::analyze_raw(&doc.text).sentences.len();
    build(doc, sentences, analysis)
}

/// [`prepare`] with the text-layer analysis of `doc.text` the extraction
/// ran on (so the text is not tokenized again).
pub fn prepare_analyzed(
    doc: Document,
    text: &marsad_text::Analysis,
    analysis: DocAnalysis,
) -> Result<Prepared, Error> {
    build(doc, text.sentences.len(), analysis)
}

fn build(doc: Document, sentences: usize, analysis: DocAnalysis) -> Result<Prepared, Error> {
    let hash = content_hash(&doc);
    let text_blob = compress(doc.text.as_bytes())?;
    let analysis_blob = encode_analysis(&analysis)?;
    let mut entities: BTreeMap<String, EntityRow> = BTreeMap::new();
    for e in &analysis.entities {
        let etype = lower_json_str(&e.etype);
        let key = entity_key(&e.id, &etype, &e.canonical);
        entities
            .entry(key)
            .or_insert_with_key(|key| EntityRow {
                id: key.clone(),
                etype,
                name: e.canonical.clone(),
                mentions: 0,
            })
            .mentions += 1;
    }
    Ok(Prepared {
        hash,
        text_blob,
        analysis_blob,
        sentences,
        entities: entities.into_values().collect(),
        doc,
        analysis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_round_trip() {
        let text = "قالت البعثة إن ١٢ جندياً قتلوا في كمين قرب تمبكتو.";
        let z = compress(text.as_bytes()).unwrap();
        assert_eq!(decode_text(&z).unwrap(), text);
        assert!(decode_text(text.as_bytes()).is_err());
        let a = DocAnalysis::default();
        let blob = encode_analysis(&a).unwrap();
        assert_eq!(decode_analysis(&blob).unwrap(), a);
        // Version-1 forms still decode.
        assert_eq!(
            decode_analysis(&serde_json::to_vec(&a).unwrap()).unwrap(),
            a
        );
    }

    #[test]
    fn entity_rows_merge_mentions_of_one_key() {
        let text = "زار رئيس مالي باماكو ثم عاد إلى مالي.";
        let m = |word: &str, nth: usize| {
            let start = text.match_indices(word).nth(nth).unwrap().0;
            serde_json::from_value::<marsad_extract::EntityMention>(serde_json::json!({
                "etype": "GPE", "start": start, "end": start + word.len(),
                "canonical": word, "id": format!("gpe:{word}"), "title": null, "place": null
            }))
            .unwrap()
        };
        let a = DocAnalysis {
            entities: vec![m("مالي", 0), m("باماكو", 0), m("مالي", 1)],
            ..DocAnalysis::default()
        };
        let doc = Document {
            id: "x".into(),
            text: text.into(),
            ..Document::default()
        };
        let p = prepare(doc, a).unwrap();
        assert_eq!(p.sentences, 1);
        assert_eq!(p.mentions(), 3);
        let rows: Vec<(&str, &str, usize)> = p
            .entities
            .iter()
            .map(|e| (e.id.as_str(), e.etype.as_str(), e.mentions))
            .collect();
        assert_eq!(rows, vec![("gpe:باماكو", "gpe", 1), ("gpe:مالي", "gpe", 2)]);
    }
}
