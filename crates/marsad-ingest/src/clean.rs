//! Removing web residue from article text.
//!
//! Articles copied or scraped from news sites carry the page around them:
//! the comment box's `اترك ردك`, a share bar (`شاركها`, `فيسبوك تويتر
//! واتساب`), "read also" teasers (`اقرأ أيضا: ...`), embedded-tweet links,
//! the outlet credit `المصدر: X`, and photo captions ending in an agency
//! credit. Left in, they become false sentences, false entities (Facebook as
//! an organisation in every article) and false attributions. The rules live
//! in a data table, `data/cleaning.toml` (embedded), so a linguist can extend
//! them without touching Rust.
//!
//! The rules, in the order they are applied to each line, and why:
//!
//! 1. **Layout**: line endings become `\n` (`\r\n`, `\r`, U+2028/2029 come
//!    from Windows files and CMS exports), stray control characters are
//!    dropped, and leading/trailing spaces (including no-break spaces) are
//!    stripped. These carry no meaning and break sentence splitting.
//! 2. **URLs** (`http://`, `https://`, `www.`, `pic.twitter.com/`) are moved
//!    to `links`, wherever they stand in a line: a URL is never prose, and
//!    embedded tweets leave bare status links between paragraphs. Brackets
//!    left empty by the removal go too. A line that held nothing but URLs
//!    disappears (it is not a paragraph break).
//! 3. **Whole-line residue** is removed when the line, in search form and
//!    without digits, brackets and punctuation, is exactly a residue phrase
//!    (`[drop].exact`: `اترك ردك`, `شاركها.`, `طباعة`, `تعليقات (3)`), starts
//!    with a residue phrase and is short (`[drop].prefixes`: `اقرأ أيضا:
//!    ...`), starts with a label followed directly by a colon
//!    (`[drop].colon_labels`: `شاهد: ...` but not `شاهد عيان قال`), or is made
//!    only of share-button words (`[drop].share_words`).
//! 4. **Source lines** `المصدر: X` / `المصدر : X` (and the labels in
//!    `[source].labels`) are removed and `X` becomes [`Cleaned::source`]: it
//!    names the outlet the article was taken from, which marsad needs for
//!    attribution. A value longer than a name (`[source].max_words`) means
//!    the line is a sentence, and it is kept.
//! 5. **Photo captions** end in a parenthesised credit `(Name/رويترز)`,
//!    `(... / وكالة الصحافة الفرنسية)`, `(صورة: ...)`, `(Getty Images)`; such a
//!    line describes a picture, not the story, so it is moved to
//!    [`Cleaned::captions`] (kept: it may name people and places). A bare
//!    news agency in brackets is NOT a credit (`بيروت (رويترز) - قال ...` is
//!    a dateline), except for picture-only agencies. A caption is one
//!    sentence: when the text before the credit holds several sentences, it
//!    is an article paragraph the credit was glued to, and only the credit
//!    moves to captions. Labels such as `(صورة أرشيفية)` ("archive photo"),
//!    which some outlets append to the last paragraph, are always removed
//!    alone, leaving the paragraph.
//! 6. **Blank lines**: runs of blank lines (what is left where residue was)
//!    collapse into one blank line, and the text is trimmed.
//!
//! A rule removes only whole lines (or the URLs themselves): real article
//! sentences are never cut. Nothing here does I/O.

use std::sync::OnceLock;

use marsad_text::{Form, normalize};
use serde::Deserialize;

/// The result of cleaning one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// The cleaned text.
    pub text: String,
    /// URLs removed from the text, in order of appearance.
    pub links: Vec<String>,
    /// The value of the first `المصدر: X` line, if any.
    pub source: Option<String>,
    /// Photo-caption lines moved out of the text.
    pub captions: Vec<String>,
}

#[derive(Deserialize)]
struct RawRules {
    drop: RawDrop,
    source: RawSource,
    captions: RawCaptions,
}

#[derive(Deserialize)]
struct RawDrop {
    exact: Vec<String>,
    prefixes: Vec<String>,
    prefix_max_words: usize,
    colon_labels: Vec<String>,
    colon_label_max_words: usize,
    share_words: Vec<String>,
}

#[derive(Deserialize)]
struct RawSource {
    labels: Vec<String>,
    max_words: usize,
}

