//! Markdown to plain text.
//!
//! Analysts keep articles as Markdown notes (copied from the web or exported
//! from note apps). marsad needs the prose, so the syntax goes and the words
//! stay. Rules, line by line, and why:
//!
//! - **Front matter**: a first line `---` opens a block of `key: value` lines
//!   closed by `---` (or `...`). `published`/`date`, `source`, `url`/`link`
//!   and `title` fill the document fields; other keys go to metadata. Note
//!   apps and static-site generators write dates and sources there.
//! - **Headings** `# ...` (ATX, trailing `#`s dropped) and setext headings
//!   (a line underlined with `===` or `---`) lose their markers; the first
//!   heading becomes the title and leaves the body, like the title field of
//!   JSONL, so it is not analysed twice.
//! - **Code fences** (```` ``` ````, `~~~`) lose their fence lines; the lines
//!   inside are kept as text (a quoted statement pasted as code is still text).
//! - **Block markers**: `>` quotes, list bullets `-`/`*`/`+` and numbered
//!   items `1.`/`1)` lose their markers; horizontal rules and table separator
//!   rows (`|---|:--:|`) disappear; table rows lose their pipes, cells joined
//!   by a tab.
//! - **Inline**: images `![alt](url)` are removed (a picture is not prose);
//!   links `[text](url)` become `text` and their URL goes to `links`;
//!   autolinks `<http://...>` become the bare URL (the cleaner then moves it
//!   to `links`); reference definitions `[id]: url` are removed;
//!   emphasis `*`, `**`, `_`, `__`, `~~` and code backticks are removed
//!   (an `_` inside a word, as in `#عاصي_الحلاني`, is kept); backslash
//!   escapes give the escaped character.
//!
//! This is deliberately a small line-based converter, not a CommonMark
//! parser: news notes use a handful of constructs, and every rule above
//! only removes syntax, never words.

use serde_json::{Map, Value};

use crate::read::RawDoc;

/// A Markdown document reduced to text.
#[derive(Debug, Default)]
pub struct MdDoc {
    /// The first heading, if any.
    pub title: Option<String>,
    /// The text with the syntax removed.
    pub text: String,
    /// URLs of `[text](url)` links, in order.
    pub links: Vec<String>,
    /// Front-matter `published`/`date`.
    pub published: Option<String>,
    /// Front-matter `source`.
    pub source: Option<String>,
    /// Front-matter `url`.
    pub url: Option<String>,
    /// Other front-matter keys.
    pub metadata: Map<String, Value>,
}

impl MdDoc {
    pub(crate) fn into_raw(self) -> RawDoc {
        RawDoc {
            title: self.title,
            source: self.source,
            url: self.url,
            published: self.published,
            text: self.text,
            links: self.links,
            metadata: self.metadata,
            ..RawDoc::default()
        }
    }
}

/// Convert Markdown `input` to plain text (see the module doc).
pub fn parse(input: &str) -> MdDoc {
    let mut doc = MdDoc::default();
    let input = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    let lines: Vec<&str> = input.lines().collect();
    let mut i = front_matter(&lines, &mut doc);
    let mut out: Vec<String> = Vec::new();
    let mut in_fence: Option<&str> = None;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        i += 1;
        if let Some(fence) = in_fence {
            if t.starts_with(fence) {
                in_fence = None;
            } else {
                out.push(line.to_owned());
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = Some(&t[..3]);
            continue;
        }
        // Setext heading: this line underlined by the next.
        if !t.is_empty()
            && i < lines.len()
            && is_setext_underline(lines[i].trim())
            && !is_list_item(t).0
        {
            i += 1;
            let h = inline(t, &mut doc.links);
            push_heading(&mut doc, &mut out, h);
            continue;
        }
        if is_rule(t) || is_table_separator(t) {
            continue;
        }
        if let Some(h) = atx_heading(t) {
            let h = inline(h, &mut doc.links);
            push_heading(&mut doc, &mut out, h);
            continue;
        }
        if is_reference_definition(t, &mut doc.links) {
            continue;
        }
        let mut body = t;
        while let Some(rest) = body.strip_prefix('>') {
            body = rest.trim_start();
        }
        let (is_item, rest) = is_list_item(body);
        if is_item {
            body = rest;
        }
        let is_table = body.starts_with('|') || (body.contains(" | ") && body.ends_with('|'));
        if is_table {
            let cells: Vec<String> = table_cells(body)
                .into_iter()
                .map(|c| inline(c, &mut doc.links))
                .collect();
            out.push(cells.join("\t"));
        } else {
            out.push(inline(body, &mut doc.links));
        }
    }
    doc.text = out.join("\n");
    doc
}

