//! `marsad bench`: throughput of each pipeline stage on a corpus, the
//! figures quoted in the project's notes (the criterion benches in each
//! crate measure the same stages with statistics).
//!
//! Documents are read first (not timed in the per-stage figures), then
//! each stage runs over all of them on one thread and the full pipeline
//! runs on all cores. Throughput is text bytes (UTF-8) per second of wall
//! time; peak memory is read from `/proc/self/status` (VmHWM) on Linux.

use std::ops::ControlFlow;
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;

/// Arguments of `marsad bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Corpus to read (any input marsad reads; e.g. ../shared/corpus/ant-multisource.jsonl.gz).
    path: std::path::PathBuf,
    /// Use at most this many documents.
    #[arg(long, default_value_t = 5000)]
    limit: usize,
}

fn mbs(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / 1e6 / secs.max(1e-9)
}

fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut docs = Vec::new();
    let t0 = Instant::now();
    let mut errors = 0usize;
    marsad_ingest::read_inputs(
        std::slice::from_ref(&args.path),
        &marsad_ingest::Options::default(),
        &mut |d| {
            match d {
                Ok(d) => docs.push(d),
                Err(e) => {
                    errors += 1;
                    eprintln!("marsad: {e}");
                }
            }
            if docs.len() >= args.limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    );
    let read_secs = t0.elapsed().as_secs_f64();
    if docs.is_empty() {
        anyhow::bail!("{}: no documents read", args.path.display());
    }
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    println!(
        "corpus: {} documents, {:.1} MB of text ({errors} input errors)",
        docs.len(),
        bytes as f64 / 1e6
    );
    println!(
        "{:<44} {:>9.1} MB/s",
        "ingest (read, decode, clean, dedup)",
        mbs(bytes, read_secs)
    );

    let time = |label: &str, f: &dyn Fn(&marsad_ingest::Document) -> usize| {
        let t = Instant::now();
        let mut n = 0usize;
        for d in &docs {
            n += f(d);
        }
        let secs = t.elapsed().as_secs_f64();
        println!("{label:<44} {:>9.1} MB/s  ({n} items)", mbs(bytes, secs));
    };
    // Warm embedded tables outside the timings.
    let _ = marsad_extract::analyze_document(&docs[0]);

    time("text layer (1 core)", &|d| {
        marsad_text::analyze_raw(&d.text).tokens.len()
    });
    let texts: Vec<marsad_text::Text<'_>> =
        docs.iter().map(|d| marsad_text::analyze(&d.text)).collect();
    let t = Instant::now();
    let mut n = 0;
    for (d, text) in docs.iter().zip(&texts) {
        let r = marsad_extract::reference_time(d.published.as_deref());
        n += marsad_figures::extract(text, r).len();
    }
    println!(
        "{:<44} {:>9.1} MB/s  ({n} figures)",
        "figures and dates (1 core, after text)",
        mbs(bytes, t.elapsed().as_secs_f64())
    );
    let t = Instant::now();
    let mut n = 0;
    let rec = marsad_entities::recognize::Recognizer::get();
    for text in &texts {
        n += rec.recognize(text).len();
    }
    println!(
        "{:<44} {:>9.1} MB/s  ({n} entities)",
        "entities: gazetteer + tagger (1 core, after text)",
        mbs(bytes, t.elapsed().as_secs_f64())
    );
    drop(texts);
    time("full per-document analysis (1 core)", &|d| {
        let a = marsad_extract::analyze_document(d);
        a.claims.len() + a.events.len()
    });
    let t = Instant::now();
    let analyses: Vec<marsad_extract::DocAnalysis> = docs
        .par_iter()
        .map(marsad_extract::analyze_document)
        .collect();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{:<44} {:>9.1} MB/s  ({} threads)",
        "full per-document analysis (all cores)",
        mbs(bytes, secs),
        rayon::current_num_threads()
    );
    let pairs: Vec<(marsad_ingest::Document, marsad_extract::DocAnalysis)> =
        docs.into_iter().zip(analyses).collect();
    let t = Instant::now();
    let report = marsad_insight::build_report(&pairs);
    let secs2 = t.elapsed().as_secs_f64();
    println!(
        "{:<44} {:>9.1} MB/s  ({} merged events)",
        "cross-document insight",
        mbs(bytes, secs2),
        report.events.len()
    );
    println!(
        "{:<44} {:>9.1} MB/s",
        "whole report pipeline (all cores)",
        mbs(bytes, read_secs + secs + secs2)
    );
    if let Some(mb) = peak_rss_mb() {
        println!("peak RSS: {mb:.0} MB");
    }
    Ok(ExitCode::SUCCESS)
}
