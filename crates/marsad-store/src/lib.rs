//! # marsad-store: the workspace — SQLite store and tantivy search index
//!
//! A marsad workspace is a directory (default `./marsad-data`) holding
//! `marsad.db`, an SQLite database (WAL mode, migrations versioned by
//! `PRAGMA user_version`), and `index/`, a tantivy index. SQLite is the
//! source of truth: documents with every field, their content hash, their
//! text and full analysis (JSON) as zstd blobs, a few counts, and their
//! entities as packed ids into two dictionary tables ([`db`]). The index
//! holds what search needs: Arabic-analysed text fields, filter fields and
//! facet columns ([`index`], [`analyzer`], [`search`], [`facets`]).
//!
//! ## Writing
//! [`Store::ingest_batch`] (or [`prepare()`] in parallel + [`Store::ingest_prepared`])
//! writes a batch of analysed documents, and [`Store::ingest_chunks`] a
//! stream of chunks of them, committed every so many documents (what
//! `marsad ingest` uses: each commit closes an index segment, so fewer,
//! larger batches mean less segment building and merging):
//! - a document whose id and [`content_hash`] are already stored is skipped
//!   (callers ask [`Store::needs`] first so they do not even analyse it);
//! - a document with a known id and a new hash *replaces* the old one: its
//!   row is rewritten under the same key, and its index document is deleted
//!   by its id term and added again;
//! - anything else is added.
//!
//! The writer holds the index writer for the whole batch and hands each
//! document to tantivy's indexing thread as soon as its row is written, so
//! indexing runs while SQLite writes the rest of the batch.
//!
//! ## Consistency between SQLite and the index (kill -9 safety)
//! Each write batch gets a sequence number `seq = batch_seq + 1`. The batch
//! is written in this order:
//! 1. one SQLite transaction writes the rows, stamps every written document
//!    with `batch = seq`, and sets `meta.batch_seq = seq`; commit (if it
//!    fails, the documents already given to the index writer are rolled
//!    back);
//! 2. the index, which has been given the same documents (deleting the old
//!    version of a replaced one), commits with the payload `seq` (tantivy
//!    stores the payload in `meta.json`, written atomically with the
//!    commit).
//!
//! A process killed at any moment therefore leaves one of three states,
//! which [`Store::open`] detects by comparing the index payload `P` with
//! `S = meta.batch_seq`:
//! - `P == S`: consistent;
//! - `P < S` (killed between 1 and 2, or during 2): the index misses
//!   exactly the documents with `batch > P`; they are re-indexed from
//!   SQLite (delete by id, add) and the index is committed with payload `S`;
//! - `P > S` (only possible if SQLite lost a committed transaction, e.g. a
//!   power cut with `synchronous = NORMAL`): the index is rebuilt from
//!   SQLite.
//!
//! SQLite transactions and tantivy commits are each atomic, so no other
//! state exists. The same repair runs before the next batch if an index
//! write fails inside a running process. The test
//! `crates/marsad/tests/ingest_kill.rs` kills a child `marsad ingest` with
//! SIGKILL mid-way and checks the counts agree after reopening.
//!
//! [`Store::open_read_only`] opens without the index writer lock and
//! without repairing (for `marsad search` while an ingest runs); it sees
//! the last committed state of each side.
//!
//! ## Reading
//! [`Store::search`] ([`search::Query`] → [`search::SearchResults`], with
//! facets), [`Store::document`], [`Store::all_analyses`] (streaming, in
//! pages), [`Store::entities`], [`Store::counts`].
//!
//! ## Older stores
//! [`Store::open`] migrates a store written by an older marsad in place
//! (schema version 1 kept every analysis twice; see [`db`]) and rebuilds
//! its index when the index schema changed. [`Store::open_read_only`]
//! never writes, so it refuses an old store and says to open it for
//! writing once.
//!
//! This crate does not analyse documents (callers pass `DocAnalysis`) and
//! does not read input files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use marsad_extract::DocAnalysis;
use marsad_ingest::Document;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use tantivy::collector::{Count, TopDocs};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub mod analyzer;
pub mod db;
pub mod facets;
pub mod index;
pub mod prepare;
pub mod search;

