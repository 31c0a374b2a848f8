//! `marsad report`: the whole pipeline over a set of inputs, without a
//! store — read, analyse each article, then look across them (merged
//! events, reconciled figures, disagreements, timeline, story clusters,
//! summaries) and print the report as Markdown, HTML, JSON, ACLED-style CSV
//! or GeoJSON.
//!
//! Memory: a reader thread streams documents in batches to the analysis,
//! which runs in parallel (rayon); each analysed document is reduced at once
//! to its digest (`marsad_insight::digest`: events, claims, a capped term
//! vector and a few summary candidates) and its text and tokens are
//! dropped. The cross-document stages need every digest, so memory grows
//! with the number of events and claims, not with the corpus' text.
//!
//! Bad inputs are reported on stderr by file (and line) and skipped; the
//! report covers the others and the command exits with status 1 at the end.

use std::io::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;

use anyhow::Context;
use askama::Template;
use marsad_insight::export::{figure_groups, fmt_claim_value, fmt_display, fmt_estimate};
use marsad_insight::{DocDigest, Estimate, Report};
use rayon::prelude::*;

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown (Arabic, right-to-left friendly).
    Md,
    /// One self-contained right-to-left HTML page.
    Html,
    /// The report as JSON.
    Json,
    /// ACLED-style CSV of the merged events.
    AcledCsv,
    /// GeoJSON FeatureCollection of the located events.
    Geojson,
}

/// Arguments of `marsad report`.
#[derive(clap::Args)]
pub struct Args {
    /// Files, directories, or `-` for stdin (txt, md, html, jsonl, jsonl.gz).
    #[arg(required = true)]
    paths: Vec<std::path::PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    format: Format,
    /// Publication date for inputs that have none (ISO 8601, e.g. 2024-09-17).
    #[arg(long)]
    published: Option<String>,
    /// Source (outlet) for inputs that have none.
    #[arg(long)]
    source: Option<String>,
}

const BATCH: usize = 256;

/// Read, analyse and digest every input; returns the digests and the
/// number of per-input errors (already reported on stderr).
pub fn digest_inputs(
    paths: &[std::path::PathBuf],
    opts: &marsad_ingest::Options,
) -> (Vec<DocDigest>, usize) {
    let mut digests: Vec<DocDigest> = Vec::new();
    let errors = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<marsad_ingest::Document>>(2);
        let reader = s.spawn(move || {
            let mut errors = 0usize;
            let mut batch = Vec::with_capacity(BATCH);
            marsad_ingest::read_inputs(paths, opts, &mut |r| {
                match r {
                    Ok(d) => {
                        batch.push(d);
                        if batch.len() >= BATCH && tx.send(std::mem::take(&mut batch)).is_err() {
                            return ControlFlow::Break(());
                        }
                    }
                    Err(e) => {
                        eprintln!("marsad report: {e}");
                        errors += 1;
                    }
                }
                ControlFlow::Continue(())
            });
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            errors
        });
        for batch in rx {
            let ds: Vec<DocDigest> = batch
                .par_iter()
                .map(|d| {
                    let text = marsad_text::analyze(&d.text);
                    let a = marsad_extract::analyze_text(
                        &text,
                        d.published.as_deref(),
                        d.source.as_deref(),
                    );
                    marsad_insight::digest_analyzed(d, &text.analysis, &a)
                })
                .collect();
            digests.extend(ds);
        }
        reader.join().unwrap_or(1)
    });
    (digests, errors)
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let opts = marsad_ingest::Options {
        published: args.published.clone(),
        source: args.source.clone(),
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let (digests, errors) = digest_inputs(&args.paths, &opts);
    let t1 = std::time::Instant::now();
    let n = digests.len();
    let report = marsad_insight::build_report_from_digests(digests);
    let t2 = std::time::Instant::now();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Md => out.write_all(marsad_insight::markdown(&report).as_bytes()),
        Format::Html => out.write_all(render_html(&report)?.as_bytes()),
        Format::Json => serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::other)
            .and_then(|_| out.write_all(b"\n")),
        Format::AcledCsv => out.write_all(marsad_insight::acled_csv(&report).as_bytes()),
        Format::Geojson => {
            serde_json::to_writer_pretty(&mut out, &marsad_insight::geojson(&report))
                .map_err(std::io::Error::other)
                .and_then(|_| out.write_all(b"\n"))
        }
    }
    .context("writing the report to stdout")?;
    out.flush().context("writing the report to stdout")?;
    eprintln!(
        "marsad report: {n} documents read and analysed in {:.1} s, cross-document stages {:.1} s, output {:.1} s",
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        t2.elapsed().as_secs_f64()
    );
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

