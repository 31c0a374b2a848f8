//! `marsad ingest`: read articles, analyse them, and store them in the
//! workspace (SQLite + search index).
//!
//! Pipeline: a reader thread reads inputs through `marsad-ingest`; the main
//! thread skips documents the store already has with the same content
//! hash; pending documents are analysed in parallel (rayon) in chunks of
//! 256 and prepared for the store from the same text-layer analysis (hash,
//! counts, compressed blobs: the writer gets ready values); one writer
//! thread writes each chunk as it arrives and commits every `--batch`
//! documents (SQLite and index together, see `marsad-store`), so analysis
//! of the next chunk overlaps the write of the previous one.
//!
//! Commits are few on purpose: each one closes a tantivy segment, and
//! segments are built, then merged, at a cost per segment. On the
//! 31k-article ANT corpus (2 cores, a noisy shared host, runs interleaved
//! on 2026-12-04), committing every 1,000 documents took a median 44.3
//! CPU-s and 23.4 s wall (8 runs, best 22.0 s) and every 4,000 a median
//! 41.2 CPU-s and 21.9 s (18 runs, best 18.9 s), with peak RSS 375–410 MB
//! instead of 450–465.

use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use marsad_ingest::Document;
use marsad_store::{BatchStats, Prepared, Store, WriteProgress};
use rayon::prelude::*;

/// Arguments of `marsad ingest`.
#[derive(clap::Args)]
pub struct Args {
    /// Files, directories, or `-` for stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Publication date for inputs that have none (ISO 8601).
    #[arg(long)]
    published: Option<String>,
    /// Source (outlet) for inputs that have none.
    #[arg(long)]
    source: Option<String>,
    /// Documents per committed batch (SQLite and index commit together).
    /// Fewer, larger commits mean fewer index segments to merge; a kill
    /// loses at most the batch being written.
    #[arg(long, default_value_t = 4000, value_parser = clap::value_parser!(u32).range(1..))]
    batch: u32,
    /// Re-analyse and rewrite documents even when their content is unchanged.
    #[arg(long)]
    force: bool,
    /// Print a line on stderr after every committed batch.
    #[arg(short, long)]
    verbose: bool,
}

/// Documents analysed together in parallel and handed to the writer as
/// one chunk; the writer writes each chunk at once and commits every
/// `--batch` documents, so analysis and writing overlap in small steps.
const CHUNK: usize = 256;

/// The analysis of one document by the extraction pipeline, prepared for
/// the store from the same text-layer analysis (tokenized once), or `None`
/// when the pipeline panicked on it (a bug: the document is reported by
/// name, left out of the store so a later run retries it, and the batch
/// goes on).
fn analyze(doc: Document) -> Result<Prepared, String> {
    let analysed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let text = marsad_text::analyze(&doc.text);
        let a =
            marsad_extract::analyze_text(&text, doc.published.as_deref(), doc.source.as_deref());
        (text.analysis, a)
    }));
    match analysed {
        Ok((text, a)) => marsad_store::prepare_analyzed(doc, &text, a)
            .map_err(|e| format!("preparing a document: {e}")),
        Err(_) => Err(format!(
            "{}: analysis failed (internal error); not stored",
            doc.origin
        )),
    }
}

