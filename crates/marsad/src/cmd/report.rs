//! `marsad report`: the whole pipeline over a set of inputs, without a
//! store — read, analyse each article, then look across them (merged
//! events, reconciled figures, disagreements, timeline, story clusters,
//! summaries) and print the report as Markdown, HTML, JSON, ACLED-style CSV
//! or GeoJSON.
//!
//! Memory stays flat in the number of articles: a reader thread streams
//! documents in batches to the analysis, which runs in parallel (rayon);
//! each analysed document is reduced at once to its digest
//! (`marsad_insight::digest`) and handed to a `marsad_insight::ReportBuilder`,
//! which keeps in memory only the small keys the cross-document stages
//! decide on and writes the texts (sentences, claim records, titles,
//! summary candidates) to an unlinked temporary file (in `TMPDIR`, removed
//! by the system when the command ends). The report is then printed item by
//! item, reading each text back from that file, so neither the report nor
//! its rendering is ever whole in memory.
//!
//! Bad inputs are reported on stderr by file (and line) and skipped; the
//! report covers the others and the command exits with status 1 at the end.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::process::ExitCode;

use anyhow::Context;
use askama::Template;
use marsad_insight::export::{fmt_claim_value, fmt_display, fmt_estimate};
use marsad_insight::source::{Error as RenderError, FmtIo, Items};
use marsad_insight::{ByteSpill, ByteStore, Estimate, ReportBuilder, ReportSource};
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

/// An unlinked temporary file: appended to while documents are digested,
/// then read back at random while the report is printed.
pub struct TempStore {
    file: BufWriter<File>,
    len: u64,
}

impl TempStore {
    /// A new, empty store in the temporary directory.
    pub fn new() -> std::io::Result<Self> {
        Ok(TempStore {
            file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            len: 0,
        })
    }
}

impl ByteStore for TempStore {
    type Error = std::io::Error;
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<u64> {
        let at = self.len;
        self.file.write_all(bytes)?;
        self.len += bytes.len() as u64;
        Ok(at)
    }
    fn seal(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        read_exact_at(self.file.get_ref(), offset, buf)
    }
}