// ---- HTML page ----

struct SummaryView {
    title: String,
    docs: usize,
    sentences: Vec<(String, String)>,
}

struct TimelineView {
    date: String,
    precision: &'static str,
    what: String,
    place: String,
    background: bool,
    text: String,
    reports: String,
}

struct ReportView {
    text: String,
    source: String,
    doc: String,
}

struct EventView {
    n: usize,
    id: String,
    what: String,
    date: String,
    place: String,
    coords: String,
    actors: String,
    background: bool,
    fatalities: String,
    conservative: String,
    injured: String,
    reports: Vec<ReportView>,
}

struct ClaimView {
    value: String,
    source: String,
    text: String,
    doc: String,
    scope: String,
}

struct FigureView {
    title: String,
    reconciled: String,
    claims: Vec<ClaimView>,
}

struct DisagreementView {
    title: String,
    contradiction: bool,
    reconciled: String,
    claims: Vec<ClaimView>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page {
    documents: usize,
    events_n: usize,
    claims_n: usize,
    disagreements_n: usize,
    clusters_n: usize,
    summary: Vec<SummaryView>,
    timeline: Vec<TimelineView>,
    events: Vec<EventView>,
    figures: Vec<FigureView>,
    disagreements: Vec<DisagreementView>,
}

fn precision_label(p: Option<u8>) -> &'static str {
    match p {
        Some(1) => "يوم",
        Some(2) => "أسبوع",
        Some(_) => "شهر أو أعم",
        None => "—",
    }
}

fn est(e: &Estimate) -> String {
    if e.is_empty() {
        String::new()
    } else {
        fmt_estimate(e)
    }
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "—".into()
    } else {
        s.to_string()
    }
}