pub use prepare::{Prepared, content_hash, prepare, prepare_analyzed};
pub use search::{Facets, Hit, Query, SearchResults};

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// tantivy failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A directory could not be opened or created.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// JSON (de)serialization failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// No workspace there.
    #[error("no marsad workspace at {0} (run `marsad ingest` first)")]
    NotFound(PathBuf),
    /// The database was written by a newer marsad.
    #[error("database schema version {found} is newer than this marsad supports ({supported})")]
    SchemaTooNew {
        /// Version found.
        found: i64,
        /// Version supported.
        supported: i64,
    },
    /// The database was written by an older marsad and was opened
    /// read-only, so it cannot be upgraded.
    #[error(
        "the workspace was written by an older marsad (schema version {found}, this one uses \
         {supported}); open it for writing once to upgrade it (e.g. `marsad serve`, or \
         `marsad ingest` of new articles)"
    )]
    SchemaTooOld {
        /// Version found.
        found: i64,
        /// Version supported.
        supported: i64,
    },
    /// The store contradicts itself.
    #[error("corrupt store: {0}")]
    Corrupt(String),
    /// A query could not be understood.
    #[error("bad query: {0}")]
    BadQuery(String),
    /// Writing through a read-only store.
    #[error("the store was opened read-only")]
    ReadOnly,
    /// A thread panicked while holding a lock.
    #[error("store lock poisoned")]
    Poisoned,
}

/// What [`Store::ingest_chunks`] reports as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteProgress {
    /// A chunk of this many documents was written (not yet committed).
    Written(usize),
    /// A batch of `docs` documents was committed; `total` is what all the
    /// batches of this call did so far.
    Committed {
        /// Documents in the batch just committed.
        docs: usize,
        /// Totals of this call so far.
        total: BatchStats,
    },
}

/// What a write batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BatchStats {
    /// New documents.
    pub added: usize,
    /// Documents whose content changed and were replaced.
    pub updated: usize,
    /// Documents already stored with the same content.
    pub unchanged: usize,
}

impl std::ops::AddAssign for BatchStats {
    fn add_assign(&mut self, o: Self) {
        self.added += o.added;
        self.updated += o.updated;
        self.unchanged += o.unchanged;
    }
}

/// Row counts of the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Documents in SQLite.
    pub documents: u64,
    /// Documents in the search index.
    pub indexed: u64,
    /// Sentences of the stored texts.
    pub sentences: u64,
    /// Figure, entity and attribution mentions.
    pub mentions: u64,
    /// Distinct entity ids.
    pub entities: u64,
    /// Claims.
    pub claims: u64,
    /// Event mentions.
    pub events: u64,
}

/// One entity aggregated over the store.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntityStat {
    /// Entity id.
    pub id: String,
    /// Type (`PERS`, `ORG`, `GPE`, ...).
    #[serde(rename = "type")]
    pub etype: String,
    /// Most frequent canonical name.
    pub name: String,
    /// Mentions over all documents.
    pub mentions: u64,
    /// Documents mentioning it.
    pub documents: u64,
}

/// What [`Store::open`] found and repaired.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Repair {
    /// Documents re-indexed from SQLite.
    pub reindexed: u64,
    /// Whether the whole index was rebuilt.
    pub rebuilt: bool,
    /// Whether the workspace was written by an older marsad and was
    /// upgraded (its database migrated, or its index rebuilt for a new
    /// index schema): then the re-indexed documents are not a sign of an
    /// interrupted ingest.
    pub upgraded: bool,
}

const DB_FILE: &str = "marsad.db";
const INDEX_DIR: &str = "index";
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
const PAGE: i64 = 256;

/// The writing connection and what the writer caches.
struct Writer {
    conn: Connection,
    interner: db::Interner,
}

/// A marsad workspace (see the crate docs). `Send + Sync`: share it behind
/// an `Arc`.
pub struct Store {
    dir: PathBuf,
    conn: Mutex<Writer>,
    readers: Mutex<Vec<Connection>>,
    index: Index,
    reader: IndexReader,
    writer: Option<Mutex<IndexWriter>>,
    fields: index::Fields,
    index_behind: AtomicBool,
    repair: Repair,
    facet_ords: Mutex<Option<Arc<facets::GlobalOrds>>>,
}

fn lock<T>(m: &Mutex<T>) -> Result<MutexGuard<'_, T>, Error> {
    m.lock().map_err(|_| Error::Poisoned)
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

