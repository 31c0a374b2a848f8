//! Walks `testdata/ingest/cleaning.toml`: every case's input is cleaned and
//! compared with its expected text, links, source and captions.

use std::path::Path;

use marsad_ingest::clean_text;
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    input: String,
    text: String,
    #[serde(default)]
    links: Vec<String>,
    source: Option<String>,
    #[serde(default)]
    captions: Vec<String>,
}

#[test]
fn cleaning_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/ingest/cleaning.toml");
    let raw = std::fs::read_to_string(&path).unwrap();
    let table: Table = toml::from_str(&raw).unwrap();
    assert!(table.case.len() >= 20);
    let mut failures = Vec::new();
    for c in &table.case {
        let got = clean_text(&c.input);
        if got.text != c.text
            || got.links != c.links
            || got.source != c.source
            || got.captions != c.captions
        {
            failures.push(format!(
                "case {:?}\n  text:     {:?}\n  expected: {:?}\n  links: {:?} (expected {:?})\n  source: {:?} (expected {:?})\n  captions: {:?} (expected {:?})",
                c.name, got.text, c.text, got.links, c.links, got.source, c.source, got.captions, c.captions
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn cleaning_is_idempotent_on_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/ingest/cleaning.toml");
    let table: Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for c in &table.case {
        let once = clean_text(&c.input).text;
        assert_eq!(clean_text(&once).text, once, "case {:?}", c.name);
    }
}

proptest! {
    #[test]
    fn clean_text_never_panics(s in "\\PC*") {
        let c = clean_text(&s);
        prop_assert!(!c.text.contains("\r"));
    }

    #[test]
    fn clean_text_never_panics_on_residue_alphabet(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("اترك ردك".to_string()), Just("شاركها.".to_string()), Just("\n".to_string()),
                Just("\r\n".to_string()), Just("https://x.y/(a)".to_string()), Just("www.".to_string()),
                Just("(".to_string()), Just(")".to_string()), Just("/رويترز".to_string()),
                Just("المصدر:".to_string()), Just(" ".to_string()), Just("قال".to_string()),
                Just("http://".to_string()), Just("[".to_string()), Just("]".to_string()),
                Just("：".to_string()), Just("\u{a0}".to_string()), Just("é".to_string()),
            ],
            0..40,
        )
    ) {
        let s: String = parts.concat();
        let c = clean_text(&s);
        prop_assert!(!c.text.starts_with('\n') && !c.text.ends_with('\n'));
        prop_assert!(!c.text.contains("\n\n\n"));
    }
}

proptest! {
    /// Cleaning a cleaned text changes nothing: every rule removes what it
    /// matches, and what is left never forms new residue.
    #[test]
    fn clean_text_is_idempotent(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("اترك ردك".to_string()), Just("شاركها.".to_string()), Just("\n".to_string()),
                Just("https://x.y/a".to_string()), Just("(".to_string()), Just(")".to_string()),
                Just("/رويترز".to_string()), Just("المصدر:".to_string()), Just(" ".to_string()),
                Just("قال الوزير".to_string()), Just(".".to_string()), Just("فيسبوك".to_string()),
                Just("تويتر".to_string()), Just("صورة أرشيفية".to_string()), Just(":".to_string()),
                Just("اقرأ أيضا".to_string()), Just("،".to_string()), Just("www.a.b".to_string()),
            ],
            0..30,
        )
    ) {
        let s: String = parts.concat();
        let once = clean_text(&s).text;
        prop_assert_eq!(clean_text(&once).text, once);
    }
}
