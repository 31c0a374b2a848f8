//! Inputs: files, directories, standard input and in-memory uploads.
//!
//! [`read_inputs`] and [`read_bytes`] pick each input's [`Format`] from its
//! name, decode it, clean it and hand documents (or errors) to a callback
//! one at a time; see the crate doc for the pipeline. Rules and why:
//!
//! - **Format by extension**, case-insensitively; a trailing `.gz` means
//!   gzip around the inner format (`x.jsonl.gz`). Content sniffing is only
//!   done for standard input, which has no name.
//! - **Directories** are walked recursively in byte order of names, so runs
//!   are reproducible; only known extensions are read (a folder also holds
//!   images and spreadsheets), hidden entries (`.git`, `.DS_Store`) are
//!   skipped, and symbolic links to directories are not followed (they can
//!   form loops).
//! - **Size limits**: gzip streams pass through a counting reader that fails
//!   once [`Options::max_decompressed_bytes`] is exceeded, so a compression
//!   bomb costs at most that much reading and no memory (JSONL is streamed);
//!   whole-file formats are refused above the same limit before reading.
//! - **Errors do not stop reading**: each is reported with the input's name
//!   and the next line or input is read. Only the callback can stop
//!   (`ControlFlow::Break`).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde_json::{Map, Value};
use xxhash_rust::xxh3::xxh3_64;

use crate::decode::{DecodeProblem, Encoding, decode};
use crate::dedup::Deduper;
use crate::jsonl::{LineRead, is_json_object, read_jsonl, read_line_limited};
use crate::{Document, IngestError, MAX_LINE_BYTES, Options, clean_text, dates, html, markdown};

/// An input format, decided by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text (`.txt` and anything unknown).
    Text,
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// A web page (`.html`, `.htm`, `.xhtml`).
    Html,
    /// JSON Lines (`.jsonl`, `.ndjson`).
    Jsonl,
}

impl Format {
    /// The format of a file named `name`, whether it is gzipped, and whether
    /// the extension is one we know (directories read only known ones).
    pub fn from_name(name: &str) -> (Format, bool, bool) {
        let lower = name.to_lowercase();
        let (inner, gz) = match lower.strip_suffix(".gz") {
            Some(i) => (i, true),
            None => (lower.as_str(), false),
        };
        let ext = inner.rsplit_once('.').map_or("", |(_, e)| e);
        let (format, known) = match ext {
            "txt" | "text" => (Format::Text, true),
            "md" | "markdown" => (Format::Markdown, true),
            "html" | "htm" | "xhtml" => (Format::Html, true),
            "jsonl" | "ndjson" => (Format::Jsonl, true),
            _ => (Format::Text, false),
        };
        (format, gz, known)
    }
}

/// A document as read, before cleaning, ids and duplicate checks.
#[derive(Debug, Default)]
pub(crate) struct RawDoc {
    pub id: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub text: String,
    pub links: Vec<String>,
    pub metadata: Map<String, Value>,
    pub origin: String,
}

/// Marker inside the `io::Error` raised by [`LimitedReader`].
#[derive(Debug)]
struct LimitExceeded;

impl std::fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("decompressed size limit exceeded")
    }
}

impl std::error::Error for LimitExceeded {}

/// A reader failing once more than `limit` bytes came through.
struct LimitedReader<R> {
    inner: R,
    remaining: u64,
}

impl<R: Read> Read for LimitedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let n64 = n as u64;
        if n64 > self.remaining {
            self.remaining = 0;
            return Err(std::io::Error::other(LimitExceeded));
        }
        self.remaining -= n64;
        Ok(n)
    }
}

/// Turn an I/O error while reading `path` into an [`IngestError`].
pub(crate) fn io_error(
    path: &str,
    line: Option<u64>,
    e: std::io::Error,
    limit: u64,
) -> IngestError {
    if e.get_ref().is_some_and(|inner| inner.is::<LimitExceeded>()) {
        return IngestError::TooLarge {
            path: path.to_owned(),
            limit,
        };
    }
    match line {
        Some(line) => IngestError::Stream {
            path: path.to_owned(),
            line,
            source: e,
        },
        None => IngestError::Io {
            path: path.to_owned(),
            source: e,
        },
    }
}

