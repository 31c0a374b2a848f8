//! Table-driven tests over `testdata/entities/*.toml` and
//! `testdata/attribution/*.toml` (format described at the top of each file).

use std::path::{Path, PathBuf};

use marsad_entities::attribution::attribute;
use marsad_entities::recognize::Recognizer;
use marsad_entities::{Attribution, EntityMention, EntityType, SourceType, Stance};
use toml::Value;

fn tables(stage: &str) -> Vec<(PathBuf, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(stage);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no tables in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let v: Value = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p, v)
        })
        .collect()
}

fn cases(v: &Value) -> &Vec<Value> {
    v.get("case").and_then(Value::as_array).expect("[[case]]")
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn etype(s: &str) -> EntityType {
    match s {
        "PERS" => EntityType::Pers,
        "ORG" => EntityType::Org,
        "GPE" => EntityType::Gpe,
        "LOC" => EntityType::Loc,
        "FAC" => EntityType::Fac,
        "NORP" => EntityType::Norp,
        _ => panic!("unknown type {s}"),
    }
}

fn show(text: &str, ms: &[EntityMention]) -> String {
    ms.iter()
        .map(|m| format!("{:?}:{}[{}]", m.etype, &text[m.start..m.end], m.id))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn entity_tables() {
    let r = Recognizer::get();
    let mut failures = Vec::new();
    let mut n = 0;
    for (path, v) in tables("entities") {
        for c in cases(&v) {
            n += 1;
            let name = s(c, "name").unwrap_or("?");
            let src = s(c, "text").unwrap();
            let text = marsad_text::analyze(src);
            let ms = r.recognize(&text);
            let file = path.file_name().unwrap().to_string_lossy();
            let mut fail = |msg: String| {
                failures.push(format!(
                    "{file} / {name}: {msg}\n   got: {}",
                    show(src, &ms)
                ))
            };
            for e in c
                .get("entities")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let surf = s(e, "text").unwrap();
                let ty = etype(s(e, "type").unwrap());
                let Some(m) = ms
                    .iter()
                    .find(|m| &src[m.start..m.end] == surf && m.etype == ty)
                else {
                    fail(format!("missing {ty:?} `{surf}`"));
                    continue;
                };
                if let Some(id) = s(e, "id")
                    && m.id != id
                {
                    fail(format!("`{surf}` id {} != {id}", m.id));
                }
                if let Some(cn) = s(e, "canonical")
                    && m.canonical != cn
                {
                    fail(format!("`{surf}` canonical {} != {cn}", m.canonical));
                }
                if let Some(t) = s(e, "title")
                    && m.title.as_deref() != Some(t)
                {
                    fail(format!("`{surf}` title {:?} != {t}", m.title));
                }
                if let Some(other) = s(e, "same_as") {
                    let o = ms.iter().find(|x| &src[x.start..x.end] == other);
                    if o.is_none_or(|o| o.id != m.id) {
                        fail(format!("`{surf}` ({}) not linked to `{other}`", m.id));
                    }
                }
                for (k, want) in [
                    ("country", s(e, "country")),
                    ("resolved_by", s(e, "resolved_by")),
                ] {
                    let Some(want) = want else { continue };
                    let got = m.place.as_ref().map(|p| {
                        if k == "country" {
                            p.country.clone()
                        } else {
                            p.resolved_by.clone()
                        }
                    });
                    if got.as_deref() != Some(want) {
                        fail(format!("`{surf}` {k} {got:?} != {want}"));
                    }
                }
                if let Some(p) = e.get("precision").and_then(Value::as_integer) {
                    let got = m.place.as_ref().map(|x| x.geo_precision as i64);
                    if got != Some(p) {
                        fail(format!("`{surf}` precision {got:?} != {p}"));
                    }
                }
            }
            for a in c
                .get("no_place")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let a = a.as_str().unwrap();
                if ms
                    .iter()
                    .any(|m| &src[m.start..m.end] == a && m.place.is_some())
                {
                    fail(format!("`{a}` should not be resolved to a place"));
                }
            }
            for a in c
                .get("absent")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let a = a.as_str().unwrap();
                if ms.iter().any(|m| &src[m.start..m.end] == a) {
                    fail(format!("unexpected mention `{a}`"));
                }
            }
        }
    }
    assert!(n >= 20, "only {n} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn show_attr(text: &str, at: &[Attribution]) -> String {
    at.iter()
        .map(|a| {
            format!(
                "[{}] {} ({:?}) {:?} {:?} ch={:?} «{}»",
                a.sentence,
                a.source_text,
                a.source_type,
                a.verb,
                a.stance,
                a.channel,
                &text[a.content.0..a.content.1]
            )
        })
        .collect::<Vec<_>>()
        .join("\n        ")
}

