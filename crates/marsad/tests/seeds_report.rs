//! End to end over the five seed reports in `../shared/seeds` (skipped when
//! absent): `marsad analyze` cleans them, and `marsad report` finds the
//! Bamako attack with its death toll and the two disagreements our users
//! check first — MINUSMA's strength (a contradiction between outlets) and
//! its death toll (figures that count different things).

use std::path::PathBuf;
use std::process::Command;

fn seeds() -> Option<Vec<PathBuf>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    Some(files)
}

fn marsad(args: &[&str], files: &[PathBuf]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_marsad"))
        .args(args)
        .args(files)
        .output()
        .expect("run marsad");
    assert!(
        out.status.success(),
        "marsad {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    if args[0] == "analyze" {
        serde_json::Value::Array(
            s.lines()
                .map(|l| serde_json::from_str(l).expect("json line"))
                .collect(),
        )
    } else {
        serde_json::from_str(&s).expect("json report")
    }
}

#[test]
fn seeds_analyze_is_clean() {
    let Some(files) = seeds() else {
        eprintln!("skipping: ../shared/seeds not found");
        return;
    };
    let docs = marsad(&["analyze"], &files);
    let docs = docs.as_array().expect("array");
    assert_eq!(docs.len(), 5);
    for d in docs {
        let text = d["text"].as_str().unwrap_or("");
        assert!(
            !text.contains("اترك ردك") && !text.contains("شاركها") && !text.contains("http"),
            "{}",
            d["id"]
        );
        assert!(!d["sentences"].as_array().is_none_or(Vec::is_empty));
    }
    assert!(docs.iter().any(|d| d["source"] == "موقع الميادين"));
}

#[test]
fn seeds_report_finds_events_and_disagreements() {
    let Some(files) = seeds() else {
        eprintln!("skipping: ../shared/seeds not found");
        return;
    };
    let r = marsad(&["report", "--format", "json"], &files);
    // The Bamako attack: about 77 killed according to AFP.
    let events = r["events"].as_array().expect("events");
    let bamako = events.iter().find(|e| {
        e["location"]["name"]
            .as_str()
            .is_some_and(|n| n.contains("باماكو"))
            && e["fatalities"]["best"] == 77.0
    });
    assert!(bamako.is_some(), "no Bamako attack with 77 killed");
    // MINUSMA's strength: 11,000 / 12,000 / 15,000 / more than 11,600 across outlets.
    let dis = r["disagreements"].as_array().expect("disagreements");
    let strength = dis
        .iter()
        .find(|d| d["measure"] == "strength" && d["kind"] == "contradiction");
    let Some(strength) = strength else {
        panic!("no strength contradiction: {dis:#?}")
    };
    let values: Vec<f64> = strength["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["value"].as_f64())
        .collect();
    for v in [12000.0, 15000.0] {
        assert!(values.contains(&v), "strength values {values:?}");
    }
    assert!(
        strength["subject"]
            .as_str()
            .is_some_and(|s| s.contains("مالي")),
        "{}",
        strength["subject"]
    );
    // Its death toll: about 310 and more than 300 agree; 183 counts only hostile acts.
    let deaths = dis
        .iter()
        .find(|d| d["measure"] == "killed" && d["kind"] == "different_scope");
    let Some(deaths) = deaths else {
        panic!("no death-toll scope difference: {dis:#?}")
    };
    let values: Vec<f64> = deaths["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["value"].as_f64())
        .collect();
    assert!(
        values.contains(&183.0) && values.contains(&310.0),
        "{values:?}"
    );
    assert!(
        !dis.iter().any(|d| d["measure"] == "killed"
            && d["kind"] == "contradiction"
            && d["claims"]
                .as_array()
                .is_some_and(|c| c.iter().any(|x| x["value"] == 310.0))),
        "310 vs more than 300 must not be a contradiction"
    );
}