#[derive(Deserialize)]
struct RawCaptions {
    keywords: Vec<String>,
    agencies: Vec<String>,
    photo_agencies: Vec<String>,
    exact: Vec<String>,
    max_words: usize,
}

/// The compiled rule table: every phrase in its key form (see [`key`]).
struct Rules {
    exact: std::collections::HashSet<String>,
    prefixes: Vec<String>,
    prefix_max_words: usize,
    colon_labels: Vec<String>,
    colon_label_max_words: usize,
    /// Share phrases as word sequences, longest first.
    share_words: Vec<Vec<String>>,
    source_labels: Vec<String>,
    source_max_words: usize,
    caption_keywords: Vec<String>,
    agencies: std::collections::HashSet<String>,
    photo_agencies: std::collections::HashSet<String>,
    caption_exact: std::collections::HashSet<String>,
    caption_max_words: usize,
}

const RULES_TOML: &str = include_str!("../data/cleaning.toml");

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        // The table is embedded at compile time and covered by tests, so a
        // parse failure is a build defect, not an input problem.
        let raw: RawRules =
            toml::from_str(RULES_TOML).expect("embedded data/cleaning.toml is valid");
        let keys = |v: &[String]| v.iter().map(|s| key(s)).collect::<Vec<_>>();
        let mut share_words: Vec<Vec<String>> = raw
            .drop
            .share_words
            .iter()
            .map(|s| key(s).split(' ').map(str::to_owned).collect())
            .collect();
        share_words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        Rules {
            exact: keys(&raw.drop.exact).into_iter().collect(),
            prefixes: keys(&raw.drop.prefixes),
            prefix_max_words: raw.drop.prefix_max_words,
            colon_labels: keys(&raw.drop.colon_labels),
            colon_label_max_words: raw.drop.colon_label_max_words,
            share_words,
            source_labels: keys(&raw.source.labels),
            source_max_words: raw.source.max_words,
            caption_keywords: keys(&raw.captions.keywords),
            agencies: keys(&raw.captions.agencies).into_iter().collect(),
            photo_agencies: keys(&raw.captions.photo_agencies).into_iter().collect(),
            caption_exact: keys(&raw.captions.exact).into_iter().collect(),
            caption_max_words: raw.captions.max_words,
        }
    })
}

/// The comparison form of a phrase or line: search-normalized, with
/// punctuation, brackets and digits replaced by spaces, spaces collapsed.
fn key(s: &str) -> String {
    let n = normalize(s, Form::Search);
    let mut out = String::with_capacity(n.len());
    for c in n.chars() {
        let c = if is_letter(c) || c == '\'' { c } else { ' ' };
        if c == ' ' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Number of whitespace-separated words.
fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Is `c` a letter? Arabic letters (U+0621–U+064A) and ASCII are decided
/// without the general Unicode table lookup, which dominated the profile.
#[inline]
pub(crate) fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => true,
        '\0'..='\u{7F}' => false,
        _ => c.is_alphabetic(),
    }
}

/// Is `c` a letter or a digit (any script)?
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    match c {
        '0'..='9' | '\u{0660}'..='\u{0669}' => true,
        _ => is_letter(c) || (!c.is_ascii() && c.is_numeric()),
    }
}

/// Does `k` start with the phrase `p` as whole words?
fn starts_with_words(k: &str, p: &str) -> bool {
    k.strip_prefix(p)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// Clean one plain text of web residue (see the module doc for the rules).
pub fn clean_text(text: &str) -> Cleaned {
    let rules = rules();
    let mut out = Cleaned::default();
    let mut kept: Vec<String> = Vec::new();
    let unified = unify_line_endings(text);
    for raw_line in unified.split('\n') {
        let line = tidy_line(raw_line);
        let (line, had_urls) = extract_urls(&line, &mut out.links);
        if line.is_empty() {
            if !had_urls {
                kept.push(String::new());
            }
            continue;
        }
        if had_urls && !line.chars().any(is_word_char) {
            continue;
        }
        let mut line = line;
        // A line that loses a glued photo credit is classified again: what
        // is left may itself be residue (`اترك ردك(صورة أرشيفية)`), and
        // cleaning must give the same text when run on its own output.
        // `keep` is strictly shorter than the line, so this ends.
        loop {
            match classify(&line, rules, had_urls) {
                LineKind::Residue => {}
                LineKind::Source(s) => {
                    if out.source.is_none() {
                        out.source = Some(s);
                    }
                }
                LineKind::Caption => out.captions.push(line),
                LineKind::Credit(keep, credit) => {
                    out.captions.push(credit);
                    if !keep.is_empty() && keep.len() < line.len() {
                        line = keep;
                        continue;
                    }
                    if !keep.is_empty() {
                        kept.push(keep);
                    }
                }
                LineKind::Text => kept.push(line),
            }
            break;
        }
    }
    out.text = join_collapsing_blanks(&kept);
    out
}

fn unify_line_endings(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let has_cr = memchr::memchr(b'\r', b).is_some();
    // U+2028/U+2029 are E2 80 A8/A9 in UTF-8, U+0085 is C2 85.
    let has_other = memchr::memchr2_iter(0xE2, 0xC2, b).any(|i| match b[i] {
        0xE2 => b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)),
        _ => b.get(i + 1) == Some(&0x85),
    });
    if !has_cr && !has_other {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.replace("\r\n", "\n")
            .replace(['\r', '\u{2028}', '\u{2029}', '\u{0085}'], "\n"),
    )
}