#[cfg(unix)]
fn read_exact_at(f: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(f: &File, mut offset: u64, mut buf: &mut [u8]) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(f, buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The spill `marsad report` uses.
pub type FileSpill = ByteSpill<TempStore>;

/// Read, analyse and digest every input into a report builder whose texts
/// go to a temporary file; returns the builder and the number of per-input
/// errors (already reported on stderr).
pub fn digest_inputs(
    paths: &[std::path::PathBuf],
    opts: &marsad_ingest::Options,
) -> anyhow::Result<(ReportBuilder<FileSpill>, usize)> {
    let store = TempStore::new().context("creating the report's temporary file")?;
    let builder = ReportBuilder::new(ByteSpill::new(store));
    let (errors, pushed) = std::thread::scope(|s| {
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
        // The builder takes each batch's digests on its own thread, while
        // the next batch is analysed: its work (interning, writing the
        // temporary file) is serial, and would otherwise leave the other
        // core idle between batches.
        let (dtx, drx) = std::sync::mpsc::sync_channel::<Vec<marsad_insight::DocDigest>>(1);
        let pusher = s.spawn(move || {
            let mut builder = builder;
            for ds in drx {
                // Dropping the receiver on failure stops the analysis.
                ds.into_iter().try_for_each(|d| builder.push(d))?;
            }
            Ok::<_, marsad_insight::spill::ByteSpillError<std::io::Error>>(builder)
        });
        for batch in rx {
            let ds: Vec<marsad_insight::DocDigest> = batch
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
            drop(batch);
            // Dropping the receiver stops the reader.
            if dtx.send(ds).is_err() {
                break;
            }
        }
        drop(dtx);
        let pushed = match pusher.join() {
            Ok(r) => r.context("writing the report's temporary file"),
            Err(_) => Err(anyhow::anyhow!("the report builder thread panicked")),
        };
        (reader.join().unwrap_or(1), pushed)
    });
    Ok((pushed?, errors))
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let opts = marsad_ingest::Options {
        published: args.published.clone(),
        source: args.source.clone(),
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let u0 = Usage::now();
    let (builder, errors) = digest_inputs(&args.paths, &opts)?;
    let t1 = std::time::Instant::now();
    let u1 = Usage::now();
    let n = builder.len();
    let report = builder
        .build()
        .context("reading the report's temporary file")?;
    let t2 = std::time::Instant::now();
    let u2 = Usage::now();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write_report(&report, args.format, &mut out).context("writing the report to stdout")?;
    out.flush().context("writing the report to stdout")?;
    let u3 = Usage::now();
    eprintln!(
        "marsad report: {n} documents read and analysed in {:.1} s{}, cross-document stages {:.1} s{}, output {:.1} s{}",
        (t1 - t0).as_secs_f64(),
        Usage::between(u0, u1),
        (t2 - t1).as_secs_f64(),
        Usage::between(u1, u2),
        t2.elapsed().as_secs_f64(),
        Usage::between(u2, u3),
    );
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// CPU time of the process so far and its peak resident memory, from
/// `/proc/self` (Linux; elsewhere the timing line shows wall time only).
#[derive(Clone, Copy)]
struct Usage {
    cpu: f64,
    peak_mb: f64,
}

impl Usage {
    fn now() -> Option<Usage> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // Fields after the command name (which may hold spaces): utime and
        // stime are the 12th and 13th, in clock ticks (USER_HZ, 100).
        let rest = stat.get(stat.rfind(')')? + 2..)?;
        let mut f = rest.split_whitespace().skip(11);
        let utime: f64 = f.next()?.parse().ok()?;
        let stime: f64 = f.next()?.parse().ok()?;
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let hwm = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: f64 = hwm.split_whitespace().nth(1)?.parse().ok()?;
        Some(Usage {
            cpu: (utime + stime) / 100.0,
            peak_mb: kb / 1024.0,
        })
    }

    /// ` (CPU 12.3 s, peak RSS 180 MB)` for a stage, or nothing.
    fn between(a: Option<Usage>, b: Option<Usage>) -> String {
        match (a, b) {
            (Some(a), Some(b)) => format!(
                " (CPU {:.1} s, peak RSS {:.0} MB)",
                b.cpu - a.cpu,
                b.peak_mb
            ),
            _ => String::new(),
        }
    }
}

/// Print a report in one of the formats, item by item.
pub fn write_report(
    r: &dyn ReportSource,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), RenderError> {
    match format {
        Format::Md => {
            let mut w = FmtIo::new(&mut *out);
            let res = marsad_insight::write_markdown(r, &mut w);
            w.finish(res).map(drop)
        }
        Format::Html => write_html(r, out),
        Format::Json => {
            marsad_insight::write_json(r, &mut *out)?;
            Ok(out.write_all(b"\n")?)
        }
        Format::AcledCsv => {
            let mut w = FmtIo::new(&mut *out);
            let res = marsad_insight::write_acled_csv(r, &mut w);
            w.finish(res).map(drop)
        }
        Format::Geojson => {
            marsad_insight::write_geojson(r, &mut *out)?;
            Ok(out.write_all(b"\n")?)
        }
    }
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

/// A section's items, made one at a time as the template loops over them
/// (the first error ends the loop and is kept for after the rendering).
struct Lazy<'a, T> {
    items: RefCell<Option<Items<'a, T>>>,
    empty: bool,
    error: &'a Cell<Option<RenderError>>,
}

impl<'a, T> Lazy<'a, T> {
    fn new(items: Items<'a, T>, len: usize, error: &'a Cell<Option<RenderError>>) -> Self {
        Lazy {
            items: RefCell::new(Some(items)),
            empty: len == 0,
            error,
        }
    }

    fn is_empty(&self) -> bool {
        self.empty
    }
}

struct LazyIter<'a, T> {
    items: Option<Items<'a, T>>,
    error: &'a Cell<Option<RenderError>>,
}

impl<T> Iterator for LazyIter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        match self.items.as_mut()?.next()? {
            Ok(x) => Some(x),
            Err(e) => {
                self.items = None;
                let first = self.error.take().unwrap_or(e);
                self.error.set(Some(first));
                None
            }
        }
    }
}

impl<'b, 'a: 'b, T> IntoIterator for &'b Lazy<'a, T> {
    type Item = T;
    type IntoIter = LazyIter<'b, T>;
    fn into_iter(self) -> LazyIter<'b, T> {
        LazyIter {
            items: self.items.borrow_mut().take(),
            error: self.error,
        }
    }
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    documents: usize,
    events_n: usize,
    claims_n: usize,
    disagreements_n: usize,
    clusters_n: usize,
    summary: Vec<SummaryView>,
    timeline: Lazy<'a, TimelineView>,
    events: Lazy<'a, EventView>,
    figures: Lazy<'a, FigureView>,
    disagreements: Lazy<'a, DisagreementView>,
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

fn claim_view(c: &marsad_insight::DisagreementClaim) -> ClaimView {
    ClaimView {
        value: fmt_claim_value(c.value, c.low, c.high, c.approx, c.bound),
        source: or_dash(&c.source),
        text: c.text.clone(),
        doc: format!("{}#{}", c.doc, c.sentence),
        scope: c.scope.join("، "),
    }
}

