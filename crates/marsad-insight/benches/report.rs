//! Cross-document stages over real articles: the first 2,000 articles of
//! `../shared/corpus/ant-multisource.jsonl.gz` (skipped when absent) are
//! analysed and digested once; the benchmark times `digest` per document
//! and `build_report_from_digests` over all of them (merge, disagreements,
//! clusters, summaries).

use std::ops::ControlFlow;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const DOCS: usize = 2000;

fn load() -> Option<Vec<marsad_ingest::Document>> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/ant-multisource.jsonl.gz");
    if !p.exists() {
        eprintln!("skipping: ../shared not found");
        return None;
    }
    let mut docs = Vec::new();
    marsad_ingest::read_inputs(&[p], &marsad_ingest::Options::default(), &mut |r| {
        if let Ok(d) = r {
            docs.push(d);
        }
        if docs.len() >= DOCS {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    Some(docs)
}

fn bench(c: &mut Criterion) {
    let Some(docs) = load() else { return };
    let pairs: Vec<_> = docs
        .iter()
        .map(|d| (d, marsad_extract::analyze_document(d)))
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let digests: Vec<_> = pairs
        .iter()
        .map(|(d, a)| marsad_insight::digest(d, a))
        .collect();
    let mut g = c.benchmark_group("insight");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("digest_2000_docs", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|(d, a)| marsad_insight::digest(d, a).terms.len())
                .sum::<usize>()
        })
    });
    g.bench_function("build_report_2000_docs", |b| {
        b.iter(|| {
            marsad_insight::build_report_from_digests(digests.clone())
                .events
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