/// Drop control characters (except tab) and trim spaces at both ends.
fn tidy_line(line: &str) -> String {
    let trimmed = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    // Control characters are C0 bytes, DEL, or U+0080–U+009F (C2 80–C2 9F);
    // test the bytes, which is much faster than decoding chars.
    let b = trimmed.as_bytes();
    let has_control = b.iter().any(|&x| (x < 0x20 && x != b'\t') || x == 0x7F)
        || memchr::memchr_iter(0xC2, b)
            .any(|i| b.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)));
    if !has_control {
        return trimmed.to_owned();
    }
    trimmed
        .chars()
        .filter(|&c| c == '\t' || !c.is_control())
        .collect()
}

enum LineKind {
    Text,
    Residue,
    Source(String),
    Caption,
    /// Article text with a photo credit glued to its end: (kept, credit).
    Credit(String, String),
}

fn classify(line: &str, r: &Rules, had_urls: bool) -> LineKind {
    // Residue lines are short; skip the normalization work for paragraphs.
    let short_limit = r
        .prefix_max_words
        .max(r.colon_label_max_words)
        .max(r.source_max_words + 3);
    // Count words only as far as the short-line rules care.
    let words = line.split_whitespace().take(short_limit + 1).count();
    if words <= short_limit {
        let k = key(line);
        if k.is_empty() {
            return LineKind::Text;
        }
        if r.exact.contains(&k) {
            return LineKind::Residue;
        }
        if r.caption_exact.contains(&k) {
            return LineKind::Caption;
        }
        if words <= r.prefix_max_words && r.prefixes.iter().any(|p| starts_with_words(&k, p)) {
            return LineKind::Residue;
        }
        if words <= r.colon_label_max_words && has_colon_label(line, &r.colon_labels) {
            return LineKind::Residue;
        }
        if is_share_bar(&k, r, had_urls) {
            return LineKind::Residue;
        }
        if let Some(s) = source_line(line, r) {
            return LineKind::Source(s);
        }
    }
    match caption(line, r) {
        Some(Caption::CreditOnly(keep, credit)) => return LineKind::Credit(keep, credit),
        Some(Caption::WholeLine)
            if line
                .split_whitespace()
                .take(r.caption_max_words + 1)
                .count()
                <= r.caption_max_words =>
        {
            return LineKind::Caption;
        }
        _ => {}
    }
    LineKind::Text
}

/// Split `line` at its first colon (ASCII `:` or full-width `：`) and return
/// the label's key and the value.
fn split_label(line: &str) -> Option<(String, &str)> {
    let idx = line.find([':', '：'])?;
    let colon_len = line[idx..].chars().next().map_or(1, char::len_utf8);
    Some((key(&line[..idx]), line[idx + colon_len..].trim()))
}

fn has_colon_label(line: &str, labels: &[String]) -> bool {
    // The label must be the whole text before the colon.
    match split_label(line) {
        Some((label, _)) => labels.contains(&label),
        None => false,
    }
}

fn source_line(line: &str, r: &Rules) -> Option<String> {
    // `(المصدر: X)` as a whole line: the brackets are not part of X.
    let line = line
        .strip_prefix('(')
        .and_then(|l| l.strip_suffix(')'))
        .unwrap_or(line);
    let (label, value) = split_label(line)?;
    if !r.source_labels.contains(&label) {
        return None;
    }
    let value = value
        .trim_end_matches(['.', '،', ',', ';', '؛', ' '])
        .trim();
    let n = word_count(value);
    ((n >= 1 && n <= r.source_max_words && !value.contains(['.', '؟', '!']))
        || (n == 1 && looks_like_domain(value)))
    .then(|| value.to_owned())
}

