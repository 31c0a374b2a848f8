//! Throughput of `extract` measured in CPU time of this thread (so that a
//! busy machine does not distort it), over the first 5,000 ANT articles.
//! `cargo run --release -p marsad-figures --example figures_throughput`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::Instant;

/// CPU time of the current thread in nanoseconds (Linux schedstat).
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/ant-multisource.jsonl.gz");
    let Ok(f) = std::fs::File::open(&path) else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let r = BufReader::new(flate2::read::GzDecoder::new(f));
    let mut docs = Vec::new();
    for line in r.lines().take(5000).map_while(Result::ok) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let p = v["published"]
            .as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.naive_local());
        docs.push((v["text"].as_str().unwrap_or_default().to_string(), p));
    }
    let bytes: usize = docs.iter().map(|d| d.0.len()).sum();
    let mb = bytes as f64 / 1e6;
    let (w0, c0) = (Instant::now(), cpu_ns().unwrap_or(0));
    let analysed: Vec<_> = docs
        .iter()
        .map(|(t, p)| (marsad_text::analyze(t), *p))
        .collect();
    let (w1, c1) = (Instant::now(), cpu_ns().unwrap_or(0));
    let mut n = 0;
    for _ in 0..3 {
        for (a, p) in &analysed {
            n += marsad_figures::extract(a, *p).len();
        }
    }
    let (w2, c2) = (Instant::now(), cpu_ns().unwrap_or(0));
    let ana_cpu = (c1 - c0) as f64 / 1e9;
    let ext_cpu = (c2 - c1) as f64 / 1e9 / 3.0;
    println!(
        "{} docs, {:.1} MB, {} figures per pass",
        docs.len(),
        mb,
        n / 3
    );
    println!(
        "analyze: {:.1} MB/s CPU ({:.1} MB/s wall)",
        mb / ana_cpu,
        mb / (w1 - w0).as_secs_f64()
    );
    println!(
        "extract: {:.1} MB/s CPU ({:.1} MB/s wall)",
        mb / ext_cpu,
        mb * 3.0 / (w2 - w1).as_secs_f64()
    );
    println!("analyze+extract: {:.1} MB/s CPU", mb / (ana_cpu + ext_cpu));
}
