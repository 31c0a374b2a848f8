//! # marsad-insight: what a pile of reports says together
//!
//! The per-document stages (`marsad-extract`) find, in each article, the
//! events it reports and every figure it gives as an attributed claim. This
//! crate looks **across** articles and builds the [`Report`] an analyst
//! reads:
//!
//! - [`merge`]: event mentions from several articles that describe the same
//!   event (same ACLED event type, compatible date and place, overlapping
//!   actors) become one [`MergedEvent`] listing all its reports;
//! - [`reconcile`]: the figures those reports give are reconciled UCDP-style
//!   (`low`, `best`, `high`, with their sources) and ACLED's conservative
//!   fatality count is derived;
//! - [`disagree`]: claims about the same subject and measure whose ranges
//!   cannot both be true are shown side by side ([`range`] says when two
//!   figures agree); claims that differ only because they count different
//!   things (different scopes) are shown as such;
//! - the timeline: dated merged events in date order;
//! - [`cluster`]: story clusters (near-duplicates together, then documents
//!   sharing entities and terms, TF-IDF cosine over an inverted index);
//! - [`summary`]: an extractive multi-document summary of each cluster with
//!   Arabic-aware redundancy removal;
//! - [`export`]: ACLED-style CSV, GeoJSON and Markdown renderings.
//!
//! ## Two ways in
//!
//! [`build_report`] takes documents with their analyses and returns the
//! whole [`Report`] in memory (the store-backed views, the tests). For large
//! inputs (the 31k-article corpus), turn each document into a [`DocDigest`]
//! as soon as it is analysed ([`digest()`] drops the text and token-level
//! data) and push it into a [`ReportBuilder`] ([`build`]): it keeps in memory
//! only the keys the cross-document stages decide on and hands the texts to
//! a [`Spill`] ([`spill`]; `marsad report` spills to a temporary file).
//! [`ReportBuilder::build`] gives a [`CompactReport`], which the renderings
//! ([`write_json`], [`write_markdown`], [`write_acled_csv`],
//! [`write_geojson`], through [`ReportSource`]) print item by item, so
//! neither the report nor its rendering is ever whole in memory.
//! [`build_report_from_digests`] is the same path with the texts kept in
//! memory.
//!
//! ## Cost
//!
//! Measured with `marsad report` over the 31,525 ANT articles (99.5 MB of
//! JSON Lines) on the 2-core development machine, in CPU seconds (the
//! machine was shared, load average 5–6): the per-document analysis takes
//! 49–53 s, the cross-document stages 1.1–1.2 s and printing the report
//! 1.0–1.4 s (JSON 167 MB, Markdown 75 MB, HTML 92 MB): this crate's work
//! is about 5% of the whole. Memory: see [`build`].
//!
//! This crate does no I/O: all its tables (`data/*.tsv`, `data/*.txt`) are
//! embedded at build time.

pub mod build;
pub mod cluster;
pub mod countries;
pub mod digest;
pub mod disagree;
pub mod export;
pub mod merge;
pub mod range;
pub mod reconcile;
pub mod source;
pub mod spill;
pub mod summary;
mod terms;

use marsad_extract::DocAnalysis;
use marsad_ingest::Document;
use serde::{Deserialize, Serialize};

pub use build::{CompactReport, Counts, ReportBuilder};
pub use digest::{DocDigest, digest, digest_analyzed};
pub use export::{acled_csv, geojson, markdown, write_acled_csv, write_geojson, write_markdown};
pub use range::{Bound, Interval};
pub use reconcile::{Estimate, FigureReport};
pub use source::{ReportSource, write_json};
pub use spill::{ByteSpill, ByteStore, MemSpill, Spill};

/// The cross-document report. Its JSON keys are exactly `documents,
/// events, claims, disagreements, timeline, clusters, summary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The input documents.
    pub documents: Vec<DocumentInfo>,
    /// Merged events.
    pub events: Vec<MergedEvent>,
    /// Every claim of every document.
    pub claims: Vec<ClaimRecord>,
    /// Contradictions and different-scope groups.
    pub disagreements: Vec<Disagreement>,
    /// Dated merged events in date order.
    pub timeline: Vec<TimelineEntry>,
    /// Story clusters.
    pub clusters: Vec<Cluster>,
    /// One extractive summary per cluster (largest clusters first).
    pub summary: Vec<ClusterSummary>,
}

/// What the report keeps of a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// Publication date (ISO 8601).
    pub published: Option<String>,
    /// Id of the first copy, for duplicates.
    pub duplicate_of: Option<String>,
}

impl DocumentInfo {
    /// From an ingested document.
    pub fn from_document(d: &Document) -> Self {
        DocumentInfo {
            id: d.id.clone(),
            title: d.title.clone(),
            source: d.source.clone(),
            url: d.url.clone(),
            published: d.published.clone(),
            duplicate_of: d.duplicate_of.clone(),
        }
    }
}

/// One report of a merged event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventReport {
    /// Document id.
    pub doc: String,
    /// Sentence index in the document.
    pub sentence: usize,
    /// Who reports it (`SourceRef.text`).
    pub source: String,
    /// The sentence.
    pub text: String,
    /// Trigger word as written.
    pub trigger: String,
    /// `reported` or `background`.
    pub status: String,
}

/// Where a merged event happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Name as written in the most precise report.
    pub name: String,
    /// Entity id.
    pub id: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// First-level admin region.
    pub admin1: Option<String>,
    /// ACLED geo precision (1 town, 2 area, 3 region/country).
    pub geo_precision: Option<u8>,
}

