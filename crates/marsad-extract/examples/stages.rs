//! CPU cost of each stage of the per-document analysis, measured in CPU
//! time of this thread (`/proc/thread-self/schedstat`), so that a busy
//! machine distorts it less than wall time would.
//!
//! ```sh
//! cargo run --release -p marsad-extract --example stages -- \
//!     ../shared/corpus/ant-multisource.jsonl.gz 3000
//! ```
//!
//! Each stage runs over all documents in its own pass, on the outputs of
//! the stages before it: text layer, figures, entities, attribution, then
//! this crate's own work (context, claims, events), the JSON record, and
//! finally `analyze_document` end to end for comparison. A third argument
//! `full` runs only `analyze_document`, `record` only
//! `document_record_string` (for `perf` or `callgrind`).

use std::ops::ControlFlow;
use std::path::PathBuf;

/// CPU time of the current thread in nanoseconds (Linux schedstat).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/corpus/ant-multisource.jsonl.gz".to_string()),
    );
    let limit: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3000);
    // `full`: only `analyze_document` over every document; `record`: only
    // `document_record_string` (for profilers).
    let mode = args.next().unwrap_or_default();
    let mut docs = Vec::new();
    marsad_ingest::read_inputs(
        std::slice::from_ref(&path),
        &marsad_ingest::Options::default(),
        &mut |d| {
            if let Ok(d) = d {
                docs.push(d);
            }
            if docs.len() >= limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    );
    if docs.is_empty() {
        eprintln!("{}: no documents", path.display());
        return;
    }
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("{} documents, {mb:.1} MB", docs.len());
    // Warm the embedded tables outside the timings (not through
    // `analyze_document` or `document_record_string`, so that a profiler can collect
    // one of them only: `valgrind --tool=callgrind --collect-atstart=no
    // --toggle-collect='*analyze_document*' ... full`).
    let _ = marsad_extract::analyze_text(&marsad_text::analyze(&docs[0].text), None, None);

    if mode == "full" || mode == "record" {
        let c = cpu_ns();
        let n: usize = docs
            .iter()
            .map(|d| {
                if mode == "full" {
                    marsad_extract::analyze_document(d).events.len()
                } else {
                    marsad_extract::document_record_string(d, false).1.len()
                }
            })
            .sum();
        let secs = (cpu_ns() - c) as f64 / 1e9;
        println!("{mode}: {secs:.2} s CPU, {:.2} MB/s ({n})", mb / secs);
        return;
    }
    let mut rows: Vec<(&str, f64)> = Vec::new();
    let mut stage = |label: &'static str, c0: u64| {
        let secs = (cpu_ns() - c0) as f64 / 1e9;
        rows.push((label, secs));
    };

    let c = cpu_ns();
    let texts: Vec<_> = docs.iter().map(|d| marsad_text::analyze(&d.text)).collect();
    stage("text layer", c);

    let c = cpu_ns();
    let refs: Vec<_> = docs
        .iter()
        .map(|d| marsad_extract::reference_time(d.published.as_deref()))
        .collect();
    let figures: Vec<_> = texts
        .iter()
        .zip(&refs)
        .map(|(t, r)| marsad_figures::extract(t, *r))
        .collect();
    stage("figures and dates", c);

    let c = cpu_ns();
    let rec = marsad_entities::recognize::Recognizer::get();
    let entities: Vec<_> = texts.iter().map(|t| rec.recognize(t)).collect();
    stage("entities (gazetteer + tagger)", c);

    let c = cpu_ns();
    let attrs: Vec<_> = texts
        .iter()
        .zip(&entities)
        .zip(&docs)
        .map(|((t, e), d)| marsad_entities::attribution::attribute(t, e, d.source.as_deref()))
        .collect();
    stage("attribution", c);

    let c = cpu_ns();
    let mut n = 0usize;
    for i in 0..docs.len() {
        let ctx = marsad_extract::context::Ctx::new(
            &texts[i],
            &figures[i],
            &entities[i],
            &attrs[i],
            refs[i].map(|r| r.date()),
            docs[i].source.as_deref(),
        );
        let mut claims = marsad_extract::claims::extract(&ctx);
        let events = marsad_extract::events::extract(&ctx, &mut claims);
        n += claims.len() + events.len();
    }
    stage("context + claims + events", c);
    drop((texts, figures, entities, attrs));

    let c = cpu_ns();
    let mut total = 0usize;
    for d in &docs {
        let a = marsad_extract::analyze_document(d);
        total += a.claims.len() + a.events.len();
    }
    stage("analyze_document (all of the above)", c);

    let c = cpu_ns();
    let mut out = 0usize;
    for d in &docs {
        out += marsad_extract::document_record_string(d, false).1.len();
    }
    stage("document_record_string", c);

    let full = rows
        .iter()
        .find(|r| r.0.starts_with("analyze_document"))
        .map_or(1.0, |r| r.1);
    for (label, secs) in &rows {
        println!(
            "{label:<38} {secs:>7.2} s CPU {:>8.1} MB/s {:>6.1}% of analyze_document",
            mb / secs.max(1e-9),
            100.0 * secs / full
        );
    }
    println!("({n} claims+events in the staged pass, {total} end to end, {out} bytes of JSON)");
}
