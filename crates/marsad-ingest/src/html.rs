//! Saved web pages: main content and meta tags.
//!
//! A saved article page is mostly not the article: navigation, footers,
//! "most read" boxes, comment forms. The main content is found with
//! `dom_smoothie` (a Rust port of Mozilla's Readability, the algorithm behind
//! Firefox's reader view), in its formatted text mode so paragraphs stay on
//! separate lines for sentence splitting.
//!
//! Metadata comes from the page's `<meta>` tags, read by a small scanner of
//! our own because Readability only knows a few of the names Arabic news
//! sites use:
//!
//! - **title**: `og:title`, `twitter:title`, then Readability's title (from
//!   `<title>` and headings, with the " - Site name" suffix removed);
//! - **published**: `article:published_time`, `og:published_time`,
//!   `datePublished` (itemprop or JSON-LD via Readability), `pubdate`,
//!   `publishdate`, `date`, `dc.date`, `dc.date.issued`, `sailthru.date`,
//!   `parsely-pub-date`, then `<time datetime>`;
//! - **source**: `og:site_name`, `application-name`, `publisher`,
//!   `article:publisher` (when not a URL), `twitter:site`;
//! - **url**: `og:url`, then `<link rel="canonical">`.
//!
//! **Figure captions** (`<figcaption>` inside the extracted content) are
//! moved out of the text into `metadata.captions`: by HTML's own semantics
//! they describe a picture, not the story, and they carry credits
//! (`... - رويترز`) that the plain-text caption rule cannot recognise.
//!
//! Entities in attribute values are decoded. The page's declared charset is
//! not consulted: the bytes were already decoded by [`crate::decode`], which
//! recognises UTF-8, UTF-16 and Windows-1256 from the bytes themselves.

use dom_smoothie::{Config, Readability, TextMode};
use serde_json::{Map, Value};

use crate::read::RawDoc;

/// What a page yields.
#[derive(Debug, Default)]
pub struct HtmlDoc {
    /// Page title.
    pub title: Option<String>,
    /// Publication date (raw, as in the page).
    pub published: Option<String>,
    /// Site name.
    pub source: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Main-content text, one paragraph a line.
    pub text: String,
    /// Byline and other metadata.
    pub metadata: Map<String, Value>,
    /// Texts of the `<figcaption>` elements removed from `text`.
    pub captions: Vec<String>,
}

impl HtmlDoc {
    pub(crate) fn into_raw(mut self) -> RawDoc {
        if !self.captions.is_empty() {
            self.metadata.insert(
                "captions".into(),
                Value::Array(self.captions.into_iter().map(Value::from).collect()),
            );
        }
        RawDoc {
            title: self.title,
            source: self.source,
            url: self.url,
            published: self.published,
            text: self.text,
            metadata: self.metadata,
            ..RawDoc::default()
        }
    }
}

/// Pages with more elements are refused (see [`parse`]).
pub const MAX_ELEMENTS: usize = 200_000;

const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
];
const SOURCE_KEYS: &[&str] = &[
    "og:site_name",
    "application-name",
    "publisher",
    "article:publisher",
    "dc.publisher",
    "twitter:site",
];
const TITLE_KEYS: &[&str] = &["og:title", "twitter:title", "dc.title"];

/// Extract the article and its metadata from a page.
pub fn parse(page: &str) -> Result<HtmlDoc, String> {
    let metas = scan_meta(page);
    let get = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(name, v)| name == k && !v.is_empty() && !is_url_for_name(k, v))
                .map(|(_, v)| v.clone())
        })
    };
    let cfg = Config {
        text_mode: TextMode::Formatted,
        // A news page has a few thousand elements; a page with more than
        // this is not an article and would only cost time.
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    let mut reader = Readability::new(page, None, Some(cfg)).map_err(|e| e.to_string())?;
    let article = reader.parse().map_err(|e| e.to_string())?;
    let captions = figcaptions(&article.content);
    let text = remove_lines(&article.text_content, &captions);
    if text.trim().is_empty() {
        return Err("the main content is empty".into());
    }
    let mut doc = HtmlDoc {
        text,
        captions,
        ..HtmlDoc::default()
    };
    doc.title = get(TITLE_KEYS).or_else(|| non_empty(article.title.clone()));
    doc.published = get(PUBLISHED_KEYS)
        .or_else(|| article.published_time.clone().and_then(non_empty))
        .or_else(|| time_datetime(page));
    doc.source = get(SOURCE_KEYS)
        .map(|s| s.trim_start_matches('@').to_owned())
        .or_else(|| article.site_name.clone().and_then(non_empty));
    doc.url = get(&["og:url"])
        .or_else(|| canonical(page))
        .or_else(|| article.url.clone());
    if let Some(by) = article.byline.clone().and_then(non_empty) {
        doc.metadata.insert("author".into(), Value::from(by));
    }
    if let Some(lang) = article.lang.clone().and_then(non_empty) {
        doc.metadata.insert("lang".into(), Value::from(lang));
    }
    Ok(doc)
}

