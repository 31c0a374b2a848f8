//! Read inputs with marsad-ingest and report what came out.
//!
//! `cargo run --release -p marsad-ingest --example ingest -- [--print] [--no-dedup] PATH...`
//! prints documents as JSON Lines with `--print`, errors on stderr, and a
//! summary (documents, errors, duplicates, MB of input text per second).

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::Instant;

use marsad_ingest::{Options, read_inputs};

fn main() {
    let mut print = false;
    let mut opts = Options::default();
    let mut paths = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--no-dedup" {
            opts.dedup = false;
        } else if a == "--print" {
            print = true;
        } else {
            paths.push(PathBuf::from(a));
        }
    }
    let start = Instant::now();
    let (mut docs, mut errors, mut dups, mut bytes) = (0u64, 0u64, 0u64, 0u64);
    read_inputs(&paths, &opts, &mut |r| {
        match r {
            Ok(d) => {
                docs += 1;
                bytes += d.text.len() as u64;
                dups += u64::from(d.duplicate_of.is_some());
                if print {
                    match serde_json::to_string(&d) {
                        Ok(s) => println!("{s}"),
                        Err(e) => eprintln!("{e}"),
                    }
                }
            }
            Err(e) => {
                errors += 1;
                eprintln!("error: {e}");
            }
        }
        ControlFlow::Continue(())
    });
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{docs} documents, {errors} errors, {dups} duplicates, {:.1} MB cleaned text in {secs:.2}s = {:.1} MB/s",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs
    );
}
