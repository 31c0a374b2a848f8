//! What claim and event extraction need to know about a document besides
//! the sentence at hand: the kind of each entity (armed group, army, UN
//! mission, ...), the nationality adjectives in the text (`جنديًا ماليًا`),
//! the document's main armed force or mission (what `البعثة` and `قوات حفظ
//! السلام` refer to when no name is given), and the document's time (the
//! publication date, else the latest full date it mentions).

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;

use chrono::NaiveDate;
use marsad_entities::gazetteer::{Gazetteer, Kind, OrgType};
use marsad_entities::{Attribution, EntityMention, EntityType, SourceType, Stance};
use marsad_figures::{Figure, FigureKind, Grain};
use marsad_text::{Text, TokenKind};
use rustc_hash::FxHashMap;

use crate::SourceRef;

/// What kind of actor an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    /// A UN mission (has a country) or UN body.
    Un {
        /// A mission tied to a country (MINUSMA), not the UN itself.
        mission: bool,
    },
    /// A state army.
    Military,
    /// A non-state armed group.
    ArmedGroup,
    /// A private military company.
    Mercenary,
    /// A government body.
    Government,
    /// A news agency, outlet or monitor.
    Media,
    /// Another organization.
    OtherOrg,
    /// A nationality or group.
    Norp,
    /// A person.
    Person,
    /// A place.
    Place,
}

/// The actor kind of an entity mention.
pub fn actor_kind(e: &EntityMention) -> ActorKind {
    match e.etype {
        EntityType::Pers => return ActorKind::Person,
        EntityType::Gpe | EntityType::Loc | EntityType::Fac => return ActorKind::Place,
        EntityType::Norp => return ActorKind::Norp,
        EntityType::Org => {}
    }
    let entry = Gazetteer::get().by_id(&e.id);
    match entry.map(|g| g.kind) {
        Some(Kind::Org(t)) => match t {
            OrgType::Un => ActorKind::Un {
                mission: entry.is_some_and(|g| g.country.is_some()),
            },
            OrgType::Military => ActorKind::Military,
            OrgType::ArmedGroup => ActorKind::ArmedGroup,
            OrgType::Mercenary => ActorKind::Mercenary,
            OrgType::Government => ActorKind::Government,
            OrgType::Agency | OrgType::Outlet | OrgType::Monitor => ActorKind::Media,
            _ => ActorKind::OtherOrg,
        },
        _ => ActorKind::OtherOrg,
    }
}

/// A nationality word in the text (`ماليًا`, `الروس`) with its country.
#[derive(Debug, Clone)]
pub struct Nisba {
    /// First token index.
    pub tok_start: usize,
    /// One past the last token.
    pub tok_end: usize,
    /// ISO country code.
    pub country: String,
    /// Country name (canonical).
    pub country_name: String,
}