/// Run the command.
pub fn run(args: Args, data: &Path) -> anyhow::Result<ExitCode> {
    let store =
        Store::open(data).with_context(|| format!("opening the workspace {}", data.display()))?;
    let repair = store.repair();
    if repair.upgraded {
        eprintln!(
            "marsad: upgraded the workspace from an older marsad: {} document(s) re-indexed",
            repair.reindexed
        );
    } else if repair.rebuilt || repair.reindexed > 0 {
        eprintln!(
            "marsad: repaired an interrupted ingest: {} document(s) re-indexed{}",
            repair.reindexed,
            if repair.rebuilt {
                " (index rebuilt)"
            } else {
                ""
            }
        );
    }
    let opts = marsad_ingest::Options {
        published: args.published.clone(),
        source: args.source.clone(),
        ..marsad_ingest::Options::default()
    };
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new_spinner();
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {pos} documents  {per_sec}  {elapsed}  {msg}")
        {
            b.set_style(style);
        }
        b.enable_steady_tick(Duration::from_millis(200));
        b
    } else {
        ProgressBar::hidden()
    };
    let start = Instant::now();
    let batch_size = args.batch as usize;
    let chunk = batch_size.min(CHUNK);
    let force = args.force;
    let verbose = args.verbose;
    let mut errors = 0u64;
    let mut skipped = BatchStats::default();
    let mut bytes = 0u64;

    // Analysed chunks waiting for the writer: enough that analysis never
    // waits while the writer commits, few enough to bound memory.
    let (tx, rx) = sync_channel::<Vec<Prepared>>(4);
    let written = std::thread::scope(|scope| -> anyhow::Result<BatchStats> {
        let store = &store;
        let bar = &bar;
        let writer = scope.spawn(move || -> anyhow::Result<BatchStats> {
            store
                .ingest_chunks(rx, force, batch_size, |p| match p {
                    WriteProgress::Written(n) => bar.inc(n as u64),
                    WriteProgress::Committed { docs, total } if verbose => {
                        let secs = start.elapsed().as_secs_f64().max(1e-9);
                        bar.suspend(|| {
                            eprintln!(
                                "marsad: committed {docs} documents ({} added, {} updated in total; {:.0} docs/s)",
                                total.added,
                                total.updated,
                                (total.added + total.updated + total.unchanged) as f64 / secs
                            )
                        });
                    }
                    WriteProgress::Committed { .. } => {}
                })
                .with_context(|| format!("writing a batch to the workspace {}", data.display()))
        });

        let mut pending: Vec<Document> = Vec::with_capacity(chunk);
        let mut writer_gone = false;
        let mut failed = 0u64;
        let mut flush = |pending: &mut Vec<Document>| -> bool {
            let docs = std::mem::take(pending);
            let results: Vec<Result<Prepared, String>> =
                docs.into_par_iter().map(analyze).collect();
            let mut ok = Vec::with_capacity(results.len());
            for r in results {
                match r {
                    Ok(p) => ok.push(p),
                    Err(e) => {
                        failed += 1;
                        bar.suspend(|| eprintln!("marsad: {e}"));
                    }
                }
            }
            ok.is_empty() || tx.send(ok).is_ok()
        };
        // Reading (decompression, decoding, cleaning, duplicate flags) runs
        // in its own thread, so it overlaps analysis and writing.
        let (doc_tx, doc_rx) = sync_channel::<Result<Document, marsad_ingest::IngestError>>(512);
        let paths = &args.paths;
        let opts = &opts;
        scope.spawn(move || {
            marsad_ingest::read_inputs(paths, opts, &mut |r| {
                if doc_tx.send(r).is_ok() {
                    ControlFlow::Continue(())
                } else {
                    ControlFlow::Break(())
                }
            });
        });
        let mut read_error: Option<anyhow::Error> = None;
        for r in doc_rx {
            match r {
                Ok(doc) => {
                    bytes += doc.text.len() as u64;
                    let hash = marsad_store::content_hash(&doc);
                    match store.needs(&doc.id, &hash) {
                        Ok(true) => pending.push(doc),
                        Ok(false) if force => pending.push(doc),
                        Ok(false) => {
                            skipped.unchanged += 1;
                            bar.inc(1);
                        }
                        Err(e) => {
                            read_error = Some(
                                anyhow::Error::new(e)
                                    .context(format!("reading the workspace {}", data.display())),
                            );
                            break;
                        }
                    }
                    if pending.len() >= chunk && !flush(&mut pending) {
                        writer_gone = true;
                        break;
                    }
                }
                Err(e) => {
                    errors += 1;
                    bar.suspend(|| eprintln!("marsad: {e}"));
                }
            }
        }
        if !writer_gone && read_error.is_none() && !pending.is_empty() {
            flush(&mut pending);
        }
        errors += failed;
        drop(tx);
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the writer thread panicked"))??;
        if let Some(e) = read_error {
            return Err(e);
        }
        Ok(written)
    })?;
    bar.finish_and_clear();
    let mut total = written;
    total += skipped;
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let docs = total.added + total.updated + total.unchanged;
    eprintln!(
        "marsad: ingest: {} added, {} updated, {} unchanged, {} errors ({:.0} docs/s, {:.2} MB/s)",
        total.added,
        total.updated,
        total.unchanged,
        errors,
        docs as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
