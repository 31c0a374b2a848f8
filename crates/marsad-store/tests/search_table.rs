//! Runs every case of `testdata/store/search.toml` against a store holding
//! that file's documents (see the file's header for the format).

use std::path::Path;

use marsad_extract::{DocAnalysis, EntityMention, Event};
use marsad_ingest::Document;
use marsad_store::{Query, Store};
use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    doc: Vec<Doc>,
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Doc {
    id: String,
    title: Option<String>,
    source: Option<String>,
    published: Option<String>,
    text: String,
    #[serde(default)]
    entities: Vec<(String, String)>,
    #[serde(default)]
    events: Vec<String>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    query: String,
    source: Option<String>,
    from: Option<String>,
    to: Option<String>,
    entity: Option<String>,
    event_type: Option<String>,
    expect: Vec<String>,
    first: Option<String>,
}

fn analysis(d: &Doc) -> DocAnalysis {
    let entities = d
        .entities
        .iter()
        .map(|(word, id)| {
            let start = d
                .text
                .find(word.as_str())
                .unwrap_or_else(|| panic!("{}: entity {word} not in text", d.id));
            let m: EntityMention = serde_json::from_value(serde_json::json!({
                "etype": "GPE", "start": start, "end": start + word.len(),
                "canonical": word, "id": id, "title": null, "place": null
            }))
            .unwrap();
            m
        })
        .collect();
    let events = d
        .events
        .iter()
        .map(|t| {
            let e: Event = serde_json::from_value(serde_json::json!({
                "event_type": t, "sub_event_type": "", "disorder_type": "",
                "start": 0, "end": 0, "trigger": "", "sentence": 0, "status": "reported",
                "source": {"text": "", "source_type": "outlet", "id": null, "stance": "states"}
            }))
            .unwrap();
            e
        })
        .collect();
    DocAnalysis {
        entities,
        events,
        ..DocAnalysis::default()
    }
}

#[test]
fn search_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/store/search.toml");
    let table: Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let batch = table
        .doc
        .iter()
        .map(|d| {
            let doc = Document {
                id: d.id.clone(),
                title: d.title.clone(),
                source: d.source.clone(),
                published: d.published.clone(),
                text: d.text.clone(),
                origin: "search.toml".into(),
                ..Document::default()
            };
            (doc, analysis(d))
        })
        .collect();
    store.ingest_batch(batch).unwrap();
    let mut failures = Vec::new();
    for c in &table.case {
        let q = Query {
            text: c.query.clone(),
            limit: 100,
            source: c.source.clone(),
            from: c.from.clone(),
            to: c.to.clone(),
            entity: c.entity.clone(),
            event_type: c.event_type.clone(),
            ..Query::default()
        };
        let r = store.search(&q).unwrap();
        let mut got: Vec<&str> = r.results.iter().map(|h| h.id.as_str()).collect();
        let top = got.first().copied();
        got.sort();
        let mut want: Vec<&str> = c.expect.iter().map(String::as_str).collect();
        want.sort();
        if got != want || r.total != want.len() {
            failures.push(format!(
                "{}: query {:?}: got {got:?}, want {want:?}",
                c.name, c.query
            ));
        } else if let Some(f) = &c.first
            && top != Some(f.as_str())
        {
            failures.push(format!("{}: top hit {top:?}, want {f}", c.name));
        }
        // Every hit of a text query shows where it matched.
        if !c.query.trim().is_empty() && !c.query.starts_with('-') {
            for h in &r.results {
                if !h.snippet.contains("<b>")
                    && h.title.as_deref().is_none_or(|t| !t.contains(&c.query))
                {
                    let title_hit = c.name.contains("title");
                    if !title_hit {
                        failures.push(format!(
                            "{}: hit {} has no highlight: {}",
                            c.name, h.id, h.snippet
                        ));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        table.case.len(),
        failures.join("\n")
    );
}
