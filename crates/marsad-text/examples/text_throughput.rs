//! Quick CPU-time throughput check of the text layer, robust to a busy
//! machine: run with `0` and with `N` repetitions under `/usr/bin/time` and
//! divide the difference in user time by `N` × the bytes printed.
//!
//! `cargo run --release -p marsad-text --example text_throughput -- 3`

use std::io::{BufRead, BufReader};

fn main() {
    let reps: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/ant-multisource.jsonl.gz"
    );
    let Ok(f) = std::fs::File::open(path) else {
        eprintln!("skipping: {path} not found");
        return;
    };
    let r = BufReader::new(flate2::read::GzDecoder::new(f));
    let texts: Vec<String> = r
        .lines()
        .take(5000)
        .filter_map(|l| l.ok())
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_string))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut n = 0usize;
    for _ in 0..reps {
        for t in &texts {
            n += marsad_text::analyze_raw(t).tokens.len();
        }
    }
    println!("{} bytes x {reps} reps, {n} tokens", bytes);
}
