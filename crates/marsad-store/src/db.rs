//! The SQLite side of the store: schema, migrations and row writing.
//!
//! SQLite is the **source of truth**: one row per document with every
//! field of the [`Document`], its content hash, the batch that wrote it,
//! its text and its full analysis (JSON) as zstd blobs
//! ([`crate::prepare::compress`]; `(Document, DocAnalysis)` is rebuilt from
//! them exactly), a few counts (sentences, mentions, claims, events), and
//! its entities as a packed list of `(entity, name, mentions)` ids into two
//! small dictionary tables, `entity` (store-wide key and type) and
//! `entity_name`. The search index can always be rebuilt from it.
//!
//! The analysis is stored once. Nothing reads figures, claims or events
//! through SQL: the pages, the API and the views decode analyses, search
//! and its filters run in the index, and the one cross-document question
//! SQLite answers, the entity list ([`crate::Store::entities`]), is a scan
//! of the packed lists. So there are no per-mention rows and no secondary
//! indexes besides `batch` (for repairing the index) and the uniqueness of
//! ids and dictionary entries. Schema version 1 kept every analysis twice,
//! as gzip JSON and as rows (sentences, mentions, entities, claims, events,
//! event reports with their own JSON): 7.3 times the raw text on the ANT
//! corpus, against 1.47 times now (all 31,525 ANT articles: 124.8 MB for
//! 85.2 MB of text; the text blobs are about 0.40 of it, the analyses 0.58).
//!
//! Schema versions are kept in `PRAGMA user_version`; [`migrate`] applies
//! every step above the file's version in one transaction. Step 2 rewrites
//! a version-1 store from its analysis blobs (same keys, hashes and
//! batches) and drops the row tables; the file is vacuumed afterwards. The
//! `meta` table holds `batch_seq`, the number of the last committed write
//! batch (see the crate docs on consistency).
//!
//! Entity and name ids are never reused or deleted: an id no document
//! refers to any more (after a replacement) is simply not counted.

use std::collections::HashMap;

use marsad_ingest::Document;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::Error;
use crate::prepare::Prepared;

/// Schema version 1: documents with their analysis as a gzip blob *and*
/// as rows (sentences, mentions, entities, claims, events, event reports).
const V1: &str = r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta(key, value) VALUES ('batch_seq', '0');

CREATE TABLE documents (
    key          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    hash         TEXT NOT NULL,
    batch        INTEGER NOT NULL,
    title        TEXT,
    source       TEXT,
    url          TEXT,
    published    TEXT,
    text         TEXT NOT NULL,
    duplicate_of TEXT,
    links        TEXT NOT NULL,
    metadata     TEXT NOT NULL,
    origin       TEXT NOT NULL,
    analysis     BLOB NOT NULL   -- DocAnalysis, gzip-compressed JSON
);
CREATE INDEX documents_batch ON documents(batch);
CREATE INDEX documents_source ON documents(source);
CREATE INDEX documents_published ON documents(published);