fn looks_like_domain(v: &str) -> bool {
    v.contains('.')
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

fn is_share_bar(k: &str, r: &Rules, had_urls: bool) -> bool {
    let words: Vec<&str> = k.split(' ').collect();
    let mut i = 0;
    'outer: while i < words.len() {
        for phrase in &r.share_words {
            let n = phrase.len();
            if i + n <= words.len() && words[i..i + n].iter().zip(phrase).all(|(a, b)| a == b) {
                i += n;
                continue 'outer;
            }
        }
        return false;
    }
    // At least two buttons (one word alone may be a label that `exact`
    // decides on), or one network name that labelled a removed URL
    // ("فيسبوك: https://...").
    words.len() >= 2 || had_urls
}

/// What a trailing photo credit means for its line.
enum Caption {
    /// The whole line is a caption: a picture description with its credit.
    WholeLine,
    /// Only the bracketed credit is residue; the text before it is article
    /// prose and stays. Holds the kept text and the credit.
    CreditOnly(String, String),
}

fn caption(line: &str, r: &Rules) -> Option<Caption> {
    let (before, inner, after) = trailing_group(line)?;
    let inner_key = key(inner);
    if inner_key.is_empty() {
        return None;
    }
    let credit_only = || {
        let mut keep = before.trim_end().to_owned();
        if after.contains('.') && !keep.ends_with(['.', '؟', '!', '?', '"', '»', '”']) {
            keep.push('.');
        }
        Some(Caption::CreditOnly(keep, inner.trim().to_owned()))
    };
    // `(صورة أرشيفية)`, `(صورة تعبيرية)`: a label on the article's picture,
    // appended to the last paragraph by some outlets: drop the label only.
    if r.caption_exact.contains(&inner_key) {
        return credit_only();
    }
    let is_credit =
        // `(صورة: ...)`, `(تصوير: ...)`.
        split_label(inner).is_some_and(|(label, _)| r.caption_keywords.contains(&label))
        // `(تصوير محمد علي)`: a short group opening with a photo keyword.
        || (word_count(inner) <= 6
            && r.caption_keywords.iter().any(|kw| starts_with_words(&inner_key, kw)))
        // `(Name/Agency)`: the part after the last slash is an agency.
        || inner
            .rfind(['/', '\\'])
            .is_some_and(|pos| r.agencies.contains(&key(&inner[pos + 1..])))
        || r.photo_agencies.contains(&inner_key);
    if !is_credit {
        return None;
    }
    // A caption describes one picture in one sentence; several sentences
    // before the credit are an article paragraph that the credit was glued
    // to.
    if sentence_breaks(before) > 0 {
        return credit_only();
    }
    Some(Caption::WholeLine)
}

/// Number of sentence ends followed by more text (`. ` + letter).
fn sentence_breaks(s: &str) -> usize {
    let mut n = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, '.' | '؟' | '!' | '?') && chars.peek().is_some_and(|n| n.is_whitespace()) {
            // Skip spaces; count only when a word follows.
            while chars.peek().is_some_and(|n| n.is_whitespace()) {
                chars.next();
            }
            if chars.peek().is_some_and(|&n| is_letter(n)) {
                n += 1;
            }
        }
    }
    n
}

/// Split a line ending in a bracketed group into the text before the group,
/// the group's content, and what follows it (only dots and spaces).
fn trailing_group(line: &str) -> Option<(&str, &str, &str)> {
    let t = line.trim_end_matches(['.', ' ']);
    let after = &line[t.len()..];
    let (open, close) = if t.ends_with(')') {
        ('(', ')')
    } else if t.ends_with(']') {
        ('[', ']')
    } else {
        return None;
    };
    let body = &t[..t.len() - 1];
    let mut depth = 0usize;
    for (i, c) in body.char_indices().rev() {
        if c == close {
            depth += 1;
        } else if c == open {
            if depth == 0 {
                // A caption is text *followed by* a credit.
                if body[..i].trim().is_empty() {
                    return None;
                }
                return Some((&body[..i], &body[i + 1..], after));
            }
            depth -= 1;
        }
    }
    None
}

