//! Throughput of figure and date extraction over real news: the first
//! 5,000 articles of ../shared/corpus/ant-multisource.jsonl.gz (skipped
//! when the file is absent).
//!
//! Two measurements: `extract` alone over texts already analysed by
//! `marsad_text` (the engine's own cost), and `analyze+extract` (the text
//! layer included). Throughput is reported in bytes of article text.

use std::io::{BufRead, BufReader};
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn load() -> Option<Vec<(String, Option<chrono::NaiveDateTime>)>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/ant-multisource.jsonl.gz");
    let f = std::fs::File::open(&path).ok()?;
    let r = BufReader::new(flate2::read::GzDecoder::new(f));
    let mut docs = Vec::new();
    for line in r.lines().take(5000) {
        let line = line.ok()?;
        let v: serde_json::Value = serde_json::from_str(&line).ok()?;
        let text = v["text"].as_str().unwrap_or_default().to_string();
        let published = v["published"].as_str().and_then(|s| {
            chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|d| d.naive_local())
                .or_else(|| {
                    chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
                        .ok()?
                        .and_hms_opt(0, 0, 0)
                })
        });
        docs.push((text, published));
    }
    Some(docs)
}

fn bench(c: &mut Criterion) {
    let Some(docs) = load() else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let bytes: usize = docs.iter().map(|d| d.0.len()).sum();
    let analysed: Vec<_> = docs
        .iter()
        .map(|(t, p)| (marsad_text::analyze(t), *p))
        .collect();
    let mut g = c.benchmark_group("figures");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("extract", |b| {
        b.iter(|| {
            let mut n = 0;
            for (a, p) in &analysed {
                n += marsad_figures::extract(a, *p).len();
            }
            n
        })
    });
    g.bench_function("analyze+extract", |b| {
        b.iter(|| {
            let mut n = 0;
            for (t, p) in &docs {
                let a = marsad_text::analyze(t);
                n += marsad_figures::extract(&a, *p).len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