fn stype(s: &str) -> SourceType {
    match s {
        "person" => SourceType::Person,
        "organization" => SourceType::Organization,
        "agency" => SourceType::Agency,
        "outlet" => SourceType::Outlet,
        "anonymous" => SourceType::Anonymous,
        _ => panic!("unknown source type {s}"),
    }
}

fn stance(s: &str) -> Stance {
    match s {
        "states" => Stance::States,
        "claims" => Stance::Claims,
        "confirms" => Stance::Confirms,
        "denies" => Stance::Denies,
        _ => panic!("unknown stance {s}"),
    }
}

#[test]
fn attribution_tables() {
    let r = Recognizer::get();
    let mut failures = Vec::new();
    let mut n = 0;
    for (path, v) in tables("attribution") {
        for c in cases(&v) {
            n += 1;
            let name = s(c, "name").unwrap_or("?");
            let src = s(c, "text").unwrap();
            let text = marsad_text::analyze(src);
            let ms = r.recognize(&text);
            let at = attribute(&text, &ms, s(c, "default_source"));
            let file = path.file_name().unwrap().to_string_lossy();
            let mut fail = |msg: String| {
                failures.push(format!(
                    "{file} / {name}: {msg}\n   got: {}",
                    show_attr(src, &at)
                ))
            };
            for e in c
                .get("expect")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let sent = e.get("sentence").and_then(Value::as_integer).unwrap() as usize;
                let source = s(e, "source").unwrap();
                let Some(a) = at
                    .iter()
                    .find(|a| a.sentence == sent && a.source_text == source)
                else {
                    fail(format!("missing source `{source}` for sentence {sent}"));
                    continue;
                };
                if let Some(t) = s(e, "type")
                    && a.source_type != stype(t)
                {
                    fail(format!("`{source}` type {:?} != {t}", a.source_type));
                }
                if let Some(vb) = s(e, "verb")
                    && a.verb.as_deref() != Some(vb)
                {
                    fail(format!("`{source}` verb {:?} != {vb}", a.verb));
                }
                if let Some(st) = s(e, "stance")
                    && a.stance != stance(st)
                {
                    fail(format!("`{source}` stance {:?} != {st}", a.stance));
                }
                if let Some(ch) = s(e, "channel")
                    && a.channel.as_deref() != Some(ch)
                {
                    fail(format!("`{source}` channel {:?} != {ch}", a.channel));
                }
                let content = &src[a.content.0..a.content.1];
                if let Some(ct) = s(e, "content")
                    && content != ct
                {
                    fail(format!("`{source}` content «{content}» != «{ct}»"));
                }
                if let Some(ct) = s(e, "content_has")
                    && !content.contains(ct)
                {
                    fail(format!("`{source}` content «{content}» lacks «{ct}»"));
                }
            }
            for k in c
                .get("none")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let k = k.as_integer().unwrap() as usize;
                if at.iter().any(|a| a.sentence == k) {
                    fail(format!("sentence {k} should have no attribution"));
                }
            }
        }
    }
    assert!(n >= 15, "only {n} cases");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
