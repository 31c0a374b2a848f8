//! Evaluation of event and claim extraction against labelled documents.
//!
//! The labelled format is JSON Lines, one document per line (see
//! `testdata/events/gold.jsonl`):
//!
//! ```json
//! {"id": "g01", "text": "...", "published": "2025-03-10", "source": "...",
//!  "events": [{"type": "Battles", "sub_type": "Armed clash", "location": "ميناكا",
//!              "date": "2025-03-08", "actor1": "نصرة", "fatalities": 12,
//!              "injured": 20, "arrested": 0, "status": "background"}],
//!  "claims": [{"measure": "killed", "value": 12}]}
//! ```
//!
//! Only `type` is required in an event; every other key that is present is
//! scored as an argument. Predicted events count when their status is
//! reported or background (negated, hypothetical and threatened mentions
//! are not events). Gold and predicted events are matched greedily within a
//! document by event type, in text order. Argument accuracy is over matched
//! pairs: sub-type equal; date a prefix match; location and actor by
//! normalized substring (`نصرة` matches `جماعة نصرة الإسلام والمسلمين`);
//! figures equal to the best value. Claims match on (measure, value).
//!
//! This module does no I/O: the caller reads the file.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{EventStatus, analyze_document};

/// One labelled document.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldCase {
    /// Identifier used in failure messages.
    pub id: String,
    /// Article text.
    pub text: String,
    /// Publication date.
    #[serde(default)]
    pub published: Option<String>,
    /// Outlet.
    #[serde(default)]
    pub source: Option<String>,
    /// Expected events.
    #[serde(default)]
    pub events: Vec<GoldEvent>,
    /// Expected claims.
    #[serde(default)]
    pub claims: Vec<GoldClaim>,
}

/// One expected event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    /// ACLED event type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// ACLED sub-event type.
    #[serde(default)]
    pub sub_type: Option<String>,
    /// `reported` (default) or `background`.
    #[serde(default)]
    pub status: Option<String>,
    /// ISO date prefix.
    #[serde(default)]
    pub date: Option<String>,
    /// Place name (substring).
    #[serde(default)]
    pub location: Option<String>,
    /// Perpetrator (substring).
    #[serde(default)]
    pub actor1: Option<String>,
    /// Killed.
    #[serde(default)]
    pub fatalities: Option<f64>,
    /// Injured.
    #[serde(default)]
    pub injured: Option<f64>,
    /// Arrested or abducted.
    #[serde(default)]
    pub arrested: Option<f64>,
}

/// One expected claim.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldClaim {
    /// Measure.
    pub measure: String,
    /// Best value.
    pub value: f64,
}

/// Counts for precision/recall.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
}

impl Counts {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        pct(self.tp, self.tp + self.fp)
    }
    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        pct(self.tp, self.tp + self.fn_)
    }
    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// The result of an evaluation.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// Documents evaluated.
    pub documents: usize,
    /// Event detection by type.
    pub events: Counts,
    /// Argument name → (correct, scored).
    pub arguments: BTreeMap<&'static str, (usize, usize)>,
    /// Claims by (measure, value).
    pub claims: Counts,
    /// Human-readable mismatches, `id: message`.
    pub failures: Vec<String>,
}

impl EvalReport {
    /// Printable summary.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "documents: {}\nevents: precision {:.1} recall {:.1} F1 {:.1} (tp {} fp {} fn {})\n",
            self.documents,
            self.events.precision(),
            self.events.recall(),
            self.events.f1(),
            self.events.tp,
            self.events.fp,
            self.events.fn_
        );
        for (k, (ok, n)) in &self.arguments {
            s.push_str(&format!(
                "  argument {k:<11} {:.1}% ({ok}/{n})\n",
                pct(*ok, *n)
            ));
        }
        s.push_str(&format!(
            "claims: precision {:.1} recall {:.1} F1 {:.1} (tp {} fp {} fn {})\n",
            self.claims.precision(),
            self.claims.recall(),
            self.claims.f1(),
            self.claims.tp,
            self.claims.fp,
            self.claims.fn_
        ));
        s
    }
}

fn norm(s: &str) -> String {
    marsad_text::search_form(s, false)
}

fn score(rep: &mut EvalReport, name: &'static str, ok: bool) {
    let e = rep.arguments.entry(name).or_default();
    e.1 += 1;
    if ok {
        e.0 += 1;
    }
}

