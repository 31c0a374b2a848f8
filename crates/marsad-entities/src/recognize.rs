//! Entity recognition: gazetteer matches and the statistical tagger's labels
//! combined into typed, linked, geocoded mentions.
//!
//! # How the two sources are combined
//! 1. **Gazetteer** ([`crate::gazetteer`]): all names in one pass over the words;
//!    overlapping matches are resolved longest first. Two kinds of entries
//!    need evidence before they count:
//!    - *ambiguous forms*, names that are also common words (`مالي`
//!      "financial", `القاعدة` "the base"), count only when the document
//!      names the same country or organization unambiguously elsewhere, or
//!      (countries) after a preposition; an ambiguous organization name
//!      followed by a definite adjective (`القاعدة السابقة`) is the common
//!      noun: proper names do not take attributive adjectives in news prose;
//!    - *small places* (under 100,000 inhabitants) count only in a document
//!      that mentions their country, or after a place noun (`بلدة`, `مدينة`):
//!      many Arabic town names are also given names or words.
//! 2. **Tagger** ([`crate::tagger`]): its spans add what gazetteers cannot
//!    know (persons, unknown organizations and places). Where a tagger span
//!    overlaps a gazetteer entity, the gazetteer wins, except that a person
//!    span beats a place in a country the document does not mention (`وان`
//!    is a name in a Mali report, not the Turkish city). A tagger `LOC` not in the gazetteer becomes a GPE if it
//!    resolves by transliteration to a town, else a LOC.
//! 3. **Titles** (`وزير الخارجية`, `العقيد`): a title, extended by
//!    complements (an organization, a country, a nisba adjective, `العامة`,
//!    `للجيش`), attaches to the person name right after it; when no
//!    tagger span is there, the name is read off the following tokens
//!    (words without the article, stopping at function words; `عبد`, `أبو`
//!    and `بن` may be followed by a definite word). A title in apposition
//!    after a name (`ميريام ديسابل، رئيسة الاتصالات`) attaches too.
//! 4. **Facilities**: a facility head noun (`مطار`, `قاعدة`, `فندق`)
//!    followed by a name (a place, a person name, unknown capitalizable
//!    words) and optional closing adjectives (`الدولي`) is a FAC.
//! 5. **Linking**: a person mention whose tokens are all contained in a
//!    longer person mention of the same document (`ديوب` in `عبد الله
//!    ديوب`, `وان` in `القاسم وان`) takes its canonical name and id.
//!    Gazetteer entities keep the gazetteer id; others get document-local
//!    ids `doc:pers:1`, `doc:org:2`, ...
//! 6. **Places** ([`crate::geo`]) are resolved last, with the set of
//!    countries the document mentions. A settlement noun before a town is
//!    part of its name (`مدينة البيرة`, `قرية اليامون`: the span widens);
//!    `بلدية X` is the town's municipality, an ORG (`data/place_heads.tsv`).
//!    A place still unresolved gets the point of the country the document
//!    names most, at precision 3 (`resolved_by = "document-country"`), as
//!    ACLED codes an event known only by its country.
//!
//! Entity spans exclude attached proclitics (`بباماكو` → `باماكو`).

use crate::tagger::features::{FastMap as HashMap, FastSet as HashSet};
use std::sync::OnceLock;

use marsad_text::{Text, TokenKind};

use crate::gazetteer::{Gazetteer, Kind, OrgType};
use crate::geo::{self, DocCountries};
use crate::tagger::{NerClass, NerLabel, Tagger};
use crate::{EntityMention, EntityType, Place};

static FUNCTION_WORDS: &str = include_str!("../data/function_words.txt");
static PLACE_CUES: &str = include_str!("../data/place_cues.txt");
static SETTLEMENT_NOUNS: &str = include_str!("../data/settlement_nouns.txt");
static PLACE_HEADS: &str = include_str!("../data/place_heads.tsv");
static NATURAL_FEATURES: &str = include_str!("../data/natural_features.txt");

/// Population from which a place counts without further evidence.
const STRONG_POPULATION: u64 = 100_000;

/// The recognizer: gazetteers, tagger and word lists.
pub struct Recognizer {
    gaz: &'static Gazetteer,
    tagger: Option<&'static Tagger>,
    function_words: HashSet<String>,
    place_cues: HashSet<String>,
    settlement_nouns: HashSet<String>,
    place_heads: HashMap<String, EntityType>,
    natural_features: HashSet<String>,
}

/// A title found in a document, with the span it covers (complements
/// included).
#[derive(Debug, Clone, PartialEq)]
pub struct TitleSpan {
    /// First token.
    pub tok_start: usize,
    /// One past the last token.
    pub tok_end: usize,
    /// Byte span in the original text.
    pub start: usize,
    /// End of the byte span.
    pub end: usize,
    /// Index of the person mention it is attached to, if any.
    pub person: Option<usize>,
}

/// Full result of recognition: the mentions and the titles.
#[derive(Debug, Clone, Default)]
pub struct Recognition {
    /// Entity mentions in text order.
    pub mentions: Vec<EntityMention>,
    /// Token range of each mention.
    pub mention_tokens: Vec<(usize, usize)>,
    /// Titles (attached or not).
    pub titles: Vec<TitleSpan>,
    /// Countries the document mentions (ISO2).
    pub countries: DocCountries,
}

fn word_set(s: &str) -> HashSet<String> {
    s.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(crate::gazetteer::pattern_form)
        .collect()
}

/// How a place name was resolved: entry, alternative entries, place.
type Resolution = (Option<u32>, Vec<u32>, Option<Place>);

/// A candidate mention while recognizing.
#[derive(Debug, Clone)]
struct Cand {
    tok_start: usize,
    tok_end: usize,
    start: usize,
    end: usize,
    etype: EntityType,
    entry: Option<u32>,
    /// Alternative place entries (same name).
    places: Vec<u32>,
    place: Option<Place>,
    title: Option<(usize, usize)>,
}