type Emit<'a> = dyn FnMut(Result<RawDoc, IngestError>) -> ControlFlow<()> + 'a;

/// Read all inputs in order, calling `on` for each document or per-input
/// error. Returning `ControlFlow::Break` stops reading. `-` is standard
/// input; directories are read recursively.
pub fn read_inputs(
    paths: &[PathBuf],
    opts: &Options,
    on: &mut dyn FnMut(Result<Document, IngestError>) -> ControlFlow<()>,
) {
    let mut dedup = opts.dedup.then(Deduper::new);
    let mut emit =
        |r: Result<RawDoc, IngestError>| on(r.map(|raw| finish(raw, opts, dedup.as_mut())));
    for p in paths {
        if read_path(p, opts, &mut emit).is_break() {
            return;
        }
    }
}

/// Same for in-memory bytes (HTTP API uploads): `name` is used in errors and
/// to pick the format by extension (`x.html`, `x.md`, `x.jsonl`,
/// `x.jsonl.gz`, anything else = text).
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    opts: &Options,
    on: &mut dyn FnMut(Result<Document, IngestError>) -> ControlFlow<()>,
) {
    let mut dedup = opts.dedup.then(Deduper::new);
    let mut emit =
        |r: Result<RawDoc, IngestError>| on(r.map(|raw| finish(raw, opts, dedup.as_mut())));
    let (format, gz, _) = Format::from_name(name);
    let _ = read_stream(
        name,
        &mut &bytes[..],
        format,
        gz,
        Some(bytes.len() as u64),
        opts,
        &mut emit,
    );
}

fn read_path(path: &Path, opts: &Options, emit: &mut Emit<'_>) -> ControlFlow<()> {
    let name = path.display().to_string();
    if name == "-" {
        return read_stdin(opts, emit);
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return emit(Err(IngestError::Io {
                path: name,
                source: e,
            }));
        }
    };
    if meta.is_dir() {
        return read_dir(path, opts, emit);
    }
    read_file(path, &name, Some(meta.len()), opts, emit)
}

fn read_dir(dir: &Path, opts: &Options, emit: &mut Emit<'_>) -> ControlFlow<()> {
    let name = dir.display().to_string();
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            return emit(Err(IngestError::Io {
                path: name,
                source: e,
            }));
        }
    };
    let mut list: Vec<(std::ffi::OsString, PathBuf, std::fs::FileType)> = Vec::new();
    for entry in entries {
        match entry.and_then(|e| Ok((e.file_name(), e.path(), e.file_type()?))) {
            Ok(t) => list.push(t),
            Err(e) => emit(Err(IngestError::Io {
                path: name.clone(),
                source: e,
            }))?,
        }
    }
    list.sort_by(|a, b| a.0.cmp(&b.0));
    for (file_name, path, ft) in list {
        if file_name.to_string_lossy().starts_with('.') {
            continue;
        }
        if ft.is_dir() {
            read_dir(&path, opts, emit)?;
            continue;
        }
        let (_, _, known) = Format::from_name(&file_name.to_string_lossy());
        if !known {
            continue;
        }
        // Follow a symlink only to a regular file.
        let meta = match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => m,
            Ok(_) => continue,
            Err(e) => {
                emit(Err(IngestError::Io {
                    path: path.display().to_string(),
                    source: e,
                }))?;
                continue;
            }
        };
        read_file(
            &path,
            &path.display().to_string(),
            Some(meta.len()),
            opts,
            emit,
        )?;
    }
    ControlFlow::Continue(())
}

fn read_file(
    path: &Path,
    name: &str,
    size: Option<u64>,
    opts: &Options,
    emit: &mut Emit<'_>,
) -> ControlFlow<()> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return emit(Err(IngestError::Io {
                path: name.to_owned(),
                source: e,
            }));
        }
    };
    let (format, gz, _) = Format::from_name(name);
    let mut reader = BufReader::with_capacity(256 * 1024, file);
    read_stream(name, &mut reader, format, gz, size, opts, emit)
}

