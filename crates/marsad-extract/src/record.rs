//! The JSON record of one analysed document, exactly as `marsad analyze`
//! prints it and the HTTP API returns it.
//!
//! Offsets in the record are **Unicode code points** of `text`, end
//! exclusive (the analysis works in bytes; the conversion happens here and
//! nowhere else). Field names are part of marsad's public interface.
//!
//! The record is one tree of borrowing structs ([`Record`]) serialized
//! straight to text by [`record_string`] (what `marsad analyze` prints:
//! no intermediate `serde_json::Value`, no copy of the article text), or
//! turned into a [`Value`] by [`record_json`] (what the HTTP API returns).
//! Both give the same JSON: every object lists its keys in alphabetical
//! order, the order a `Value` prints them in (a test checks that the two
//! agree byte for byte).

use marsad_entities::{Attribution, EntityMention};
use marsad_figures::{Figure, FigureKind, Grain};
use marsad_ingest::Document;
use marsad_text::{CharMap, Text};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::{Claim, DocAnalysis, Event, EventFigure, EventStatus, SourceRef};

/// The record of one document, borrowing from the document and its
/// analysis. Field order is alphabetical (see the module doc).
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    claims: Vec<ClaimRec<'a>>,
    duplicate_of: &'a Option<String>,
    events: Vec<EventRec<'a>>,
    id: &'a str,
    links: &'a [String],
    mentions: Vec<MentionRec<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Map<String, Value>>,
    published: &'a Option<String>,
    sentences: Vec<Span>,
    source: &'a Option<String>,
    text: &'a str,
    title: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<Vec<TokenRec<'a>>>,
    url: &'a Option<String>,
}

#[derive(Debug, Serialize)]
struct Span {
    end: usize,
    start: usize,
}

#[derive(Debug, Serialize)]
struct TokenRec<'a> {
    base: &'a str,
    enclitics: Vec<&'static str>,
    end: usize,
    kind: &'static str,
    norm: &'a str,
    proclitics: Vec<&'static str>,
    start: usize,
    stem: &'a str,
    text: &'a str,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum MentionRec<'a> {
    Date(DateMention<'a>),
    Amount(AmountMention<'a>),
    Entity(EntityRec<'a>),
    Attribution(AttributionRec<'a>),
}

#[derive(Debug, Serialize)]
struct DateMention<'a> {
    end: usize,
    from: &'a Option<String>,
    grain: Grain,
    kind: FigureKind,
    resolved: bool,
    start: usize,
    text: &'a str,
    time_precision: u8,
    to: &'a Option<String>,
    value: &'a Option<String>,
}

#[derive(Debug, Serialize)]
struct AmountMention<'a> {
    approx: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    conservative: Option<f64>,
    end: usize,
    high: Option<f64>,
    kind: FigureKind,
    low: Option<f64>,
    start: usize,
    text: &'a str,
    /// Written (possibly as null) when the figure has a unit or a unit text.
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit_text: Option<&'a Option<String>>,
    value: Option<f64>,
}

#[derive(Debug, Serialize)]
struct EntityRec<'a> {
    canonical: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo_precision: Option<u8>,
    id: &'a str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolved_by: Option<&'a str>,
    start: usize,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(rename = "type")]
    etype: marsad_entities::EntityType,
}

#[derive(Debug, Serialize)]
struct AttributionRec<'a> {
    channel: &'a Option<String>,
    content: Span,
    end: usize,
    kind: &'static str,
    sentence: usize,
    source_id: &'a Option<String>,
    source_text: &'a str,
    source_type: marsad_entities::SourceType,
    stance: marsad_entities::Stance,
    start: usize,
    text: &'a str,
    verb: &'a Option<String>,
}

#[derive(Debug, Serialize)]
struct SourceRec<'a> {
    id: &'a Option<String>,
    stance: &'a str,
    text: &'a str,
    #[serde(rename = "type")]
    source_type: &'a str,
}

impl<'a> From<&'a SourceRef> for SourceRec<'a> {
    fn from(s: &'a SourceRef) -> Self {
        SourceRec {
            id: &s.id,
            stance: &s.stance,
            text: &s.text,
            source_type: &s.source_type,
        }
    }
}

#[derive(Debug, Serialize)]
struct ClaimRec<'a> {
    approx: bool,
    end: usize,
    event: Option<usize>,
    high: Option<f64>,
    low: Option<f64>,
    measure: &'a str,
    scope: &'a [String],
    sentence: usize,
    source: SourceRec<'a>,
    start: usize,
    subject: &'a str,
    text: &'a str,
    value: Option<f64>,
}

#[derive(Debug, Serialize)]
struct FigureRef {
    claim: usize,
    high: Option<f64>,
    low: Option<f64>,
    value: Option<f64>,
}

impl From<&EventFigure> for FigureRef {
    fn from(f: &EventFigure) -> Self {
        FigureRef {
            claim: f.claim,
            high: f.high,
            low: f.low,
            value: f.value,
        }
    }
}