impl Store {
    /// Open (creating if needed) the workspace at `dir` for reading and
    /// writing, taking the index writer lock and repairing any
    /// interrupted batch.
    pub fn open(dir: impl AsRef<Path>) -> Result<Store, Error> {
        let dir = dir.as_ref().to_owned();
        std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let mut conn = Connection::open(dir.join(DB_FILE))?;
        db::configure(&conn)?;
        let mut upgraded = db::migrate(&mut conn)?;
        let index_dir = dir.join(INDEX_DIR);
        std::fs::create_dir_all(&index_dir).map_err(io_err(&index_dir))?;
        let (schema, fields) = index::schema();
        let index = if index_dir.join("meta.json").exists() {
            let idx = Index::open_in_dir(&index_dir)?;
            if idx.schema() == schema {
                idx
            } else {
                // Written by another version of marsad: rebuild from SQLite.
                upgraded = true;
                drop(idx);
                std::fs::remove_dir_all(&index_dir).map_err(io_err(&index_dir))?;
                std::fs::create_dir_all(&index_dir).map_err(io_err(&index_dir))?;
                Index::create_in_dir(&index_dir, schema)?
            }
        } else {
            Index::create_in_dir(&index_dir, schema)?
        };
        index::register_tokenizers(&index);
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut store = Store {
            dir,
            conn: Mutex::new(Writer {
                conn,
                interner: db::Interner::default(),
            }),
            readers: Mutex::new(Vec::new()),
            index,
            reader,
            writer: Some(Mutex::new(writer)),
            fields,
            index_behind: AtomicBool::new(false),
            repair: Repair::default(),
            facet_ords: Mutex::new(None),
        };
        store.repair = store.reconcile()?;
        store.repair.upgraded = upgraded;
        Ok(store)
    }