impl Recognizer {
    /// The process-wide recognizer (gazetteer and tagger load on first use).
    pub fn get() -> &'static Recognizer {
        static R: OnceLock<Recognizer> = OnceLock::new();
        R.get_or_init(|| Recognizer::new(Tagger::builtin().ok()))
    }

    /// A recognizer that uses the gazetteers and rules only, without the
    /// statistical tagger: faster, no persons except after titles. For
    /// benchmarks and bulk pre-filtering.
    pub fn gazetteer_only() -> &'static Recognizer {
        static R: OnceLock<Recognizer> = OnceLock::new();
        R.get_or_init(|| Recognizer::new(None))
    }

    fn new(tagger: Option<&'static Tagger>) -> Recognizer {
        Recognizer {
            gaz: Gazetteer::get(),
            tagger,
            function_words: word_set(FUNCTION_WORDS),
            place_cues: word_set(PLACE_CUES),
            settlement_nouns: word_set(SETTLEMENT_NOUNS),
            natural_features: word_set(NATURAL_FEATURES),
            place_heads: PLACE_HEADS
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .map(|(h, t)| {
                    let ty = if t.trim() == "ORG" {
                        EntityType::Org
                    } else {
                        EntityType::Gpe
                    };
                    (crate::gazetteer::pattern_form(h.trim()), ty)
                })
                .collect(),
        }
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &'static Gazetteer {
        self.gaz
    }

    /// Entity mentions of `text`, in text order.
    pub fn recognize(&self, text: &Text) -> Vec<EntityMention> {
        self.recognize_full(text).mentions
    }

    /// Entity mentions, their tokens, titles and document countries.
    pub fn recognize_full(&self, text: &Text) -> Recognition {
        let g = self.gaz;
        let ntok = text.tokens.len();
        let raw = g.find(text);

        // Evidence: countries and entities named unambiguously.
        let mut countries = DocCountries::new();
        // Countries named by something other than a town in them: the
        // evidence that a town name is that town and not a person's name.
        let mut named_countries = DocCountries::new();
        let mut named: HashSet<u32> = HashSet::default();
        let prep_before = |m: &crate::gazetteer::GazMatch| {
            m.has_prefix
                || (m.tok_start > 0
                    && matches!(
                        text.norm(&text.tokens[m.tok_start - 1]),
                        "في" | "من"
                            | "الي"
                            | "علي"
                            | "عن"
                            | "حكومه"
                            | "دوله"
                            | "شمال"
                            | "جنوب"
                            | "شرق"
                            | "غرب"
                            | "وسط"
                            | "جمهوريه"
                    ))
        };
        for m in &raw {
            for it in &g.patterns[m.pattern as usize] {
                // An ambiguous country name after a preposition is the
                // country (`في مالي`, `شمال مالي`).
                if it.ambiguous && !(g.entry(it.entry).kind == Kind::Country && prep_before(m)) {
                    continue;
                }
                let e = g.entry(it.entry);
                let strong = match e.kind {
                    Kind::Country | Kind::NisbaAdj | Kind::Demonym | Kind::Region => true,
                    Kind::Place => e.population >= STRONG_POPULATION,
                    Kind::Org(t) => !matches!(t, OrgType::Agency | OrgType::Outlet),
                    _ => false,
                };
                if strong && let Some(c) = &e.country {
                    countries.insert(c.clone());
                    if e.kind != Kind::Place {
                        named_countries.insert(c.clone());
                    }
                }
                named.insert(it.entry);
            }
        }

        // Choose an entry for each raw match, dropping unsupported ones.
        let mut chosen: Vec<(usize, u32, Vec<u32>)> = Vec::new(); // (raw idx, entry, places)
        for (ri, m) in raw.iter().enumerate() {
            let items = &g.patterns[m.pattern as usize];
            let prev_norm = (m.tok_start > 0).then(|| text.norm(&text.tokens[m.tok_start - 1]));
            let after_prep = prep_before(m);
            let after_cue = prev_norm.is_some_and(|p| self.place_cues.contains(p) && p.len() > 6);
            let next_definite = text
                .tokens
                .get(m.tok_end)
                .is_some_and(|t| t.pro.has_article() && t.kind == TokenKind::Word);
            let mut best: Option<u32> = None;
            let mut places = Vec::new();
            for it in items {
                let e = g.entry(it.entry);
                if it.ambiguous {
                    let evidence = match e.kind {
                        Kind::Org(_) => named.contains(&it.entry) && !next_definite,
                        Kind::Country => {
                            after_prep || e.country.as_ref().is_some_and(|c| countries.contains(c))
                        }
                        // A town spelled like a common word needs a
                        // settlement noun before it (`مدينة الخليل`).
                        Kind::Place => after_cue,
                        _ => e.country.as_ref().is_some_and(|c| countries.contains(c)),
                    };
                    if !evidence {
                        continue;
                    }
                }
                if e.kind == Kind::Place {
                    let ok = e.population >= STRONG_POPULATION
                        || after_cue
                        || e.country.as_ref().is_some_and(|c| countries.contains(c));
                    if ok {
                        places.push(it.entry);
                    }
                    continue;
                }
                if best.is_none() {
                    best = Some(it.entry);
                }
            }
            let entry = match best {
                Some(b) => b,
                None => match geo::choose_place(g, &places, &countries) {
                    Some(p) => p,
                    None => continue,
                },
            };
            chosen.push((ri, entry, places));
        }
        // Longest first, then leftmost; no token used twice.
        chosen.sort_by_key(|(ri, _, _)| {
            let m = &raw[*ri];
            (std::cmp::Reverse(m.len), m.start)
        });
        let mut owner: Vec<u32> = vec![u32::MAX; ntok];
        let mut sel: Vec<(usize, u32, Vec<u32>)> = Vec::new();
        for (ri, entry, places) in chosen {
            let m = &raw[ri];
            if owner[m.tok_start..m.tok_end].iter().any(|&o| o != u32::MAX) {
                continue;
            }
            let k = sel.len() as u32;
            owner[m.tok_start..m.tok_end].fill(k);
            sel.push((ri, entry, places));
        }
        sel.sort_by_key(|(ri, _, _)| raw[*ri].start);

        // Build candidates from entity-making gazetteer matches; collect
        // titles, complements and facility words by token.
        let mut cands: Vec<Cand> = Vec::new();
        let mut tok_kind: Vec<Option<(Kind, usize)>> = vec![None; ntok]; // kind, sel index
        for (si, (ri, entry, places)) in sel.iter().enumerate() {
            let m = &raw[*ri];
            let e = g.entry(*entry);
            for k in tok_kind.iter_mut().take(m.tok_end).skip(m.tok_start) {
                *k = Some((e.kind, si));
            }
            let Some(etype) = e.etype else { continue };
            cands.push(Cand {
                tok_start: m.tok_start,
                tok_end: m.tok_end,
                start: m.start,
                end: m.end,
                etype,
                entry: Some(*entry),
                places: places.clone(),
                place: None,
                title: None,
            });
        }

        // Does token i belong to a match whose pattern has an entry of kind k
        // (`الدولي` is both a title complement and a facility suffix)?
        let tok_has = |i: usize, k: Kind| -> bool {
            tok_kind[i].is_some_and(|(_, si)| {
                let m = &raw[sel[si].0];
                g.patterns[m.pattern as usize]
                    .iter()
                    .any(|it| g.entry(it.entry).kind == k)
            })
        };

        let mut raw_by_start: Vec<usize> = (0..raw.len()).collect();
        raw_by_start.sort_by_key(|&ri| raw[ri].tok_start);

        // Tagger spans.
        let mut tagged: Vec<(usize, usize, NerClass)> = Vec::new();
        if let Some(tg) = self.tagger {
            for si in 0..text.sentences.len() {
                let s = &text.sentences[si];
                let labels = tg.tag_sentence(text, si);
                let base = s.first_token as usize;
                let mut open: Option<(usize, NerClass)> = None;
                for (i, l) in labels.iter().enumerate() {
                    match *l {
                        NerLabel::B(c) => {
                            if let Some((st, oc)) = open.take() {
                                tagged.push((base + st, base + i, oc));
                            }
                            open = Some((i, c));
                        }
                        NerLabel::I(c) => {
                            if open.is_none() {
                                open = Some((i, c));
                            }
                        }
                        NerLabel::O => {
                            if let Some((st, oc)) = open.take() {
                                tagged.push((base + st, base + i, oc));
                            }
                        }
                    }
                }
                if let Some((st, oc)) = open.take() {
                    tagged.push((base + st, base + labels.len(), oc));
                }
            }
        }
        let mut gaz_owner: Vec<u32> = vec![u32::MAX; ntok];
        for (ci, c) in cands.iter().enumerate() {
            gaz_owner[c.tok_start..c.tok_end].fill(ci as u32);
        }
        let mut dead = vec![false; cands.len()];
        for (mut a, b, class) in tagged {
            // Titles are not part of names.
            while a < b && matches!(tok_kind[a], Some((Kind::Title | Kind::TitleComplement, _))) {
                a += 1;
            }
            if a >= b || b > ntok {
                continue;
            }
            if b == a + 1 {
                let t = &text.tokens[a];
                let base = text.base(t);
                // A one-word name never carries a pronoun suffix (`قوله`), and
                // a bare definite head noun (`المدينة`, `المنطقة`) points
                // back at a place named before: neither is a name.
                if t.enc != marsad_text::Enclitic::None
                    || (t.pro.has_article()
                        && (self.settlement_nouns.contains(base)
                            || self.natural_features.contains(base)
                            || self.place_heads.contains_key(base)))
                {
                    continue;
                }
            }
            // Gazetteer candidates under the span (tagger spans never
            // overlap one another, so only those can).
            let mut overl: Vec<usize> = Vec::new();
            for &o in &gaz_owner[a..b] {
                if o != u32::MAX && !dead[o as usize] && overl.last() != Some(&(o as usize)) {
                    overl.push(o as usize);
                }
            }
            if !overl.is_empty() {
                let weak = overl.iter().all(|&i| {
                    cands[i].entry.is_some_and(|e| {
                        let e = g.entry(e);
                        e.kind == Kind::Place
                            && !e
                                .country
                                .as_ref()
                                .is_some_and(|c| named_countries.contains(c))
                    })
                });
                if class == NerClass::Pers && weak {
                    for &i in &overl {
                        dead[i] = true;
                    }
                } else {
                    continue;
                }
            }
            // The tagger's label is the evidence an ambiguous gazetteer form
            // needs (`مالي` tagged LOC is the country, not "financial").
            let from = raw_by_start.partition_point(|&ri| raw[ri].tok_start < a);
            let amb = raw_by_start[from..]
                .iter()
                .map(|&ri| &raw[ri])
                .find_map(|m| {
                    if m.tok_start != a || m.tok_end != b {
                        return None;
                    }
                    g.patterns[m.pattern as usize].iter().find_map(|it| {
                        let e = g.entry(it.entry);
                        let fits = match class {
                            NerClass::Loc => {
                                matches!(e.kind, Kind::Country | Kind::Region | Kind::Place)
                            }
                            NerClass::Org => matches!(e.kind, Kind::Org(_)),
                            _ => false,
                        };
                        (it.ambiguous && fits).then_some((m.start, it.entry))
                    })
                });
            if let Some((start, entry)) = amb {
                let e = g.entry(entry);
                if let Some(c) = &e.country {
                    countries.insert(c.clone());
                }
                cands.push(Cand {
                    tok_start: a,
                    tok_end: b,
                    start,
                    end: text.tokens[b - 1].end as usize,
                    etype: e.etype.unwrap_or(EntityType::Gpe),
                    entry: Some(entry),
                    places: Vec::new(),
                    place: None,
                    title: None,
                });
                continue;
            }
            let etype = match class {
                NerClass::Pers => EntityType::Pers,
                NerClass::Org => EntityType::Org,
                NerClass::Loc => EntityType::Loc,
                NerClass::Misc => continue,
            };
            cands.push(Cand {
                tok_start: a,
                tok_end: b,
                start: text.tokens[a].start as usize + tagger_clitic_skip(text, a),
                end: text.tokens[b - 1].end as usize,
                etype,
                entry: None,
                places: Vec::new(),
                place: None,
                title: None,
            });
        }
        let mut ci = 0;
        cands.retain(|_| {
            let keep = dead.get(ci).is_none_or(|d| !d);
            ci += 1;
            keep
        });
        cands.sort_by_key(|c| c.tok_start);

        // For reading names after titles, a town in a country the document
        // never names is no obstacle: many given names are also villages
        // (`موسى`, `يوسف`).
        let name_kind: Vec<Option<(Kind, usize)>> = tok_kind
            .iter()
            .map(|k| match *k {
                Some((Kind::Place, si))
                    if !g
                        .entry(sel[si].1)
                        .country
                        .as_ref()
                        .is_some_and(|c| named_countries.contains(c)) =>
                {
                    None
                }
                other => other,
            })
            .collect();

        // Titles.
        let mut titles: Vec<TitleSpan> = Vec::new();
        let mut i = 0;
        while i < ntok {
            let Some((Kind::Title, _)) = tok_kind[i] else {
                i += 1;
                continue;
            };
            let t0 = i;
            let mut j = i;
            while j < ntok && matches!(tok_kind[j], Some((Kind::Title, _))) {
                j += 1;
            }
            // Complements: organizations, countries, nisba adjectives,
            // complement words.
            let mut chain = false;
            loop {
                if j >= ntok {
                    break;
                }
                match tok_kind[j] {
                    Some((
                        Kind::TitleComplement
                        | Kind::Org(_)
                        | Kind::Country
                        | Kind::NisbaAdj
                        | Kind::Region
                        | Kind::Title,
                        _,
                    )) => j += 1,
                    // A definite relational (nisba) adjective names the
                    // country of the office: `وزير الخارجية الأمريكي`.
                    None if text.tokens[j].pro.has_article()
                        && text.base(&text.tokens[j]).ends_with('ي')
                        && text.base(&text.tokens[j]).chars().count() >= 3 =>
                    {
                        j += 1
                    }
                    // After an institution noun the title goes on as long as
                    // the words are definite (`رئيس اللجنة العليا
                    // للانتخابات`): a genitive chain of definite nouns and
                    // adjectives; a name is indefinite.
                    None if j > t0 + 1
                        && j - t0 < 8
                        && text.tokens[j].pro.has_article()
                        && (chain
                            || matches!(
                                tok_kind[j - 1],
                                Some((Kind::TitleComplement | Kind::Org(_), _))
                            )) =>
                    {
                        chain = true;
                        j += 1
                    }
                    _ => break,
                }
            }
            // Do not end on a dangling preposition (`في`).
            while j > t0 + 1
                && matches!(tok_kind[j - 1], Some((Kind::TitleComplement, _)))
                && matches!(text.norm(&text.tokens[j - 1]), "في" | "لدي" | "باسم" | "ب")
            {
                j -= 1;
            }
            let title_start = text.tokens[t0].start as usize + clitic_skip(text, t0);
            let title_end = text.tokens[j - 1].end as usize;
            // A parenthesized acronym after the title's organization
            // (`رئيس بعثة الأمم المتحدة في مالي (مينوسما) القاسم واين`).
            if j + 2 < ntok
                && text.norm(&text.tokens[j]) == "("
                && let Some(close) =
                    (j + 1..ntok.min(j + 5)).find(|&k| text.norm(&text.tokens[k]) == ")")
            {
                j = close + 1;
            }
            // A name in apposition between commas: `وزير الخارجية التركي،
            // مولود تشاووش أوغلو، إن ...`.
            if j + 1 < ntok && text.norm(&text.tokens[j]) == "," {
                let n = cands
                    .iter()
                    .find(|c| c.tok_start == j + 1 && c.etype == EntityType::Pers)
                    .map(|c| c.tok_end - c.tok_start)
                    .unwrap_or_else(|| self.name_after(text, j + 1, &name_kind));
                let closes = text
                    .tokens
                    .get(j + 1 + n)
                    .is_some_and(|t| text.norm(t) == ",");
                if n > 0 && closes {
                    j += 1;
                }
            }
            // A person right after?
            let mut person = cands
                .iter()
                .position(|c| c.tok_start == j && c.etype == EntityType::Pers);
            if person.is_none()
                && cands
                    .iter()
                    .filter(|c| c.tok_start == j)
                    .all(|c| c.entry.is_some() && name_kind[j].is_none())
            {
                let n = self.name_after(text, j, &name_kind);
                // A lone word that is also a place stays the place.
                let n = if n == 1 && tok_kind[j].is_some() {
                    0
                } else {
                    n
                };
                if n > 0 {
                    cands.push(Cand {
                        tok_start: j,
                        tok_end: j + n,
                        start: text.tokens[j].start as usize,
                        end: text.tokens[j + n - 1].end as usize,
                        etype: EntityType::Pers,
                        entry: None,
                        places: Vec::new(),
                        place: None,
                        title: None,
                    });
                    person = Some(cands.len() - 1);
                }
            }
            // A person title makes the unknown name after it a person,
            // whatever class the tagger gave it (`المحلل ليام كار`).
            if person.is_none()
                && let Some(p) = cands.iter().position(|c| {
                    c.tok_start == j && c.entry.is_none() && text.tokens[j].pro.is_empty()
                })
            {
                cands[p].etype = EntityType::Pers;
                person = Some(p);
            }
            if let Some(p) = person {
                cands[p].title = Some((title_start, title_end));
                // A one-word name from the tagger after a title is often
                // cut short: take one more name-like word.
                // A foreign place of the same spelling (`باري`, Bari) in a
                // country the document never mentions does not stop it.
                let c = &cands[p];
                if c.tok_end - c.tok_start == 1 && c.entry.is_none() && c.tok_end < ntok {
                    let e = c.tok_end;
                    let foreign_place = cands.iter().position(|x| {
                        x.tok_start == e
                            && x.tok_end == e + 1
                            && x.entry.is_some_and(|en| {
                                let en = g.entry(en);
                                en.kind == Kind::Place
                                    && !en
                                        .country
                                        .as_ref()
                                        .is_some_and(|cc| named_countries.contains(cc))
                            })
                    });
                    let t = &text.tokens[e];
                    // (A gazetteer place is a proper noun, whatever clitics
                    // the analyser thought it saw: `باري` is not `ب + اري`.)
                    let name_like = t.kind == TokenKind::Word
                        && (t.pro.is_empty() || foreign_place.is_some())
                        && !self.function_words.contains(text.norm(t));
                    let free = !cands.iter().any(|x| x.tok_start == e) && tok_kind[e].is_none();
                    if name_like && (free || foreign_place.is_some()) {
                        cands[p].tok_end = e + 1;
                        cands[p].end = t.end as usize;
                        if let Some(fp) = foreign_place {
                            cands.remove(fp);
                        }
                    }
                }
            }
            titles.push(TitleSpan {
                tok_start: t0,
                tok_end: j,
                start: title_start,
                end: title_end,
                person: None,
            });
            i = j.max(i + 1);
        }
        cands.sort_by_key(|c| c.tok_start);
        // Apposition: `NAME، TITLE`.
        for t in &titles {
            if t.tok_start < 2 || text.norm(&text.tokens[t.tok_start - 1]) != "," {
                continue;
            }
            let comma = t.tok_start - 1;
            if let Some(c) = cands
                .iter_mut()
                .find(|c| c.tok_end == comma && c.etype == EntityType::Pers)
            {
                if c.title.is_none() {
                    c.title = Some((t.start, t.end));
                }
                continue;
            }
            if cands.iter().any(|c| c.tok_end == comma) {
                continue;
            }
            let n = self.name_before(text, comma, &tok_kind);
            if n > 0 {
                let a = comma - n;
                cands.push(Cand {
                    tok_start: a,
                    tok_end: comma,
                    start: text.tokens[a].start as usize,
                    end: text.tokens[comma - 1].end as usize,
                    etype: EntityType::Pers,
                    entry: None,
                    places: Vec::new(),
                    place: None,
                    title: Some((t.start, t.end)),
                });
            }
        }
        cands.sort_by_key(|c| c.tok_start);

        // Facilities.
        let mut k = 0;
        while k < ntok {
            let Some((Kind::FacHead(fac_type), _)) = tok_kind[k] else {
                k += 1;
                continue;
            };
            let h0 = k;
            let mut j = k;
            while j < ntok && matches!(tok_kind[j], Some((Kind::FacHead(_), _))) {
                j += 1;
            }
            let name_end = if let Some(c) = cands.iter().find(|c| c.tok_start == j) {
                (c.entry.is_none() || matches!(c.etype, EntityType::Gpe | EntityType::Loc))
                    .then(|| c.tok_end + self.foreign_name_after(text, c.tok_end, &tok_kind))
            } else {
                let n = self.foreign_name_after(text, j, &tok_kind);
                (n > 0).then_some(j + n)
            };
            let Some(mut e) = name_end else {
                k = j;
                continue;
            };
            while e < ntok && tok_has(e, Kind::FacSuffix) {
                e += 1;
            }
            // The place inside the facility name locates it.
            let inner = cands
                .iter()
                .position(|c| c.tok_start >= j && c.tok_end <= e && c.entry.is_some());
            let place_entry = inner.and_then(|p| cands[p].entry);
            cands.retain(|c| !(c.tok_start >= j && c.tok_end <= e));
            let mut fac = Cand {
                tok_start: h0,
                tok_end: e,
                start: text.tokens[h0].start as usize + clitic_skip(text, h0),
                end: text.tokens[e - 1].end as usize,
                etype: fac_type,
                entry: None,
                places: Vec::new(),
                place: None,
                title: None,
            };
            if let Some(pe) = place_entry {
                let pe = g.entry(pe);
                fac.place = geo::place_of(pe, 2, "facility-place");
            }
            cands.push(fac);
            k = e;
        }

        // Transliteration candidates: unknown words after place cues.
        let mut covered = vec![false; ntok];
        for c in &cands {
            covered[c.tok_start..c.tok_end].fill(true);
        }
        for (i, t) in text.tokens.iter().enumerate().skip(1) {
            if t.kind != TokenKind::Word || tok_kind[i].is_some() || t.pro.has_article() {
                continue;
            }
            if covered[i] {
                continue;
            }
            let prev = text.norm(&text.tokens[i - 1]);
            let base = text.base(t);
            let via_clitic = t.pro.has_preposition();
            if !(self.place_cues.contains(prev) || via_clitic) || self.function_words.contains(base)
            {
                continue;
            }
            let name = if via_clitic { base } else { text.norm(t) };
            // Common nouns take the article; foreign town names do not. After
            // a mere preposition the word must also be rare in news (not in
            // the vocabulary): `في مارس` is a month; after a settlement noun
            // (`بلدة`, `مدينة`) the noun is the evidence.
            let lex = marsad_text::lexicon::Lexicon::get();
            let settlement = self.settlement_nouns.contains(prev);
            if lex.takes_article(name) || (!settlement && lex.attested(name)) {
                continue;
            }
            if let Some(p) = geo::transliterate(g, name, &countries) {
                cands.push(Cand {
                    tok_start: i,
                    tok_end: i + 1,
                    start: t.start as usize + clitic_skip(text, i),
                    end: t.end as usize,
                    etype: EntityType::Gpe,
                    entry: None,
                    places: vec![p],
                    place: geo::place_of(g.entry(p), 1, "transliteration"),
                    title: None,
                });
            }
        }
        cands.sort_by_key(|c| c.tok_start);

        // A surname repeated alone (`وأضاف وان`) is the person named in
        // full elsewhere in the document.
        let surnames: HashSet<String> = cands
            .iter()
            .filter(|c| c.etype == EntityType::Pers && c.tok_end - c.tok_start >= 2)
            .map(|c| text.norm(&text.tokens[c.tok_end - 1]).to_string())
            .filter(|w| w.chars().count() >= 3 && !self.function_words.contains(w))
            .collect();
        if !surnames.is_empty() {
            let mut covered = vec![false; ntok];
            for c in &cands {
                covered[c.tok_start..c.tok_end].fill(true);
            }
            for (i, t) in text.tokens.iter().enumerate() {
                if covered[i] || tok_kind[i].is_some() || t.kind != TokenKind::Word {
                    continue;
                }
                let hit = if surnames.contains(text.norm(t)) {
                    Some(0)
                } else if t.pro.has_preposition()
                    && !t.pro.has_article()
                    && surnames.contains(text.base(t))
                {
                    Some(clitic_skip(text, i))
                } else {
                    None
                };
                if let Some(skip) = hit {
                    cands.push(Cand {
                        tok_start: i,
                        tok_end: i + 1,
                        start: t.start as usize + skip,
                        end: t.end as usize,
                        etype: EntityType::Pers,
                        entry: None,
                        places: Vec::new(),
                        place: None,
                        title: None,
                    });
                }
            }
            cands.sort_by_key(|c| c.tok_start);
        }

        // Places.
        for c in cands.iter_mut() {
            if c.place.is_some() {
                continue;
            }
            match (c.etype, c.entry) {
                (EntityType::Gpe | EntityType::Loc, Some(e)) => {
                    let en = g.entry(e);
                    if en.kind == Kind::Place {
                        let best = geo::choose_place(g, &c.places, &countries).unwrap_or(e);
                        c.entry = Some(best);
                    }
                    c.place = geo::resolve_entry(g.entry(c.entry.unwrap_or(e)));
                }
                (EntityType::Loc | EntityType::Gpe, None) => {
                    let name = span_norm(text, c.tok_start, c.tok_end);
                    let name = strip_article(&name);
                    if let Some(p) = geo::transliterate(g, name, &countries) {
                        c.etype = EntityType::Gpe;
                        c.places = vec![p];
                        c.place = geo::place_of(g.entry(p), 1, "transliteration");
                    } else {
                        // Unknown places the tagger found are mostly towns
                        // (GPE); a natural-feature head makes a LOC.
                        let head = text.base(&text.tokens[c.tok_start]);
                        c.etype = if self.natural_features.contains(head) {
                            EntityType::Loc
                        } else {
                            EntityType::Gpe
                        };
                    }
                }
                _ => {}
            }
        }
        // Place heads: `مدينة البيرة` is the town, `بلدية نابلس` its
        // municipality.
        let mut covered = vec![false; ntok];
        for c in &cands {
            covered[c.tok_start..c.tok_end].fill(true);
        }
        for c in cands.iter_mut() {
            if c.etype != EntityType::Gpe || c.tok_start == 0 || covered[c.tok_start - 1] {
                continue;
            }
            let h = c.tok_start - 1;
            let ht = &text.tokens[h];
            if ht.kind != TokenKind::Word || ht.pro.has_article() {
                continue;
            }
            let Some(&ty) = self.place_heads.get(text.base(ht)) else {
                continue;
            };
            c.tok_start = h;
            c.start = ht.start as usize + clitic_skip(text, h);
            c.etype = ty;
            if ty == EntityType::Org {
                c.entry = None;
                c.places.clear();
            }
        }

        // One sense per document: a name resolved as a place elsewhere in
        // the text is that place where the tagger took it for a person
        // (`التي تشمل تيساليت`).
        let mut resolved: HashMap<String, Resolution> = HashMap::default();
        for c in &cands {
            if c.etype == EntityType::Gpe && c.place.as_ref().is_some_and(|p| p.geo_precision == 1)
            {
                resolved
                    .entry(span_norm(text, c.tok_start, c.tok_end))
                    .or_insert_with(|| (c.entry, c.places.clone(), c.place.clone()));
            }
        }
        if !resolved.is_empty() {
            for c in cands.iter_mut() {
                if c.etype == EntityType::Pers
                    && c.entry.is_none()
                    && c.title.is_none()
                    && let Some((entry, places, place)) =
                        resolved.get(&span_norm(text, c.tok_start, c.tok_end))
                {
                    c.etype = EntityType::Gpe;
                    c.entry = *entry;
                    c.places = places.clone();
                    c.place = place.clone();
                }
            }
        }

        // Containing place: `X في Y` with Y a resolved town.
        for ci in 0..cands.len() {
            if cands[ci].place.is_some()
                || !matches!(
                    cands[ci].etype,
                    EntityType::Gpe | EntityType::Loc | EntityType::Fac
                )
            {
                continue;
            }
            let e = cands[ci].tok_end;
            let from = cands.partition_point(|c| c.tok_start < e + 1);
            let next = cands[from..]
                .iter()
                .take_while(|c| c.tok_start == e + 1)
                .find(|c| c.place.as_ref().is_some_and(|p| p.geo_precision == 1));
            if e < ntok
                && matches!(
                    text.norm(&text.tokens[e]),
                    "في" | "قرب" | "شمال" | "جنوب" | "شرق" | "غرب"
                )
                && let Some(n) = next
            {
                let mut p = n.place.clone();
                if let Some(p) = p.as_mut() {
                    p.geo_precision = 2;
                    p.resolved_by = "containing-place".to_string();
                }
                cands[ci].place = p;
            }
        }

        // Last resort: a place nothing else resolves lies, as far as the
        // document says, in its main country (the one it names most).
        let mut counts: HashMap<&str, usize> = HashMap::default();
        for c in &cands {
            if let Some(e) = c.entry {
                let e = g.entry(e);
                if matches!(e.kind, Kind::Country | Kind::Demonym)
                    && let Some(cc) = &e.country
                {
                    *counts.entry(cc.as_str()).or_default() += 1;
                }
            }
        }
        let main_country = counts
            .into_iter()
            .max_by_key(|&(cc, n)| (n, std::cmp::Reverse(cc)))
            .and_then(|(cc, _)| g.country(cc));
        if let Some(mc) = main_country {
            for c in cands.iter_mut() {
                if c.place.is_none()
                    && matches!(c.etype, EntityType::Gpe | EntityType::Loc | EntityType::Fac)
                {
                    c.place = geo::place_of(mc, 3, "document-country");
                }
            }
        }

        self.finish(text, cands, titles, countries)
    }

    /// Give ids and canonical names; link persons within the document.
    fn finish(
        &self,
        text: &Text,
        cands: Vec<Cand>,
        mut titles: Vec<TitleSpan>,
        countries: DocCountries,
    ) -> Recognition {
        let g = self.gaz;
        // No two mentions share a token: keep the earlier, then the longer.
        let mut cands = cands;
        cands.sort_by_key(|c| (c.tok_start, std::cmp::Reverse(c.tok_end)));
        let mut last_end = 0;
        cands.retain(|c| {
            let keep = c.tok_start >= last_end;
            if keep {
                last_end = c.tok_end;
            }
            keep
        });
        let norms: Vec<Vec<String>> = cands
            .iter()
            .map(|c| {
                (c.tok_start..c.tok_end)
                    .map(|i| {
                        let t = &text.tokens[i];
                        if i == c.tok_start {
                            text.base(t).to_string()
                        } else {
                            text.norm(t).to_string()
                        }
                    })
                    .collect()
            })
            .collect();
        let mut ids: Vec<String> = vec![String::new(); cands.len()];
        let mut canon: Vec<String> = vec![String::new(); cands.len()];
        let mut local: HashMap<(EntityType, String), (String, String)> = HashMap::default();
        let mut counters: HashMap<EntityType, usize> = HashMap::default();
        // Persons: longest names first so shorter ones can link to them.
        let mut order: Vec<usize> = (0..cands.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(norms[i].len()));
        // Multi-word unknown mentions by each of their words, longest first.
        let mut by_word: HashMap<&str, Vec<usize>> = HashMap::default();
        for &j in &order {
            if norms[j].len() > 1 && cands[j].entry.is_none() {
                for w in &norms[j] {
                    let v = by_word.entry(w.as_str()).or_default();
                    if v.last() != Some(&j) {
                        v.push(j);
                    }
                }
            }
        }
        for &i in &order {
            let c = &cands[i];
            if let Some(e) = c.entry {
                let en = g.entry(e);
                ids[i] = en.id.clone();
                canon[i] = en.canonical.clone();
                continue;
            }
            let surface = text.text[c.start..c.end].to_string();
            {
                // Link to a longer mention of the same type containing all
                // these tokens (`ديوب` → `عبد الله ديوب`).
                // Candidates come from the index of the mention's first word
                // (longest first), so linking stays linear in practice.
                let target = norms[i]
                    .first()
                    .and_then(|w0| by_word.get(w0.as_str()))
                    .and_then(|js| {
                        js.iter().copied().find(|&j| {
                            j != i
                                && cands[j].etype == c.etype
                                && cands[j].entry.is_none()
                                && norms[j].len() > norms[i].len()
                                && !ids[j].is_empty()
                                && norms[i].iter().all(|w| norms[j].contains(w))
                        })
                    });
                if let Some(j) = target {
                    ids[i] = ids[j].clone();
                    canon[i] = canon[j].clone();
                    continue;
                }
            }
            let key = (c.etype, norms[i].join(" "));
            if let Some((id, cn)) = local.get(&key) {
                ids[i] = id.clone();
                canon[i] = cn.clone();
                continue;
            }
            let n = counters.entry(c.etype).or_insert(0);
            *n += 1;
            let id = format!("doc:{}:{}", type_slug(c.etype), n);
            local.insert(key, (id.clone(), surface.clone()));
            ids[i] = id;
            canon[i] = surface;
        }
        // Mentions of one entity share its best-resolved place (`فندق
        // راديسون بلو في باماكو` places the hotel's other mentions too).
        let mut best: HashMap<&str, Place> = HashMap::default();
        for (c, id) in cands.iter().zip(&ids) {
            if let Some(p) = &c.place
                && best
                    .get(id.as_str())
                    .is_none_or(|b| p.geo_precision < b.geo_precision)
            {
                best.insert(id.as_str(), p.clone());
            }
        }
        for (c, id) in cands.iter_mut().zip(&ids) {
            if let Some(b) = best.get(id.as_str())
                && c.place
                    .as_ref()
                    .is_none_or(|p| b.geo_precision < p.geo_precision)
            {
                c.place = Some(b.clone());
            }
        }
        let mut mentions = Vec::with_capacity(cands.len());
        let mut mention_tokens = Vec::with_capacity(cands.len());
        for (i, c) in cands.into_iter().enumerate() {
            if let Some((ts, te)) = c.title
                && let Some(t) = titles.iter_mut().find(|t| t.start == ts && t.end == te)
            {
                t.person = Some(i);
            }
            mention_tokens.push((c.tok_start, c.tok_end));
            mentions.push(EntityMention {
                etype: c.etype,
                start: c.start,
                end: c.end,
                canonical: std::mem::take(&mut canon[i]),
                id: std::mem::take(&mut ids[i]),
                title: c.title.map(|(a, b)| text.text[a..b].to_string()),
                place: c.place,
            });
        }
        Recognition {
            mentions,
            mention_tokens,
            titles,
            countries,
        }
    }

    /// Number of tokens from `j` that look like a person's name after a
    /// title: Arabic words, the first without the article, the rest without
    /// it unless they follow `عبد`/`أبو`/`بن`; stopping at function words,
    /// gazetteer entries and punctuation. At most four.
    fn name_after(&self, text: &Text, j: usize, tok_kind: &[Option<(Kind, usize)>]) -> usize {
        let lex = marsad_text::lexicon::Lexicon::get();
        let mut n = 0;
        while j + n < text.tokens.len() && n < 4 {
            let t = &text.tokens[j + n];
            // Names carry no pronoun suffix (`قوله` "his saying").
            if t.kind != TokenKind::Word
                || tok_kind[j + n].is_some()
                || t.enc != marsad_text::Enclitic::None
            {
                break;
            }
            let norm = text.norm(t);
            let base = text.base(t);
            if self.function_words.contains(norm) || self.function_words.contains(base) {
                break;
            }
            let prev = (n > 0).then(|| text.norm(&text.tokens[j + n - 1]));
            let after_particle =
                prev.is_some_and(|p| matches!(p, "عبد" | "ابو" | "بن" | "ابن" | "ولد"));
            // A name may begin with the article (`القاسم واين`, `البشير`)
            // when a word that is no common noun follows; `البرلمان الليبي`
            // is no name.
            if n == 0 && t.pro.has_article() && t.pro.iter().count() == 1 {
                let next_name_like = text.tokens.get(j + 1).is_some_and(|x| {
                    x.kind == TokenKind::Word
                        && x.pro.is_empty()
                        && tok_kind.get(j + 1).is_some_and(|k| k.is_none())
                        && !lex.takes_article(text.norm(x))
                        && !self.function_words.contains(text.norm(x))
                });
                if next_name_like {
                    n += 1;
                    continue;
                }
                break;
            }
            if t.pro.has_article() && !after_particle {
                break;
            }
            // A common noun (one that takes the article) ends the name,
            // unless the clause ends right after it (`الجنرال يوسف باري:`).
            let clause_end = text
                .tokens
                .get(j + n + 1)
                .is_none_or(|x| x.kind == TokenKind::Punct);
            if n > 0 && !after_particle && lex.takes_article(norm) && !clause_end {
                break;
            }
            // An adverbial accusative of a nisba adjective
            // (`ديمقراطيا`): the adjective takes the article. Right after
            // the title any common word with the accusative alef is an
            // adverb (`للرئيس أولا`).
            if let Some(adj) = norm.strip_suffix('ا')
                && (adj.ends_with('ي') || n == 0)
                && adj.chars().count() >= 2
                && lex.takes_article(adj)
            {
                break;
            }
            // A conjunction or preposition ends the name (`ديوب بانسحاب`);
            // a following name word never carries one.
            let article_only = t.pro.has_article() && t.pro.iter().count() == 1;
            if !(t.pro.is_empty() || article_only) {
                break;
            }
            // A common word closing the clause right after a title is a
            // predicate (`حالة الرئيس مطمئنة.`), not a name.
            if n == 0
                && lex.takes_article(norm)
                && text
                    .tokens
                    .get(j + 1)
                    .is_none_or(|x| x.kind == TokenKind::Punct)
            {
                break;
            }
            // Two common words in a row (`مجلس محلي`) are a noun phrase.
            if n == 0
                && lex.takes_article(norm)
                && !matches!(norm, "عبد" | "ابو" | "بن" | "ابن" | "ولد")
                && text.tokens.get(j + 1).is_some_and(|x| {
                    x.kind == TokenKind::Word && x.pro.is_empty() && lex.takes_article(text.norm(x))
                })
            {
                break;
            }
            // A common noun in construct with a definite noun or a known
            // name after it continues the title, it is no name:
            // `رئيسة وزراء بريطانيا`, `قائد قوات الأمن`.
            let particle = matches!(norm, "عبد" | "ابو" | "بن" | "ابن" | "ولد");
            if n == 0 && lex.takes_article(norm) && !particle {
                let next_definite = text.tokens.get(j + 1).is_some_and(|x| {
                    x.pro.has_article() || tok_kind.get(j + 1).is_some_and(|k| k.is_some())
                });
                if next_definite {
                    break;
                }
            }
            // Tanween marks an indefinite noun or adverb (`ديمقراطيًا`),
            // never a name.
            if text
                .token_text(t)
                .contains(['\u{064B}', '\u{064C}', '\u{064D}'])
            {
                break;
            }
            n += 1;
        }
        n
    }

    /// Number of tokens before `comma` that look like a person's name
    /// standing in apposition to a title (`قالت ميريام ديسابل، رئيسة ...`):
    /// one to three words without clitics (the first may have the
    /// article), not function words or gazetteer entries.
    fn name_before(&self, text: &Text, comma: usize, tok_kind: &[Option<(Kind, usize)>]) -> usize {
        let lex = marsad_text::lexicon::Lexicon::get();
        let mut n = 0;
        while n < comma && n < 3 {
            let k = comma - 1 - n;
            let t = &text.tokens[k];
            if t.kind != TokenKind::Word || tok_kind[k].is_some() {
                break;
            }
            let norm = text.norm(t);
            if self.function_words.contains(norm) {
                break;
            }
            // A name may begin with the article (`القاسم وان`), then it
            // is its first word.
            if t.pro.has_article() && n > 0 && t.pro.iter().count() == 1 {
                n += 1;
                break;
            }
            if !t.pro.is_empty() {
                break;
            }
            n += 1;
        }
        // A single word must not be a common noun (a common noun takes the
        // article); two or three words between a boundary and a title are a
        // name even if one of them happens to be spelled like a noun
        // (`وان` / `ألوان`).
        if n == 1 && lex.takes_article(text.norm(&text.tokens[comma - 1])) {
            return 0;
        }
        // The name must be preceded by a clause boundary or a verb-like
        // word, not be the tail of a longer noun phrase.
        if n > 0 {
            let k = comma - n;
            let ok = k == 0 || {
                let t = &text.tokens[k - 1];
                t.kind == TokenKind::Punct
                    || self.function_words.contains(text.norm(t))
                    || t.pro.iter().any(|p| p == "و" || p == "ف")
            };
            if !ok {
                return 0;
            }
        }
        n
    }

    /// Number of tokens from `j` that look like a foreign name (a facility's
    /// `راديسون بلو`): Latin tokens, or Arabic words that do not take the
    /// article (not common nouns). At most three.
    fn foreign_name_after(
        &self,
        text: &Text,
        j: usize,
        tok_kind: &[Option<(Kind, usize)>],
    ) -> usize {
        let lex = marsad_text::lexicon::Lexicon::get();
        let mut n = 0;
        while j + n < text.tokens.len() && n < 3 {
            let t = &text.tokens[j + n];
            if tok_kind[j + n].is_some() {
                break;
            }
            let ok = match t.kind {
                TokenKind::Latin => true,
                TokenKind::Word => {
                    let norm = text.norm(t);
                    // A preposition never attaches to a particle, so `بلو`
                    // split as `ب + لو` is a foreign word, not a clitic.
                    (t.pro.is_empty() || self.function_words.contains(text.base(t)))
                        && !self.function_words.contains(norm)
                        && !lex.takes_article(norm)
                        && norm.chars().count() >= 3
                }
                _ => false,
            };
            if !ok {
                break;
            }
            n += 1;
        }
        n
    }
}

