//! The article view's text: every mention of the analysis record wrapped
//! in a `<span>` by kind (figure, date, entity by type, attribution), with
//! what marsad made of it — value, source, resolution — in a `title`
//! attribute and a `data-tip` attribute (shown by CSS on hover and on
//! keyboard focus; each span has `tabindex="0"`).
//!
//! Mentions come from the record JSON (code-point offsets, as the API
//! returns them), converted back to byte offsets here. Mentions may nest
//! (a place inside an attribution); one that crosses the end of an
//! enclosing mention is cut at that end, so the HTML stays well formed.
//! All text is HTML-escaped.

use std::fmt::Write;

use marsad_insight::export::fmt_num;
use serde_json::Value;

use super::labels;

/// One highlighted stretch.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Byte offset.
    pub start: usize,
    /// Byte offset, exclusive.
    pub end: usize,
    /// CSS classes.
    pub class: String,
    /// Tooltip lines.
    pub tip: String,
}

/// HTML-escape into `out` (text and attribute values).
pub fn escape_into(s: &str, out: &mut String) {
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

/// HTML-escaped copy of `s`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(s, &mut out);
    out
}

fn num(v: &Value) -> Option<String> {
    v.as_f64().map(fmt_num)
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str).filter(|x| !x.is_empty())
}

fn figure_value(m: &Value) -> String {
    let (v, lo, hi) = (
        m.get("value").and_then(num),
        m.get("low").and_then(num),
        m.get("high").and_then(num),
    );
    let mut out = match (lo, hi, v) {
        (Some(l), Some(h), _) if l != h => format!("{l}–{h}"),
        (Some(l), None, None) => format!("≥ {l}"),
        (None, Some(h), None) => format!("≤ {h}"),
        (_, _, Some(v)) => v,
        (Some(l), _, None) => l,
        (None, None, None) => "؟".into(),
    };
    if m.get("approx").and_then(Value::as_bool) == Some(true) {
        out = format!("حوالي {out}");
    }
    if let Some(u) = s(m, "unit_text").or_else(|| s(m, "unit")) {
        out.push(' ');
        out.push_str(u);
    }
    out
}

/// The marks of a record, sorted by start (longest first).
pub fn marks(text: &str, record: &Value) -> Vec<Mark> {
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte = |v: Option<&Value>| -> Option<usize> {
        v.and_then(Value::as_u64)
            .and_then(|c| offsets.get(c as usize).copied())
    };
    let empty = Vec::new();
    let claims = record
        .get("claims")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let mut out = Vec::new();
    for m in record
        .get("mentions")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
    {
        let (Some(start), Some(end)) = (byte(m.get("start")), byte(m.get("end"))) else {
            continue;
        };
        if start >= end {
            continue;
        }
        let kind = s(m, "kind").unwrap_or("");
        let mut tip = Vec::<String>::new();
        let class = match kind {
            "entity" => {
                let t = s(m, "type").unwrap_or("");
                tip.push(format!(
                    "{}: {}",
                    labels::entity_type(t),
                    s(m, "canonical").unwrap_or("")
                ));
                if let Some(title) = s(m, "title") {
                    tip.push(format!("الصفة: {title}"));
                }
                if let (Some(lat), Some(lon)) = (
                    m.get("lat").and_then(Value::as_f64),
                    m.get("lon").and_then(Value::as_f64),
                ) {
                    tip.push(format!(
                        "الموقع: {lat:.3}، {lon:.3} ({})",
                        s(m, "country").unwrap_or("")
                    ));
                    if let Some(r) = s(m, "resolved_by") {
                        tip.push(format!("حُدد عبر: {r}"));
                    }
                }
                if let Some(id) = s(m, "id") {
                    tip.push(format!("المعرّف: {id}"));
                }
                format!("m m-ent m-ent-{}", t.to_ascii_lowercase())
            }
            "attribution" => {
                tip.push(format!(
                    "إسناد إلى: {} ({})",
                    s(m, "source_text").unwrap_or("؟"),
                    labels::source_type(s(m, "source_type").unwrap_or(""))
                ));
                if let Some(v) = s(m, "verb") {
                    tip.push(format!("فعل الإسناد: {v}"));
                }
                if let Some(st) = s(m, "stance") {
                    tip.push(format!("الموقف: {}", labels::stance(st)));
                }
                if let Some(ch) = s(m, "channel") {
                    tip.push(format!("القناة: {ch}"));
                }
                "m m-attr".to_owned()
            }
            "date" => {
                let v = m
                    .get("value")
                    .and_then(|v| v.as_str().map(str::to_owned).or_else(|| num(v)))
                    .unwrap_or_else(|| "؟".into());
                tip.push(format!("تاريخ: {v}"));
                if let Some(g) = s(m, "grain") {
                    tip.push(format!("الدقة: {g}"));
                }
                if let (Some(f), Some(t)) = (s(m, "from"), s(m, "to")) {
                    tip.push(format!("المدى: {f} → {t}"));
                }
                match m.get("resolved").and_then(Value::as_bool) {
                    Some(true) => tip.push("حُسب بالنسبة إلى تاريخ النشر".into()),
                    Some(false) => tip.push("تاريخ صريح".into()),
                    None => {}
                }
                "m m-date".to_owned()
            }
            _ => {
                tip.push(format!(
                    "{}: {}",
                    labels::figure_kind(kind),
                    figure_value(m)
                ));
                let (cs, ce) = (
                    m.get("start").and_then(Value::as_u64),
                    m.get("end").and_then(Value::as_u64),
                );
                for c in claims {
                    let (s0, e0) = (
                        c.get("start").and_then(Value::as_u64),
                        c.get("end").and_then(Value::as_u64),
                    );
                    let overlaps = matches!((cs, ce, s0, e0), (Some(a), Some(b), Some(x), Some(y)) if x < b && a < y);
                    if !overlaps {
                        continue;
                    }
                    tip.push(format!(
                        "يقيس: {} — {}",
                        labels::measure(s(c, "measure").unwrap_or("")),
                        s(c, "subject").unwrap_or("")
                    ));
                    if let Some(src) = c.get("source") {
                        tip.push(format!(
                            "المصدر: {} ({}، {})",
                            s(src, "text").unwrap_or("؟"),
                            labels::source_type(s(src, "type").unwrap_or("")),
                            labels::stance(s(src, "stance").unwrap_or(""))
                        ));
                    }
                }
                format!("m m-fig m-fig-{kind}")
            }
        };
        out.push(Mark {
            start,
            end,
            class,
            tip: tip.join("\n"),
        });
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    out
}

/// Escape article text: a blank line becomes a paragraph break (a block
/// `<span class="pb">`, which may sit inside an open mark), a single line
/// break a `<br>`.
fn text_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(i) = rest.find('\n') {
        escape_into(&rest[..i], out);
        let after = &rest[i..];
        let run = after.len() - after.trim_start_matches(['\n', '\r', ' ', '\t']).len();
        let newlines = after[..run].matches('\n').count();
        out.push_str(if newlines >= 2 {
            "<span class=\"pb\"></span>"
        } else {
            "<br>"
        });
        rest = &after[run..];
    }
    escape_into(rest, out);
}

