//! Store benchmark over the ANT corpus (`../shared/corpus/ant-multisource.jsonl.gz`,
//! skipped when absent):
//!
//! 1. **ingest into the store**: reading (marsad-ingest), preparing
//!    (tokenizing for the index, rows; rayon on all cores) and writing
//!    (one writer, batches of 4000) — store cost only, with an empty
//!    `DocAnalysis` (the extraction pipeline is measured by `marsad ingest`
//!    itself, see the crate report). Prints MB/s of article text, and the
//!    sizes of the database and the index relative to the raw text.
//! 2. **search latency**: 1,000 mixed queries (single words, AND of two
//!    words, phrases, with and without source/date/entity filters, 10 hits
//!    with snippets), p50/p90/p99/max in-process.
//! 3. criterion measurements of three representative queries.
//!
//! `MARSAD_BENCH_DOCS=N` limits the corpus to its first N documents;
//! `MARSAD_BENCH_BATCH=N` sets the write batch (default 4000, like `marsad
//! ingest`).
//!
//! `MARSAD_BENCH_STORE=DIR` skips step 1 and measures steps 2 and 3 over an
//! existing workspace (opened read-only), e.g. one written by `marsad
//! ingest` with real analyses: then a tenth of the queries also filter by
//! an entity of the document they were drawn from, and the facet queries
//! count real entity names.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::Criterion;
use marsad_extract::DocAnalysis;
use marsad_ingest::Document;
use marsad_store::{Query, Store};
use rayon::prelude::*;

fn dir_size(p: &Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let m = match e.metadata() {
                Ok(m) => m,
                Err(_) => continue,
            };
            n += if m.is_dir() {
                dir_size(&e.path())
            } else {
                m.len()
            };
        }
    }
    n
}

/// CPU seconds (user + system, all threads) used by this process so far,
/// from `/proc/self/stat` (Linux; 0 elsewhere). The machine is shared, so
/// CPU time says more about cost than wall-clock time.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // Fields 14 and 15 of the whole line are 12 and 13 after the `)`.
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

/// A tiny deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Content words of a text (Arabic words of 3+ letters), as written.
fn words(text: &str) -> Vec<String> {
    let a = marsad_text::analyze(text);
    a.tokens
        .iter()
        .filter(|t| t.kind == marsad_text::TokenKind::Word && a.norm(t).chars().count() >= 3)
        .map(|t| a.token_text(t).to_owned())
        .collect()
}

/// What queries are drawn from: text, source, published, an entity name.
type Sample = (String, Option<String>, Option<String>, Option<String>);

fn queries(docs: &[Sample], n: usize) -> Vec<Query> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let (text, source, published, entity) = &docs[rng.below(docs.len())];
        let w = words(text);
        if w.len() < 4 {
            continue;
        }
        let i = rng.below(w.len() - 2);
        let kind = rng.below(20);
        let mut q = Query::new(match kind {
            0..=7 => w[i].clone(),
            8..=10 => format!("{} {}", w[i], w[rng.below(w.len())]),
            11..=14 => format!("\"{} {}\"", w[i], w[i + 1]),
            _ => format!("\"{} {} {}\"", w[i], w[i + 1], w[i + 2]),
        });
        match rng.below(10) {
            0 | 1 => q.source = source.clone(),
            2 => {
                if let Some(p) = published.as_deref().and_then(|p| p.get(..7)) {
                    q.from = Some(format!("{p}-01"));
                    q.to = Some(format!("{p}-28"));
                }
            }
            3 => q.facets = true,
            4 if entity.is_some() => q.entity = entity.clone(),
            _ => {}
        }
        out.push(q);
    }
    out
}

/// Steps 2 and 3 over an existing workspace.
fn bench_existing(dir: &Path) {
    let store = Store::open_read_only(dir).expect("open the workspace");
    let sample: Vec<Sample> = store
        .all_analyses()
        .step_by(7)
        .map(|r| {
            let (d, a) = r.expect("read");
            let entity = a.entities.first().map(|e| e.canonical.clone());
            (d.text, d.source, d.published, entity)
        })
        .collect();
    println!(
        "existing store {}: {} documents",
        dir.display(),
        store.counts().map(|c| c.documents).unwrap_or(0)
    );
    search_bench(&store, &sample);
}

