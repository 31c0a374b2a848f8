//! Throughput of the NER tagger (text layer analysis + gazetteer hints +
//! features + Viterbi, every sentence), and of the whole recognizer
//! (gazetteer matching + tagger + linking + geocoding), over the first 2,000
//! articles of the ANT corpus in `../shared/corpus/ant-multisource.jsonl.gz`. Skipped when
//! absent.
//!
//! Run: `cargo bench -p marsad-entities --bench tagger`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use marsad_entities::tagger::Tagger;

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
    let Some(texts) = corpus(2000) else {
        eprintln!("skipping: ../shared/corpus/ant-multisource.jsonl.gz not found");
        return;
    };
    let bytes: usize = texts.iter().map(String::len).sum();
    let tagger = match Tagger::builtin() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("skipping: {e}");
            return;
        }
    };
    // Warm the embedded lexicons outside the measurement.
    let warm = marsad_text::analyze("قال الرئيس");
    let _ = tagger.tag_sentence(&warm, 0);
    let analysed: Vec<_> = texts.iter().map(|t| marsad_text::analyze(t)).collect();
    let mut g = c.benchmark_group("ner-tagger");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("analyze + tag 2000 ANT articles", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for t in &texts {
                let a = marsad_text::analyze(t);
                for s in 0..a.sentences.len() {
                    n += tagger.tag_sentence(&a, s).len();
                }
            }
            n
        })
    });
    g.bench_function("tag only (pre-analysed) 2000 ANT articles", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for a in &analysed {
                for s in 0..a.sentences.len() {
                    n += tagger.tag_sentence(a, s).len();
                }
            }
            n
        })
    });
    let rec = marsad_entities::recognize::Recognizer::get();
    let _ = rec.recognize(&warm);
    g.bench_function(
        "recognize: gazetteer + tagger (pre-analysed) 2000 ANT articles",
        |b| {
            b.iter(|| {
                let mut n = 0usize;
                for a in &analysed {
                    n += rec.recognize(a).len();
                }
                n
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
