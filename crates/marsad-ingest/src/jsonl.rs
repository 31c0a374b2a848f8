//! JSON Lines: one article per line, streamed.
//!
//! Each non-blank line is a JSON object. The fields `id`, `title`, `text`,
//! `url`, `source` and `published` map to [`crate::Document`]'s fields (an
//! `id` may be a number; `text` is required); every other field (`author`,
//! `category`, ...) is kept in `metadata` unchanged. This is the format of
//! the ANT corpus exports and of most scrapers' output.
//!
//! Lines are read one at a time through a bounded buffer, so a 30,000-article
//! `.jsonl.gz` is processed in flat memory. A line that is not valid UTF-8,
//! not a JSON object, or has no `text` string is reported with its 1-based
//! line number and skipped; a line over [`crate::MAX_LINE_BYTES`] is skipped
//! without being held in memory. A UTF-8 BOM at the start of the stream is
//! ignored (Windows tools write one).

use std::io::BufRead;
use std::ops::ControlFlow;

use serde_json::{Map, Value};

use crate::IngestError;
use crate::read::{RawDoc, io_error};

/// Outcome of reading one line.
pub(crate) enum LineRead {
    /// End of input, nothing read.
    Eof,
    /// A line (without its `\n`) is in the buffer.
    Line,
    /// The line exceeded the limit; it was consumed but not kept.
    TooLong,
}

/// Read one line of at most `max` bytes into `buf` (cleared first).
pub(crate) fn read_line_limited<R: BufRead + ?Sized>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<LineRead> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            break;
        }
        any = true;
        let (chunk, found, used) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], true, i + 1),
            None => (avail, false, avail.len()),
        };
        if !too_long {
            if buf.len() + chunk.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        r.consume(used);
        if found {
            break;
        }
    }
    Ok(match (any, too_long) {
        (false, _) => LineRead::Eof,
        (true, true) => LineRead::TooLong,
        (true, false) => LineRead::Line,
    })
}

/// Stream the JSONL `reader` (named `path` in errors), calling `emit` for
/// each document or bad line.
pub(crate) fn read_jsonl(
    path: &str,
    reader: &mut dyn BufRead,
    max_line: usize,
    limit: u64,
    emit: &mut dyn FnMut(Result<RawDoc, IngestError>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut line_no: u64 = 0;
    loop {
        line_no += 1;
        let got = match read_line_limited(reader, &mut buf, max_line) {
            Ok(g) => g,
            Err(e) => return emit(Err(io_error(path, Some(line_no), e, limit))),
        };
        match got {
            LineRead::Eof => return ControlFlow::Continue(()),
            LineRead::TooLong => {
                emit(Err(IngestError::LineTooLong {
                    path: path.to_owned(),
                    line: line_no,
                    limit: max_line,
                }))?;
                continue;
            }
            LineRead::Line => {}
        }
        let mut bytes = &buf[..];
        if line_no == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let res = parse_line(bytes).map_err(|reason| IngestError::JsonLine {
            path: path.to_owned(),
            line: line_no,
            reason,
        });
        emit(res.map(|mut d| {
            d.origin = format!("{path}:{line_no}");
            d
        }))?;
    }
}

/// Does `line` parse as a JSON object? (Used to sniff standard input.)
pub(crate) fn is_json_object(line: &[u8]) -> bool {
    serde_json::from_slice::<Map<String, Value>>(line).is_ok()
}

fn parse_line(bytes: &[u8]) -> Result<RawDoc, String> {
    // `from_slice` checks the UTF-8 of every string as it parses, so the
    // line is not validated twice.
    let value: Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let Value::Object(obj) = value else {
        return Err("not a JSON object".into());
    };
    from_object(obj)
}

/// Build a raw document from one JSON object.
pub(crate) fn from_object(mut obj: Map<String, Value>) -> Result<RawDoc, String> {
    let text = match obj.remove("text") {
        Some(Value::String(t)) => t,
        Some(other) => {
            return Err(format!(
                "field \"text\" is {} instead of a string",
                kind(&other)
            ));
        }
        None => return Err("no \"text\" field".into()),
    };
    let mut doc = RawDoc {
        text,
        ..RawDoc::default()
    };
    doc.id = match obj.remove("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Null) | None => None,
        Some(other) => {
            obj.insert("id".into(), other);
            None
        }
    };
    for (field, slot) in [
        ("title", &mut doc.title),
        ("url", &mut doc.url),
        ("source", &mut doc.source),
        ("published", &mut doc.published),
    ] {
        match obj.remove(field) {
            Some(Value::String(s)) => {
                let s = s.trim();
                if !s.is_empty() {
                    *slot = Some(s.to_owned());
                }
            }
            Some(Value::Null) | None => {}
            // Not a string: keep it untouched in metadata.
            Some(other) => {
                obj.insert(field.into(), other);
            }
        }
    }
    doc.metadata = obj;
    Ok(doc)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_lines() {
        let data = b"abc\n0123456789\nxy";
        let mut r = &data[..];
        let mut buf = Vec::new();
        assert!(matches!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::Line
        ));
        assert_eq!(buf, b"abc");
        assert!(matches!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::TooLong
        ));
        assert!(matches!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::Line
        ));
        assert_eq!(buf, b"xy");
        assert!(matches!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::Eof
        ));
    }

    #[test]
    fn fields() {
        let d = parse_line(br#"{"id": 7, "text": "x", "author": "A", "title": 3}"#).unwrap();
        assert_eq!(d.id.as_deref(), Some("7"));
        assert_eq!(d.title, None);
        assert_eq!(d.metadata.get("title"), Some(&Value::from(3)));
        assert_eq!(d.metadata.get("author"), Some(&Value::from("A")));
        assert!(parse_line(br#"{"id": 1}"#).is_err());
        assert!(parse_line(b"[1,2]").is_err());
        assert!(parse_line(b"{broken").is_err());
    }
}
