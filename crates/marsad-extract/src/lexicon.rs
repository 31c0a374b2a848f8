//! The rule tables of this crate (`data/events.toml`, `data/cues.toml`),
//! embedded and loaded once, and a phrase matcher over token bases.
//!
//! Every word or phrase in the tables is run through the same text layer as
//! the documents (normalization, clitic removal), so a table entry written
//! `الهجوم` or `هجوم` matches `والهجوم`, `بالهجوم` and `هجوم` alike, and a
//! linguist can edit the tables without knowing the normalization rules.
//! Write words as they appear in text (`معركة` with its `ة`): the analyser
//! reads a table word like any other. When it splits clitics off a table
//! word (`داهم` → `دا + هم`), a token matches only if it carries them too,
//! so the split never makes a short base (`دا`) match unrelated words.

use std::sync::OnceLock;

use marsad_text::{Enclitic, Text, Token, TokenKind, analyze_raw};
use rustc_hash::FxHashMap;
use serde::Deserialize;

static EVENTS: &str = include_str!("../data/events.toml");
static CUES: &str = include_str!("../data/cues.toml");

/// One word of a table phrase, as the text layer analyses it.
#[derive(Debug, Clone)]
struct Word {
    /// Search form of the word as written in the table.
    norm: String,
    /// Its clitic-free base.
    base: String,
    /// Proclitics the analyser found on the written word, the article
    /// excepted (a table word written with `ال` names the noun).
    pro: Vec<&'static str>,
    /// Enclitic the analyser found on the written word.
    enc: Enclitic,
}

impl Word {
    /// Does token `t` read as this word? Either its base is the word as
    /// written (`وفروا` → `فروا`), or it has the same base and carries at
    /// least the clitics the analyser split off the written word: the table
    /// word `داهم` is read `دا + هم`, and must not match `بدأ` (read `ب +
    /// دا`) or `دا سيلفا`; `كمينا` (read `ك + مي + نا`) must not match
    /// `ومينا`.
    fn matches(&self, text: &Text<'_>, t: &Token) -> bool {
        let b = text.base(t);
        if b == self.norm {
            return true;
        }
        b == self.base
            && (self.enc == Enclitic::None || t.enc == self.enc)
            && (self.pro.is_empty() || self.pro.iter().all(|p| t.pro.iter().any(|q| q == *p)))
    }
}

/// A set of phrases (sequences of table words) with a value each, matched
/// longest-first at a token position.
#[derive(Debug)]
pub struct PhraseSet<T> {
    /// Phrases by the base and the written form of their first word.
    by_first: FxHashMap<String, Vec<(Vec<Word>, T)>>,
}

impl<T: Clone> PhraseSet<T> {
    fn new() -> Self {
        PhraseSet {
            by_first: FxHashMap::default(),
        }
    }

    fn insert(&mut self, phrase: &str, value: T) {
        let a = analyze_raw(phrase);
        let words: Vec<Word> = a
            .tokens
            .iter()
            .filter(|t| t.kind != TokenKind::Punct)
            .filter(|t| !a.base(t).is_empty())
            .map(|t| Word {
                norm: a.norm(t).to_string(),
                base: a.base(t).to_string(),
                pro: t.pro.iter().filter(|p| *p != "ال").collect(),
                enc: t.enc,
            })
            .collect();
        let Some(first) = words.first() else {
            return;
        };
        let mut keys = vec![first.base.clone()];
        if first.norm != first.base {
            keys.push(first.norm.clone());
        }
        for k in keys {
            let v = self.by_first.entry(k).or_default();
            v.push((words.clone(), value.clone()));
            // Longest phrases first.
            v.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        }
    }

    /// The longest phrase starting at token `i` of `toks` (indices into
    /// `text.tokens`), as (number of tokens, value).
    pub fn match_at(&self, text: &Text<'_>, toks: &[Token], i: usize) -> Option<(usize, &T)> {
        let t = toks.get(i)?;
        let cands = self.by_first.get(text.base(t))?;
        cands
            .iter()
            .find(|(p, _)| {
                i + p.len() <= toks.len()
                    && p.iter()
                        .enumerate()
                        .all(|(k, w)| w.matches(text, &toks[i + k]))
            })
            .map(|(p, v)| (p.len(), v))
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
    #[serde(default)]
    ignore: Vec<ChangeDef>,
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
    requires_entity: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    unless_near: Vec<String>,
    #[serde(default)]
    object: Vec<String>,
    #[serde(default)]
    object_entity: Vec<String>,
    #[serde(default)]
    object_pronoun: bool,
    #[serde(default)]
    refinable: bool,
    #[serde(default)]
    purpose: bool,
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
    strength: StrengthDef,
    label: ChangeDef,
    class_link: ChangeDef,
}

#[derive(Deserialize)]
struct StrengthDef {
    before: usize,
    after: usize,
    member_owners: Vec<String>,
    year_min: u32,
    year_max: u32,
    bodies: Vec<String>,
    not_between: Vec<String>,
    new_force: Vec<String>,
    rate: Vec<String>,
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
    hypothetical_after: Vec<String>,
    threat: Vec<String>,
    background: Vec<String>,
    generic_before: Vec<String>,
    purpose_exempt: Vec<String>,
    responsibility: Vec<String>,
    claimant_heads: Vec<String>,
    claimant_stop: Vec<String>,
    agent_triggers: Vec<String>,
    agent_stop: Vec<String>,
}

/// Kinds of entity a trigger's context may require (`requires_entity`,
/// `object_entity` in `data/events.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityNeed {
    /// A non-state armed group or a private military company.
    ArmedGroup,
    /// A state army, a UN mission or a government.
    StateForce,
    /// A place.
    Place,
}

