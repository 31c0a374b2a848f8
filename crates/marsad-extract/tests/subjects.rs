//! Walks `testdata/claims/subjects.toml` (our own sentences): for each
//! case, the claim spanning the given figure has the expected measure and
//! subject, or, for a label (`اللواء 35`), there is no claim at all.

use std::path::PathBuf;

use marsad_extract::analyze_document;
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    figure: String,
    #[serde(default)]
    measure: Option<String>,
    #[serde(default)]
    subject: Option<String>,
    /// Expected `subject_id`; `""` means none (not compared across reports).
    #[serde(default)]
    subject_id: Option<String>,
    #[serde(default)]
    absent: bool,
}

#[test]
fn claim_subjects_and_measures() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/claims/subjects.toml");
    let s = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: File = toml::from_str(&s).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut failures = Vec::new();
    for c in &file.case {
        let doc = marsad_ingest::Document {
            id: "case".into(),
            text: c.text.clone(),
            ..Default::default()
        };
        let a = analyze_document(&doc);
        let spanned: Vec<_> = a
            .claims
            .iter()
            .filter(|cl| {
                doc.text
                    .get(cl.start..cl.end)
                    .is_some_and(|t| t.contains(&c.figure) || c.figure.contains(t))
            })
            .collect();
        if c.absent {
            if !spanned.is_empty() {
                failures.push(format!(
                    "{}: `{}` is a label, got a claim",
                    c.text, c.figure
                ));
            }
            continue;
        }
        let Some(cl) = spanned.first() else {
            failures.push(format!("{}: no claim for `{}`", c.text, c.figure));
            continue;
        };
        if let Some(m) = &c.measure
            && &cl.measure != m
        {
            failures.push(format!("{}: measure {} != {m}", c.text, cl.measure));
        }
        if let Some(subj) = &c.subject
            && &cl.subject != subj
        {
            failures.push(format!("{}: subject {} != {subj}", c.text, cl.subject));
        }
        if let Some(id) = &c.subject_id {
            let got = cl.subject_id.as_deref().unwrap_or("");
            if got != id {
                failures.push(format!("{}: subject_id {got:?} != {id:?}", c.text));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