fn page<'a>(
    r: &'a dyn ReportSource,
    error: &'a Cell<Option<RenderError>>,
) -> Result<Page<'a>, RenderError> {
    let mut summary = Vec::new();
    for s in r.summary() {
        let s = s?;
        let Some(c) = r.cluster(s.cluster)? else {
            continue;
        };
        summary.push(SummaryView {
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
        });
    }
    let n = r.counts();
    let timeline = r.timeline().map(|t| {
        t.map(|t| TimelineView {
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
    });
    let events = r.events().enumerate().map(|(i, e)| {
        e.map(|e| {
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
    });
    let title = |subject: &str, measure: &str, scope: &[String]| {
        format!(
            "{} — {}{}",
            subject,
            marsad_insight::countries::measure_label(measure),
            if scope.is_empty() {
                String::new()
            } else {
                format!(" ({})", scope.join("، "))
            }
        )
    };
    let figures = r.figure_groups().map(move |g| {
        g.map(|g| FigureView {
            title: title(&g.subject, &g.measure, &g.scope),
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
    });
    let disagreements = r.disagreements().map(move |d| {
        d.map(|d| DisagreementView {
            title: title(&d.subject, &d.measure, &d.scope),
            contradiction: d.kind == "contradiction",
            reconciled: d.reconciled.as_ref().map(fmt_estimate).unwrap_or_default(),
            claims: d.claims.iter().map(claim_view).collect(),
        })
    });
    Ok(Page {
        documents: n.documents,
        events_n: n.events,
        claims_n: n.claims,
        disagreements_n: n.disagreements,
        clusters_n: n.clusters,
        summary,
        timeline: Lazy::new(Box::new(timeline), n.timeline, error),
        events: Lazy::new(Box::new(events), n.events, error),
        // Figure groups are counted only by going through them; the
        // template does not ask whether there are any.
        figures: Lazy::new(Box::new(figures), 1, error),
        disagreements: Lazy::new(Box::new(disagreements), n.disagreements, error),
    })
}

/// Write the report as one self-contained right-to-left HTML page, section
/// by section, item by item.
pub fn write_html(r: &dyn ReportSource, out: &mut dyn Write) -> Result<(), RenderError> {
    let error = Cell::new(None);
    let written = page(r, &error)?.write_into(out);
    if let Some(e) = error.take() {
        return Err(e);
    }
    Ok(written?)
}

/// The report as one self-contained right-to-left HTML page.
#[cfg(test)]
pub fn render_html(r: &dyn ReportSource) -> anyhow::Result<String> {
    let mut out = Vec::new();
    write_html(r, &mut out).context("rendering the HTML report")?;
    String::from_utf8(out).context("rendering the HTML report")
}

#[cfg(test)]
mod tests {
    use super::*;
    use marsad_extract::{DocAnalysis, Event, EventLocation, EventStatus, SourceRef};

    fn small_report() -> marsad_insight::Report {
        let (doc, a) = small_input();
        marsad_insight::build_report(&[(doc, a)])
    }

    fn small_input() -> (marsad_ingest::Document, DocAnalysis) {
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
        (doc, a)
    }

    #[test]
    fn temp_store_reads_back_what_it_wrote() {
        let mut t = TempStore::new().unwrap();
        let a = t.append("أول".as_bytes()).unwrap();
        let b = t.append(b"second").unwrap();
        t.seal().unwrap();
        let mut buf = vec![0; 6];
        t.read_at(b, &mut buf).unwrap();
        assert_eq!(buf, b"second");
        let mut buf = vec![0; "أول".len()];
        t.read_at(a, &mut buf).unwrap();
        assert_eq!(buf, "أول".as_bytes());
        let mut past = vec![0; 4];
        assert!(t.read_at(b + 3, &mut past).is_err());
    }

    #[test]
    fn spilled_to_a_file_prints_what_the_in_memory_report_prints() {
        let mem = small_report();
        let (doc, a) = small_input();
        let mut b = ReportBuilder::new(ByteSpill::new(TempStore::new().unwrap()));
        b.push(marsad_insight::digest(&doc, &a)).unwrap();
        let spilled = b.build().unwrap();
        for f in [
            Format::Md,
            Format::Html,
            Format::Json,
            Format::AcledCsv,
            Format::Geojson,
        ] {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            write_report(&spilled, f, &mut x).unwrap();
            write_report(&mem, f, &mut y).unwrap();
            assert_eq!(x, y, "{f:?}");
            assert!(!x.is_empty());
        }
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