fn page(r: &Report) -> Page {
    let summary = r
        .summary
        .iter()
        .filter_map(|s| {
            let c = r.clusters.get(s.cluster)?;
            Some(SummaryView {
                title: c
                    .label
                    .clone()
                    .unwrap_or_else(|| format!("القصة {}", c.id + 1)),
                docs: c.docs.len(),
                sentences: s
                    .sentences
                    .iter()
                    .map(|p| (p.text.clone(), format!("{}#{}", p.doc, p.sentence)))
                    .collect(),
            })
        })
        .collect();
    let timeline = r
        .timeline
        .iter()
        .map(|t| TimelineView {
            date: t.date.clone(),
            precision: precision_label(t.time_precision),
            what: format!("{} / {}", t.event_type, t.sub_type),
            place: t.location.clone().unwrap_or_else(|| "—".into()),
            background: t.status == "background",
            text: t.text.clone(),
            reports: t
                .reports
                .iter()
                .map(|l| format!("{}#{}", l.doc, l.sentence))
                .collect::<Vec<_>>()
                .join("، "),
        })
        .collect();
    let events = r
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let l = e.location.as_ref();
            EventView {
                n: i + 1,
                id: e.id.clone(),
                what: format!("{} / {}", e.event_type, e.sub_type),
                date: e.date.clone().unwrap_or_else(|| "—".into()),
                place: l.map(|l| l.name.clone()).unwrap_or_else(|| "—".into()),
                coords: match l.and_then(|l| Some((l.lat?, l.lon?))) {
                    Some((a, b)) => format!("{a:.3}، {b:.3}"),
                    None => String::new(),
                },
                actors: [e.actor1.as_deref(), e.actor2.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ← → "),
                background: e.status == "background",
                fatalities: est(&e.fatalities),
                conservative: e
                    .fatalities
                    .conservative
                    .map(fmt_display)
                    .unwrap_or_default(),
                injured: est(&e.injured),
                reports: e
                    .reports
                    .iter()
                    .map(|p| ReportView {
                        text: p.text.clone(),
                        source: or_dash(&p.source),
                        doc: format!("{}#{}", p.doc, p.sentence),
                    })
                    .collect(),
            }
        })
        .collect();
    let figures = figure_groups(r)
        .into_iter()
        .map(|g| FigureView {
            title: format!(
                "{} — {}{}",
                g.subject,
                marsad_insight::countries::measure_label(&g.measure),
                if g.scope.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", g.scope.join("، "))
                }
            ),
            reconciled: if g.claims.len() > 1 {
                fmt_estimate(&g.estimate)
            } else {
                String::new()
            },
            claims: g
                .claims
                .iter()
                .map(|c| ClaimView {
                    value: fmt_claim_value(c.value, c.low, c.high, c.approx, c.bound),
                    source: or_dash(&c.source),
                    text: c.text.clone(),
                    doc: format!("{}#{}", c.doc, c.sentence),
                    scope: c.scope.join("، "),
                })
                .collect(),
        })
        .collect();
    let disagreements = r
        .disagreements
        .iter()
        .map(|d| DisagreementView {
            title: format!(
                "{} — {}{}",
                d.subject,
                marsad_insight::countries::measure_label(&d.measure),
                if d.scope.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", d.scope.join("، "))
                }
            ),
            contradiction: d.kind == "contradiction",
            reconciled: d.reconciled.as_ref().map(fmt_estimate).unwrap_or_default(),
            claims: d
                .claims
                .iter()
                .map(|c| ClaimView {
                    value: fmt_claim_value(c.value, c.low, c.high, c.approx, c.bound),
                    source: or_dash(&c.source),
                    text: c.text.clone(),
                    doc: format!("{}#{}", c.doc, c.sentence),
                    scope: c.scope.join("، "),
                })
                .collect(),
        })
        .collect();
    Page {
        documents: r.documents.len(),
        events_n: r.events.len(),
        claims_n: r.claims.len(),
        disagreements_n: r.disagreements.len(),
        clusters_n: r.clusters.len(),
        summary,
        timeline,
        events,
        figures,
        disagreements,
    }
}

/// The report as one self-contained right-to-left HTML page.
pub fn render_html(r: &Report) -> anyhow::Result<String> {
    page(r).render().context("rendering the HTML report")
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_extract::{DocAnalysis, Event, EventLocation, EventStatus, SourceRef};

    fn small_report() -> Report {
        let text = "هاجم مسلحون مدرسة الدرك في باماكو فجر الثلاثاء. وقتل 12 شخصا.";
        let doc = marsad_ingest::Document {
            id: "d1".into(),
            title: Some("هجوم <باماكو>".into()),
            text: text.into(),
            ..Default::default()
        };
        let mut a = DocAnalysis::default();
        a.events.push(Event {
            event_type: "Battles".into(),
            sub_event_type: "Armed clash".into(),
            disorder_type: "Political violence".into(),
            start: 0,
            end: 6,
            trigger: "هاجم".into(),
            sentence: 0,
            status: EventStatus::Reported,
            date: None,
            location: Some(EventLocation {
                name: "باماكو".into(),
                id: None,
                place: None,
            }),
            actor1: Some("مسلحون".into()),
            actor2: None,
            fatalities: None,
            injured: None,
            arrested: None,
            source: SourceRef {
                text: "وكالة".into(),
                source_type: "agency".into(),
                id: None,
                stance: "states".into(),
            },
        });
        marsad_insight::build_report(&[(doc, a)])
    }

    #[test]
    fn html_is_one_self_contained_rtl_page() {
        let html = render_html(&small_report()).unwrap();
        assert!(html.contains(r#"<html dir="rtl" lang="ar">"#));
        for external in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!html.contains(external), "external resource: {external}");
        }
        // Text from the articles is escaped.
        assert!(!html.contains("<باماكو>"));
        for section in [
            "الملخص",
            "الخط الزمني",
            "الأحداث",
            "الأرقام ومصادرها",
            "الخلافات",
        ] {
            assert!(html.contains(section), "{section}");
        }
        assert!(html.contains("هاجم مسلحون مدرسة الدرك"));
    }
}
