//! The rule tables of this crate (`data/events.toml`, `data/cues.toml`),
//! embedded and loaded once, and a phrase matcher over token bases.
//!
//! Every word or phrase in the tables is run through the same text layer as
//! the documents (normalization, clitic removal), so a table entry written
//! `الهجوم` or `هجوم` matches `والهجوم`, `بالهجوم` and `هجوم` alike, and a
//! linguist can edit the tables without knowing the normalization rules.

use std::sync::OnceLock;

use marsad_text::{Text, Token, TokenKind, analyze_raw};
use rustc_hash::FxHashMap;
use serde::Deserialize;

static EVENTS: &str = include_str!("../data/events.toml");
static CUES: &str = include_str!("../data/cues.toml");

/// A set of phrases (sequences of token bases) with a value each, matched
/// longest-first at a token position.
#[derive(Debug)]
pub struct PhraseSet<T> {
    by_first: FxHashMap<String, Vec<(Vec<String>, T)>>,
}

impl<T: Clone> PhraseSet<T> {
    fn new() -> Self {
        PhraseSet {
            by_first: FxHashMap::default(),
        }
    }

    fn insert(&mut self, phrase: &str, value: T) {
        let a = analyze_raw(phrase);
        let bases: Vec<String> = a
            .tokens
            .iter()
            .filter(|t| t.kind != TokenKind::Punct)
            .map(|t| a.base(t).to_string())
            .filter(|b| !b.is_empty())
            .collect();
        let Some(first) = bases.first().cloned() else {
            return;
        };
        let v = self.by_first.entry(first).or_default();
        v.push((bases, value));
        // Longest phrases first.
        v.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    }

    /// The longest phrase starting at token `i` of `toks` (indices into
    /// `text.tokens`), as (number of tokens, value).
    pub fn match_at(&self, text: &Text<'_>, toks: &[Token], i: usize) -> Option<(usize, &T)> {
        let t = toks.get(i)?;
        let cands = self.by_first.get(text.base(t))?;
        'outer: for (p, v) in cands {
            if i + p.len() > toks.len() {
                continue;
            }
            for (k, w) in p.iter().enumerate().skip(1) {
                if text.base(&toks[i + k]) != w {
                    continue 'outer;
                }
            }
            return Some((p.len(), v));
        }
        None
    }

    /// All matches in `toks`, left to right, non-overlapping (longest first).
    pub fn find_all(&self, text: &Text<'_>, toks: &[Token]) -> Vec<(usize, usize, T)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if let Some((n, v)) = self.match_at(text, toks, i) {
                out.push((i, n, v.clone()));
                i += n;
            } else {
                i += 1;
            }
        }
        out
    }

    /// Does any phrase occur in `toks`?
    pub fn any(&self, text: &Text<'_>, toks: &[Token]) -> bool {
        (0..toks.len()).any(|i| self.match_at(text, toks, i).is_some())
    }
}

#[derive(Deserialize)]
struct EventsFile {
    trigger: Vec<TriggerDef>,
    #[serde(default)]
    refine: Vec<RefineDef>,
}

#[derive(Deserialize)]
struct TriggerDef {
    forms: Vec<String>,
    #[serde(rename = "type")]
    event_type: String,
    sub_type: String,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    generic: Vec<String>,
}

#[derive(Deserialize)]
struct RefineDef {
    when_type: String,
    cues: Vec<String>,
    #[serde(rename = "type")]
    event_type: String,
    sub_type: String,
}

#[derive(Deserialize)]
struct CuesFile {
    measure: Vec<NamedForms>,
    scope: Vec<ScopeDef>,
    status: StatusDef,
    class: Vec<NamedForms>,
    change: ChangeDef,
    generic_force: ChangeDef,
}

#[derive(Deserialize)]
struct ChangeDef {
    forms: Vec<String>,
}

#[derive(Deserialize)]
struct NamedForms {
    name: String,
    forms: Vec<String>,
}

#[derive(Deserialize)]
struct ScopeDef {
    label: String,
    forms: Vec<String>,
}

#[derive(Deserialize)]
struct StatusDef {
    negation: Vec<String>,
    hypothetical: Vec<String>,
    threat: Vec<String>,
    responsibility: Vec<String>,
}

/// One trigger's coding.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// ACLED event type.
    pub event_type: &'static str,
    /// ACLED sub-event type.
    pub sub_type: &'static str,
    /// Index into [`Tables::requires`] of the context the trigger needs.
    pub requires: Option<usize>,
    /// A generic form (a plural naming a pattern of events).
    pub generic: bool,
}