CREATE TABLE sentences (
    doc        INTEGER NOT NULL REFERENCES documents(key),
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;

-- Figures, entity mentions and attributions of every document.
CREATE TABLE mentions (
    doc        INTEGER NOT NULL REFERENCES documents(key),
    kind       TEXT NOT NULL,      -- figure | entity | attribution
    idx        INTEGER NOT NULL,   -- index in its DocAnalysis list
    subtype    TEXT,               -- figure kind, entity type, source type
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    entity_id  TEXT,
    value      TEXT NOT NULL,      -- the mention as JSON
    PRIMARY KEY (doc, kind, idx)
) WITHOUT ROWID;
CREATE INDEX mentions_entity ON mentions(entity_id) WHERE entity_id IS NOT NULL;

-- Entities of each document (one row per entity id per document).
CREATE TABLE entities (
    doc       INTEGER NOT NULL REFERENCES documents(key),
    entity_id TEXT NOT NULL,
    etype     TEXT NOT NULL,
    name      TEXT NOT NULL,
    mentions  INTEGER NOT NULL,
    PRIMARY KEY (doc, entity_id)
) WITHOUT ROWID;
CREATE INDEX entities_id ON entities(entity_id);

CREATE TABLE claims (
    doc         INTEGER NOT NULL REFERENCES documents(key),
    idx         INTEGER NOT NULL,
    measure     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    value       REAL,
    low         REAL,
    high        REAL,
    approx      INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL,
    sentence    INTEGER NOT NULL,
    source      TEXT NOT NULL,
    source_type TEXT NOT NULL,
    stance      TEXT NOT NULL,
    event       INTEGER,
    json        TEXT NOT NULL,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;
CREATE INDEX claims_measure ON claims(measure, subject);

CREATE TABLE events (
    doc            INTEGER NOT NULL REFERENCES documents(key),
    idx            INTEGER NOT NULL,
    event_type     TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    status         TEXT NOT NULL,
    date           TEXT,
    location       TEXT,
    location_id    TEXT,
    lat            REAL,
    lon            REAL,
    actor1         TEXT,
    actor2         TEXT,
    fatalities     REAL,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    sentence       INTEGER NOT NULL,
    json           TEXT NOT NULL,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;
CREATE INDEX events_type ON events(event_type);

-- Who reports each event (one row per event mention's source).
CREATE TABLE event_reports (
    doc         INTEGER NOT NULL REFERENCES documents(key),
    event       INTEGER NOT NULL,
    source      TEXT NOT NULL,
    source_type TEXT NOT NULL,
    source_id   TEXT,
    stance      TEXT NOT NULL,
    PRIMARY KEY (doc, event)
) WITHOUT ROWID;
"#;

/// Schema version 2 (see the module docs). Created as `documents_v2` and
/// renamed once version 1's table is gone.
const V2: &str = r#"
CREATE TABLE documents_v2 (
    key          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    hash         TEXT NOT NULL,
    batch        INTEGER NOT NULL,
    title        TEXT,
    source       TEXT,
    url          TEXT,
    published    TEXT,
    duplicate_of TEXT,
    links        TEXT NOT NULL,     -- JSON array
    metadata     TEXT NOT NULL,     -- JSON object
    origin       TEXT NOT NULL,
    sentences    INTEGER NOT NULL,
    mentions     INTEGER NOT NULL,  -- figures + entity mentions + attributions
    claims       INTEGER NOT NULL,
    events       INTEGER NOT NULL,
    entities     BLOB NOT NULL,     -- packed (entity.id, entity_name.id, mentions)
    text         BLOB NOT NULL,     -- zstd
    analysis     BLOB NOT NULL      -- DocAnalysis as JSON, zstd
);

-- Store-wide entity keys (`gpe:ML`, `pers:احمد سالم`).
CREATE TABLE entity (
    id    INTEGER PRIMARY KEY,
    key   TEXT NOT NULL UNIQUE,
    etype TEXT NOT NULL
);

-- Canonical names as written in the documents.
CREATE TABLE entity_name (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
"#;

const V1_ROW_TABLES: &[&str] = &[
    "sentences",
    "mentions",
    "entities",
    "claims",
    "events",
    "event_reports",
];

/// Version 1 → 2: rewrite every document from its analysis blob, drop the
/// row tables.
fn v2_compact(tx: &Transaction<'_>) -> Result<(), Error> {
    tx.execute_batch(V2)?;
    let mut interner = Interner::default();
    {
        let mut st = tx.prepare(
            "SELECT key, id, hash, batch, title, source, url, published, text, duplicate_of,
             links, metadata, origin, analysis FROM documents ORDER BY key",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let key: i64 = r.get(0)?;
            let hash: String = r.get(2)?;
            let batch: i64 = r.get(3)?;
            let doc = Document {
                id: r.get(1)?,
                title: r.get(4)?,
                source: r.get(5)?,
                url: r.get(6)?,
                published: r.get(7)?,
                text: r.get(8)?,
                duplicate_of: r.get(9)?,
                links: serde_json::from_str(&r.get::<_, String>(10)?)?,
                metadata: serde_json::from_str(&r.get::<_, String>(11)?)?,
                origin: r.get(12)?,
            };
            let v = r.get_ref(13)?;
            let bytes = v.as_bytes().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(13, v.data_type(), Box::new(e))
            })?;
            let analysis = crate::prepare::decode_analysis(bytes)?;
            let mut p = crate::prepare::prepare(doc, analysis)?;
            // The hash the row was written with, so nothing looks changed.
            p.hash = hash;
            insert(
                tx,
                "documents_v2",
                Some(key),
                &p,
                batch as u64,
                &mut interner,
            )?;
        }
    }
    for t in V1_ROW_TABLES {
        tx.execute_batch(&format!("DROP TABLE {t};"))?;
    }
    tx.execute_batch(
        "DROP TABLE documents;
         ALTER TABLE documents_v2 RENAME TO documents;
         CREATE INDEX documents_batch ON documents(batch);",
    )?;
    Ok(())
}

enum Step {
    Sql(&'static str),
    Rust(fn(&Transaction<'_>) -> Result<(), Error>),
}

/// Migrations, in order. Step `i` brings the file to version `i + 1`.
const MIGRATIONS: &[Step] = &[Step::Sql(V1), Step::Rust(v2_compact)];

/// Current schema version.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Connection settings of the writing connection. A new file gets 16 KiB
/// pages: a document row is about 3 KB compressed, and 4 KiB pages, which
/// mostly hold one row, leave a third of the file unused (on 5,000 ANT
/// articles: 21.9 MB with 4 KiB pages, 20.7 MB with 8 KiB, 18.7 MB with
/// 16 KiB); WAL with `synchronous =
/// NORMAL` commits without waiting for the disk and stays consistent
/// after a crash (a power cut may lose the last commits, which the index
/// repair handles).
pub fn configure(conn: &Connection) -> Result<(), Error> {
    conn.pragma_update(None, "page_size", 16384)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    conn.pragma_update(None, "cache_size", -16384)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

/// Bring the schema up to [`SCHEMA_VERSION`]. Returns whether an existing
/// store written by an older marsad was upgraded.
pub fn migrate(conn: &mut Connection) -> Result<bool, Error> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == SCHEMA_VERSION {
        return Ok(false);
    }
    let tx = conn.transaction()?;
    for step in &MIGRATIONS[version as usize..] {
        match step {
            Step::Sql(sql) => tx.execute_batch(sql)?,
            Step::Rust(f) => f(&tx)?,
        }
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    if version > 0 {
        // Give back the pages of the dropped tables.
        conn.execute_batch("VACUUM")?;
    }
    Ok(version > 0)
}

/// The number of the last committed batch.
pub fn batch_seq(conn: &Connection) -> Result<u64, Error> {
    let v: String = conn.query_row("SELECT value FROM meta WHERE key = 'batch_seq'", [], |r| {
        r.get(0)
    })?;
    v.parse()
        .map_err(|_| Error::Corrupt(format!("meta.batch_seq is not a number: {v:?}")))
}

/// Record `seq` as the last committed batch (inside the batch's transaction).
pub fn set_batch_seq(tx: &Transaction<'_>, seq: u64) -> Result<(), Error> {
    tx.prepare_cached("UPDATE meta SET value = ?1 WHERE key = 'batch_seq'")?
        .execute([seq.to_string()])?;
    Ok(())
}

/// Key and content hash of the document with this id.
pub fn lookup(conn: &Connection, id: &str) -> Result<Option<(i64, String)>, Error> {
    Ok(conn
        .prepare_cached("SELECT key, hash FROM documents WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Ids of entity keys and names, cached by the writer. The cache can hold
/// ids of a transaction that was rolled back: [`Interner::clear`] it after
/// a failed write.
#[derive(Debug, Default)]
pub struct Interner {
    entities: HashMap<String, i64>,
    names: HashMap<String, i64>,
}

impl Interner {
    /// Forget every cached id.
    pub fn clear(&mut self) {
        self.entities.clear();
        self.names.clear();
    }

    fn entity(&mut self, tx: &Transaction<'_>, key: &str, etype: &str) -> Result<i64, Error> {
        if let Some(&id) = self.entities.get(key) {
            return Ok(id);
        }
        let found = tx
            .prepare_cached("SELECT id FROM entity WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                tx.prepare_cached("INSERT INTO entity(key, etype) VALUES (?1, ?2)")?
                    .execute([key, etype])?;
                tx.last_insert_rowid()
            }
        };
        self.entities.insert(key.to_owned(), id);
        Ok(id)
    }

    fn name(&mut self, tx: &Transaction<'_>, name: &str) -> Result<i64, Error> {
        if let Some(&id) = self.names.get(name) {
            return Ok(id);
        }
        let found = tx
            .prepare_cached("SELECT id FROM entity_name WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                tx.prepare_cached("INSERT INTO entity_name(name) VALUES (?1)")?
                    .execute([name])?;
                tx.last_insert_rowid()
            }
        };
        self.names.insert(name.to_owned(), id);
        Ok(id)
    }
}

/// One entry of a document's packed entity list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedEntity {
    /// `entity.id`.
    pub entity: i64,
    /// `entity_name.id`.
    pub name: i64,
    /// Mentions in the document.
    pub mentions: u64,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

/// Pack entity entries as LEB128 varint triples.
pub fn pack_entities(list: &[PackedEntity]) -> Vec<u8> {
    let mut out = Vec::with_capacity(list.len() * 5);
    for e in list {
        put_varint(&mut out, e.entity as u64);
        put_varint(&mut out, e.name as u64);
        put_varint(&mut out, e.mentions);
    }
    out
}

/// Unpack what [`pack_entities`] wrote.
pub fn unpack_entities(bytes: &[u8]) -> Result<Vec<PackedEntity>, Error> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let mut pos = 0;
    let bad = || Error::Corrupt("packed entity list is truncated".into());
    while pos < bytes.len() {
        let entity = get_varint(bytes, &mut pos).ok_or_else(bad)? as i64;
        let name = get_varint(bytes, &mut pos).ok_or_else(bad)? as i64;
        let mentions = get_varint(bytes, &mut pos).ok_or_else(bad)?;
        out.push(PackedEntity {
            entity,
            name,
            mentions,
        });
    }
    Ok(out)
}

fn insert(
    tx: &Transaction<'_>,
    table: &str,
    key: Option<i64>,
    p: &Prepared,
    batch: u64,
    interner: &mut Interner,
) -> Result<i64, Error> {
    let d = &p.doc;
    let mut packed = Vec::with_capacity(p.entities.len());
    for e in &p.entities {
        packed.push(PackedEntity {
            entity: interner.entity(tx, &e.id, &e.etype)?,
            name: interner.name(tx, &e.name)?,
            mentions: e.mentions as u64,
        });
    }
    tx.prepare_cached(&format!(
        "INSERT OR REPLACE INTO {table}(key, id, hash, batch, title, source, url, published,
         duplicate_of, links, metadata, origin, sentences, mentions, claims, events, entities,
         text, analysis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
         ?18, ?19)"
    ))?
    .execute(params![
        key,
        d.id,
        p.hash,
        batch as i64,
        d.title,
        d.source,
        d.url,
        d.published,
        d.duplicate_of,
        serde_json::to_string(&d.links)?,
        serde_json::to_string(&d.metadata)?,
        d.origin,
        p.sentences as i64,
        p.mentions() as i64,
        p.analysis.claims.len() as i64,
        p.analysis.events.len() as i64,
        pack_entities(&packed),
        p.text_blob,
        p.analysis_blob
    ])?;
    Ok(match key {
        Some(k) => k,
        None => tx.last_insert_rowid(),
    })
}

/// Write one prepared document under `key` (an existing row, replaced
/// whole) or a new key. Returns the key.
pub fn write_document(
    tx: &Transaction<'_>,
    existing: Option<i64>,
    p: &Prepared,
    batch: u64,
    interner: &mut Interner,
) -> Result<i64, Error> {
    insert(tx, "documents", existing, p, batch, interner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn packed_entities_round_trip() {
        let list = vec![
            PackedEntity {
                entity: 1,
                name: 300,
                mentions: 2,
            },
            PackedEntity {
                entity: 1 << 40,
                name: 127,
                mentions: 128,
            },
        ];
        let b = pack_entities(&list);
        assert_eq!(unpack_entities(&b).unwrap(), list);
        assert!(unpack_entities(&b[..b.len() - 1]).is_err());
        assert!(unpack_entities(&[]).unwrap().is_empty());
    }

    /// A store written with schema version 1 (analysis as gzip JSON and as
    /// rows) is rewritten by the migration: same keys, hashes and batches,
    /// the analysis intact, the row tables gone.
    #[test]
    fn version_1_is_migrated() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let text = "قالت وكالة الساحل إن قافلة وصلت إلى غاو.";
        let start = text.find("غاو").unwrap();
        let analysis: marsad_extract::DocAnalysis = serde_json::from_value(serde_json::json!({
            "figures": [], "attributions": [], "claims": [], "events": [],
            "entities": [{"etype": "GPE", "start": start, "end": start + "غاو".len(),
                          "canonical": "غاو", "id": "gn:gao", "title": null, "place": null}]
        }))
        .unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&serde_json::to_vec(&analysis).unwrap())
            .unwrap();
        let blob = gz.finish().unwrap();
        conn.execute(
            "INSERT INTO documents(key, id, hash, batch, title, source, url, published, text,
             duplicate_of, links, metadata, origin, analysis)
             VALUES (7, 'a', 'h1', 3, 'عنوان', 'وكالة الساحل', NULL, '2024-09-17', ?1, NULL,
             '[]', '{}', 'test:a', ?2)",
            params![text, blob],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO entities(doc, entity_id, etype, name, mentions)
             VALUES (7, 'gn:gao', 'gpe', 'غاو', 1)",
            [],
        )
        .unwrap();
        assert!(migrate(&mut conn).unwrap());
        assert!(!migrate(&mut conn).unwrap());
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        assert_eq!(lookup(&conn, "a").unwrap(), Some((7, "h1".to_string())));
        let (batch, text_blob, an, ents): (i64, Vec<u8>, Vec<u8>, Vec<u8>) = conn
            .query_row(
                "SELECT batch, text, analysis, entities FROM documents WHERE key = 7",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(batch, 3);
        assert_eq!(crate::prepare::decode_text(&text_blob).unwrap(), text);
        assert_eq!(crate::prepare::decode_analysis(&an).unwrap(), analysis);
        let ents = unpack_entities(&ents).unwrap();
        assert_eq!(ents.len(), 1);
        let key: String = conn
            .query_row(
                "SELECT key FROM entity WHERE id = ?1",
                [ents[0].entity],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(key, "gn:gao");
        for t in V1_ROW_TABLES {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
                    [t],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 0, "{t} still there");
        }
    }
}