/// Read one input from `reader` according to its format.
fn read_stream(
    name: &str,
    reader: &mut dyn BufRead,
    format: Format,
    gz: bool,
    size: Option<u64>,
    opts: &Options,
    emit: &mut Emit<'_>,
) -> ControlFlow<()> {
    let limit = opts.max_decompressed_bytes;
    if gz {
        let limited = LimitedReader {
            inner: MultiGzDecoder::new(reader),
            remaining: limit,
        };
        let mut inner = BufReader::with_capacity(256 * 1024, limited);
        return read_plain(name, &mut inner, format, None, opts, emit);
    }
    read_plain(name, reader, format, size, opts, emit)
}

fn read_plain(
    name: &str,
    reader: &mut dyn BufRead,
    format: Format,
    size: Option<u64>,
    opts: &Options,
    emit: &mut Emit<'_>,
) -> ControlFlow<()> {
    let limit = opts.max_decompressed_bytes;
    if format == Format::Jsonl {
        return read_jsonl(name, reader, MAX_LINE_BYTES, limit, emit);
    }
    if size.is_some_and(|s| s > limit) {
        return emit(Err(IngestError::TooLarge {
            path: name.to_owned(),
            limit,
        }));
    }
    let mut bytes = Vec::new();
    let mut limited = reader.take(limit.saturating_add(1));
    if let Err(e) = limited.read_to_end(&mut bytes) {
        return emit(Err(io_error(name, None, e, limit)));
    }
    if bytes.len() as u64 > limit {
        return emit(Err(IngestError::TooLarge {
            path: name.to_owned(),
            limit,
        }));
    }
    emit(from_bytes(name, &bytes, format))
}

/// Decode a whole-file input and parse it as `format` (not JSONL).
fn from_bytes(name: &str, bytes: &[u8], format: Format) -> Result<RawDoc, IngestError> {
    let (text, encoding) = decode(bytes).map_err(|p| match p {
        DecodeProblem::Binary(reason) => IngestError::Binary {
            path: name.to_owned(),
            reason,
        },
        DecodeProblem::Undecodable(reason) => IngestError::Encoding {
            path: name.to_owned(),
            reason,
        },
    })?;
    let mut doc = match format {
        Format::Text | Format::Jsonl => RawDoc {
            text,
            ..RawDoc::default()
        },
        Format::Markdown => markdown::parse(&text).into_raw(),
        Format::Html => html::parse(&text)
            .map_err(|reason| IngestError::Html {
                path: name.to_owned(),
                reason,
            })?
            .into_raw(),
    };
    if encoding != Encoding::Utf8 {
        doc.metadata
            .insert("encoding".into(), Value::from(encoding.name()));
    }
    doc.origin = name.to_owned();
    Ok(doc)
}

/// Standard input: JSONL when the first non-blank line is a JSON object,
/// else one plain-text document.
fn read_stdin(opts: &Options, emit: &mut Emit<'_>) -> ControlFlow<()> {
    let stdin = std::io::stdin();
    let mut reader = BufReader::with_capacity(256 * 1024, stdin.lock());
    read_sniffed("-", &mut reader, opts, emit)
}

/// Read a nameless stream, sniffing its format: JSONL when the first
/// non-blank line parses as a JSON object, else plain text. The lines read
/// to decide are replayed, so line numbers stay right.
fn read_sniffed(
    name: &str,
    mut reader: &mut dyn BufRead,
    opts: &Options,
    emit: &mut Emit<'_>,
) -> ControlFlow<()> {
    let mut prefix: Vec<u8> = Vec::new();
    let mut line = Vec::new();
    let mut is_jsonl = false;
    loop {
        match read_line_limited(&mut reader, &mut line, MAX_LINE_BYTES) {
            Ok(LineRead::Eof) => break,
            Ok(LineRead::TooLong) => {
                return emit(Err(IngestError::LineTooLong {
                    path: name.into(),
                    line: prefix.iter().filter(|&&b| b == b'\n').count() as u64 + 1,
                    limit: MAX_LINE_BYTES,
                }));
            }
            Ok(LineRead::Line) => {
                prefix.extend_from_slice(&line);
                prefix.push(b'\n');
                let l = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&line);
                if l.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                is_jsonl = is_json_object(l);
                break;
            }
            Err(e) => return emit(Err(io_error(name, None, e, opts.max_decompressed_bytes))),
        }
    }
    let mut chained = std::io::Cursor::new(prefix).chain(reader);
    let format = if is_jsonl {
        Format::Jsonl
    } else {
        Format::Text
    };
    read_plain(name, &mut chained, format, None, opts, emit)
}