impl EntityNeed {
    fn parse(s: &str) -> Result<EntityNeed, String> {
        Ok(match s {
            "armed_group" => EntityNeed::ArmedGroup,
            "state_force" => EntityNeed::StateForce,
            "place" => EntityNeed::Place,
            _ => return Err(format!("unknown entity kind `{s}`")),
        })
    }
}

/// What a trigger needs around it to report an event (see `data/events.toml`).
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// Index into [`Tables::sets`]: words one of which the sentence must
    /// contain (unless an entity of [`Needs::requires_entity`] is there).
    pub requires: Option<usize>,
    /// Entities one of which may stand for the required words.
    pub requires_entity: Vec<EntityNeed>,
    /// Index into [`Tables::sets`]: words that make the sentence about
    /// something else (weapons seized, a volcano, a football match).
    pub unless: Option<usize>,
    /// Index into [`Tables::sets`]: the same, within three words of the
    /// trigger (`بيان نشرته`, `نشر مقطع فيديو`).
    pub unless_near: Option<usize>,
    /// Index into [`Tables::sets`]: what the trigger must act on, within a
    /// few words after it (a territory for `استعادة`).
    pub object: Option<usize>,
    /// Entities that count as that object.
    pub object_entity: Vec<EntityNeed>,
    /// A pronoun on the trigger counts as that object (`استعادتها`).
    pub object_pronoun: bool,
}

/// What a strength claim needs besides a cue (`[strength]` in
/// `data/cues.toml`).
#[derive(Debug)]
pub struct StrengthRules {
    /// Words a strength cue may stand before the figure.
    pub before: usize,
    /// Words a strength cue may stand after the figure.
    pub after: usize,
    /// Owners whose members and staff are a force's people.
    pub member_owners: Vec<OwnerKind>,
    /// Bare numbers in this range are years.
    pub years: std::ops::RangeInclusive<u32>,
    /// Bodies whose members are not a force's people.
    pub bodies: PhraseSet<()>,
    /// Words between a strength cue and the figure that take the cue.
    pub not_between: PhraseSet<()>,
    /// Indefinite force nouns that introduce another force.
    pub new_force: PhraseSet<()>,
    /// Words after a figure that make it a rate (`شهرياً`).
    pub rate: PhraseSet<()>,
}

/// Kinds of owner named in `member_owners`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    /// A UN mission tied to a country.
    UnMission,
    /// A state army.
    Military,
    /// A non-state armed group.
    ArmedGroup,
    /// A private military company.
    Mercenary,
}

impl OwnerKind {
    fn parse(s: &str) -> Result<OwnerKind, String> {
        Ok(match s {
            "un_mission" => OwnerKind::UnMission,
            "military" => OwnerKind::Military,
            "armed_group" => OwnerKind::ArmedGroup,
            "mercenary" => OwnerKind::Mercenary,
            _ => return Err(format!("unknown owner kind `{s}`")),
        })
    }
}