#[derive(Debug, Serialize)]
struct LocationRec<'a> {
    country: Option<&'a str>,
    geo_precision: Option<u8>,
    id: &'a Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    name: &'a str,
}

#[derive(Debug, Serialize)]
struct EventRec<'a> {
    actor1: &'a Option<String>,
    actor2: &'a Option<String>,
    arrested: Option<FigureRef>,
    date: Option<&'a str>,
    disorder_type: &'a str,
    end: usize,
    fatalities: Option<FigureRef>,
    injured: Option<FigureRef>,
    location: Option<LocationRec<'a>>,
    sentence: usize,
    source: SourceRec<'a>,
    start: usize,
    status: EventStatus,
    sub_type: &'a str,
    time_precision: Option<u8>,
    trigger: &'a str,
    #[serde(rename = "type")]
    event_type: &'a str,
}

/// Build the record of `doc` from its analysis. `text` must be the
/// analysis of `doc.text`; with `tokens`, every token is listed.
pub fn record<'a>(
    doc: &'a Document,
    text: &'a Text<'_>,
    a: &'a DocAnalysis,
    tokens: bool,
) -> Record<'a> {
    let cm = CharMap::new(&doc.text);
    let c = |b: usize| cm.char_offset(b);
    let slice = |s: usize, e: usize| doc.text.get(s..e).unwrap_or("");
    let sentences = text
        .sentences
        .iter()
        .map(|s| Span {
            end: c(s.end as usize),
            start: c(s.start as usize),
        })
        .collect();
    let tokens = tokens.then(|| {
        text.tokens
            .iter()
            .map(|t| TokenRec {
                base: text.base(t),
                enclitics: if t.enc.as_str().is_empty() {
                    vec![]
                } else {
                    vec![t.enc.as_str()]
                },
                end: c(t.end as usize),
                kind: t.kind.as_str(),
                norm: text.norm(t),
                proclitics: t.pro.iter().collect(),
                start: c(t.start as usize),
                stem: text.stem(t),
                text: doc.text.get(t.start as usize..t.end as usize).unwrap_or(""),
            })
            .collect()
    });
    let mut mentions: Vec<(usize, MentionRec<'a>)> =
        Vec::with_capacity(a.figures.len() + a.entities.len() + a.attributions.len());
    for f in &a.figures {
        mentions.push((f.start, figure_mention(f, &c, slice(f.start, f.end))));
    }
    for e in &a.entities {
        mentions.push((e.start, entity_mention(e, &c, slice(e.start, e.end))));
    }
    for at in &a.attributions {
        mentions.push((
            at.start,
            attribution_mention(at, &c, slice(at.start, at.end)),
        ));
    }
    mentions.sort_by_key(|(s, _)| *s);
    Record {
        claims: a
            .claims
            .iter()
            .map(|cl| claim_rec(cl, &c, slice(cl.start, cl.end)))
            .collect(),
        duplicate_of: &doc.duplicate_of,
        events: a.events.iter().map(|ev| event_rec(ev, &c)).collect(),
        id: &doc.id,
        links: &doc.links,
        mentions: mentions.into_iter().map(|(_, m)| m).collect(),
        metadata: (!doc.metadata.is_empty()).then_some(&doc.metadata),
        published: &doc.published,
        sentences,
        source: &doc.source,
        text: &doc.text,
        title: &doc.title,
        tokens,
        url: &doc.url,
    }
}

/// The record of `doc` as a JSON value (see [`record`]).
pub fn record_json(doc: &Document, text: &Text<'_>, a: &DocAnalysis, tokens: bool) -> Value {
    serde_json::to_value(record(doc, text, a, tokens)).unwrap_or(Value::Null)
}

/// The record of `doc` as one line of JSON text (see [`record`]), the same
/// as printing [`record_json`] but without building the value first.
pub fn record_string(doc: &Document, text: &Text<'_>, a: &DocAnalysis, tokens: bool) -> String {
    serde_json::to_string(&record(doc, text, a, tokens)).unwrap_or_default()
}

fn figure_mention<'a>(f: &'a Figure, c: &dyn Fn(usize) -> usize, text: &'a str) -> MentionRec<'a> {
    if let Some(d) = &f.date {
        return MentionRec::Date(DateMention {
            end: c(f.end),
            from: &d.from,
            grain: d.grain,
            kind: f.kind,
            resolved: d.resolved,
            start: c(f.start),
            text,
            time_precision: d.time_precision,
            to: &d.to,
            value: &d.value,
        });
    }
    let unit = (f.unit.is_some() || f.unit_text.is_some()).then_some(());
    MentionRec::Amount(AmountMention {
        approx: f.approx,
        conservative: f.conservative,
        end: c(f.end),
        high: f.high,
        kind: f.kind,
        low: f.low,
        start: c(f.start),
        text,
        unit: unit.map(|_| &f.unit),
        unit_text: unit.map(|_| &f.unit_text),
        value: f.value,
    })
}