/// A refinement rule.
#[derive(Debug)]
pub struct Refine {
    /// Applies to triggers of this type.
    pub when_type: &'static str,
    /// Cue phrases.
    pub cues: PhraseSet<()>,
    /// New type.
    pub event_type: &'static str,
    /// New sub-event type.
    pub sub_type: &'static str,
}

/// All tables.
#[derive(Debug)]
pub struct Tables {
    /// Event triggers.
    pub triggers: PhraseSet<Trigger>,
    /// Context requirements of triggers.
    pub requires: Vec<PhraseSet<()>>,
    /// Refinements.
    pub refine: Vec<Refine>,
    /// Measure cues: value = measure name.
    pub measures: PhraseSet<&'static str>,
    /// Scope qualifiers: value = label.
    pub scopes: PhraseSet<&'static str>,
    /// Negation cues.
    pub negation: PhraseSet<()>,
    /// Hypothetical cues.
    pub hypothetical: PhraseSet<()>,
    /// Threat cues.
    pub threat: PhraseSet<()>,
    /// Responsibility cues.
    pub responsibility: PhraseSet<()>,
    /// Nouns naming who is counted: value = subject class.
    pub classes: PhraseSet<&'static str>,
    /// Words that make a percentage a change.
    pub change: PhraseSet<()>,
    /// Nouns naming an unnamed mission or force (`البعثة`).
    pub generic_force: PhraseSet<()>,
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn set(forms: &[String]) -> PhraseSet<()> {
    let mut p = PhraseSet::new();
    for f in forms {
        p.insert(f, ());
    }
    p
}

impl Tables {
    /// The embedded tables. The files are part of the crate and checked by
    /// its tests; a malformed table is a build defect, reported by panic at
    /// first use (never caused by user input).
    pub fn get() -> &'static Tables {
        static T: OnceLock<Tables> = OnceLock::new();
        T.get_or_init(|| {
            Tables::parse(EVENTS, CUES)
                .unwrap_or_else(|e| panic!("marsad-extract data tables: {e}"))
        })
    }

    fn parse(events: &str, cues: &str) -> Result<Tables, toml::de::Error> {
        let ev: EventsFile = toml::from_str(events)?;
        let cu: CuesFile = toml::from_str(cues)?;
        let mut triggers = PhraseSet::new();
        let mut requires = Vec::new();
        for t in ev.trigger {
            let req = if t.requires.is_empty() {
                None
            } else {
                requires.push(set(&t.requires));
                Some(requires.len() - 1)
            };
            let tr = Trigger {
                event_type: leak(t.event_type),
                sub_type: leak(t.sub_type),
                requires: req,
                generic: false,
            };
            for f in &t.forms {
                triggers.insert(f, tr.clone());
            }
            for f in &t.generic {
                triggers.insert(
                    f,
                    Trigger {
                        generic: true,
                        ..tr.clone()
                    },
                );
            }
        }
        let refine = ev
            .refine
            .into_iter()
            .map(|r| Refine {
                when_type: leak(r.when_type),
                cues: set(&r.cues),
                event_type: leak(r.event_type),
                sub_type: leak(r.sub_type),
            })
            .collect();
        let mut measures = PhraseSet::new();
        for m in cu.measure {
            let name = leak(m.name);
            for f in &m.forms {
                measures.insert(f, name);
            }
        }
        let mut scopes = PhraseSet::new();
        for s in cu.scope {
            let label = leak(s.label);
            for f in &s.forms {
                scopes.insert(f, label);
            }
        }
        let mut classes = PhraseSet::new();
        for c in cu.class {
            let name = leak(c.name);
            for f in &c.forms {
                classes.insert(f, name);
            }
        }
        Ok(Tables {
            classes,
            change: set(&cu.change.forms),
            generic_force: set(&cu.generic_force.forms),
            triggers,
            requires,
            refine,
            measures,
            scopes,
            negation: set(&cu.status.negation),
            hypothetical: set(&cu.status.hypothetical),
            threat: set(&cu.status.threat),
            responsibility: set(&cu.status.responsibility),
        })
    }
}

/// ACLED disorder type of an event type.
pub fn disorder_type(event_type: &str) -> &'static str {
    match event_type {
        "Protests" | "Riots" => "Demonstrations",
        "Strategic developments" => "Strategic developments",
        _ => "Political violence",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse_and_match_with_clitics() {
        let t = Tables::get();
        let text = marsad_text::analyze("ووقع الهجوم بعبوة ناسفة");
        let toks = &text.tokens[..];
        let found = t.triggers.find_all(&text, toks);
        let subs: Vec<&str> = found.iter().map(|(_, _, tr)| tr.sub_type).collect();
        assert!(subs.contains(&"Armed clash"), "{subs:?}");
        assert!(subs.contains(&"Remote explosive/landmine/IED"), "{subs:?}");
    }
}