/// The text as HTML with the marks as nested spans.
pub fn render(text: &str, marks: &[Mark]) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut pos = 0usize;
    let mut stack: Vec<usize> = Vec::new();
    let piece = |a: usize, b: usize| text.get(a..b).unwrap_or("");
    for m in marks {
        while let Some(&top) = stack.last() {
            if top > m.start {
                break;
            }
            text_into(piece(pos, top), &mut out);
            out.push_str("</span>");
            pos = top;
            stack.pop();
        }
        if m.start < pos {
            continue;
        }
        let end = match stack.last() {
            Some(&top) => m.end.min(top),
            None => m.end,
        };
        if end <= m.start || !text.is_char_boundary(m.start) || !text.is_char_boundary(end) {
            continue;
        }
        text_into(piece(pos, m.start), &mut out);
        let _ = write!(
            out,
            "<span class=\"{}\" tabindex=\"0\" title=\"",
            escape(&m.class)
        );
        escape_into(&m.tip, &mut out);
        out.push_str("\" data-tip=\"");
        escape_into(&m.tip, &mut out);
        out.push_str("\">");
        pos = m.start;
        stack.push(end);
    }
    while let Some(top) = stack.pop() {
        text_into(piece(pos, top), &mut out);
        out.push_str("</span>");
        pos = top;
    }
    text_into(piece(pos, text.len()), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_and_crossing_marks_stay_well_formed() {
        let text = "قال الجيش إن 12 جندياً قتلوا في ميناكا";
        let c = |sub: &str| {
            let b = text.find(sub).unwrap_or(0);
            text[..b].chars().count()
        };
        let len = |sub: &str| sub.chars().count();
        let rec = json!({
            "mentions": [
                {"kind": "attribution", "start": 0, "end": c("إن") + 2, "text": "", "source_text": "الجيش"},
                {"kind": "entity", "type": "ORG", "start": c("الجيش"), "end": c("الجيش") + len("الجيش"), "canonical": "الجيش"},
                {"kind": "quantity", "start": c("12"), "end": c("12") + len("12 جندياً"), "value": 12.0},
                {"kind": "entity", "type": "GPE", "start": c("ميناكا"), "end": c("ميناكا") + len("ميناكا"), "canonical": "ميناكا", "lat": 15.9, "lon": 2.4, "country": "ML"},
                {"kind": "entity", "type": "ORG", "start": c("إن"), "end": c("12") + 1, "canonical": "x"}
            ],
            "claims": [{"start": c("12"), "end": c("12") + 2, "measure": "killed", "subject": "جنود",
                        "source": {"text": "الجيش", "type": "organization", "stance": "states"}}]
        });
        let ms = marks(text, &rec);
        let html = render(text, &ms);
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
        assert!(html.contains("m-ent-gpe"));
        assert!(html.contains("المصدر: الجيش"));
        assert!(html.contains("tabindex=\"0\""));
        // Removing the tags gives back the text.
        let stripped = regex_free_strip(&html);
        assert_eq!(stripped, text);
    }

    fn regex_free_strip(h: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in h.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn bad_offsets_are_skipped_and_text_escaped() {
        let text = "a <b> & c";
        let rec = json!({"mentions": [
            {"kind": "number", "start": 50, "end": 60},
            {"kind": "number", "start": 3, "end": 2},
            {"kind": "number", "start": 0, "end": 1, "value": 1.0}
        ]});
        let html = render(text, &marks(text, &rec));
        assert!(html.contains("&lt;b&gt; &amp; c"));
        assert_eq!(html.matches("<span").count(), 1);
    }

    #[test]
    fn paragraphs_and_lines() {
        let mut out = String::new();
        text_into("a\n\nb\nc <d>", &mut out);
        assert_eq!(out, "a<span class=\"pb\"></span>b<br>c &lt;d&gt;");
    }
}