fn entity_mention<'a>(
    e: &'a EntityMention,
    c: &dyn Fn(usize) -> usize,
    text: &'a str,
) -> MentionRec<'a> {
    let p = e.place.as_ref();
    MentionRec::Entity(EntityRec {
        canonical: &e.canonical,
        country: p.map(|p| p.country.as_str()),
        end: c(e.end),
        geo_precision: p.map(|p| p.geo_precision),
        id: &e.id,
        kind: "entity",
        lat: p.map(|p| p.lat),
        lon: p.map(|p| p.lon),
        resolved_by: p.map(|p| p.resolved_by.as_str()),
        start: c(e.start),
        text,
        title: e.title.as_deref(),
        etype: e.etype,
    })
}

fn attribution_mention<'a>(
    at: &'a Attribution,
    c: &dyn Fn(usize) -> usize,
    text: &'a str,
) -> MentionRec<'a> {
    MentionRec::Attribution(AttributionRec {
        channel: &at.channel,
        content: Span {
            end: c(at.content.1),
            start: c(at.content.0),
        },
        end: c(at.end),
        kind: "attribution",
        sentence: at.sentence,
        source_id: &at.source_id,
        source_text: &at.source_text,
        source_type: at.source_type,
        stance: at.stance,
        start: c(at.start),
        text,
        verb: &at.verb,
    })
}

fn claim_rec<'a>(cl: &'a Claim, c: &dyn Fn(usize) -> usize, text: &'a str) -> ClaimRec<'a> {
    ClaimRec {
        approx: cl.approx,
        end: c(cl.end),
        event: cl.event,
        high: cl.high,
        low: cl.low,
        measure: &cl.measure,
        scope: &cl.scope,
        sentence: cl.sentence,
        source: (&cl.source).into(),
        start: c(cl.start),
        subject: &cl.subject,
        text,
        value: cl.value,
    }
}

fn event_rec<'a>(ev: &'a Event, c: &dyn Fn(usize) -> usize) -> EventRec<'a> {
    EventRec {
        actor1: &ev.actor1,
        actor2: &ev.actor2,
        arrested: ev.arrested.as_ref().map(FigureRef::from),
        date: ev.date.as_ref().and_then(|d| d.value.as_deref()),
        disorder_type: &ev.disorder_type,
        end: c(ev.end),
        fatalities: ev.fatalities.as_ref().map(FigureRef::from),
        injured: ev.injured.as_ref().map(FigureRef::from),
        location: ev.location.as_ref().map(|l| {
            let p = l.place.as_ref();
            LocationRec {
                country: p.map(|p| p.country.as_str()),
                geo_precision: p.map(|p| p.geo_precision),
                id: &l.id,
                lat: p.map(|p| p.lat),
                lon: p.map(|p| p.lon),
                name: &l.name,
            }
        }),
        sentence: ev.sentence,
        source: (&ev.source).into(),
        start: c(ev.start),
        status: ev.status,
        sub_type: &ev.sub_event_type,
        time_precision: ev.date.as_ref().map(|d| d.time_precision),
        trigger: &ev.trigger,
        event_type: &ev.event_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document {
            id: "t1".into(),
            title: Some("عنوان".into()),
            source: Some("وكالة الرصد".into()),
            published: Some("2025-03-10".into()),
            text: text.into(),
            links: vec!["https://example.org/a".into()],
            ..Default::default()
        }
    }

    /// The record printed straight from the structs is the record printed
    /// from its `Value` (whose objects list keys alphabetically): same
    /// keys, same order, same numbers.
    #[test]
    fn direct_string_equals_value_string() {
        let mut d = doc(
            "قُتل 12 جندياً ماليًا وأصيب 20 آخرون في هجوم شنه مسلحون على قاعدة في بلدة ميناكا \
             شرق مالي يوم السبت 8 مارس 2025، بحسب ما قال مصدر أمني لوكالة فرانس برس. \
             وتضم البعثة نحو 13 ألف جندي، وقالت الأمم المتحدة إن حوالي 310 من عناصرها قتلوا منذ 2013. \
             وأعلنت جماعة نصرة الإسلام والمسلمين مسؤوليتها عن تفجير عبوة ناسفة قرب غاو أمس.",
        );
        d.metadata
            .insert("captions".into(), serde_json::json!(["صورة", "أخرى"]));
        let text = marsad_text::analyze(&d.text);
        let a = crate::analyze_text(&text, d.published.as_deref(), d.source.as_deref());
        assert!(!a.figures.is_empty() && !a.entities.is_empty() && !a.events.is_empty());
        assert!(!a.attributions.is_empty() && !a.claims.is_empty());
        for tokens in [false, true] {
            let direct = record_string(&d, &text, &a, tokens);
            let value = record_json(&d, &text, &a, tokens).to_string();
            assert_eq!(direct, value, "tokens={tokens}");
        }
        // Without metadata, the key is absent rather than null.
        d.metadata.clear();
        let s = record_string(&d, &text, &a, false);
        assert!(!s.contains("\"metadata\""));
        assert_eq!(s, record_json(&d, &text, &a, false).to_string());
    }
}