/// One trigger's coding.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// ACLED event type.
    pub event_type: &'static str,
    /// ACLED sub-event type.
    pub sub_type: &'static str,
    /// Index into [`Tables::needs`].
    pub needs: usize,
    /// A generic form (a plural naming a pattern of events).
    pub generic: bool,
    /// May [`Tables::refine`] recode it (a generic attack word)?
    pub refinable: bool,
    /// With the preposition ل it is a purpose (`للقتال`), not an event.
    pub purpose: bool,
    /// A phrase that is not an event (`خط الهجوم`, `مذكرة توقيف`): it
    /// only keeps its words from being read as triggers.
    pub ignore: bool,
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
    /// What each trigger group needs around it.
    pub needs: Vec<Needs>,
    /// Word sets referred to by [`Needs`].
    pub sets: Vec<PhraseSet<()>>,
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
    /// Hypothetical cues right after the trigger (`ضربات محتملة`).
    pub hypothetical_after: PhraseSet<()>,
    /// Threat cues.
    pub threat: PhraseSet<()>,
    /// Cues that make the trigger a reference to an earlier act (`قضية`,
    /// `ذكرى`).
    pub background: PhraseSet<()>,
    /// The word before the trigger makes it generic (`أي هجوم`).
    pub generic_before: PhraseSet<()>,
    /// Words before a purpose `ل` that make it a consequence (`تعرض لهجوم`).
    pub purpose_exempt: PhraseSet<()>,
    /// Responsibility cues.
    pub responsibility: PhraseSet<()>,
    /// Head nouns of a claimant phrase that is no known organization.
    pub claimant_heads: PhraseSet<()>,
    /// Words that end a claimant phrase.
    pub claimant_stop: PhraseSet<()>,
    /// Strike and attack nouns whose agent may follow them.
    pub agent_triggers: PhraseSet<()>,
    /// Words that end the search for that agent.
    pub agent_stop: PhraseSet<()>,
    /// Nouns naming who is counted: value = subject class.
    pub classes: PhraseSet<&'static str>,
    /// Words that make a percentage a change.
    pub change: PhraseSet<()>,
    /// Nouns naming an unnamed mission or force (`البعثة`).
    pub generic_force: PhraseSet<()>,
    /// What a strength claim needs.
    pub strength: StrengthRules,
    /// Nouns after which a number is a label (`اللواء 93`).
    pub label: PhraseSet<()>,
    /// Words through which a number refers back to a person noun
    /// (`البالغ عددها`).
    pub class_link: PhraseSet<()>,
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

    fn parse(events: &str, cues: &str) -> Result<Tables, String> {
        let ev: EventsFile = toml::from_str(events).map_err(|e| e.to_string())?;
        let cu: CuesFile = toml::from_str(cues).map_err(|e| e.to_string())?;
        let mut triggers = PhraseSet::new();
        let mut sets = Vec::new();
        let mut needs = vec![Needs::default()];
        let mut add_set = |forms: &[String]| {
            (!forms.is_empty()).then(|| {
                sets.push(set(forms));
                sets.len() - 1
            })
        };
        let kinds = |v: &[String]| -> Result<Vec<EntityNeed>, String> {
            v.iter().map(|s| EntityNeed::parse(s)).collect()
        };
        for t in ev.trigger {
            needs.push(Needs {
                requires: add_set(&t.requires),
                requires_entity: kinds(&t.requires_entity)?,
                unless: add_set(&t.unless),
                unless_near: add_set(&t.unless_near),
                object: add_set(&t.object),
                object_entity: kinds(&t.object_entity)?,
                object_pronoun: t.object_pronoun,
            });
            let tr = Trigger {
                event_type: leak(t.event_type),
                sub_type: leak(t.sub_type),
                needs: needs.len() - 1,
                generic: false,
                refinable: t.refinable,
                purpose: t.purpose,
                ignore: false,
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
        for f in ev.ignore.iter().flat_map(|g| &g.forms) {
            triggers.insert(
                f,
                Trigger {
                    event_type: "",
                    sub_type: "",
                    needs: 0,
                    generic: false,
                    refinable: false,
                    purpose: false,
                    ignore: true,
                },
            );
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
        let strength = StrengthRules {
            before: cu.strength.before,
            after: cu.strength.after,
            member_owners: cu
                .strength
                .member_owners
                .iter()
                .map(|s| OwnerKind::parse(s))
                .collect::<Result<_, _>>()?,
            years: cu.strength.year_min..=cu.strength.year_max,
            bodies: set(&cu.strength.bodies),
            not_between: set(&cu.strength.not_between),
            new_force: set(&cu.strength.new_force),
            rate: set(&cu.strength.rate),
        };
        Ok(Tables {
            strength,
            label: set(&cu.label.forms),
            class_link: set(&cu.class_link.forms),
            classes,
            change: set(&cu.change.forms),
            generic_force: set(&cu.generic_force.forms),
            triggers,
            needs,
            sets,
            refine,
            measures,
            scopes,
            negation: set(&cu.status.negation),
            hypothetical: set(&cu.status.hypothetical),
            hypothetical_after: set(&cu.status.hypothetical_after),
            threat: set(&cu.status.threat),
            background: set(&cu.status.background),
            generic_before: set(&cu.status.generic_before),
            purpose_exempt: set(&cu.status.purpose_exempt),
            responsibility: set(&cu.status.responsibility),
            claimant_heads: set(&cu.status.claimant_heads),
            claimant_stop: set(&cu.status.claimant_stop),
            agent_triggers: set(&cu.status.agent_triggers),
            agent_stop: set(&cu.status.agent_stop),
        })
    }
}

/// Do two events of this ACLED type need the same sub-event type to be
/// one event? Strategic developments of different kinds (an agreement, a
/// withdrawal, an arrest) are different events even in one place on one
/// day; for violence, one outlet's "attack" is another's "suicide bomb".
/// Used within a document and across documents (`marsad-insight`).
pub fn sub_type_separates(event_type: &str) -> bool {
    event_type == "Strategic developments"
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
