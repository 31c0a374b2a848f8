//! The JSON record of one analysed document, exactly as `marsad analyze`
//! prints it and the HTTP API returns it.
//!
//! Offsets in the record are **Unicode code points** of `text`, end
//! exclusive (the analysis works in bytes; the conversion happens here and
//! nowhere else). Field names are part of marsad's public interface.

use marsad_ingest::Document;
use marsad_text::{CharMap, Text};
use serde_json::{Map, Value, json};

use crate::{Claim, DocAnalysis, Event, EventFigure, SourceRef};

fn opt<T: serde::Serialize>(v: &Option<T>) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn source_json(s: &SourceRef) -> Value {
    json!({"text": s.text, "type": s.source_type, "id": s.id, "stance": s.stance})
}

fn figure_ref(f: &Option<EventFigure>) -> Value {
    match f {
        Some(f) => json!({"value": f.value, "low": f.low, "high": f.high, "claim": f.claim}),
        None => Value::Null,
    }
}

/// Build the record of `doc` from its analysis. `text` must be the
/// analysis of `doc.text`; with `tokens`, every token is listed.
pub fn record_json(doc: &Document, text: &Text<'_>, a: &DocAnalysis, tokens: bool) -> Value {
    let cm = CharMap::new(&doc.text);
    let c = |b: usize| cm.char_offset(b);
    let slice = |s: usize, e: usize| doc.text.get(s..e).unwrap_or("");
    let mut o = Map::new();
    o.insert("id".into(), json!(doc.id));
    o.insert("title".into(), opt(&doc.title));
    o.insert("source".into(), opt(&doc.source));
    o.insert("url".into(), opt(&doc.url));
    o.insert("published".into(), opt(&doc.published));
    o.insert("text".into(), json!(doc.text));
    o.insert("duplicate_of".into(), opt(&doc.duplicate_of));
    o.insert("links".into(), json!(doc.links));
    if !doc.metadata.is_empty() {
        o.insert("metadata".into(), Value::Object(doc.metadata.clone()));
    }
    let sentences: Vec<Value> = text
        .sentences
        .iter()
        .map(|s| json!({"start": c(s.start as usize), "end": c(s.end as usize)}))
        .collect();
    o.insert("sentences".into(), Value::Array(sentences));
    if tokens {
        let toks: Vec<Value> = text
            .tokens
            .iter()
            .map(|t| {
                json!({
                    "start": c(t.start as usize),
                    "end": c(t.end as usize),
                    "text": text.token_text(t),
                    "kind": t.kind.as_str(),
                    "norm": text.norm(t),
                    "stem": text.stem(t),
                    "base": text.base(t),
                    "proclitics": t.pro.iter().collect::<Vec<_>>(),
                    "enclitics": if t.enc.as_str().is_empty() { vec![] } else { vec![t.enc.as_str()] },
                })
            })
            .collect();
        o.insert("tokens".into(), Value::Array(toks));
    }
    let mut mentions: Vec<(usize, Value)> = Vec::new();
    for f in &a.figures {
        let mut m = json!({
            "kind": f.kind,
            "start": c(f.start),
            "end": c(f.end),
            "text": slice(f.start, f.end),
        });
        if let Some(d) = &f.date {
            m["value"] = opt(&d.value);
            m["grain"] = json!(d.grain);
            m["time_precision"] = json!(d.time_precision);
            m["from"] = opt(&d.from);
            m["to"] = opt(&d.to);
            m["resolved"] = json!(d.resolved);
        } else {
            m["value"] = opt(&f.value);
            m["low"] = opt(&f.low);
            m["high"] = opt(&f.high);
            m["approx"] = json!(f.approx);
            if f.unit.is_some() || f.unit_text.is_some() {
                m["unit"] = opt(&f.unit);
                m["unit_text"] = opt(&f.unit_text);
            }
            if f.conservative.is_some() {
                m["conservative"] = opt(&f.conservative);
            }
        }
        mentions.push((f.start, m));
    }
    for e in &a.entities {
        let mut m = json!({
            "kind": "entity",
            "type": e.etype,
            "start": c(e.start),
            "end": c(e.end),
            "text": slice(e.start, e.end),
            "canonical": e.canonical,
            "id": e.id,
        });
        if let Some(t) = &e.title {
            m["title"] = json!(t);
        }
        if let Some(p) = &e.place {
            m["lat"] = json!(p.lat);
            m["lon"] = json!(p.lon);
            m["country"] = json!(p.country);
            m["geo_precision"] = json!(p.geo_precision);
            m["resolved_by"] = json!(p.resolved_by);
        }
        mentions.push((e.start, m));
    }
    for at in &a.attributions {
        let m = json!({
            "kind": "attribution",
            "start": c(at.start),
            "end": c(at.end),
            "text": slice(at.start, at.end),
            "source_text": at.source_text,
            "source_type": at.source_type,
            "source_id": at.source_id,
            "verb": at.verb,
            "stance": at.stance,
            "channel": at.channel,
            "sentence": at.sentence,
            "content": {"start": c(at.content.0), "end": c(at.content.1)},
        });
        mentions.push((at.start, m));
    }
    mentions.sort_by_key(|(s, _)| *s);
    o.insert(
        "mentions".into(),
        Value::Array(mentions.into_iter().map(|(_, m)| m).collect()),
    );
    o.insert(
        "claims".into(),
        Value::Array(
            a.claims
                .iter()
                .map(|cl| claim_json(cl, &c, &slice))
                .collect(),
        ),
    );
    o.insert(
        "events".into(),
        Value::Array(a.events.iter().map(|ev| event_json(ev, &c)).collect()),
    );
    Value::Object(o)
}

fn claim_json<'t>(
    cl: &Claim,
    c: &dyn Fn(usize) -> usize,
    slice: &dyn Fn(usize, usize) -> &'t str,
) -> Value {
    json!({
        "measure": cl.measure,
        "subject": cl.subject,
        "scope": cl.scope,
        "value": cl.value,
        "low": cl.low,
        "high": cl.high,
        "approx": cl.approx,
        "start": c(cl.start),
        "end": c(cl.end),
        "text": slice(cl.start, cl.end),
        "sentence": cl.sentence,
        "source": source_json(&cl.source),
        "event": cl.event,
    })
}

fn event_json(ev: &Event, c: &dyn Fn(usize) -> usize) -> Value {
    json!({
        "type": ev.event_type,
        "sub_type": ev.sub_event_type,
        "disorder_type": ev.disorder_type,
        "trigger": ev.trigger,
        "start": c(ev.start),
        "end": c(ev.end),
        "sentence": ev.sentence,
        "status": ev.status,
        "date": ev.date.as_ref().and_then(|d| d.value.clone()),
        "time_precision": ev.date.as_ref().map(|d| d.time_precision),
        "location": ev.location.as_ref().map(|l| json!({
            "name": l.name,
            "id": l.id,
            "lat": l.place.as_ref().map(|p| p.lat),
            "lon": l.place.as_ref().map(|p| p.lon),
            "country": l.place.as_ref().map(|p| p.country.clone()),
            "geo_precision": l.place.as_ref().map(|p| p.geo_precision),
        })),
        "actor1": ev.actor1,
        "actor2": ev.actor2,
        "fatalities": figure_ref(&ev.fatalities),
        "injured": figure_ref(&ev.injured),
        "arrested": figure_ref(&ev.arrested),
        "source": source_json(&ev.source),
    })
}