    /// Open an existing workspace for reading only: no writer lock, no
    /// repair (see the crate docs).
    pub fn open_read_only(dir: impl AsRef<Path>) -> Result<Store, Error> {
        let dir = dir.as_ref().to_owned();
        let db_path = dir.join(DB_FILE);
        let index_dir = dir.join(INDEX_DIR);
        if !db_path.exists() || !index_dir.join("meta.json").exists() {
            return Err(Error::NotFound(dir));
        }
        let conn = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let (found, supported) = (version, db::SCHEMA_VERSION);
        if version > db::SCHEMA_VERSION {
            return Err(Error::SchemaTooNew { found, supported });
        }
        if version < db::SCHEMA_VERSION {
            return Err(Error::SchemaTooOld { found, supported });
        }
        let index = Index::open_in_dir(&index_dir)?;
        index::register_tokenizers(&index);
        let (schema, fields) = index::schema();
        if index.schema() != schema {
            return Err(Error::Corrupt(
                "index schema differs; open the store for writing once to rebuild it".into(),
            ));
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(Store {
            dir,
            conn: Mutex::new(Writer {
                conn,
                interner: db::Interner::default(),
            }),
            readers: Mutex::new(Vec::new()),
            index,
            reader,
            writer: None,
            fields,
            index_behind: AtomicBool::new(false),
            repair: Repair::default(),
            facet_ords: Mutex::new(None),
        })
    }

    /// The workspace directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What opening repaired.
    pub fn repair(&self) -> Repair {
        self.repair
    }

    /// Does the document `id` with content hash `hash` need analysing and
    /// writing (it is new or changed)?
    ///
    /// Reads through a pooled read connection, so it does not wait for a
    /// batch being written (WAL readers see the last committed state).
    pub fn needs(&self, id: &str, hash: &str) -> Result<bool, Error> {
        self.with_reader(|c| Ok(db::lookup(c, id)?.is_none_or(|(_, h)| h != hash)))
    }

    /// Write a batch of analysed documents (see the crate docs).
    pub fn ingest_batch(&self, batch: Vec<(Document, DocAnalysis)>) -> Result<BatchStats, Error> {
        let prepared = batch
            .into_iter()
            .map(|(d, a)| prepare(d, a))
            .collect::<Result<Vec<_>, _>>()?;
        self.ingest_prepared(prepared, false)
    }

    /// Write a batch of prepared documents; with `force`, documents whose
    /// content is unchanged are rewritten too (after an analysis upgrade).
    /// The batch is committed once, whatever its size.
    pub fn ingest_prepared(&self, batch: Vec<Prepared>, force: bool) -> Result<BatchStats, Error> {
        self.ingest_chunks(std::iter::once(batch), force, usize::MAX, |_| {})
    }

    /// Write a stream of chunks of prepared documents, committing (SQLite
    /// and index together, as one batch of the crate docs) whenever at
    /// least `commit_every` documents have been written since the last
    /// commit, and once more at the end. Each chunk is written as soon as
    /// it arrives, so a caller analysing the next chunk in parallel keeps
    /// both sides busy, and only the last commit waits at the end.
    ///
    /// `progress` hears of every written chunk and every commit. On an
    /// error the open batch is rolled back; the batches committed before
    /// it stay.
    pub fn ingest_chunks(
        &self,
        chunks: impl IntoIterator<Item = Vec<Prepared>>,
        force: bool,
        commit_every: usize,
        mut progress: impl FnMut(WriteProgress),
    ) -> Result<BatchStats, Error> {
        let writer = self.writer.as_ref().ok_or(Error::ReadOnly)?;
        if self.index_behind.load(Ordering::SeqCst) {
            self.reconcile()?;
        }
        let mut w = lock(writer)?;
        let mut guard = lock(&self.conn)?;
        let mut total = BatchStats::default();
        let mut chunks = chunks.into_iter().peekable();
        while chunks.peek().is_some() {
            let Writer { conn, interner } = &mut *guard;
            let mut batch = BatchStats::default();
            let mut docs = 0usize;
            let mut given = false;
            // Rows, with each document handed to the index writer as soon
            // as its row is written.
            let written = (|| -> Result<u64, Error> {
                let tx = conn.transaction()?;
                let seq = db::batch_seq(&tx)? + 1;
                while docs < commit_every {
                    let Some(chunk) = chunks.next() else { break };
                    let n = chunk.len();
                    for p in &chunk {
                        given |=
                            self.write_one(&tx, &mut w, p, force, seq, interner, &mut batch)?;
                    }
                    docs += n;
                    progress(WriteProgress::Written(n));
                }
                if given {
                    db::set_batch_seq(&tx, seq)?;
                    tx.commit()?;
                }
                Ok(seq)
            })();
            let seq = match written {
                Ok(seq) => seq,
                Err(e) => {
                    // Also when nothing was added: a replaced document's
                    // delete may be queued before its add failed.
                    interner.clear();
                    w.rollback()?;
                    return Err(e);
                }
            };
            total += batch;
            if given {
                // SQLite has the batch; from here until the index commit
                // the index is behind, which `reconcile` repairs if we fail
                // or die.
                self.index_behind.store(true, Ordering::SeqCst);
                let mut pc = w.prepare_commit()?;
                pc.set_payload(&seq.to_string());
                pc.commit()?;
                self.reader.reload()?;
                self.index_behind.store(false, Ordering::SeqCst);
            }
            progress(WriteProgress::Committed { docs, total });
        }
        Ok(total)
    }

    /// Write one prepared document into the open transaction `tx` of batch
    /// `seq` and hand it to the index writer; `false` when it was already
    /// stored with the same content (and not forced).
    #[allow(clippy::too_many_arguments)]
    fn write_one(
        &self,
        tx: &rusqlite::Transaction<'_>,
        w: &mut IndexWriter,
        p: &Prepared,
        force: bool,
        seq: u64,
        interner: &mut db::Interner,
        stats: &mut BatchStats,
    ) -> Result<bool, Error> {
        let existing = match db::lookup(tx, &p.doc.id)? {
            Some((_, h)) if h == p.hash && !force => {
                stats.unchanged += 1;
                return Ok(false);
            }
            Some((key, _)) => {
                stats.updated += 1;
                Some(key)
            }
            None => {
                stats.added += 1;
                None
            }
        };
        let key = db::write_document(tx, existing, p, seq, interner)?;
        if existing.is_some() {
            // A new document is in no committed index state (the index is
            // never ahead of SQLite after `open`), so only a replaced one
            // has an old version to delete.
            w.delete_term(Term::from_field_text(self.fields.id, &p.doc.id));
        }
        w.add_document(index::index_document(
            &self.fields,
            key as u64,
            &p.doc,
            &p.analysis,
        ))?;
        Ok(true)
    }

    /// The batch number recorded by the index's last commit.
    fn index_payload(&self) -> Result<Option<u64>, Error> {
        let metas = self.index.load_metas()?;
        Ok(match metas.payload {
            None => Some(0),
            Some(p) => p.parse().ok(),
        })
    }

    /// Bring the index in line with SQLite (see the crate docs).
    fn reconcile(&self) -> Result<Repair, Error> {
        let writer = self.writer.as_ref().ok_or(Error::ReadOnly)?;
        let s = db::batch_seq(&lock(&self.conn)?.conn)?;
        let p = self.index_payload()?;
        if p == Some(s) {
            self.index_behind.store(false, Ordering::SeqCst);
            return Ok(Repair::default());
        }
        let mut w = lock(writer)?;
        // Drop whatever an earlier failed attempt left uncommitted.
        w.rollback()?;
        let (since, rebuilt) = match p {
            Some(p) if p < s => (p, false),
            _ => {
                w.delete_all_documents()?;
                (0, true)
            }
        };
        let mut reindexed = 0u64;
        let guard = lock(&self.conn)?;
        let mut st = guard.conn.prepare(
            "SELECT key, id, title, source, published, text, analysis FROM documents
             WHERE batch > ?1",
        )?;
        let mut rows = st.query([since as i64])?;
        while let Some(r) = rows.next()? {
            let key: i64 = r.get(0)?;
            let doc = Document {
                id: r.get(1)?,
                title: r.get(2)?,
                source: r.get(3)?,
                published: r.get(4)?,
                text: prepare::decode_text(&blob(r, 5)?)?,
                ..Document::default()
            };
            let analysis: DocAnalysis = prepare::decode_analysis(&blob(r, 6)?)?;
            w.delete_term(Term::from_field_text(self.fields.id, &doc.id));
            w.add_document(index::index_document(
                &self.fields,
                key as u64,
                &doc,
                &analysis,
            ))?;
            reindexed += 1;
        }
        drop(rows);
        drop(st);
        drop(guard);
        let mut pc = w.prepare_commit()?;
        pc.set_payload(&s.to_string());
        pc.commit()?;
        drop(w);
        self.reader.reload()?;
        self.index_behind.store(false, Ordering::SeqCst);
        Ok(Repair {
            reindexed,
            rebuilt,
            upgraded: false,
        })
    }

    /// Run `f` with a pooled read connection.
    fn with_reader<T>(&self, f: impl FnOnce(&Connection) -> Result<T, Error>) -> Result<T, Error> {
        let pooled = lock(&self.readers)?.pop();
        let conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    self.dir.join(DB_FILE),
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.busy_timeout(std::time::Duration::from_secs(10))?;
                c
            }
        };
        let out = f(&conn);
        lock(&self.readers)?.push(conn);
        out
    }

    /// Row counts, and the number of documents in the index.
    pub fn counts(&self) -> Result<Counts, Error> {
        let indexed = self.reader.searcher().num_docs();
        self.with_reader(|c| {
            let mut counts = c.query_row(
                "SELECT count(*), coalesce(sum(sentences), 0), coalesce(sum(mentions), 0),
                 coalesce(sum(claims), 0), coalesce(sum(events), 0) FROM documents",
                [],
                |r| {
                    let n = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)? as u64) };
                    Ok(Counts {
                        documents: n(0)?,
                        indexed,
                        sentences: n(1)?,
                        mentions: n(2)?,
                        entities: 0,
                        claims: n(3)?,
                        events: n(4)?,
                    })
                },
            )?;
            let mut ids = std::collections::HashSet::new();
            let mut st = c.prepare_cached("SELECT entities FROM documents")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                ids.extend(
                    db::unpack_entities(&blob(r, 0)?)?
                        .into_iter()
                        .map(|e| e.entity),
                );
            }
            counts.entities = ids.len() as u64;
            Ok(counts)
        })
    }

    /// The document `id` with its analysis.
    pub fn document(&self, id: &str) -> Result<Option<(Document, DocAnalysis)>, Error> {
        self.with_reader(|c| {
            let row = c
                .prepare_cached(&format!("{DOC_SELECT} WHERE id = ?1"))?
                .query_row([id], doc_row)
                .optional()?;
            row.map(decode_doc).transpose()
        })
    }

    /// Every stored document with its analysis, in insertion order, read
    /// in pages of 256 so memory stays flat.
    pub fn all_analyses(&self) -> AllAnalyses<'_> {
        AllAnalyses {
            store: self,
            after: 0,
            page: Vec::new().into_iter(),
            done: false,
        }
    }

    /// Entities over the whole store, most widely reported first (then
    /// most mentioned, then by id), each with its most mentioned name
    /// (ties: the first in code-point order). One scan of the documents'
    /// packed entity lists.
    pub fn entities(&self, limit: usize) -> Result<Vec<EntityStat>, Error> {
        use std::collections::HashMap;
        #[derive(Default)]
        struct Agg {
            mentions: u64,
            documents: u64,
            names: HashMap<i64, u64>,
        }
        self.with_reader(|c| {
            let mut agg: HashMap<i64, Agg> = HashMap::new();
            let mut st = c.prepare_cached("SELECT entities FROM documents")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                for e in db::unpack_entities(&blob(r, 0)?)? {
                    let a = agg.entry(e.entity).or_default();
                    a.mentions += e.mentions;
                    a.documents += 1;
                    *a.names.entry(e.name).or_default() += e.mentions;
                }
            }
            drop(rows);
            let mut keys: HashMap<i64, (String, String)> = HashMap::with_capacity(agg.len());
            let mut st = c.prepare_cached("SELECT id, key, etype FROM entity")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if agg.contains_key(&id) {
                    keys.insert(id, (r.get(1)?, r.get(2)?));
                }
            }
            drop(rows);
            let mut ranked: Vec<(i64, Agg)> = agg.into_iter().collect();
            let key_of = |id: &i64| keys.get(id).map(|k| k.0.as_str()).unwrap_or("");
            ranked.sort_by(|(ia, a), (ib, b)| {
                b.documents
                    .cmp(&a.documents)
                    .then(b.mentions.cmp(&a.mentions))
                    .then_with(|| key_of(ia).cmp(key_of(ib)))
            });
            ranked.truncate(limit);
            let mut name_st = c.prepare_cached("SELECT name FROM entity_name WHERE id = ?1")?;
            let mut out = Vec::with_capacity(ranked.len());
            for (id, a) in ranked {
                let mut names: Vec<(u64, String)> = Vec::with_capacity(a.names.len());
                for (nid, n) in a.names {
                    if let Some(name) = name_st
                        .query_row([nid], |r| r.get::<_, String>(0))
                        .optional()?
                    {
                        names.push((n, name));
                    }
                }
                let name = names
                    .into_iter()
                    .min_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.cmp(&y.1)))
                    .map(|x| x.1)
                    .unwrap_or_default();
                let (key, etype) = keys.remove(&id).unwrap_or_default();
                out.push(EntityStat {
                    id: key,
                    etype: etype.to_uppercase(),
                    name,
                    mentions: a.mentions,
                    documents: a.documents,
                });
            }
            Ok(out)
        })
    }

    /// Global ordinals of the facet columns for `searcher`'s segments,
    /// cached until the segments change.
    fn facet_ords(&self, searcher: &tantivy::Searcher) -> Result<Arc<facets::GlobalOrds>, Error> {
        let mut cache = lock(&self.facet_ords)?;
        if let Some(o) = cache.as_ref().filter(|o| o.matches(searcher)) {
            return Ok(Arc::clone(o));
        }
        let o = Arc::new(facets::GlobalOrds::build(searcher)?);
        *cache = Some(Arc::clone(&o));
        Ok(o)
    }

    /// Search (see [`search`]).
    pub fn search(&self, q: &Query) -> Result<SearchResults, Error> {
        let tq = search::build_query(&self.fields, q)?;
        let searcher = self.reader.searcher();
        let limit = q.limit.max(1);
        let top = TopDocs::with_limit(limit)
            .and_offset(q.offset)
            .order_by_score();
        let (top, total, facets) = if q.facets {
            let ords = self.facet_ords(&searcher)?;
            let fc = facets::FacetCounter::new(Arc::clone(&ords));
            let (top, total, [sources, event_types, entities]) =
                searcher.search(&*tq, &(top, Count, fc))?;
            let facets = Facets {
                sources: facets::top_k(&ords, 0, sources, 50),
                event_types: facets::top_k(&ords, 1, event_types, 50),
                entities: facets::top_k(&ords, 2, entities, 30),
            };
            (top, total, Some(facets))
        } else {
            let (top, total) = searcher.search(&*tq, &(top, Count))?;
            (top, total, None)
        };
        let mut keys = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let col = searcher
                .segment_reader(addr.segment_ord)
                .fast_fields()
                .u64("key")?;
            if let Some(k) = col.first(addr.doc_id) {
                keys.push((score, k as i64));
            }
        }
        let clauses = if q.limit == 0 {
            Vec::new()
        } else {
            search::parse_query(&q.text)
        };
        let results = if q.limit == 0 {
            Vec::new()
        } else {
            self.with_reader(|c| {
                let mut st = c.prepare_cached(
                    "SELECT id, title, source, published, text FROM documents WHERE key = ?1",
                )?;
                let mut out = Vec::with_capacity(keys.len());
                for (score, key) in keys {
                    let row = st
                        .query_row(params![key], |r| {
                            Ok((
                                r.get::<_, String>(0)?,
                                r.get::<_, Option<String>>(1)?,
                                r.get::<_, Option<String>>(2)?,
                                r.get::<_, Option<String>>(3)?,
                                blob(r, 4)?,
                            ))
                        })
                        .optional()?;
                    // A hit SQLite does not know can only come from a
                    // read-only view racing a writer: skip it.
                    let Some((id, title, source, published, text)) = row else {
                        continue;
                    };
                    let text = prepare::decode_text(&text)?;
                    out.push(Hit {
                        snippet: search::snippet(&text, &clauses),
                        id,
                        title,
                        source,
                        published,
                        score,
                    });
                }
                Ok(out)
            })?
        };
        Ok(SearchResults {
            total,
            results,
            facets,
        })
    }

    /// The ids of every document in the index (for checks and tests).
    pub fn indexed_ids(&self) -> Result<Vec<String>, Error> {
        use tantivy::schema::Value;
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for (ord, seg) in searcher.segment_readers().iter().enumerate() {
            for doc in seg.doc_ids_alive() {
                let d: TantivyDocument = searcher.doc(tantivy::DocAddress::new(ord as u32, doc))?;
                if let Some(id) = d.get_first(self.fields.id).and_then(|v| v.as_str()) {
                    out.push(id.to_owned());
                }
            }
        }
        Ok(out)
    }
}