fn type_slug(t: EntityType) -> &'static str {
    match t {
        EntityType::Pers => "pers",
        EntityType::Org => "org",
        EntityType::Gpe => "gpe",
        EntityType::Loc => "loc",
        EntityType::Fac => "fac",
        EntityType::Norp => "norp",
    }
}

/// Proclitics to skip at the start of a tagger span: as [`clitic_skip`],
/// except that a preposition is only split from a remainder of four letters
/// or more. Foreign names often begin with letters that look like
/// prepositions (`ليام` is Liam, not `ل + يام`); a conjunction is always
/// split.
fn tagger_clitic_skip(text: &Text, i: usize) -> usize {
    let t = &text.tokens[i];
    if t.pro.has_preposition() && !t.pro.has_article() && text.base(t).chars().count() < 4 {
        return 0;
    }
    clitic_skip(text, i)
}

/// Bytes to skip in the original token `i` for its proclitics (not the
/// article): the span of a name excludes `و`, `ب`, `ل`...
pub(crate) fn clitic_skip(text: &Text, i: usize) -> usize {
    let t = &text.tokens[i];
    if t.kind != TokenKind::Word || t.pro.is_empty() {
        return 0;
    }
    let norm = text.norm(t);
    let base_off = (t.base.0 - t.norm.0) as usize;
    // Keep the article inside the name; skip only conjunction/preposition.
    let mut skip = base_off;
    if t.pro.has_article() {
        let pre = &norm[..base_off];
        skip = if let Some(p) = pre.strip_suffix("ال") {
            p.len()
        } else if pre.ends_with("لل") {
            // ل + ال written لل: skip the preposition's ل only.
            pre.len() - 'ل'.len_utf8() * 2 + 'ل'.len_utf8()
        } else {
            0
        };
    }
    crate::gazetteer::original_offset(text.text, t.start as usize, t.end as usize, skip)
        - t.start as usize
}

fn span_norm(text: &Text, a: usize, b: usize) -> String {
    let mut s = String::new();
    for i in a..b {
        let t = &text.tokens[i];
        let n = if i == a { text.base(t) } else { text.norm(t) };
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(n);
    }
    s
}

fn strip_article(s: &str) -> &str {
    match s.strip_prefix("ال") {
        Some(r) if r.chars().count() >= 3 => r,
        _ => s,
    }
}