/// Find where a URL starts at byte `i` of `s` (case-insensitive scheme).
fn url_starts_at(s: &str, i: usize) -> bool {
    let rest = &s.as_bytes()[i..];
    let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    if starts(b"http://") || starts(b"https://") {
        return true;
    }
    if starts(b"www.") || starts(b"pic.twitter.com/") {
        // Must begin a word.
        return i == 0
            || !s[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '/');
    }
    false
}

/// Byte length of the URL beginning at the start of `s`.
fn url_len(s: &str) -> usize {
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() || matches!(c, '"' | '<' | '>' | '«' | '»' | '“' | '”' | '،' | '؛')
        {
            break;
        }
        end = i + c.len_utf8();
    }
    // Trailing punctuation belongs to the sentence, not the URL; a closing
    // bracket belongs to the URL only if it opened one.
    loop {
        let u = &s[..end];
        let Some(last) = u.chars().next_back() else {
            break;
        };
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '؟' => true,
            ')' => u.matches('(').count() < u.matches(')').count(),
            ']' => u.matches('[').count() < u.matches(']').count(),
            _ => false,
        };
        if !strip {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

/// Remove URLs from `line`, pushing them to `links`. Returns the remaining
/// line (spaces collapsed, empty brackets removed) and whether any URL was
/// found.
fn extract_urls(line: &str, links: &mut Vec<String>) -> (String, bool) {
    let bytes = line.as_bytes();
    let has_candidate = memfind_ci(bytes, b"http")
        || memfind_ci(bytes, b"www.")
        || memfind(bytes, b"pic.twitter.com/");
    if !has_candidate {
        return (line.to_owned(), false);
    }
    let mut out = String::with_capacity(line.len());
    let mut found = false;
    let mut i = 0;
    while i < line.len() {
        if url_starts_at(line, i) {
            let n = url_len(&line[i..]);
            let url = &line[i..i + n];
            // A scheme alone ("http://") is not a link.
            if url.len() > 8 || url.starts_with("www.") || url.starts_with("pic.") {
                links.push(url.to_owned());
                found = true;
                i += n;
                // No space before the punctuation that followed the URL.
                if line[i..].starts_with(['.', ',', ';', ':', '!', '?', '،', '؛', '؟', ')', ']'])
                {
                    let t = out.trim_end().len();
                    out.truncate(t);
                }
                continue;
            }
        }
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        out.push(c);
        i += c.len_utf8();
    }
    if !found {
        return (line.to_owned(), false);
    }
    let out = out.replace("()", "").replace("[]", "").replace("<>", "");
    let mut collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // Where a URL stood: no space before the punctuation that followed it,
    // and no colon left introducing nothing ("على الرابط: URL." →
    // "على الرابط.").
    for p in [".", "،", ",", ";", "؛", ":", ")", "]"] {
        collapsed = collapsed.replace(&format!(" {p}"), p);
    }
    for p in [".", "،", ",", ";", "؛"] {
        collapsed = collapsed.replace(&format!(":{p}"), p);
    }
    if collapsed.ends_with(':') && collapsed.chars().count() > 1 {
        collapsed.pop();
    }
    (collapsed, true)
}

fn memfind(h: &[u8], n: &[u8]) -> bool {
    memchr::memmem::find(h, n).is_some()
}

fn memfind_ci(h: &[u8], n: &[u8]) -> bool {
    // Only the ASCII case of the first letter varies in practice ("www.",
    // "WWW.", "Www."); check the rare candidates fully.
    memchr::memchr2_iter(n[0].to_ascii_lowercase(), n[0].to_ascii_uppercase(), h)
        .any(|i| h.len() >= i + n.len() && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Join lines, keeping at most one blank line in a row, and trim blank
/// lines at both ends.
fn join_collapsing_blanks(lines: &[String]) -> String {
    let mut out = String::new();
    let mut pending_blank = false;
    for l in lines {
        if l.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        pending_blank = false;
        out.push_str(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_load() {
        let r = rules();
        assert!(r.exact.contains(&key("اترك ردك")));
        assert!(r.exact.contains(&key("شاركها.")));
    }

    #[test]
    fn key_form() {
        assert_eq!(key("  اقرأ أيضاً: "), "اقرا ايضا");
        assert_eq!(key("تعليقات (3)"), "تعليقات");
    }
}
