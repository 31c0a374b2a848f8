//! # marsad-extract: the analysis of one article
//!
//! Runs the pure extraction stages over one cleaned document and gathers
//! what they find into one [`DocAnalysis`]: figures and dates
//! (`marsad-figures`), entities and attribution (`marsad-entities`), and on
//! top of them the per-document **claims** (every figure as an attributed
//! statement about something) and **events** (what happened, in ACLED's
//! terms). [`record`] turns an analysis into the JSON object `marsad
//! analyze` prints, with code-point offsets.
//!
//! This crate does no I/O.

use serde::{Deserialize, Serialize};

pub mod claims;
pub mod context;
pub mod eval;
pub mod events;
pub mod lexicon;
pub mod record;

pub use marsad_entities::{Attribution, EntityMention};
pub use marsad_figures::{DateValue, Figure};

/// Who says so, as attached to a claim or event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Source as written (`وكالة فرانس برس`), or the outlet.
    pub text: String,
    /// `person`, `organization`, `agency`, `outlet`, `anonymous`.
    pub source_type: String,
    /// Entity id, when known.
    pub id: Option<String>,
    /// `states`, `claims`, `confirms`, `denies`.
    pub stance: String,
}

/// A figure about something: the unit of reconciliation across reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// What is measured: `killed`, `injured`, `arrested`, `abducted`,
    /// `displaced`, `strength`, `bases`, `attacks`, `percent_change`, ...
    pub measure: String,
    /// Whose figure, for display: `مينوسما — peacekeepers`, `مالي — soldiers`.
    pub subject: String,
    /// Key for comparing subjects across documents (`org:minusma/peacekeepers`),
    /// `None` when the subject is not identifiable beyond this document (such
    /// claims are never compared across reports).
    #[serde(default)]
    pub subject_id: Option<String>,
    /// Scope qualifiers (`since 2013`, `in hostile acts`, a place).
    pub scope: Vec<String>,
    /// The qualifiers that change what is counted, normalized and joined
    /// (`in hostile acts`); claims compare only when their keys are equal.
    /// Cumulative `since …` qualifiers are not part of the key: a total since
    /// a mission began and an unqualified total describe the same count.
    #[serde(default)]
    pub scope_key: String,
    /// Best value.
    pub value: Option<f64>,
    /// Lower bound.
    pub low: Option<f64>,
    /// Upper bound (`None` = open).
    pub high: Option<f64>,
    /// Approximate.
    pub approx: bool,
    /// Index of the figure in [`DocAnalysis::figures`].
    pub figure: usize,
    /// Byte span of the figure in the text.
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// Index of the sentence.
    pub sentence: usize,
    /// Who says so.
    pub source: SourceRef,
    /// Index of the event this figure belongs to, if any.
    pub event: Option<usize>,
}

/// Whether an event mention reports something that happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// Reported as having happened (recently).
    Reported,
    /// Recalled history (`a 2015 attack` in a 2024 report).
    Background,
    /// Negated (`لم تشهد باماكو مثل هذا الهجوم`).
    Negated,
    /// Hypothetical or conditional.
    Hypothetical,
    /// Threatened or planned.
    Threat,
}

/// A place as attached to an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventLocation {
    /// Name as written.
    pub name: String,
    /// Canonical entity id.
    pub id: Option<String>,
    /// Coordinates and precision, when resolved.
    pub place: Option<marsad_entities::Place>,
}

/// A figure attached to an event (fatalities, injured, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventFigure {
    /// Best value.
    pub value: Option<f64>,
    /// Lower bound.
    pub low: Option<f64>,
    /// Upper bound.
    pub high: Option<f64>,
    /// Index of the claim it comes from.
    pub claim: usize,
}

/// One event mention in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// ACLED event type (`Battles`, `Explosions/Remote violence`, ...).
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: String,
    /// ACLED disorder type.
    pub disorder_type: String,
    /// Trigger word span (bytes).
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// Trigger as written.
    pub trigger: String,
    /// Index of the sentence.
    pub sentence: usize,
    /// Reported, background, negated, hypothetical, threat.
    pub status: EventStatus,
    /// Date.
    pub date: Option<DateValue>,
    /// Place.
    pub location: Option<EventLocation>,
    /// Perpetrator / first actor (canonical name).
    pub actor1: Option<String>,
    /// Target / second actor.
    pub actor2: Option<String>,
    /// Killed.
    pub fatalities: Option<EventFigure>,
    /// Injured.
    pub injured: Option<EventFigure>,
    /// Arrested or abducted.
    pub arrested: Option<EventFigure>,
    /// Who reports it.
    pub source: SourceRef,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocAnalysis {
    /// Numbers, quantities, dates, ...
    pub figures: Vec<Figure>,
    /// Entity mentions.
    pub entities: Vec<EntityMention>,
    /// Attributions, one or more per sentence that reports something.
    pub attributions: Vec<Attribution>,
    /// Claims.
    pub claims: Vec<Claim>,
    /// Events.
    pub events: Vec<Event>,
}

/// The reference time for relative dates: the document's publication
/// date/time (`2024-09-17`, `2018-02-18T21:35:43+04:00`), at noon when only
/// the day is known.
pub fn reference_time(published: Option<&str>) -> Option<chrono::NaiveDateTime> {
    let p = published?.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(p) {
        return Some(dt.naive_local());
    }
    if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(p, "%Y-%m-%dT%H:%M:%S") {
        return Some(dt);
    }
    let d = chrono::NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok()?;
    d.and_hms_opt(12, 0, 0)
}

/// Analyse one document's text: every stage, in order.
pub fn analyze_text(
    text: &marsad_text::Text<'_>,
    published: Option<&str>,
    outlet: Option<&str>,
) -> DocAnalysis {
    let reference = reference_time(published);
    let figures = marsad_figures::extract(text, reference);
    let entities = marsad_entities::recognize::Recognizer::get().recognize(text);
    let attributions = marsad_entities::attribution::attribute(text, &entities, outlet);
    let ctx = context::Ctx::new(
        text,
        &figures,
        &entities,
        &attributions,
        reference.map(|r| r.date()),
        outlet,
    );
    let mut claims = claims::extract(&ctx);
    let events = events::extract(&ctx, &mut claims);
    DocAnalysis {
        figures,
        entities,
        attributions,
        claims,
        events,
    }
}

/// Analyse a document.
pub fn analyze_document(doc: &marsad_ingest::Document) -> DocAnalysis {
    let text = marsad_text::analyze(&doc.text);
    analyze_text(&text, doc.published.as_deref(), doc.source.as_deref())
}

/// Analyse a document and build its JSON record (see [`record`]).
pub fn document_record(
    doc: &marsad_ingest::Document,
    tokens: bool,
) -> (DocAnalysis, serde_json::Value) {
    let text = marsad_text::analyze(&doc.text);
    let a = analyze_text(&text, doc.published.as_deref(), doc.source.as_deref());
    let v = record::record_json(doc, &text, &a, tokens);
    (a, v)
}

/// Analyse a document and print its JSON record as one line of text (what
/// `marsad analyze` writes): the same as printing [`document_record`]'s
/// value, without building it.
pub fn document_record_string(
    doc: &marsad_ingest::Document,
    tokens: bool,
) -> (DocAnalysis, String) {
    let text = marsad_text::analyze(&doc.text);
    let a = analyze_text(&text, doc.published.as_deref(), doc.source.as_deref());
    let s = record::record_string(doc, &text, &a, tokens);
    (a, s)
}
