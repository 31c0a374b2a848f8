//! # marsad-ingest: reading what analysts actually have
//!
//! Analysts bring articles as loose text files, Markdown notes, saved web
//! pages, JSON Lines exports (often gzipped) and whole folders of these, in
//! UTF-8, UTF-16 or the legacy Arabic code page Windows-1256, and full of
//! the web page around the article. This crate turns all of that into
//! [`Document`]s with clean text, stable ids and duplicate flags, one at a
//! time, so the rest of marsad never sees a byte of I/O.
//!
//! ```no_run
//! use std::ops::ControlFlow;
//! use marsad_ingest::{Options, read_inputs};
//! let paths = vec![std::path::PathBuf::from("articles/")];
//! read_inputs(&paths, &Options::default(), &mut |r| {
//!     match r {
//!         Ok(doc) => println!("{} {:?}", doc.id, doc.title),
//!         Err(e) => eprintln!("{e}"),
//!     }
//!     ControlFlow::Continue(())
//! });
//! ```
//!
//! The pipeline for every input:
//!
//! 1. **Format**, by extension ([`Format`]): `.txt`, `.md`/`.markdown`
//!    ([`markdown`]), `.html`/`.htm` ([`html`]), `.jsonl`/`.ndjson`
//!    ([`jsonl`]), any of these with `.gz` ([`read`] limits the decompressed
//!    size); directories are walked recursively in sorted order, taking only
//!    known extensions and skipping hidden entries; `-` is standard input,
//!    sniffed as JSONL when its first non-blank line is a JSON object.
//!    An unknown extension given explicitly is read as plain text.
//! 2. **Encoding** ([`decode`]): BOM, UTF-8, UTF-16 recognised by its byte
//!    pattern, else Windows-1256 if the result reads as text; binary files
//!    are refused by name with the reason.
//! 3. **Cleaning** ([`clean`]): web residue out of the text, URLs into
//!    `links`, `المصدر: X` into the source, photo captions into
//!    `metadata.captions` — rules in `data/cleaning.toml`.
//! 4. **Metadata**: the input's own title/source/url/published win;
//!    [`Options::published`] and [`Options::source`] fill the gaps (the
//!    `المصدر:` line comes before the option). Dates are normalized to ISO
//!    8601 ([`dates`]); an unparseable date is kept as
//!    `metadata.published_raw`.
//! 5. **Id**: the input's id, else `doc-` + 16 hex digits of the xxh3-64 hash
//!    of the cleaned text (stable across runs and machines).
//! 6. **Duplicates** ([`dedup`]): exact and near copies get `duplicate_of` =
//!    the id of the first copy; nothing is dropped.
//!
//! Keys this crate adds to [`Document::metadata`] (besides a JSONL line's
//! extra fields and Markdown front-matter keys, kept as given):
//! `captions` (array of photo-caption lines moved out of the text),
//! `source_line` (the `المصدر:` value when the input named another source),
//! `published_raw` (a date that could not be normalized), `encoding` (when
//! not plain UTF-8), and `author`/`lang` for HTML pages.
//!
//! A document is produced whenever an input parses, even if its cleaned text
//! is empty (a JSONL record may be a title-only video item); consumers that
//! need text should skip empty ones. An HTML page with no extractable
//! content is an error, because there the emptiness is the extractor's.
//!
//! Errors ([`IngestError`]) name the file (and the line for JSONL) and the
//! problem; they are reported through the same callback as documents, and
//! reading goes on with the next line or input. JSONL and gzip inputs are
//! streamed line by line (memory stays flat on the 31k-article corpus);
//! other files are read whole, within [`Options::max_decompressed_bytes`].
//!
//! To see what it makes of some files:
//! `cargo run --release -p marsad-ingest --example ingest -- --print PATH...`
//! (JSON Lines on stdout, errors and a throughput summary on stderr);
//! `cargo bench -p marsad-ingest` measures it on the ANT corpus.
//!
//! This crate does not analyse text (that is `marsad-text` and the
//! extraction crates) and does not store anything.

