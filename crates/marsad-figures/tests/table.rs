//! The table-driven tests of `testdata/figures/*.toml`: one runner for every
//! table, so a linguist can add a case without writing Rust.
//!
//! Each case gives a `text`, an optional `ref` (publication date), figures
//! to `expect` (matched by their exact text, then compared field by field:
//! `kind value low high approx unit unit_text conservative date grain from
//! to resolved tp`), strings that must be `absent` from every figure, and
//! an optional exact `count`.

use std::path::Path;

use marsad_figures::{Figure, extract};
use toml::Value;

fn fig_json(f: &Figure) -> serde_json::Value {
    serde_json::to_value(f).unwrap()
}

fn check_case(file: &str, case: &Value) -> Vec<String> {
    let name = case["name"].as_str().unwrap_or("?");
    let text = case["text"].as_str().expect("case text");
    let reference = case.get("ref").and_then(|r| r.as_str()).map(|s| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .expect("ref date")
            .and_hms_opt(12, 0, 0)
            .unwrap()
    });
    let a = marsad_text::analyze(text);
    let figs = extract(&a, reference);
    let shown: Vec<String> = figs
        .iter()
        .map(|f| format!("{} {:?}", &text[f.start..f.end], fig_json(f)))
        .collect();
    let mut errs = Vec::new();
    let mut fail = |m: String| errs.push(format!("{file} / {name}: {m}\n    figures: {shown:#?}"));
    for e in case
        .get("expect")
        .and_then(|x| x.as_array())
        .into_iter()
        .flatten()
    {
        let want = e["text"].as_str().expect("expect.text");
        let Some(f) = figs.iter().find(|f| &text[f.start..f.end] == want) else {
            fail(format!("no figure with text `{want}`"));
            continue;
        };
        let d = f.date.as_ref();
        for (k, v) in e.as_table().unwrap() {
            let got: serde_json::Value = match k.as_str() {
                "text" => continue,
                "kind" => fig_json(f)["kind"].clone(),
                "value" => serde_json::json!(f.value),
                "low" => serde_json::json!(f.low),
                "high" => serde_json::json!(f.high),
                "approx" => serde_json::json!(f.approx),
                "unit" => serde_json::json!(f.unit),
                "unit_text" => serde_json::json!(f.unit_text),
                "conservative" => serde_json::json!(f.conservative),
                "date" => serde_json::json!(d.and_then(|d| d.value.clone())),
                "grain" => d
                    .map(|d| serde_json::to_value(d.grain).unwrap())
                    .unwrap_or_default(),
                "from" => serde_json::json!(d.and_then(|d| d.from.clone())),
                "to" => serde_json::json!(d.and_then(|d| d.to.clone())),
                "resolved" => serde_json::json!(d.map(|d| d.resolved)),
                "tp" => serde_json::json!(d.map(|d| d.time_precision)),
                other => panic!("{file} / {name}: unknown key `{other}`"),
            };
            let ok = match v {
                Value::Integer(i) => got.as_f64().is_some_and(|g| (g - *i as f64).abs() < 1e-6),
                Value::Float(x) => got.as_f64().is_some_and(|g| (g - x).abs() < 1e-6),
                Value::Boolean(b) => got.as_bool() == Some(*b),
                Value::String(s) => got.as_str() == Some(s.as_str()),
                _ => false,
            };
            if !ok {
                fail(format!("`{want}`: {k} expected {v}, got {got}"));
            }
        }
    }
    for s in case
        .get("absent")
        .and_then(|x| x.as_array())
        .into_iter()
        .flatten()
    {
        let s = s.as_str().unwrap();
        if let Some(p) = text.find(s)
            && figs.iter().any(|f| f.start < p + s.len() && p < f.end)
        {
            fail(format!("`{s}` must not be part of a figure"));
        }
    }
    if let Some(n) = case.get("count").and_then(|x| x.as_integer())
        && figs.len() as i64 != n
    {
        fail(format!("expected {n} figures, got {}", figs.len()));
    }
    errs
}

#[test]
fn figure_tables() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/figures");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/figures")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty());
    let mut errs = Vec::new();
    let mut n = 0;
    for p in &entries {
        let file = p.file_name().unwrap().to_string_lossy().into_owned();
        let v: Value = toml::from_str(&std::fs::read_to_string(p).unwrap()).expect(&file);
        for case in v["case"].as_array().expect("[[case]]") {
            n += 1;
            errs.extend(check_case(&file, case));
        }
    }
    assert!(
        errs.is_empty(),
        "{} failures in {n} cases:\n{}",
        errs.len(),
        errs.join("\n")
    );
}
