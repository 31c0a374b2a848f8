//! `marsad ingest` killed with SIGKILL mid-way leaves a consistent
//! workspace (SQLite and the search index agree once reopened), and a
//! re-run completes the job without writing anything twice.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use marsad_store::{Query, Store};

const DOCS: usize = 400;
const PLACES: &[&str] = &["تمبكتو", "غاو", "كيدال", "موبتي", "سيغو", "ميناكا"];
const SOURCES: &[&str] = &["وكالة الساحل", "إذاعة النهر", "صحيفة الضفة"];

/// A corpus of distinct articles written for this test.
fn write_corpus(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..DOCS {
        let place = PLACES[i % PLACES.len()];
        let text = format!(
            "أفادت مصادر محلية بأن {} أشخاص قتلوا في هجوم على قرية قرب {place} في اليوم {} من الشهر. \
             وقال مسؤول في الإدارة المحلية إن قوات الأمن وصلت إلى المكان بعد ساعات، \
             وإن التحقيق في الهجوم رقم {i} ما زال جارياً. وتشهد المنطقة منذ سنوات أعمال عنف متكررة.",
            3 + i % 17,
            1 + i % 28
        );
        let rec = serde_json::json!({
            "id": format!("kill-{i:04}"),
            "title": format!("هجوم قرب {place}"),
            "source": SOURCES[i % SOURCES.len()],
            "published": format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            "text": text,
        });
        writeln!(f, "{rec}").unwrap();
    }
}

fn marsad(data: &Path, corpus: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_marsad"));
    c.arg("--data")
        .arg(data)
        .arg("ingest")
        .arg(corpus)
        .args(["--batch", "8", "--verbose"]);
    c
}

/// Reopen the store (repairing it) and check SQLite and the index agree.
fn check_consistent(data: &Path) -> u64 {
    let store = Store::open(data).unwrap();
    let c = store.counts().unwrap();
    assert_eq!(c.documents, c.indexed, "SQLite and index disagree: {c:?}");
    let indexed: BTreeSet<String> = store.indexed_ids().unwrap().into_iter().collect();
    let stored: BTreeSet<String> = store.all_analyses().map(|r| r.unwrap().0.id).collect();
    assert_eq!(indexed, stored);
    let total = store
        .search(&Query {
            limit: 0,
            ..Query::new("الهجوم")
        })
        .unwrap()
        .total;
    assert_eq!(total as u64, c.documents);
    c.documents
}

#[test]
fn ingest_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    write_corpus(&corpus);
    let data = dir.path().join("ws");
    let mut partial_seen = false;
    let mut last = 0;
    // Kill after the 2nd, 5th and 9th committed batch (plus a few ms, so
    // some kills land inside a commit).
    for (i, after) in [2usize, 5, 9].into_iter().enumerate() {
        let mut child = marsad(&data, &corpus)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut commits = 0;
        for line in BufReader::new(stderr).lines() {
            let line = line.unwrap();
            if line.contains("committed") {
                commits += 1;
                if commits == after {
                    break;
                }
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(3 * i as u64));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let n = check_consistent(&data);
        assert!(n >= last, "documents lost: {n} < {last}");
        if n > 0 && (n as usize) < DOCS {
            partial_seen = true;
        }
        last = n;
    }
    assert!(
        partial_seen,
        "no kill landed mid-way (stored {last} of {DOCS})"
    );
    // A re-run finishes the job and rewrites nothing already stored.
    let out = marsad(&data, &corpus).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let summary = stderr.lines().last().unwrap_or_default().to_owned();
    let want = format!(
        "{} added, 0 updated, {last} unchanged, 0 errors",
        DOCS as u64 - last
    );
    assert!(summary.contains(&want), "{summary} (want {want})");
    assert_eq!(check_consistent(&data), DOCS as u64);
}