/// An event as reported by one or more documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedEvent {
    /// Stable id: hash of the first report (document, sentence, trigger).
    pub id: String,
    /// ACLED event type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// ACLED sub-event type (the most frequent among reports).
    pub sub_type: String,
    /// ACLED disorder type.
    pub disorder_type: String,
    /// Date: ISO prefix of its grain (`2024-09-17`, `2024-09`).
    pub date: Option<String>,
    /// First day of the date's interval (`2024-06-01` for `summer 2024`):
    /// what the timeline sorts on and ACLED's `event_date`.
    pub date_from: Option<String>,
    /// ACLED time precision (1 day, 2 week, 3 month or coarser).
    pub time_precision: Option<u8>,
    /// Place.
    pub location: Option<Location>,
    /// First actor (perpetrator).
    pub actor1: Option<String>,
    /// Second actor (target).
    pub actor2: Option<String>,
    /// Killed.
    pub fatalities: Estimate,
    /// Injured.
    pub injured: Estimate,
    /// Arrested or abducted.
    pub arrested: Estimate,
    /// `reported`, or `background` when every report recalls it as history.
    pub status: String,
    /// Every report.
    pub reports: Vec<EventReport>,
}

/// One claim, as listed in the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimRecord {
    /// Document id.
    pub doc: String,
    /// Sentence index.
    pub sentence: usize,
    /// The sentence.
    pub text: String,
    /// Who says so.
    pub source: String,
    /// Kind of source.
    pub source_type: String,
    /// Stance of the reporting verb.
    pub stance: String,
    /// Whose figure, for display.
    pub subject: String,
    /// Key comparing subjects across documents; `None` = not identifiable
    /// beyond its document (never compared).
    pub subject_id: Option<String>,
    /// What is measured.
    pub measure: String,
    /// Scope qualifiers.
    pub scope: Vec<String>,
    /// The qualifiers that change what is counted, normalized; claims
    /// contradict each other only when these are equal.
    pub scope_key: String,
    /// Best value.
    pub value: Option<f64>,
    /// Lower bound.
    pub low: Option<f64>,
    /// Upper bound.
    pub high: Option<f64>,
    /// Approximate.
    pub approx: bool,
    /// One-sided bound read from the figure's cue.
    pub bound: Option<Bound>,
    /// ACLED's conservative reading of the figure (vague amounts).
    pub conservative: Option<f64>,
    /// Merged event it belongs to.
    pub event: Option<String>,
}

impl ClaimRecord {
    /// The interval this claim stands for ([`range::interval`]).
    pub fn interval(&self) -> Option<Interval> {
        range::interval(self.value, self.low, self.high, self.approx, self.bound)
    }
}

/// One side of a disagreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisagreementClaim {
    /// Best value.
    pub value: Option<f64>,
    /// Lower bound.
    pub low: Option<f64>,
    /// Upper bound.
    pub high: Option<f64>,
    /// Approximate.
    pub approx: bool,
    /// One-sided bound.
    pub bound: Option<Bound>,
    /// Scope of this claim.
    pub scope: Vec<String>,
    /// Document id.
    pub doc: String,
    /// Sentence index.
    pub sentence: usize,
    /// Who says so.
    pub source: String,
    /// The sentence.
    pub text: String,
}

/// Claims about the same subject and measure that do not fit together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disagreement {
    /// Subject (canonical, as first written).
    pub subject: String,
    /// Measure.
    pub measure: String,
    /// Common scope (`contradiction`); empty for `different_scope`, where
    /// each claim carries its own.
    pub scope: Vec<String>,
    /// `contradiction` or `different_scope`.
    pub kind: String,
    /// Merged event the claims are about, when they are about one.
    pub event: Option<String>,
    /// UCDP-style reconciliation of the claims (`contradiction` only).
    pub reconciled: Option<Estimate>,
    /// All claims of the group.
    pub claims: Vec<DisagreementClaim>,
}

/// A link from the timeline to a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportLink {
    /// Document id.
    pub doc: String,
    /// Sentence index.
    pub sentence: usize,
}

/// One dated event on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// Date (ISO prefix of its grain).
    pub date: String,
    /// ACLED time precision.
    pub time_precision: Option<u8>,
    /// Merged event id.
    pub event: String,
    /// Event type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Sub-event type.
    pub sub_type: String,
    /// Place name.
    pub location: Option<String>,
    /// `reported` or `background`.
    pub status: String,
    /// The first report's sentence.
    pub text: String,
    /// Reports.
    pub reports: Vec<ReportLink>,
}

/// A story cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// Index (clusters are numbered largest first).
    pub id: usize,
    /// Title of its most central document, if it has one.
    pub label: Option<String>,
    /// Document ids, in input order.
    pub docs: Vec<String>,
}

/// One sentence of a summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummarySentence {
    /// Document id.
    pub doc: String,
    /// Sentence index in the document.
    pub sentence: usize,
    /// The sentence.
    pub text: String,
    /// Centrality to the cluster (cosine to its centroid).
    pub score: f64,
}

/// The summary of one cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterSummary {
    /// Cluster id.
    pub cluster: usize,
    /// Picked sentences, most central first.
    pub sentences: Vec<SummarySentence>,
}

/// Build the report over documents and their analyses.
pub fn build_report(docs: &[(Document, DocAnalysis)]) -> Report {
    build_report_from_digests(docs.iter().map(|(d, a)| digest(d, a)))
}

/// Build the report from digests, in memory (see the crate doc). The
/// digests are taken one at a time, so a caller may produce them lazily.
pub fn build_report_from_digests(digests: impl IntoIterator<Item = DocDigest>) -> Report {
    let mut b = ReportBuilder::new(MemSpill::default());
    let built = digests
        .into_iter()
        .try_for_each(|d| b.push(d))
        .and_then(|()| b.build())
        .and_then(|r| r.to_report());
    match built {
        Ok(r) => r,
        Err(e) => match e {},
    }
}
