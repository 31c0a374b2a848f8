//! The SQLite side of the store: schema, migrations and row writing.
//!
//! SQLite is the **source of truth**: every document with its full
//! analysis (gzip-compressed JSON, to rebuild `(Document, DocAnalysis)` exactly) and, for
//! querying without JSON, its sentences, mentions, entities, claims, events
//! and event reports as rows. The search index can always be rebuilt from
//! it.
//!
//! Schema versions are kept in `PRAGMA user_version`; [`migrate`] applies
//! every step above the file's version in one transaction. The `meta`
//! table holds `batch_seq`, the number of the last committed write batch
//! (see the crate docs on consistency).
//!
//! Offsets: `start`/`end` are byte offsets into `documents.text`,
//! `start_char`/`end_char` are Unicode code-point offsets (what JSON and the
//! web use).

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::Error;
use crate::prepare::Prepared;

/// Migrations, in order. Step `i` brings the file to version `i + 1`.
const MIGRATIONS: &[&str] = &[r#"
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
"#];

/// Current schema version.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Connection settings every connection gets.
pub fn configure(conn: &Connection) -> Result<(), Error> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

/// Bring the schema up to [`SCHEMA_VERSION`].
pub fn migrate(conn: &mut Connection) -> Result<(), Error> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for step in &MIGRATIONS[version as usize..] {
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
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
    tx.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'batch_seq'",
        [seq.to_string()],
    )?;
    Ok(())
}

/// Key and content hash of the document with this id.
pub fn lookup(conn: &Connection, id: &str) -> Result<Option<(i64, String)>, Error> {
    Ok(conn
        .prepare_cached("SELECT key, hash FROM documents WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

const CHILD_TABLES: &[&str] = &[
    "sentences",
    "mentions",
    "entities",
    "claims",
    "events",
    "event_reports",
];

/// Write one prepared document under `key` (existing row) or a new key,
/// replacing any earlier analysis rows. Returns the key.
pub fn write_document(
    tx: &Transaction<'_>,
    existing: Option<i64>,
    p: &Prepared,
    batch: u64,
) -> Result<i64, Error> {
    let d = &p.doc;
    let links = serde_json::to_string(&d.links)?;
    let metadata = serde_json::to_string(&d.metadata)?;
    let key = match existing {
        Some(key) => {
            for t in CHILD_TABLES {
                tx.prepare_cached(&format!("DELETE FROM {t} WHERE doc = ?1"))?
                    .execute([key])?;
            }
            tx.prepare_cached(
                "UPDATE documents SET hash=?2, batch=?3, title=?4, source=?5, url=?6,
                 published=?7, text=?8, duplicate_of=?9, links=?10, metadata=?11, origin=?12,
                 analysis=?13 WHERE key = ?1",
            )?
            .execute(params![
                key,
                p.hash,
                batch as i64,
                d.title,
                d.source,
                d.url,
                d.published,
                d.text,
                d.duplicate_of,
                links,
                metadata,
                d.origin,
                p.analysis_blob
            ])?;
            key
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO documents(id, hash, batch, title, source, url, published, text,
                 duplicate_of, links, metadata, origin, analysis)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                d.id,
                p.hash,
                batch as i64,
                d.title,
                d.source,
                d.url,
                d.published,
                d.text,
                d.duplicate_of,
                links,
                metadata,
                d.origin,
                p.analysis_blob
            ])?;
            tx.last_insert_rowid()
        }
    };
    write_children(tx, key, p)?;
    Ok(key)
}

fn write_children(tx: &Transaction<'_>, key: i64, p: &Prepared) -> Result<(), Error> {
    let mut st = tx.prepare_cached(
        "INSERT INTO sentences(doc, idx, start, end, start_char, end_char)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, s) in p.sentences.iter().enumerate() {
        st.execute(params![
            key,
            i as i64,
            s.start,
            s.end,
            s.start_char,
            s.end_char
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO mentions(doc, kind, idx, subtype, start, end, start_char, end_char, text,
         entity_id, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for m in &p.mentions {
        st.execute(params![
            key,
            m.kind,
            m.idx as i64,
            m.subtype,
            m.span.start,
            m.span.end,
            m.span.start_char,
            m.span.end_char,
            m.text,
            m.entity_id,
            m.value
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO entities(doc, entity_id, etype, name, mentions) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in &p.entities {
        st.execute(params![key, e.id, e.etype, e.name, e.mentions as i64])?;
    }
    let a = &p.analysis;
    let mut st = tx.prepare_cached(
        "INSERT INTO claims(doc, idx, measure, subject, value, low, high, approx, start, end,
         sentence, source, source_type, stance, event, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    for (i, c) in a.claims.iter().enumerate() {
        st.execute(params![
            key,
            i as i64,
            c.measure,
            c.subject,
            c.value,
            c.low,
            c.high,
            c.approx,
            c.start as i64,
            c.end as i64,
            c.sentence as i64,
            c.source.text,
            c.source.source_type,
            c.source.stance,
            c.event.map(|e| e as i64),
            serde_json::to_string(c)?
        ])?;
    }
    let mut st = tx.prepare_cached(
        "INSERT INTO events(doc, idx, event_type, sub_event_type, status, date, location,
         location_id, lat, lon, actor1, actor2, fatalities, start, end, sentence, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    let mut rep = tx.prepare_cached(
        "INSERT INTO event_reports(doc, event, source, source_type, source_id, stance)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, e) in a.events.iter().enumerate() {
        let status = serde_json::to_value(e.status)?;
        let place = e.location.as_ref().and_then(|l| l.place.as_ref());
        st.execute(params![
            key,
            i as i64,
            e.event_type,
            e.sub_event_type,
            status.as_str().unwrap_or_default(),
            e.date.as_ref().and_then(|d| d.value.clone()),
            e.location.as_ref().map(|l| l.name.clone()),
            e.location.as_ref().and_then(|l| l.id.clone()),
            place.map(|p| p.lat),
            place.map(|p| p.lon),
            e.actor1,
            e.actor2,
            e.fatalities.as_ref().and_then(|f| f.value),
            e.start as i64,
            e.end as i64,
            e.sentence as i64,
            serde_json::to_string(e)?
        ])?;
        rep.execute(params![
            key,
            i as i64,
            e.source.text,
            e.source.source_type,
            e.source.id,
            e.source.stance
        ])?;
    }
    Ok(())
}