/// Document-level context.
pub struct Ctx<'a> {
    /// The analysed text.
    pub text: &'a Text<'a>,
    /// Figures.
    pub figures: &'a [Figure],
    /// Entities.
    pub entities: &'a [EntityMention],
    /// Attributions.
    pub attributions: &'a [Attribution],
    /// Actor kind of each entity.
    pub kinds: Vec<ActorKind>,
    /// Nationality words of the whole document, found with the gazetteer's
    /// automaton only when a word cannot be looked up on its own (see
    /// [`Ctx::nisba_at`]).
    doc_nisbas: OnceCell<Vec<Nisba>>,
    /// Index of the document's main force: the most mentioned UN mission,
    /// army or armed group (ties: missions, then armies, then groups).
    pub main_force: Option<usize>,
    /// The document's time: publication date, else the latest day- or
    /// month-grain date it mentions.
    pub doc_time: Option<NaiveDate>,
    /// The outlet, the default source.
    pub outlet: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    /// Build the context.
    pub fn new(
        text: &'a Text<'a>,
        figures: &'a [Figure],
        entities: &'a [EntityMention],
        attributions: &'a [Attribution],
        published: Option<NaiveDate>,
        outlet: Option<&'a str>,
    ) -> Self {
        let kinds: Vec<ActorKind> = entities.iter().map(actor_kind).collect();
        // Main force: count mentions per entity id among forces.
        let mut counts: HashMap<&str, (usize, usize, u8)> = HashMap::new();
        for (i, (e, k)) in entities.iter().zip(&kinds).enumerate() {
            let rank = match k {
                ActorKind::Un { mission: true } => 3,
                ActorKind::Military => 2,
                ActorKind::ArmedGroup | ActorKind::Mercenary => 1,
                _ => continue,
            };
            let c = counts.entry(e.id.as_str()).or_insert((0, i, rank));
            c.0 += 1;
        }
        let main_force = counts
            .values()
            .max_by_key(|(n, i, rank)| (*n, *rank, std::cmp::Reverse(*i)))
            .map(|(_, i, _)| *i);
        let doc_time = published.or_else(|| {
            figures
                .iter()
                .filter(|f| f.kind == FigureKind::Date)
                .filter_map(|f| f.date.as_ref())
                .filter(|d| {
                    d.resolved && matches!(d.grain, Grain::Day | Grain::Week | Grain::Month)
                })
                .filter_map(|d| d.value.as_deref().and_then(parse_date_prefix))
                .max()
        });
        Ctx {
            text,
            figures,
            entities,
            attributions,
            kinds,
            doc_nisbas: OnceCell::new(),
            main_force,
            doc_time,
            outlet,
        }
    }

    /// The nationality word (`ماليًا`, `الروس`) at token `i`, if it is one.
    ///
    /// The entity recognizer has already run the gazetteer's automaton over
    /// the document, so this does not scan it again: a nationality form is
    /// one word, and whether a word is one depends only on the word (its
    /// search form, its kind and whether it carries proclitics), so the
    /// answer is looked up word by word, and remembered per thread. Only
    /// when a word analysed on its own does not come out as the same token
    /// (never seen in news text) is the whole document scanned.
    pub fn nisba_at(&self, i: usize) -> Option<Nisba> {
        let tok = self.text.tokens.get(i)?;
        let norm = self.text.norm(tok);
        if norm.is_empty() {
            return None;
        }
        let key = (tok.kind, tok.pro.is_empty());
        let cached = NISBA_WORDS.with(|c| {
            c.borrow()
                .get(norm)
                .and_then(|v| v.iter().find(|(k, _)| *k == key).map(|(_, e)| *e))
        });
        let entry = match cached {
            Some(e) => e,
            None => match word_nisba(self.text.token_text(tok), norm, key) {
                Some(e) => {
                    NISBA_WORDS.with(|c| {
                        let mut c = c.borrow_mut();
                        if c.len() >= NISBA_CACHE_WORDS {
                            c.clear();
                        }
                        c.entry(norm.into()).or_default().push((key, e));
                    });
                    e
                }
                None => {
                    return self
                        .doc_nisbas
                        .get_or_init(|| document_nisbas(self.text))
                        .iter()
                        .find(|n| n.tok_start == i)
                        .cloned();
                }
            },
        };
        let gaz = Gazetteer::get();
        let cc = gaz.entry(entry?).country.as_ref()?;
        Some(Nisba {
            tok_start: i,
            tok_end: i + 1,
            country: cc.clone(),
            country_name: gaz
                .country(cc)
                .map(|c| c.canonical.clone())
                .unwrap_or_else(|| cc.clone()),
        })
    }

    /// Who says what is at byte `pos` of sentence `sentence`.
    pub fn source_at(&self, pos: usize, sentence: usize) -> SourceRef {
        if let Some(a) =
            marsad_entities::attribution::attribution_for(self.attributions, pos, sentence)
        {
            return SourceRef {
                text: a.source_text.clone(),
                source_type: source_type_name(a.source_type).to_string(),
                id: a.source_id.clone(),
                stance: stance_name(a.stance).to_string(),
            };
        }
        SourceRef {
            text: self.outlet.unwrap_or("").to_string(),
            source_type: "outlet".to_string(),
            id: None,
            stance: "states".to_string(),
        }
    }

    /// Entities whose span lies inside sentence `s`, as indices.
    pub fn entities_in_sentence(&self, s: usize) -> impl Iterator<Item = usize> + '_ {
        let sp = self.text.sentences[s];
        self.entities
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.start >= sp.start as usize && e.end <= sp.end as usize)
            .map(|(i, _)| i)
    }
}

