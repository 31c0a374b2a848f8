//! Views over the stored collection: `marsad entities` (and the
//! cross-document views built by `marsad-insight`).
//!
//! Each opens the store read-only. `entities` aggregates the per-document
//! entity rows of the store: one line per entity id with its most frequent
//! name, its mention count and the number of documents naming it.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use marsad_store::Store;

/// Arguments shared by the view commands.
#[derive(clap::Args)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// At most this many rows.
    #[arg(long, default_value_t = 100)]
    limit: usize,
}

fn open(data: &Path) -> anyhow::Result<Store> {
    Store::open_read_only(data).with_context(|| format!("opening the workspace {}", data.display()))
}

/// `marsad entities`.
pub fn entities(args: Args, data: &Path) -> anyhow::Result<ExitCode> {
    let store = open(data)?;
    let rows = store.entities(args.limit).context("reading entities")?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        writeln!(out, "{}", serde_json::json!({ "entities": rows }))?;
    } else {
        for e in &rows {
            writeln!(
                out,
                "{:<6} {}  [{}]  {} document(s), {} mention(s)",
                e.etype, e.name, e.id, e.documents, e.mentions
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