/// Texts of the `<figcaption>` elements of `html` (tags stripped, entities
/// decoded, spaces collapsed).
fn figcaptions(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = find_ci(rest, "<figcaption") {
        let after_open = &rest[open..];
        let Some(gt) = after_open.find('>') else {
            break;
        };
        let body = &after_open[gt + 1..];
        let end = find_ci(body, "</figcaption").unwrap_or(body.len());
        let text = collapse_spaces(&decode_entities(&strip_tags(&body[..end])));
        if !text.is_empty() {
            out.push(text);
        }
        rest = &body[end..];
    }
    out
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` without the lines whose collapsed form is one of `remove`.
fn remove_lines(text: &str, remove: &[String]) -> String {
    if remove.is_empty() {
        return text.to_owned();
    }
    text.lines()
        .filter(|l| !remove.contains(&collapse_spaces(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// `article:publisher` often holds a Facebook page URL, not a name.
fn is_url_for_name(key: &str, v: &str) -> bool {
    SOURCE_KEYS.contains(&key) && (v.starts_with("http://") || v.starts_with("https://"))
}

/// All `<meta>` tags as (lower-cased name/property/itemprop, content).
fn scan_meta(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (tag, attrs) in tags(page) {
        if tag != "meta" {
            continue;
        }
        let attr = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
        let Some(content) = attr("content") else {
            continue;
        };
        for key_attr in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = attr(key_attr) {
                out.push((k.trim().to_lowercase(), decode_entities(content.trim())));
            }
        }
    }
    out
}

fn canonical(page: &str) -> Option<String> {
    tags(page).into_iter().find_map(|(tag, attrs)| {
        let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        (tag == "link" && get("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")))
            .then(|| get("href").map(|h| decode_entities(&h)))
            .flatten()
    })
}

fn time_datetime(page: &str) -> Option<String> {
    tags(page).into_iter().find_map(|(tag, attrs)| {
        (tag == "time")
            .then(|| {
                attrs
                    .iter()
                    .find(|(k, _)| k == "datetime")
                    .map(|(_, v)| decode_entities(v))
            })
            .flatten()
    })
}

/// A tolerant scanner of start tags in `<head>`-like markup: yields the
/// lower-cased tag name and its attributes (lower-cased names, raw values).
/// It stops at `</head>` when there is one (meta tags live there), else scans
/// the first 512 KiB.
fn tags(page: &str) -> Vec<(String, Vec<(String, String)>)> {
    let lower_end = find_ci(page, "</head>").unwrap_or(page.len().min(512 * 1024));
    let mut end = lower_end;
    while !page.is_char_boundary(end) {
        end -= 1;
    }
    let head = &page[..end];
    let b = head.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let start = i + p + 1;
        i = start;
        let name_len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            continue;
        }
        let name = head[start..start + name_len].to_ascii_lowercase();
        let (attrs, next) = parse_attrs(head, start + name_len);
        i = next;
        out.push((name, attrs));
    }
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// Parse attributes from `s[i..]` up to `>`; returns them and the index
/// after the tag.
fn parse_attrs(s: &str, mut i: usize) -> (Vec<(String, String)>, usize) {
    let b = s.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (attrs, i);
        }
        if b[i] == b'>' {
            return (attrs, i + 1);
        }
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = s[ns..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                let ve = memchr::memchr(q, &b[vs..]).map_or(b.len(), |p| vs + p);
                value = s[vs..ve].to_owned();
                i = (ve + 1).min(b.len());
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = s[vs..i].to_owned();
            }
        }
        if !name.is_empty() {
            attrs.push((name, value));
        }
    }
}

/// Decode the HTML entities that occur in meta values.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let window = &rest.as_bytes()[..rest.len().min(12)];
        let Some(semi) = window.iter().position(|&b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => ent
                .strip_prefix("#x")
                .or_else(|| ent.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_scanner() {
        let page = r#"<html><head><meta property="og:title" content="عنوان &amp; آخر">
<META name=date content='2023-12-31'><meta itemprop="datePublished" content="x"></head>"#;
        let m = scan_meta(page);
        assert_eq!(m[0], ("og:title".into(), "عنوان & آخر".into()));
        assert_eq!(m[1], ("date".into(), "2023-12-31".into()));
        assert_eq!(m[2].0, "datepublished");
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a&#1575;&#x628;&bogus;&"), "aاب&bogus;&");
    }
}