/// Per-thread memo of [`Ctx::nisba_at`]: search form → (kind, no
/// proclitics) → the nationality entry of the first gazetteer match on the
/// word, if any. Cleared when it holds this many words.
const NISBA_CACHE_WORDS: usize = 1 << 16;

type NisbaKey = (TokenKind, bool);

/// Search form → the readings of that form seen so far.
type NisbaMemo = FxHashMap<Box<str>, Vec<(NisbaKey, Option<u32>)>>;

thread_local! {
    static NISBA_WORDS: RefCell<NisbaMemo> = RefCell::default();
}

/// The nationality entry of the first gazetteer match on a word that
/// covers it exactly (`Some(None)` when there is none), found by analysing
/// the word on its own; `None` when the word on its own is not the same
/// token as in the document (then the caller scans the document).
fn word_nisba(word: &str, norm: &str, key: NisbaKey) -> Option<Option<u32>> {
    let alone = marsad_text::analyze(word);
    let [t] = &alone.tokens[..] else {
        return None;
    };
    if alone.norm(t) != norm || (t.kind, t.pro.is_empty()) != key {
        return None;
    }
    Some(
        nisbas_of(&alone)
            .into_iter()
            .find(|(m, _)| m.tok_start == 0 && m.tok_end == 1)
            .map(|(_, e)| e),
    )
}

/// Every nationality word of a text, in the order of the gazetteer's
/// matches.
fn document_nisbas(text: &Text<'_>) -> Vec<Nisba> {
    let gaz = Gazetteer::get();
    nisbas_of(text)
        .into_iter()
        .filter_map(|(m, e)| {
            let cc = gaz.entry(e).country.clone()?;
            let country_name = gaz
                .country(&cc)
                .map(|c| c.canonical.clone())
                .unwrap_or_else(|| cc.clone());
            Some(Nisba {
                tok_start: m.tok_start,
                tok_end: m.tok_end,
                country: cc,
                country_name,
            })
        })
        .collect()
}

/// Gazetteer matches on `text` that name a nationality (a nisba adjective
/// or a demonym with a country), with that entry.
fn nisbas_of(text: &Text<'_>) -> Vec<(marsad_entities::gazetteer::GazMatch, u32)> {
    let gaz = Gazetteer::get();
    gaz.find(text)
        .into_iter()
        .filter_map(|m| {
            let items = gaz.patterns.get(m.pattern as usize)?;
            items
                .iter()
                .find(|it| {
                    let e = gaz.entry(it.entry);
                    matches!(e.kind, Kind::NisbaAdj | Kind::Demonym) && e.country.is_some()
                })
                .map(|it| (m, it.entry))
        })
        .collect()
}

/// Parse an ISO date prefix (`2023`, `2023-12`, `2023-12-31`) to its first day.
pub fn parse_date_prefix(s: &str) -> Option<NaiveDate> {
    let mut it = s.get(..10.min(s.len()))?.split('-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next().map_or(Some(1), |x| x.parse().ok())?;
    let d: u32 = it.next().map_or(Some(1), |x| x.parse().ok())?;
    NaiveDate::from_ymd_opt(y, m, d)
}

fn source_type_name(t: SourceType) -> &'static str {
    match t {
        SourceType::Person => "person",
        SourceType::Organization => "organization",
        SourceType::Agency => "agency",
        SourceType::Outlet => "outlet",
        SourceType::Anonymous => "anonymous",
    }
}

fn stance_name(s: Stance) -> &'static str {
    match s {
        Stance::States => "states",
        Stance::Claims => "claims",
        Stance::Confirms => "confirms",
        Stance::Denies => "denies",
    }
}