const DOC_SELECT: &str = "SELECT key, id, title, source, url, published, duplicate_of,
    links, metadata, origin, text, analysis FROM documents";

type DocRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    Vec<u8>,
    Vec<u8>,
);

fn doc_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        blob(r, 10)?,
        blob(r, 11)?,
    ))
}

/// Column `i` as bytes (a blob, or text as its UTF-8 bytes).
fn blob(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Vec<u8>> {
    let v = r.get_ref(i)?;
    Ok(v.as_bytes()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(e)))?
        .to_vec())
}

fn decode_doc(row: DocRow) -> Result<(Document, DocAnalysis), Error> {
    let (_, id, title, source, url, published, duplicate_of, links, metadata, origin, text, an) =
        row;
    let doc = Document {
        id,
        title,
        source,
        url,
        published,
        text: prepare::decode_text(&text)?,
        duplicate_of,
        links: serde_json::from_str(&links)?,
        metadata: serde_json::from_str(&metadata)?,
        origin,
    };
    Ok((doc, prepare::decode_analysis(&an)?))
}

/// Iterator of [`Store::all_analyses`].
pub struct AllAnalyses<'a> {
    store: &'a Store,
    after: i64,
    page: std::vec::IntoIter<(Document, DocAnalysis)>,
    done: bool,
}

impl Iterator for AllAnalyses<'_> {
    type Item = Result<(Document, DocAnalysis), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(x) = self.page.next() {
            return Some(Ok(x));
        }
        if self.done {
            return None;
        }
        let after = self.after;
        let page = self.store.with_reader(|c| {
            let mut st = c.prepare_cached(&format!(
                "{DOC_SELECT} WHERE key > ?1 ORDER BY key LIMIT ?2"
            ))?;
            let rows = st.query_map(params![after, PAGE], doc_row)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(Error::from)
        });
        let rows = match page {
            Ok(r) => r,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        if (rows.len() as i64) < PAGE {
            self.done = true;
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            self.after = row.0;
            match decode_doc(row) {
                Ok(x) => out.push(x),
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        self.page = out.into_iter();
        self.page.next().map(Ok)
    }
}