fn push_heading(doc: &mut MdDoc, out: &mut Vec<String>, h: String) {
    if doc.title.is_none() && !h.is_empty() {
        doc.title = Some(h);
    } else {
        out.push(h);
    }
}

/// Parse front matter; returns the index of the first body line.
fn front_matter(lines: &[&str], doc: &mut MdDoc) -> usize {
    if lines.first().map(|l| l.trim()) != Some("---") {
        return 0;
    }
    let Some(end) = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim(), "---" | "..."))
    else {
        return 0;
    };
    for l in &lines[1..=end] {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let key = k.trim().to_lowercase();
        let v = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        if v.is_empty() || key.is_empty() {
            continue;
        }
        match key.as_str() {
            "published" | "date" | "published_at" | "pubdate" => {
                doc.published = Some(v.to_owned());
            }
            "source" | "outlet" | "publisher" => doc.source = Some(v.to_owned()),
            "url" | "link" | "canonical" => doc.url = Some(v.to_owned()),
            "title" => doc.title = Some(v.to_owned()),
            _ => {
                doc.metadata.insert(key, Value::from(v));
            }
        }
    }
    end + 2
}

fn is_setext_underline(t: &str) -> bool {
    t.len() >= 2 && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
}

fn is_rule(t: &str) -> bool {
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|m| compact.chars().all(|c| c.to_string() == *m))
}

fn is_table_separator(t: &str) -> bool {
    t.contains('-')
        && t.contains('|')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

fn atx_heading(t: &str) -> Option<&str> {
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None; // `#hashtag`, not a heading
    }
    Some(rest.trim().trim_end_matches('#').trim_end())
}

/// Is `t` a list item? Returns the text after the marker.
fn is_list_item(t: &str) -> (bool, &str) {
    for m in ["- ", "* ", "+ ", "• "] {
        if let Some(rest) = t.strip_prefix(m) {
            return (true, rest.trim_start());
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return (true, r.trim_start());
        }
    }
    (false, t)
}

fn is_reference_definition(t: &str, links: &mut Vec<String>) -> bool {
    let Some(rest) = t.strip_prefix('[') else {
        return false;
    };
    let Some(close) = rest.find("]:") else {
        return false;
    };
    let url = rest[close + 2..].split_whitespace().next().unwrap_or("");
    if url.contains("://") || url.starts_with("www.") || url.starts_with('/') {
        links.push(url.trim_matches(['<', '>']).to_owned());
        return true;
    }
    false
}

