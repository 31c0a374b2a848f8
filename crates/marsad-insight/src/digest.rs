//! What the report takes of one analysed document.
//!
//! A [`DocDigest`] is built once per document, right after its analysis,
//! and holds only what the report needs (a [`crate::ReportBuilder`] then
//! keeps the keys in memory and spills the texts):
//!
//! - the document's metadata ([`DocumentInfo`]);
//! - its events, minus negated, hypothetical and threatened ones (they did
//!   not happen), each with its sentence text and its figures resolved to
//!   [`FigureReport`]s;
//! - its claims as [`ClaimRecord`]s, with sentence text and bound cue;
//! - its term vector, capped at [`MAX_TERMS`] most frequent terms;
//! - up to [`MAX_CANDIDATES`] summary candidates among its first
//!   [`LEAD_SENTENCES`] sentences (news puts the essentials first), each a
//!   sentence of 6 to 80 words with its terms.
//!
//! The article text and every token are dropped.

use marsad_extract::{DocAnalysis, EventFigure, EventLocation, EventStatus};
use marsad_figures::DateValue;
use marsad_ingest::Document;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::range::bound_cue;
use crate::reconcile::FigureReport;
use crate::terms;
use crate::{ClaimRecord, DocumentInfo};

/// Most frequent terms kept per document.
pub const MAX_TERMS: usize = 100;
/// Leading sentences considered for summaries.
pub const LEAD_SENTENCES: usize = 8;
/// Summary candidates kept per document.
pub const MAX_CANDIDATES: usize = 5;

/// One event mention that the report keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDigest {
    /// Index in the document's `events`.
    pub local: usize,
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: String,
    /// ACLED disorder type.
    pub disorder_type: String,
    /// Reported or background.
    pub status: EventStatus,
    /// Date.
    pub date: Option<DateValue>,
    /// Place.
    pub location: Option<EventLocation>,
    /// First actor.
    pub actor1: Option<String>,
    /// Second actor.
    pub actor2: Option<String>,
    /// Killed.
    pub fatalities: Option<FigureReport>,
    /// Injured.
    pub injured: Option<FigureReport>,
    /// Arrested or abducted.
    pub arrested: Option<FigureReport>,
    /// Sentence index.
    pub sentence: usize,
    /// Sentence text.
    pub text: String,
    /// Trigger as written.
    pub trigger: String,
    /// Trigger start (bytes), for the stable id.
    pub start: usize,
    /// Who reports it.
    pub source: String,
}

/// A summary candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceDigest {
    /// Sentence index.
    pub index: usize,
    /// Text.
    pub text: String,
    /// Term counts (term hash, count), sorted by term.
    pub terms: Vec<(u64, u32)>,
}

/// What the report keeps of one document (see the module doc).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocDigest {
    /// Metadata.
    pub info: DocumentInfo,
    /// Events that happened (reported or background).
    pub events: Vec<EventDigest>,
    /// Claims; their `event` is filled in by the merge, from
    /// [`DocDigest::claim_events`].
    pub claims: Vec<ClaimRecord>,
    /// Local event index of each claim.
    pub claim_events: Vec<Option<usize>>,
    /// What each claim's figure counts (its unit class: `soldier`,
    /// `aircraft`), if it has a counted noun.
    pub claim_units: Vec<Option<String>>,
    /// Term counts (term hash, count), sorted by term.
    pub terms: Vec<(u64, u32)>,
    /// Summary candidates.
    pub sentences: Vec<SentenceDigest>,
}

fn trimmed(text: &str, a: usize, b: usize) -> String {
    text.get(a..b).unwrap_or("").trim().to_string()
}

/// Digest one document and its analysis (runs the text layer again; use
/// [`digest_analyzed`] when the caller still has the document's tokens).
pub fn digest(doc: &Document, analysis: &DocAnalysis) -> DocDigest {
    digest_analyzed(doc, &marsad_text::analyze_raw(&doc.text), analysis)
}

