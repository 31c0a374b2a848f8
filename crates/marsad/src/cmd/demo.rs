//! `marsad demo`: load the demo collection into a temporary workspace and
//! serve it.
//!
//! The demo articles (`demo/*.md`, Markdown with front matter) were
//! written for this project: fictional events in real Sahel places,
//! reported by fictional outlets that deliberately disagree (one attack
//! with 12, 17 and "at least 15" killed; a peacekeeping force of 9,000 or
//! 10,500 troops; 20 or 27 abducted, ...). They are embedded in the
//! binary, read through the normal ingest path (`marsad_ingest::read_bytes`),
//! analysed, and written with `Store::ingest_batch` into a fresh temporary
//! directory that is deleted on exit.

use std::net::SocketAddr;
use std::ops::ControlFlow;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use marsad_ingest::Document;
use marsad_store::Store;

/// The demo articles: (file name, Markdown).
pub const ARTICLES: &[(&str, &str)] = &[
    (
        "01-menaka-sahel-agency.md",
        include_str!("../../demo/01-menaka-sahel-agency.md"),
    ),
    (
        "02-menaka-sahra-today.md",
        include_str!("../../demo/02-menaka-sahra-today.md"),
    ),
    (
        "03-menaka-ofuq.md",
        include_str!("../../demo/03-menaka-ofuq.md"),
    ),
    (
        "04-force-difaf.md",
        include_str!("../../demo/04-force-difaf.md"),
    ),
    (
        "05-gao-kidal-sahel-agency.md",
        include_str!("../../demo/05-gao-kidal-sahel-agency.md"),
    ),
    (
        "06-kidal-marsad-afriqi.md",
        include_str!("../../demo/06-kidal-marsad-afriqi.md"),
    ),
    (
        "07-djibo-ofuq.md",
        include_str!("../../demo/07-djibo-ofuq.md"),
    ),
    (
        "08-djibo-tillaberi-sahra-today.md",
        include_str!("../../demo/08-djibo-tillaberi-sahra-today.md"),
    ),
    (
        "09-bamako-protest-difaf.md",
        include_str!("../../demo/09-bamako-protest-difaf.md"),
    ),
];

/// Arguments of `marsad demo`.
#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Load the collection, print a summary, and exit without serving.
    #[arg(long)]
    no_serve: bool,
}

/// Read the embedded articles through the ingest readers.
pub fn documents() -> anyhow::Result<Vec<Document>> {
    let opts = marsad_ingest::Options::default();
    let mut docs = Vec::new();
    for (name, text) in ARTICLES {
        let mut err = None;
        marsad_ingest::read_bytes(name, text.as_bytes(), &opts, &mut |r| {
            match r {
                Ok(d) => docs.push(d),
                Err(e) => err = Some(e.to_string()),
            }
            ControlFlow::Continue(())
        });
        if let Some(e) = err {
            anyhow::bail!("demo article {name}: {e}");
        }
    }
    Ok(docs)
}

/// Analyse the demo articles and write them into the store at `dir`.
pub fn load(dir: &std::path::Path) -> anyhow::Result<Store> {
    let store = Store::open(dir).with_context(|| format!("opening {}", dir.display()))?;
    let batch: Vec<_> = documents()?
        .into_iter()
        .map(|d| {
            let a = marsad_extract::analyze_document(&d);
            (d, a)
        })
        .collect();
    store
        .ingest_batch(batch)
        .context("writing the demo collection")?;
    Ok(store)
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let tmp = tempfile::Builder::new()
        .prefix("marsad-demo-")
        .tempdir()
        .context("creating a temporary workspace")?;
    let store = load(tmp.path())?;
    let c = store.counts().context("counting the demo collection")?;
    eprintln!(
        "marsad demo: {} documents, {} mentions, {} entities, {} claims, {} events in {}",
        c.documents,
        c.mentions,
        c.entities,
        c.claims,
        c.events,
        tmp.path().display()
    );
    if args.no_serve {
        let views = crate::server::build_views(&store)?;
        println!(
            "{}",
            serde_json::json!({
                "documents": c.documents,
                "events": views.report.events.len(),
                "claims": views.report.claims.len(),
                "disagreements": views.report.disagreements.len(),
                "timeline": views.report.timeline.len(),
                "entities": views.entities.len(),
            })
        );
        return Ok(ExitCode::SUCCESS);
    }
    super::serve::serve_store(
        Arc::new(store),
        args.addr,
        "demo",
        super::serve::Views::First,
    )?;
    drop(tmp);
    Ok(ExitCode::SUCCESS)
}
