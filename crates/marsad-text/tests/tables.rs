//! Walks the shared test tables in `testdata/text/` (one runner per table,
//! in the style of the regex crate's TOML corpus). Add cases to the TOML
//! files, not here.

use std::path::PathBuf;

use marsad_text::{Form, TokenKind, analyze, normalize};
use serde::Deserialize;

fn table<T: for<'de> Deserialize<'de>>(name: &str) -> Vec<T> {
    #[derive(Deserialize)]
    struct File<T> {
        case: Vec<T>,
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/text")
        .join(name);
    let s = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let f: File<T> = toml::from_str(&s).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    f.case
}

#[derive(Deserialize)]
struct NormCase {
    name: String,
    input: String,
    search: String,
    #[serde(rename = "match")]
    match_form: Option<String>,
}

#[test]
fn normalize_table() {
    let mut failures = Vec::new();
    for c in table::<NormCase>("normalize.toml") {
        let got = normalize(&c.input, Form::Search);
        if got != c.search {
            failures.push(format!("{}: search form {got:?} != {:?}", c.name, c.search));
        }
        if let Some(m) = &c.match_form {
            let got = normalize(&c.input, Form::Match);
            if &got != m {
                failures.push(format!("{}: match form {got:?} != {m:?}", c.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[derive(Deserialize)]
struct TokCase {
    name: String,
    input: String,
    tokens: Vec<String>,
}

#[test]
fn tokens_table() {
    let mut failures = Vec::new();
    for c in table::<TokCase>("tokens.toml") {
        let t = analyze(&c.input);
        // Adjacent tokens with no space between them are shown joined with
        // `+` in the kind column, as in `و١٢٬٠٠٠/word+number`.
        let mut got: Vec<String> = Vec::new();
        let mut prev_end = u32::MAX;
        for tok in &t.tokens {
            let text = t.token_text(tok);
            let kind = tok.kind.as_str();
            let glued =
                tok.start == prev_end && tok.kind != TokenKind::Punct && !got.is_empty() && {
                    let last = got.last().map(String::as_str).unwrap_or("");
                    !last.ends_with("/punct")
                };
            if glued && c.tokens.iter().any(|e| e.contains('+')) {
                if let Some(last) = got.last_mut() {
                    let (lt, lk) = last.rsplit_once('/').unwrap_or((last.as_str(), ""));
                    *last = format!("{lt}{text}/{lk}+{kind}");
                }
            } else {
                got.push(format!("{text}/{kind}"));
            }
            prev_end = tok.end;
        }
        if got != c.tokens {
            failures.push(format!(
                "{}:\n  got      {got:?}\n  expected {:?}",
                c.name, c.tokens
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[derive(Deserialize)]
struct SentCase {
    name: String,
    input: String,
    sentences: Vec<String>,
}

#[test]
fn sentences_table() {
    let mut failures = Vec::new();
    for c in table::<SentCase>("sentences.toml") {
        let t = analyze(&c.input);
        let got: Vec<&str> = (0..t.sentences.len()).map(|i| t.sentence_text(i)).collect();
        if got != c.sentences {
            failures.push(format!(
                "{}:\n  got      {got:?}\n  expected {:?}",
                c.name, c.sentences
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[derive(Deserialize)]
struct CliticCase {
    word: String,
    #[serde(default)]
    pro: Vec<String>,
    base: String,
    #[serde(default)]
    enc: String,
}

#[test]
fn clitics_table() {
    let mut failures = Vec::new();
    for c in table::<CliticCase>("clitics.toml") {
        let t = analyze(&c.word);
        let Some(tok) = t.tokens.first() else {
            failures.push(format!("{}: no token", c.word));
            continue;
        };
        let pro: Vec<&str> = tok.pro.iter().collect();
        let got = (
            pro.clone(),
            t.base(tok).to_string(),
            tok.enc.as_str().to_string(),
        );
        let want = (
            c.pro.iter().map(String::as_str).collect::<Vec<_>>(),
            c.base.clone(),
            c.enc.clone(),
        );
        if got != want {
            failures.push(format!("{}: got {got:?}, expected {want:?}", c.word));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[derive(Deserialize)]
struct StemCase {
    word: String,
    stem: String,
}

#[test]
fn stem_table() {
    let mut failures = Vec::new();
    for c in table::<StemCase>("stem.toml") {
        let t = analyze(&c.word);
        let got = t
            .tokens
            .first()
            .map(|tok| t.stem(tok).to_string())
            .unwrap_or_default();
        if got != c.stem {
            failures.push(format!("{}: got {got:?}, expected {:?}", c.word, c.stem));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
