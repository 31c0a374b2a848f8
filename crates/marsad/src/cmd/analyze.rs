//! `marsad analyze`: one JSON object per document (JSON Lines), in input
//! order, streaming: documents are read, analysed in parallel in small
//! batches, printed and dropped, so memory stays flat on any corpus size.
//!
//! Bad inputs (binary files, undecodable text, malformed JSONL lines) are
//! reported on stderr by file (and line) and skipped; the other inputs are
//! still printed and the command exits with status 1 at the end.

use std::io::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;

use crate::cmd::progress::Progress;

/// Arguments of `marsad analyze`.
#[derive(clap::Args)]
pub struct Args {
    /// Files, directories, or `-` for stdin (txt, md, html, jsonl, jsonl.gz).
    #[arg(required = true)]
    paths: Vec<std::path::PathBuf>,
    /// Publication date for inputs that have none (ISO 8601, e.g. 2024-09-17).
    #[arg(long)]
    published: Option<String>,
    /// Source (outlet) for inputs that have none.
    #[arg(long)]
    source: Option<String>,
    /// Include every token (start, end, text, norm, stem, proclitics, enclitics).
    #[arg(long)]
    tokens: bool,
}

const BATCH: usize = 64;

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let opts = marsad_ingest::Options {
        published: args.published.clone(),
        source: args.source.clone(),
        ..Default::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut errors = 0usize;
    let mut batch: Vec<marsad_ingest::Document> = Vec::with_capacity(BATCH);
    let mut progress = Progress::new("analysing");
    let mut write_err: Option<anyhow::Error> = None;
    let tokens = args.tokens;
    let flush =
        |batch: &mut Vec<marsad_ingest::Document>, out: &mut dyn Write| -> anyhow::Result<()> {
            let records: Vec<String> = batch
                .par_iter()
                .map(|d| marsad_extract::document_record_string(d, tokens).1)
                .collect();
            for r in records {
                writeln!(out, "{r}").context("writing to stdout")?;
            }
            batch.clear();
            Ok(())
        };
    marsad_ingest::read_inputs(&args.paths, &opts, &mut |item| {
        match item {
            Ok(doc) => {
                progress.inc(doc.text.len());
                batch.push(doc);
                if batch.len() >= BATCH
                    && let Err(e) = flush(&mut batch, &mut out)
                {
                    write_err = Some(e);
                    return ControlFlow::Break(());
                }
            }
            Err(e) => {
                errors += 1;
                progress.println(&format!("marsad: {e}"));
            }
        }
        ControlFlow::Continue(())
    });
    if let Some(e) = write_err {
        return Err(e);
    }
    flush(&mut batch, &mut out)?;
    out.flush().context("writing to stdout")?;
    progress.finish();
    if errors > 0 {
        eprintln!("marsad: {errors} input(s) could not be read (see above)");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
