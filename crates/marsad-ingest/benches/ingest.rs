//! Throughput of marsad-ingest over the ANT corpus
//! (`../shared/corpus/ant-multisource.jsonl.gz`, 31k articles; skipped when
//! absent):
//!
//! - `read_inputs` on the whole `.jsonl.gz` (gunzip + JSON + cleaning + ids +
//!   duplicate flags), throughput in decompressed JSONL bytes;
//! - `clean_text` alone and `Deduper::check` alone over the first 5,000
//!   article texts, throughput in text bytes.
//!
//! Run: `cargo bench -p marsad-ingest --bench ingest`.

use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use marsad_ingest::{Deduper, Options, clean_text, read_inputs};

fn corpus_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/ant-multisource.jsonl.gz")
}

fn texts(n: usize) -> Option<Vec<String>> {
    let f = std::fs::File::open(corpus_path()).ok()?;
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(f));
    let mut out = Vec::with_capacity(n);
    for line in r.lines().take(n) {
        let v: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
        out.push(v.get("text")?.as_str()?.to_string());
    }
    Some(out)
}

fn decompressed_len() -> Option<u64> {
    let f = std::fs::File::open(corpus_path()).ok()?;
    let mut r = flate2::read::MultiGzDecoder::new(f);
    std::io::copy(&mut r.by_ref(), &mut std::io::sink()).ok()
}

fn bench(c: &mut Criterion) {
    let (Some(texts), Some(total)) = (texts(5000), decompressed_len()) else {
        eprintln!("skipping: ../shared/corpus/ant-multisource.jsonl.gz not found");
        return;
    };
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total));
    let paths = vec![corpus_path()];
    g.bench_function("read_inputs ant-multisource.jsonl.gz (dedup on)", |b| {
        b.iter(|| {
            let mut n = 0usize;
            read_inputs(&paths, &Options::default(), &mut |r| {
                n += r.map_or(0, |d| d.text.len());
                ControlFlow::Continue(())
            });
            n
        })
    });
    let bytes: usize = texts.iter().map(String::len).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("clean_text 5000 articles", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| clean_text(t).text.len())
                .sum::<usize>()
        })
    });
    g.bench_function("Deduper::check 5000 articles", |b| {
        b.iter(|| {
            let mut d = Deduper::new();
            texts
                .iter()
                .enumerate()
                .filter(|(i, t)| d.check(&i.to_string(), t).is_some())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