/// Evaluate extraction on labelled cases.
pub fn evaluate(cases: &[GoldCase]) -> EvalReport {
    let mut rep = EvalReport::default();
    for c in cases {
        rep.documents += 1;
        let doc = marsad_ingest::Document {
            id: c.id.clone(),
            text: c.text.clone(),
            published: c.published.clone(),
            source: c.source.clone(),
            ..Default::default()
        };
        let a = analyze_document(&doc);
        let predicted: Vec<&crate::Event> = a
            .events
            .iter()
            .filter(|e| matches!(e.status, EventStatus::Reported | EventStatus::Background))
            .collect();
        let mut used = vec![false; predicted.len()];
        for g in &c.events {
            let hit = predicted
                .iter()
                .enumerate()
                .find(|(i, p)| !used[*i] && p.event_type == g.event_type)
                .map(|(i, _)| i);
            let Some(i) = hit else {
                rep.events.fn_ += 1;
                rep.failures
                    .push(format!("{}: missed {} event", c.id, g.event_type));
                continue;
            };
            used[i] = true;
            rep.events.tp += 1;
            let p = predicted[i];
            let mut check = |name: &'static str, ok: bool, detail: String| {
                score(&mut rep, name, ok);
                if !ok {
                    rep.failures.push(format!("{}: {name} {detail}", c.id));
                }
            };
            if let Some(st) = &g.sub_type {
                check(
                    "sub_type",
                    &p.sub_event_type == st,
                    format!("{:?} != {st:?}", p.sub_event_type),
                );
            }
            let status = g.status.as_deref().unwrap_or("reported");
            let pst = match p.status {
                EventStatus::Background => "background",
                _ => "reported",
            };
            check("status", pst == status, format!("{pst} != {status}"));
            if let Some(d) = &g.date {
                let pd = p
                    .date
                    .as_ref()
                    .and_then(|x| x.value.clone())
                    .unwrap_or_default();
                check(
                    "date",
                    pd.starts_with(d.as_str()),
                    format!("{pd:?} != {d:?}"),
                );
            }
            if let Some(l) = &g.location {
                let pl = p
                    .location
                    .as_ref()
                    .map(|x| x.name.clone())
                    .unwrap_or_default();
                let ok = !pl.is_empty()
                    && (norm(&pl).contains(&norm(l)) || norm(l).contains(&norm(&pl)));
                check("location", ok, format!("{pl:?} != {l:?}"));
            }
            if let Some(a1) = &g.actor1 {
                let pa = p.actor1.clone().unwrap_or_default();
                check(
                    "actor1",
                    !pa.is_empty() && norm(&pa).contains(&norm(a1)),
                    format!("{pa:?} !~ {a1:?}"),
                );
            }
            for (name, gv, pv) in [
                (
                    "fatalities",
                    g.fatalities,
                    p.fatalities.as_ref().and_then(|f| f.value),
                ),
                (
                    "injured",
                    g.injured,
                    p.injured.as_ref().and_then(|f| f.value),
                ),
                (
                    "arrested",
                    g.arrested,
                    p.arrested.as_ref().and_then(|f| f.value),
                ),
            ] {
                if let Some(gv) = gv {
                    check(name, pv == Some(gv), format!("{pv:?} != {gv}"));
                }
            }
        }
        for (i, p) in predicted.iter().enumerate() {
            if !used[i] {
                rep.events.fp += 1;
                rep.failures.push(format!(
                    "{}: spurious {} / {} ({})",
                    c.id, p.event_type, p.sub_event_type, p.trigger
                ));
            }
        }
        let mut cused = vec![false; a.claims.len()];
        for g in &c.claims {
            match a
                .claims
                .iter()
                .enumerate()
                .find(|(i, p)| !cused[*i] && p.measure == g.measure && p.value == Some(g.value))
            {
                Some((i, _)) => {
                    cused[i] = true;
                    rep.claims.tp += 1;
                }
                None => {
                    rep.claims.fn_ += 1;
                    rep.failures
                        .push(format!("{}: missed claim {} {}", c.id, g.measure, g.value));
                }
            }
        }
        // Claims of people or forces that the gold set does not list are
        // false positives; plain counts (`ثلاثة مواقع`) are not scored.
        for (i, p) in a.claims.iter().enumerate() {
            if !cused[i] && p.measure != "count" && p.measure != "percent" {
                rep.claims.fp += 1;
                rep.failures.push(format!(
                    "{}: spurious claim {} {:?}",
                    c.id, p.measure, p.value
                ));
            }
        }
    }
    rep
}

/// Parse labelled JSON Lines; errors name the line.
pub fn parse_gold(jsonl: &str) -> Result<Vec<GoldCase>, String> {
    let mut out = Vec::new();
    for (i, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?);
    }
    Ok(out)
}
