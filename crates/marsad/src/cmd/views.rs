//! Views over the stored collection: `marsad events`, `figures`,
//! `disagreements`, `timeline` and `entities`.
//!
//! Each opens the store read-only. The first four stream every stored
//! analysis into `marsad-insight` digests (so memory holds digests, not
//! texts) and build the cross-document report; `--json` prints the
//! report's own key (`{"events": [...]}`, `{"claims": [...]}`,
//! `{"disagreements": [...]}`, `{"timeline": [...]}`), the same shapes as
//! the whole report. `entities` aggregates the per-document entity rows of
//! the store: one line per entity id with its most frequent name, its
//! mention count and the number of documents naming it.

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
    #[arg(long)]
    limit: Option<usize>,
}

/// Which part of the report a view shows.
#[derive(Clone, Copy)]
pub enum View {
    /// Merged events.
    Events,
    /// Claims (attributed figures).
    Figures,
    /// Contradicting or different-scope figures.
    Disagreements,
    /// Dated events in order.
    Timeline,
}

/// Stored analyses digested per batch, in parallel.
const DIGEST_BATCH: usize = 256;

/// The cross-document report over every stored analysis. Analyses are read
/// in batches, digested in parallel (rayon: the digest re-runs the text
/// layer, the bulk of the work) and handed to the report builder in store
/// order, so memory holds one batch of analyses and the digests, never
/// every analysis. Used by the view commands and by `marsad serve`.
pub fn stored_report(store: &Store) -> anyhow::Result<marsad_insight::Report> {
    use rayon::prelude::*;
    let mut rows = store.all_analyses();
    // The first read error ends the batches; it is returned below.
    let mut failed = None;
    let batches = std::iter::from_fn(|| {
        let mut batch = Vec::with_capacity(DIGEST_BATCH);
        for r in rows.by_ref().take(DIGEST_BATCH) {
            match r {
                Ok(x) => batch.push(x),
                Err(e) => {
                    failed = Some(e);
                    return None;
                }
            }
        }
        (!batch.is_empty()).then_some(batch)
    });
    let report = marsad_insight::build_report_from_digests(batches.flat_map(|batch| {
        batch
            .par_iter()
            .map(|(d, a)| marsad_insight::digest(d, a))
            .collect::<Vec<_>>()
    }));
    match failed {
        Some(e) => Err(e).context("reading stored analyses"),
        None => Ok(report),
    }
}

fn num(v: Option<f64>) -> String {
    match v {
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v}"),
        None => "?".into(),
    }
}

fn range(value: Option<f64>, low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(l), Some(h)) if Some(l) != value || Some(h) != value => {
            format!("{} ({}–{})", num(value), num(Some(l)), num(Some(h)))
        }
        _ => num(value),
    }
}

/// `marsad events|figures|disagreements|timeline`.
pub fn report_view(view: View, args: Args, data: &Path) -> anyhow::Result<ExitCode> {
    let store = open(data)?;
    let mut r = stored_report(&store)?;
    let limit = args.limit.unwrap_or(usize::MAX);
    r.events.truncate(limit);
    r.claims.truncate(limit);
    r.disagreements.truncate(limit);
    r.timeline.truncate(limit);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let v = match view {
            View::Events => serde_json::json!({ "events": r.events }),
            View::Figures => serde_json::json!({ "claims": r.claims }),
            View::Disagreements => serde_json::json!({ "disagreements": r.disagreements }),
            View::Timeline => serde_json::json!({ "timeline": r.timeline }),
        };
        writeln!(out, "{v}")?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    match view {
        View::Events => {
            for e in &r.events {
                writeln!(
                    out,
                    "{}  {} / {}  {}  killed {}  ({} report(s)) [{}]",
                    e.date.as_deref().unwrap_or("????-??-??"),
                    e.event_type,
                    e.sub_type,
                    e.location.as_ref().map(|l| l.name.as_str()).unwrap_or("-"),
                    range(e.fatalities.best, e.fatalities.low, e.fatalities.high),
                    e.reports.len(),
                    e.id
                )?;
            }
        }
        View::Figures => {
            for c in &r.claims {
                writeln!(
                    out,
                    "{}  {} · {} = {}  — {} [{}#{}]",
                    c.doc,
                    c.subject,
                    c.measure,
                    range(c.value, c.low, c.high),
                    c.source,
                    c.doc,
                    c.sentence
                )?;
            }
        }
        View::Disagreements => {
            for d in &r.disagreements {
                writeln!(out, "{} · {} ({})", d.subject, d.measure, d.kind)?;
                for c in &d.claims {
                    writeln!(
                        out,
                        "    {}  — {} [{}#{}]",
                        range(c.value, c.low, c.high),
                        c.source,
                        c.doc,
                        c.sentence
                    )?;
                }
            }
        }
        View::Timeline => {
            for t in &r.timeline {
                writeln!(
                    out,
                    "{}  {}  {}  {}",
                    t.date,
                    t.event_type,
                    t.location.as_deref().unwrap_or("-"),
                    t.text
                )?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn open(data: &Path) -> anyhow::Result<Store> {
    Store::open_read_only(data).with_context(|| format!("opening the workspace {}", data.display()))
}

/// `marsad entities`.
pub fn entities(args: Args, data: &Path) -> anyhow::Result<ExitCode> {
    let store = open(data)?;
    let rows = store
        .entities(args.limit.unwrap_or(usize::MAX))
        .context("reading entities")?;
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