/// Clean a raw document and give it its final id, metadata and duplicate
/// flag.
fn finish(raw: RawDoc, opts: &Options, dedup: Option<&mut Deduper>) -> Document {
    let cleaned = clean_text(&raw.text);
    let mut metadata = raw.metadata;
    let mut links = raw.links;
    links.extend(cleaned.links);
    let source = match (raw.source, cleaned.source) {
        (Some(s), Some(line)) => {
            metadata.insert("source_line".into(), Value::from(line));
            Some(s)
        }
        (Some(s), None) => Some(s),
        (None, Some(line)) => Some(line),
        (None, None) => opts.source.clone(),
    };
    let published = match raw.published.or_else(|| opts.published.clone()) {
        Some(p) => match dates::normalize_date(&p) {
            Some(iso) => Some(iso),
            None => {
                metadata.insert("published_raw".into(), Value::from(p));
                None
            }
        },
        None => None,
    };
    if !cleaned.captions.is_empty() {
        // Captions found by the format (HTML figcaptions) come first.
        let mut all = match metadata.remove("captions") {
            Some(Value::Array(a)) => a,
            Some(other) => vec![other],
            None => Vec::new(),
        };
        all.extend(cleaned.captions.into_iter().map(Value::from));
        metadata.insert("captions".into(), Value::Array(all));
    }
    let text = cleaned.text;
    let id = raw.id.unwrap_or_else(|| content_id(&text));
    let duplicate_of = match dedup {
        Some(d) if !text.is_empty() => d.check(&id, &text),
        _ => None,
    };
    Document {
        id,
        title: raw.title,
        source,
        url: raw.url,
        published,
        text,
        duplicate_of,
        links,
        metadata,
        origin: raw.origin,
    }
}

/// The content id of a cleaned text: `doc-` + 16 hex digits of its xxh3-64.
pub fn content_id(text: &str) -> String {
    format!("doc-{:016x}", xxh3_64(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name() {
        assert_eq!(
            Format::from_name("a/B.JSONL.GZ"),
            (Format::Jsonl, true, true)
        );
        assert_eq!(Format::from_name("x.htm"), (Format::Html, false, true));
        assert_eq!(
            Format::from_name("notes.md"),
            (Format::Markdown, false, true)
        );
        assert_eq!(
            Format::from_name("report.doc"),
            (Format::Text, false, false)
        );
        assert_eq!(Format::from_name("-"), (Format::Text, false, false));
    }

    fn sniff(input: &str) -> (Vec<Document>, Vec<String>) {
        let opts = Options::default();
        let mut docs = Vec::new();
        let mut errs = Vec::new();
        let mut emit = |r: Result<RawDoc, IngestError>| {
            match r {
                Ok(raw) => docs.push(finish(raw, &opts, None)),
                Err(e) => errs.push(e.to_string()),
            }
            ControlFlow::Continue(())
        };
        let _ = read_sniffed("-", &mut input.as_bytes(), &opts, &mut emit);
        (docs, errs)
    }

    #[test]
    fn stdin_sniffing() {
        let (docs, errs) =
            sniff("\n\n{\"id\": \"s1\", \"text\": \"خبر أول.\"}\nخطأ\n{\"text\": \"خبر ثان.\"}\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "s1");
        assert_eq!(docs[0].origin, "-:3");
        assert_eq!(
            errs,
            vec!["-:4: malformed JSON line: expected value at line 1 column 1"]
        );
        let (docs, errs) = sniff("\nقال الوزير: {\"a\": 1}\nسطر ثان.\nاترك ردك\n");
        assert!(errs.is_empty());
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "قال الوزير: {\"a\": 1}\nسطر ثان.");
        assert_eq!(docs[0].origin, "-");
        let (docs, _) = sniff("");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].text, "");
    }
}