pub mod clean;
pub mod dates;
pub mod decode;
pub mod dedup;
pub mod html;
pub mod jsonl;
pub mod markdown;
pub mod read;

use serde::{Deserialize, Serialize};

pub use clean::{Cleaned, clean_text};
pub use dedup::Deduper;
pub use read::{Format, read_bytes, read_inputs};

/// One article, as read from any input format, cleaned of web residue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the id given by the input, else a content hash.
    pub id: String,
    /// Title, when the input has one.
    pub title: Option<String>,
    /// Outlet or agency that published it.
    pub source: Option<String>,
    /// Address of the article.
    pub url: Option<String>,
    /// Publication date/time, ISO 8601 (`2023-12-31` or `2023-12-31T10:00:00+00:00`).
    pub published: Option<String>,
    /// The cleaned article text. All offsets in marsad refer to this string.
    pub text: String,
    /// Id of the first copy when this document is an exact or near duplicate.
    pub duplicate_of: Option<String>,
    /// Links removed from the text (bare URLs).
    pub links: Vec<String>,
    /// Other input fields and cleaning by-products (captions, credits).
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// Where it came from: file path, and line number for JSONL.
    pub origin: String,
}

/// Reading options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Publication date for inputs that state none (ISO 8601 or any form
    /// [`dates::normalize_date`] reads).
    pub published: Option<String>,
    /// Source (outlet) for inputs that name none.
    pub source: Option<String>,
    /// Refuse an input whose (decompressed) size exceeds this many bytes.
    /// Protects against compression bombs; default 2 GiB.
    pub max_decompressed_bytes: u64,
    /// Flag exact and near duplicates (default true).
    pub dedup: bool,
}

/// Default limit on decompressed input size: 2 GiB.
pub const DEFAULT_MAX_DECOMPRESSED_BYTES: u64 = 2 << 30;
/// Longest accepted JSONL line: 64 MiB.
pub const MAX_LINE_BYTES: usize = 64 << 20;

impl Default for Options {
    fn default() -> Self {
        Options {
            published: None,
            source: None,
            max_decompressed_bytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
            dedup: true,
        }
    }
}

/// A problem with one input (or one JSONL line). Its message names the file
/// (and line) and the problem.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file or directory could not be opened or read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The input.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file looks binary (not text).
    #[error("{path}: binary file, not text ({reason})")]
    Binary {
        /// The input.
        path: String,
        /// Why it looks binary.
        reason: String,
    },
    /// The file is text in no encoding we can read.
    #[error("{path}: cannot decode text ({reason})")]
    Encoding {
        /// The input.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The (decompressed) input is larger than the limit.
    #[error(
        "{path}: larger than the limit of {limit} bytes once decompressed (a compression bomb?); refused"
    )]
    TooLarge {
        /// The input.
        path: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// A corrupt gzip stream or a read error in the middle of a file.
    #[error("{path}:{line}: read error: {source}")]
    Stream {
        /// The input.
        path: String,
        /// Line being read.
        line: u64,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A JSONL line that is not a JSON object with a `text` string.
    #[error("{path}:{line}: malformed JSON line: {reason}")]
    JsonLine {
        /// The input.
        path: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// A JSONL line longer than [`MAX_LINE_BYTES`].
    #[error("{path}:{line}: line longer than {limit} bytes; skipped")]
    LineTooLong {
        /// The input.
        path: String,
        /// 1-based line number.
        line: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// An HTML page from which no article text could be extracted.
    #[error("{path}: no article content found in the HTML page ({reason})")]
    Html {
        /// The input.
        path: String,
        /// What the extractor said.
        reason: String,
    },
}

impl IngestError {
    /// The input (file path, `-` or upload name) this error is about.
    pub fn path(&self) -> &str {
        match self {
            IngestError::Io { path, .. }
            | IngestError::Binary { path, .. }
            | IngestError::Encoding { path, .. }
            | IngestError::TooLarge { path, .. }
            | IngestError::Stream { path, .. }
            | IngestError::JsonLine { path, .. }
            | IngestError::LineTooLong { path, .. }
            | IngestError::Html { path, .. } => path,
        }
    }
}