fn table_cells(t: &str) -> Vec<&str> {
    let inner = t.trim().trim_start_matches('|').trim_end_matches('|');
    inner
        .split('|')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// Remove inline syntax from one line.
fn inline(s: &str, links: &mut Vec<String>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '!' if chars.get(i + 1) == Some(&'[') => {
                if let Some((_, _, end)) = bracket_link(&chars, i + 1) {
                    i = end; // image: dropped
                } else {
                    out.push(c);
                    i += 1;
                }
            }
            '[' => {
                if let Some((text, url, end)) = bracket_link(&chars, i) {
                    out.push_str(&inline(&text, links));
                    if !url.is_empty() {
                        links.push(url);
                    }
                    i = end;
                } else {
                    out.push(c);
                    i += 1;
                }
            }
            '<' => {
                // Autolink `<http://...>` or a simple HTML tag like `<br>`.
                let close = chars[i..].iter().position(|&x| x == '>').map(|p| i + p);
                match close {
                    Some(e) => {
                        let inner: String = chars[i + 1..e].iter().collect();
                        if inner.starts_with("http://") || inner.starts_with("https://") {
                            out.push_str(&inner);
                            i = e + 1;
                        } else if is_simple_tag(&inner) {
                            out.push(' ');
                            i = e + 1;
                        } else {
                            out.push(c);
                            i += 1;
                        }
                    }
                    None => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            '`' => i += 1,
            '*' | '~' => {
                let run = chars[i..].iter().take_while(|&&x| x == c).count();
                let prev = i.checked_sub(1).map(|p| chars[p]);
                let next = chars.get(i + run).copied();
                let spaced =
                    prev.is_none_or(char::is_whitespace) && next.is_none_or(char::is_whitespace);
                // `~` is emphasis only doubled (`~~strike~~`); a lone `~`
                // (approximately) stays, as does an isolated `*` (`2 * 3`).
                if spaced || (c == '~' && run < 2) {
                    out.extend(std::iter::repeat_n(c, run));
                }
                i += run;
            }
            '_' => {
                let run = chars[i..].iter().take_while(|&&x| x == '_').count();
                let prev = i.checked_sub(1).map(|p| chars[p]);
                let next = chars.get(i + run).copied();
                let word_before = prev.is_some_and(char::is_alphanumeric);
                let word_after = next.is_some_and(char::is_alphanumeric);
                // Inside a word (`snake_case`, `#عاصي_الحلاني`): keep.
                if word_before && word_after {
                    out.extend(std::iter::repeat_n('_', run));
                }
                i += run;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        String::new()
    } else {
        collapsed
    }
}

fn is_simple_tag(inner: &str) -> bool {
    let t = inner.trim_start_matches('/').trim_end_matches('/').trim();
    let name = t.split_whitespace().next().unwrap_or("");
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Parse `[text](url)` starting at `chars[start] == '['`; returns the text,
/// the URL and the index after the closing `)`.
fn bracket_link(chars: &[char], start: usize) -> Option<(String, String, usize)> {
    let mut depth = 0usize;
    let mut close = None;
    for (j, &c) in chars.iter().enumerate().skip(start) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close + 2..].iter().position(|&c| c == ')')? + close + 2;
    let text: String = chars[start + 1..close].iter().collect();
    let target: String = chars[close + 2..end].iter().collect();
    // `(url "title")`: the URL is the first word.
    let url = target
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(['<', '>'])
        .to_owned();
    Some((text, url, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_removed() {
        let md = "---\npublished: 2023-06-30\nsource: موقع تجريبي\nauthor: فلان\n---\n\
# عنوان الخبر\n\nقال **الوزير** إن [الخطة](https://example.org/a) *جاهزة*.\n\n\
- البند الأول\n2. البند الثاني\n> اقتباس\n\n![صورة](x.png)\n\n| أ | ب |\n|---|---|\n| 1 | 2 |\n\
```\nسطر\n```\nوسم #عاصي_الحلاني\n";
        let d = parse(md);
        assert_eq!(d.title.as_deref(), Some("عنوان الخبر"));
        assert_eq!(d.published.as_deref(), Some("2023-06-30"));
        assert_eq!(d.source.as_deref(), Some("موقع تجريبي"));
        assert_eq!(d.metadata.get("author"), Some(&Value::from("فلان")));
        assert_eq!(d.links, vec!["https://example.org/a".to_string()]);
        assert_eq!(
            d.text,
            "\nقال الوزير إن الخطة جاهزة.\n\nالبند الأول\nالبند الثاني\nاقتباس\n\n\n\nأ\tب\n1\t2\nسطر\nوسم #عاصي_الحلاني"
        );
    }

    #[test]
    fn setext_and_hashtag() {
        let d = parse("العنوان\n=====\n#وسم ليس عنوانا\n");
        assert_eq!(d.title.as_deref(), Some("العنوان"));
        assert_eq!(d.text, "#وسم ليس عنوانا");
    }
}
