//! Throughput of the text layer (normalize + tokens + clitics + stems +
//! sentences) over the first 5,000 articles of the ANT corpus in
//! `../shared/corpus/ant-multisource.jsonl.gz`. Skipped when absent.
//!
//! Run: `cargo bench -p marsad-text --bench text`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus(n: usize) -> Option<Vec<String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/ant-multisource.jsonl.gz");
    let f = std::fs::File::open(&path).ok()?;
    let r = BufReader::new(flate2::read::GzDecoder::new(f));
    let mut out = Vec::with_capacity(n);
    for line in r.lines().take(n) {
        let line = line.ok()?;
        let v: serde_json::Value = serde_json::from_str(&line).ok()?;
        out.push(v.get("text")?.as_str()?.to_string());
    }
    Some(out)
}

fn bench(c: &mut Criterion) {
    let Some(texts) = corpus(5000) else {
        eprintln!("skipping: ../shared/corpus/ant-multisource.jsonl.gz not found");
        return;
    };
    let bytes: usize = texts.iter().map(String::len).sum();
    // Warm the embedded lexicon outside the measurement.
    let _ = marsad_text::analyze_raw("وقال");
    let mut g = c.benchmark_group("text-layer");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("analyze 5000 ANT articles", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for t in &texts {
                let a = marsad_text::analyze_raw(t);
                n += a.tokens.len() + a.sentences.len();
            }
            n
        })
    });
    g.bench_function("normalize_with_map 5000 ANT articles", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for t in &texts {
                n += marsad_text::normalize_with_map(t, marsad_text::Form::Search)
                    .normalized
                    .len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