/// Digest one document whose text-layer analysis `a` (of `doc.text`) the
/// caller already has, so the tokenizer does not run twice per document.
pub fn digest_analyzed(
    doc: &Document,
    a: &marsad_text::Analysis,
    analysis: &DocAnalysis,
) -> DocDigest {
    let text = doc.text.as_str();
    let sentence_text = |i: usize| -> String {
        a.sentences
            .get(i)
            .map(|s| trimmed(text, s.start as usize, s.end as usize))
            .unwrap_or_default()
    };

    // Claims.
    let mut claims = Vec::with_capacity(analysis.claims.len());
    let mut claim_events = Vec::with_capacity(analysis.claims.len());
    let mut claim_units = Vec::with_capacity(analysis.claims.len());
    for c in &analysis.claims {
        let fig = analysis.figures.get(c.figure);
        let ftext = text.get(c.start..c.end).unwrap_or("");
        claims.push(ClaimRecord {
            doc: doc.id.clone(),
            sentence: c.sentence,
            text: sentence_text(c.sentence),
            source: c.source.text.clone(),
            source_type: c.source.source_type.clone(),
            stance: c.source.stance.clone(),
            subject: c.subject.clone(),
            subject_id: c.subject_id.clone(),
            measure: c.measure.clone(),
            scope: c.scope.clone(),
            scope_key: c.scope_key.clone(),
            value: c.value,
            low: c.low,
            high: c.high,
            approx: c.approx,
            bound: bound_cue(ftext),
            conservative: fig.and_then(|f| f.conservative),
            event: None,
        });
        claim_events.push(c.event);
        claim_units.push(fig.and_then(|f| f.unit.clone()));
    }

    // Events.
    let figure_report = |ef: &Option<EventFigure>, sentence: usize, source: &str| {
        let ef = ef.as_ref()?;
        // An event figure may sum several claims (`47 soldiers and 84
        // fighters` = 131): its first claim speaks for it only when the
        // values agree.
        let claim = claims
            .get(ef.claim)
            .filter(|c| c.value == ef.value && c.low == ef.low);
        let iv = claim
            .and_then(|c| c.interval())
            .or_else(|| crate::range::interval(ef.value, ef.low, ef.high, false, None));
        let best = ef.value.or(ef.low).or(ef.high);
        let (low, high, open_high) = match iv {
            Some(iv) => (
                Some(iv.lo),
                (!iv.open_high()).then_some(iv.hi),
                iv.open_high(),
            ),
            None => (ef.low.or(ef.value), ef.high.or(ef.value), false),
        };
        Some(FigureReport {
            low,
            best,
            high,
            open_high,
            conservative: claim.and_then(|c| c.conservative).or(best),
            doc: doc.id.clone(),
            sentence,
            source: source.to_string(),
        })
    };
    let mut events = Vec::new();
    for (i, e) in analysis.events.iter().enumerate() {
        if !matches!(e.status, EventStatus::Reported | EventStatus::Background) {
            continue;
        }
        events.push(EventDigest {
            local: i,
            event_type: e.event_type.clone(),
            sub_event_type: e.sub_event_type.clone(),
            disorder_type: e.disorder_type.clone(),
            status: e.status,
            date: e.date.clone(),
            location: e.location.clone(),
            actor1: e.actor1.clone(),
            actor2: e.actor2.clone(),
            fatalities: figure_report(&e.fatalities, e.sentence, &e.source.text),
            injured: figure_report(&e.injured, e.sentence, &e.source.text),
            arrested: figure_report(&e.arrested, e.sentence, &e.source.text),
            sentence: e.sentence,
            text: sentence_text(e.sentence),
            trigger: e.trigger.clone(),
            start: e.start,
            source: e.source.text.clone(),
        });
    }

    // Terms.
    let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
    for t in &a.tokens {
        if let Some(s) = terms::content_stem(a, t) {
            *counts.entry(terms::stem_term(s)).or_default() += 1;
        }
    }
    for m in &analysis.entities {
        *counts.entry(terms::entity_term(&m.id)).or_default() += 1;
    }
    let mut terms: Vec<(u64, u32)> = counts.into_iter().collect();
    terms.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    terms.truncate(MAX_TERMS);
    // The vector was sized for every distinct term of the article: give
    // the rest back (tens of kilobytes an article otherwise).
    terms.shrink_to_fit();
    terms.sort_unstable_by_key(|t| t.0);

    // Summary candidates.
    let mut sentences = Vec::new();
    for (i, s) in a.sentences.iter().enumerate().take(LEAD_SENTENCES) {
        if sentences.len() >= MAX_CANDIDATES {
            break;
        }
        let toks = a.sentence_tokens(i);
        let words = toks
            .iter()
            .filter(|t| t.kind == marsad_text::TokenKind::Word)
            .count();
        if !(6..=80).contains(&words) {
            continue;
        }
        let mut st: FxHashMap<u64, u32> = FxHashMap::default();
        for t in toks {
            if let Some(s) = terms::content_stem(a, t) {
                *st.entry(terms::stem_term(s)).or_default() += 1;
            }
        }
        let mut st: Vec<(u64, u32)> = st.into_iter().collect();
        st.sort_unstable_by_key(|t| t.0);
        st.shrink_to_fit();
        sentences.push(SentenceDigest {
            index: i,
            text: trimmed(text, s.start as usize, s.end as usize),
            terms: st,
        });
    }

    events.shrink_to_fit();
    DocDigest {
        info: DocumentInfo::from_document(doc),
        events,
        claims,
        claim_events,
        claim_units,
        terms,
        sentences,
    }
}