fn main() {
    if let Some(dir) = std::env::var_os("MARSAD_BENCH_STORE") {
        bench_existing(Path::new(&dir));
        return;
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/ant-multisource.jsonl.gz");
    if !corpus.exists() {
        println!("skipping: ../shared not found");
        return;
    }
    let limit: usize = std::env::var("MARSAD_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    let work = tempfile::tempdir().expect("temp dir");
    let data: PathBuf = work.path().join("ws");

    // 1. Ingest.
    let t0 = Instant::now();
    let mut docs: Vec<Document> = Vec::new();
    marsad_ingest::read_inputs(
        std::slice::from_ref(&corpus),
        &marsad_ingest::Options::default(),
        &mut |r| {
            if let Ok(d) = r {
                docs.push(d);
            }
            if docs.len() >= limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    );
    let read_secs = t0.elapsed().as_secs_f64();
    let text_bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
    let sample: Vec<Sample> = docs
        .iter()
        .step_by(7)
        .map(|d| (d.text.clone(), d.source.clone(), d.published.clone(), None))
        .collect();
    let n_docs = docs.len();
    let store = Store::open(&data).expect("open store");
    let t1 = Instant::now();
    let c1 = cpu_secs();
    let mut batches = Vec::new();
    let batch: usize = std::env::var("MARSAD_BENCH_BATCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    while !docs.is_empty() {
        let rest = docs.split_off(docs.len().min(batch));
        batches.push(std::mem::replace(&mut docs, rest));
    }
    let mut prep_secs = 0.0;
    for b in batches {
        let tp = Instant::now();
        let prepared: Vec<_> = b
            .into_par_iter()
            .map(|d| marsad_store::prepare(d, DocAnalysis::default()).expect("prepare"))
            .collect();
        prep_secs += tp.elapsed().as_secs_f64();
        store.ingest_prepared(prepared, false).expect("ingest");
    }
    let write_secs = t1.elapsed().as_secs_f64();
    let write_cpu = cpu_secs() - c1;
    println!(
        "  of which prepare (parallel) {prep_secs:.1} s, write (one writer) {:.1} s",
        write_secs - prep_secs
    );
    let mb = text_bytes as f64 / 1e6;
    let db = std::fs::metadata(data.join("marsad.db"))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(data.join("marsad.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    let idx = dir_size(&data.join("index"));
    println!(
        "ingest (store only, empty analysis): {n_docs} docs, {mb:.1} MB text; read {read_secs:.1} s, \
         prepare+write {write_secs:.1} s = {:.1} MB/s ({:.0} docs/s) on {} threads",
        mb / write_secs,
        n_docs as f64 / write_secs,
        rayon::current_num_threads()
    );
    println!(
        "  CPU time of prepare+write: {write_cpu:.1} s = {:.1} MB per CPU-second",
        mb / write_cpu.max(1e-9)
    );
    println!(
        "sizes: index {:.1} MB ({:.2}x raw text), sqlite {:.1} MB ({:.2}x raw text)",
        idx as f64 / 1e6,
        idx as f64 / text_bytes as f64,
        db as f64 / 1e6,
        db as f64 / text_bytes as f64
    );

    search_bench(&store, &sample);
}

/// 2. Latency of 1,000 mixed queries; 3. criterion.
fn search_bench(store: &Store, sample: &[Sample]) {
    let qs = queries(sample, 1000);
    for q in qs.iter().take(50) {
        let _ = store.search(q);
    }
    let mut lat: Vec<Duration> = Vec::with_capacity(qs.len());
    let mut hits = 0usize;
    for q in &qs {
        let t = Instant::now();
        let r = store.search(q).expect("search");
        lat.push(t.elapsed());
        hits += r.total;
    }
    let facet_lat: Vec<Duration> = {
        let mut v: Vec<Duration> = qs
            .iter()
            .zip(&lat)
            .filter(|(q, _)| q.facets)
            .map(|(_, l)| *l)
            .collect();
        v.sort();
        v
    };
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "search: {} queries, mean {:.0} hits; p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        lat.len(),
        hits as f64 / lat.len() as f64,
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.90).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        lat[lat.len() - 1].as_secs_f64() * 1e3
    );
    if let (Some(mid), Some(max)) = (facet_lat.get(facet_lat.len() / 2), facet_lat.last()) {
        println!(
            "  of which {} with facets: p50 {:.2} ms, max {:.2} ms",
            facet_lat.len(),
            mid.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }

    // 3. Criterion on representative queries.
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(30)
        .measurement_time(Duration::from_secs(3));
    let word = Query::new("الحكومة");
    let phrase = Query::new("\"الأمم المتحدة\"");
    let all_facets = Query {
        facets: true,
        limit: 20,
        ..Query::new("")
    };
    let filtered = Query {
        source: sample.first().and_then(|s| s.1.clone()),
        from: Some("2018-03-01".into()),
        to: Some("2018-06-30".into()),
        facets: true,
        ..Query::new("الانتخابات")
    };
    c.bench_function("search/word", |b| {
        b.iter(|| store.search(&word).expect("search"))
    });
    c.bench_function("search/phrase", |b| {
        b.iter(|| store.search(&phrase).expect("search"))
    });
    c.bench_function("search/filtered+facets", |b| {
        b.iter(|| store.search(&filtered).expect("search"))
    });
    c.bench_function("search/everything+facets", |b| {
        b.iter(|| store.search(&all_facets).expect("search"))
    });
    c.final_summary();
}
