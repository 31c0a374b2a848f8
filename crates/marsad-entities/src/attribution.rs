//! Attribution: for every sentence (and so for every figure in it), who says
//! so, through which channel, and with which stance.
//!
//! # Patterns, and why
//! 1. **Speech and report verbs** (`data/speech_verbs.tsv`: `قال`, `أكد`,
//!    `نفى`, `زعم`, ... in their inflected forms; a conjunction `و`/`ف` is
//!    stripped first). Arabic news is mostly verb-first: the subject follows
//!    the verb (`وقال رئيس الأركان عمر ديارا`), possibly after a time word
//!    (`ذكرت وسائل إعلام محلية، الجمعة،`). When nothing follows, the subject
//!    may precede the verb (`لكن السكان أفادوا`). A verb with no subject at
//!    all continues the previous speaker (`وأضاف "..."`): Arabic drops
//!    subject pronouns, and reporters chain `قال ... وأضاف ... وتابع`.
//!    An unnamed organization or outlet (`ادعت مجموعة جنون`, `نقل
//!    التلفزيون الإيراني`) is recognized by its head noun.
//!    A negated verb (`لم تؤكد`) attributes nothing.
//! 2. **The speaker**: a person (with the title the recognizer attached),
//!    an organization (agency and outlet kept apart by the organization
//!    table's subtype), a country standing for its government, a title with
//!    no name (`رئيس بعثة الأمم المتحدة`), an institution (`السلطات
//!    المالية`), or an anonymous source (`مصدر أمني`, `شهود عيان`,
//!    `دبلوماسي طلب عدم الكشف عن هويته`, `السكان`, `محللون`).
//! 3. **According to** (`بحسب`, `حسب`, `وفقاً لـ`, `نقلاً عن`, `على لسان`):
//!    the source follows the cue; the content is the rest of the sentence.
//! 4. **Channel** (`في بيان`, `على تيليجرام`, `للصحافيين`, or `لـ` + an
//!    agency or outlet: `لوكالة الأسوشيتد برس`). In `نقلت وكالة X عن
//!    مصدر أمني` the relaying outlet is the channel and the one quoted after
//!    `عن` the source.
//! 5. **Direct quotes** (`"…"`, `«…»`, `“…”`) belong to the speaker of the
//!    verb that introduces them, or that follows them (`“…”، قالت ميريام
//!    ديسابل`); a quote running over several sentences gives each of them
//!    the same attribution.
//! 6. **Default**: a sentence nobody is named for is attributed to the
//!    article's own outlet (`default_source`), if given.
//!
//! `verb` holds the lemma of the reporting verb (`قال` for `وقالت`) or the
//! cue (`بحسب`), so that filters need not know inflection.

use crate::tagger::features::{FastMap as HashMap, FastSet as HashSet};
use std::sync::OnceLock;

use marsad_text::{Text, TokenKind};

use crate::gazetteer::{Gazetteer, Kind, OrgType};
use crate::{Attribution, EntityMention, EntityType, SourceType, Stance};

static VERBS: &str = include_str!("../data/speech_verbs.tsv");
static CUES: &str = include_str!("../data/attribution_cues.tsv");
static TITLES: &str = include_str!("../data/titles.tsv");

/// Tokenized phrase (search forms).
type Phrase = Vec<String>;

/// Phrases indexed by their first word, longest first within a bucket, so
/// that matching at a token costs one hash lookup per clitic reading.
#[derive(Default)]
struct PhraseList {
    by_first: HashMap<String, Vec<Phrase>>,
}

impl PhraseList {
    fn push(&mut self, p: Phrase) {
        let v = self.by_first.entry(p[0].clone()).or_default();
        v.push(p);
        v.sort_by_key(|p| std::cmp::Reverse(p.len()));
    }
}

/// A reporting verb form.
#[derive(Debug, Clone)]
struct Verb {
    lemma: String,
    stance: Stance,
    /// A word that must follow in the clause (`نقل عن`).
    requires: Option<String>,
    /// Passive (`قيل`): no subject.
    passive: bool,
}

struct Cues {
    verbs: HashMap<String, Verb>,
    stop: HashSet<String>,
    according: PhraseList,
    anonymous: PhraseList,
    institution: PhraseList,
    channel: PhraseList,
    anonymity: PhraseList,
    filler: PhraseList,
    heads: HashMap<String, SourceType>,
    negation: HashSet<String>,
    titles: PhraseList,
    complements: PhraseList,
}

fn phrase(s: &str) -> Phrase {
    crate::gazetteer::pattern_form(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl Cues {
    fn get() -> &'static Cues {
        static C: OnceLock<Cues> = OnceLock::new();
        C.get_or_init(|| {
            let rows = |s: &'static str| {
                s.lines()
                    .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                    .map(|l| l.split('\t').collect::<Vec<_>>())
            };
            let mut verbs = HashMap::default();
            for r in rows(VERBS) {
                if r.len() < 3 {
                    continue;
                }
                let stance = match r[1].trim() {
                    "claims" => Stance::Claims,
                    "confirms" => Stance::Confirms,
                    "denies" => Stance::Denies,
                    _ => Stance::States,
                };
                let cond = r.get(3).map(|c| c.trim()).unwrap_or("");
                let verb = Verb {
                    lemma: r[0].trim().to_string(),
                    stance,
                    requires: cond
                        .strip_prefix("requires:")
                        .map(crate::gazetteer::pattern_form),
                    passive: cond == "passive",
                };
                for f in r[2].split('|') {
                    let f = crate::gazetteer::pattern_form(f.trim());
                    if !f.is_empty() {
                        verbs.insert(f, verb.clone());
                    }
                }
            }
            let mut c = Cues {
                verbs,
                stop: HashSet::default(),
                according: PhraseList::default(),
                anonymous: PhraseList::default(),
                institution: PhraseList::default(),
                channel: PhraseList::default(),
                anonymity: PhraseList::default(),
                filler: PhraseList::default(),
                heads: HashMap::default(),
                negation: HashSet::default(),
                titles: PhraseList::default(),
                complements: PhraseList::default(),
            };
            for r in rows(TITLES) {
                if r.len() < 2 {
                    continue;
                }
                let p = phrase(r[1].trim());
                if p.is_empty() {
                    continue;
                }
                match r[0].trim() {
                    "title" => c.titles.push(p),
                    // Prepositions among the complements only link words
                    // within the title; they do not extend it alone.
                    "complement" if !matches!(p[0].as_str(), "في" | "لدي" | "باسم" | "ب") => {
                        c.complements.push(p)
                    }
                    _ => {}
                }
            }
            for r in rows(CUES) {
                if r.len() < 2 {
                    continue;
                }
                let p = phrase(r[1].trim());
                if p.is_empty() {
                    continue;
                }
                match r[0].trim() {
                    "according" => c.according.push(p),
                    "anonymous" => c.anonymous.push(p),
                    "institution" => c.institution.push(p),
                    "channel" => c.channel.push(p),
                    "anonymity" => c.anonymity.push(p),
                    "filler" => c.filler.push(p),
                    "negation" => {
                        c.negation.insert(p.join(" "));
                    }
                    "head" => {
                        c.heads.insert(p.join(" "), SourceType::Organization);
                    }
                    "head_outlet" => {
                        c.heads.insert(p.join(" "), SourceType::Outlet);
                    }
                    "stop" => {
                        c.stop.insert(p.join(" "));
                    }
                    _ => {}
                }
            }
            c
        })
    }
}

/// Forms of a token's search form with leading conjunction/preposition
/// letters removed (`ووفقا` → `وفقا`), longest first.
fn unprefixed(norm: &str) -> impl Iterator<Item = &str> {
    let mut out: [Option<&str>; 3] = [Some(norm), None, None];
    let mut rest = norm;
    for slot in out.iter_mut().skip(1) {
        let mut cs = rest.chars();
        match cs.next() {
            Some(c @ ('و' | 'ف' | 'ب' | 'ل' | 'ك')) if cs.as_str().chars().count() >= 2 => {
                rest = &rest[c.len_utf8()..];
                *slot = Some(rest);
            }
            _ => break,
        }
    }
    out.into_iter().flatten()
}

/// Length in tokens of the longest phrase of `list` matching at token `p`
/// (the first token may carry proclitics).
fn match_phrase(text: &Text, p: usize, end: usize, list: &PhraseList) -> usize {
    match_which(text, p, end, list).map_or(0, |ph| ph.len())
}

/// The longest phrase of `list` matching at token `p`.
fn match_which<'l>(text: &Text, p: usize, end: usize, list: &'l PhraseList) -> Option<&'l Phrase> {
    if p >= end {
        return None;
    }
    let first = text.norm(&text.tokens[p]);
    for f in unprefixed(first) {
        let Some(bucket) = list.by_first.get(f) else {
            continue;
        };
        for ph in bucket {
            if p + ph.len() > end {
                continue;
            }
            if ph[1..]
                .iter()
                .enumerate()
                .all(|(k, w)| text.norm(&text.tokens[p + 1 + k]) == w)
            {
                return Some(ph);
            }
        }
    }
    None
}

/// Quotations: byte spans of their content (marks excluded).
pub fn quotes(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for (i, c) in text.char_indices() {
        match (open, c) {
            (None, '«' | '“' | '„') => open = Some((c, i + c.len_utf8())),
            (None, '"') => open = Some(('"', i + 1)),
            (Some(('«', s)), '»') | (Some(('“' | '„', s)), '”' | '“') | (Some(('"', s)), '"') =>
            {
                if i > s {
                    out.push((s, i));
                }
                open = None;
            }
            // A paragraph break closes a runaway ASCII quote.
            (Some(('"', _)), '\n') => open = None,
            _ => {}
        }
    }
    out
}

struct Source {
    start: usize,
    end: usize,
    /// Token index one past the source.
    tok_end: usize,
    text: String,
    stype: SourceType,
    id: Option<String>,
}

/// Attribute every sentence of `text`. `entities` are the recognizer's
/// mentions of the same text; `default_source` is the article's outlet.
pub fn attribute(
    text: &Text,
    entities: &[EntityMention],
    default_source: Option<&str>,
) -> Vec<Attribution> {
    let cues = Cues::get();
    let g = Gazetteer::get();
    let ntok = text.tokens.len();
    // Mention covering each token, and titles by start token.
    let mut tok_mention: Vec<Option<usize>> = vec![None; ntok];
    for (mi, m) in entities.iter().enumerate() {
        let a = text.tokens.partition_point(|t| (t.end as usize) <= m.start);
        let b = text.tokens.partition_point(|t| (t.start as usize) < m.end);
        for slot in tok_mention.iter_mut().take(b.min(ntok)).skip(a) {
            *slot = Some(mi);
        }
    }
    let mut title_end: Vec<usize> = vec![0; ntok];
    for (p, te) in title_end.iter_mut().enumerate() {
        if text.tokens[p].kind != TokenKind::Word {
            continue;
        }
        let n = match_phrase(text, p, ntok, &cues.titles);
        if n == 0 {
            continue;
        }
        let mut e = p + n;
        // Extend over an organization or country complement, a definite
        // nisba adjective (`وزير الخارجية التركي`), a complement word, and
        // after an institution noun its definite genitive chain (`رئيس
        // اللجنة العليا للانتخابات`).
        let mut chain = false;
        loop {
            if let Some(mi) = tok_mention.get(e).copied().flatten() {
                if matches!(entities[mi].etype, EntityType::Pers) {
                    break;
                }
                let b = text
                    .tokens
                    .partition_point(|t| (t.start as usize) < entities[mi].end);
                e = b.max(e + 1);
                chain = true;
            } else if e < ntok && e - p < 8 {
                let c = match_phrase(text, e, ntok, &cues.complements);
                let t = &text.tokens[e];
                if c > 0 {
                    e += c;
                    chain = true;
                } else if t.pro.has_article() && (chain || text.base(t).ends_with('ي')) {
                    e += 1;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        *te = e;
    }
    let qs = quotes(text.text);

    let source_of = |mi: usize| -> Source {
        let m = &entities[mi];
        let stype = match m.etype {
            EntityType::Pers => SourceType::Person,
            EntityType::Org => match g.by_id(&m.id).map(|e| e.kind) {
                Some(Kind::Org(OrgType::Agency)) => SourceType::Agency,
                Some(Kind::Org(OrgType::Outlet)) => SourceType::Outlet,
                _ => SourceType::Organization,
            },
            EntityType::Norp => SourceType::Anonymous,
            _ => SourceType::Organization,
        };
        let b = text.tokens.partition_point(|t| (t.start as usize) < m.end);
        Source {
            start: m.start,
            end: m.end,
            tok_end: b,
            text: text.text[m.start..m.end].to_string(),
            stype,
            id: Some(m.id.clone()),
        }
    };
    let span_source = |a: usize, b: usize, stype: SourceType| -> Source {
        let start = text.tokens[a].start as usize;
        let end = text.tokens[b - 1].end as usize;
        Source {
            start,
            end,
            tok_end: b,
            text: text.text[start..end].to_string(),
            stype,
            id: None,
        }
    };
    // A source starting exactly at token p (sentence end `end`).
    let source_at = |p: usize, end: usize| -> Option<Source> {
        if p >= end {
            return None;
        }
        let te = title_end[p];
        if te > p {
            // In apposition between commas: `وزير الخارجية، فلان فلان، إن`.
            if te + 1 < end
                && text.norm(&text.tokens[te]) == ","
                && let Some(mi) = tok_mention[te + 1]
                && entities[mi].etype == EntityType::Pers
            {
                return Some(source_of(mi));
            }
            // The person the recognizer attached a title to, a few tokens
            // on (`رئيس الأركان العامة للجيش عمر ديارا`).
            let upto = end.min(te + 4).max(te);
            for (k, tm) in tok_mention.iter().enumerate().take(upto).skip(te) {
                if let Some(mi) = *tm
                    && entities[mi].etype == EntityType::Pers
                    && (k == te || entities[mi].title.is_some())
                {
                    return Some(source_of(mi));
                }
            }
            if let Some(mi) = tok_mention[p]
                && entities[mi].etype == EntityType::Pers
            {
                return Some(source_of(mi));
            }
            // `متحدث باسم الحكومة الأوكرانية`: a title ending on an
            // institution.
            let mut e = te.min(end);
            let inst = match_phrase(text, e, end, &cues.institution);
            if inst > 0 {
                e += inst;
                if e < end && text.norm(&text.tokens[e]).starts_with("ال") {
                    e += 1;
                }
            }
            return Some(span_source(p, e, SourceType::Person));
        }
        if let Some(mi) = tok_mention[p] {
            let m = &entities[mi];
            if matches!(
                m.etype,
                EntityType::Pers | EntityType::Org | EntityType::Gpe | EntityType::Norp
            ) {
                return Some(source_of(mi));
            }
        }
        for (list, stype) in [
            (&cues.anonymous, SourceType::Anonymous),
            (&cues.institution, SourceType::Organization),
        ] {
            let n = match_phrase(text, p, end, list);
            if n == 0 {
                continue;
            }
            let mut e = p + n;
            // `السلطات المالية`, `موظف في مينوسما`.
            if e < end
                && let Some(mi) = tok_mention[e]
                && entities[mi].start == text.tokens[e].start as usize
                && matches!(entities[mi].etype, EntityType::Gpe | EntityType::Org)
            {
                let b = text
                    .tokens
                    .partition_point(|t| (t.start as usize) < entities[mi].end);
                e = b;
            } else if e + 1 < end
                && matches!(text.norm(&text.tokens[e]), "في" | "من")
                && let Some(mi) = tok_mention[e + 1]
                && entities[mi].etype == EntityType::Org
            {
                e = text
                    .tokens
                    .partition_point(|t| (t.start as usize) < entities[mi].end);
            } else if e < end && text.tokens[e].kind == TokenKind::Word {
                // A country adjective not in the mention list (`المالية`).
                let w = text.norm(&text.tokens[e]);
                if w.starts_with("ال") && (w.ends_with('ي') || w.ends_with("يه")) && n == 1 {
                    e += 1;
                }
            }
            let a = match_phrase(text, e, end, &cues.anonymity);
            return Some(span_source(p, e + a, stype));
        }
        None
    };

    let mut out: Vec<Attribution> = Vec::new();
    let mut last_named: Option<(Source, usize)> = None;
    for si in 0..text.sentences.len() {
        let s = text.sentences[si];
        let (a, b) = (s.first_token as usize, s.end_token as usize);
        let n_before = out.len();
        let mut v = a;
        while v < b {
            let t = &text.tokens[v];
            if t.kind != TokenKind::Word {
                v += 1;
                continue;
            }
            let norm = text.norm(t);
            // According-to cues.
            let cue = match_which(text, v, b, &cues.according);
            let ac = cue.map_or(0, |c| c.len());
            if let Some(cue) = cue {
                let mut p = v + ac;
                if p < b && matches!(text.norm(&text.tokens[p]), "ل" | "الي" | "عن") {
                    p += 1;
                }
                let src = source_at(p, b).or_else(|| {
                    let mut np = noun_phrase(text, p, b, &cues.stop)?;
                    // `بحسب وكالة أنباء ...`: a head noun types the source.
                    if let Some(&ty) = unprefixed(text.norm(&text.tokens[p]))
                        .take(2)
                        .find_map(|f| cues.heads.get(f))
                    {
                        np.stype = ty;
                    }
                    Some(np)
                });
                if let Some(src) = src {
                    let cue_text = cue.join(" ");
                    let content = if v > a {
                        (s.start as usize, t.start as usize)
                    } else {
                        (src.end, s.end as usize)
                    };
                    let tok_end = src.tok_end;
                    let channel = find_channel(text, tok_end, b, cues, entities, &tok_mention, g);
                    out.push(make(
                        src,
                        Some(cue_text),
                        Stance::States,
                        channel,
                        si,
                        content,
                    ));
                    v = tok_end.max(v + 1);
                    continue;
                }
            }
            // Only a conjunction may precede a verb: `لنقل` is "to
            // transport", a preposition never governs a finite verb.
            let bare = norm
                .strip_prefix(['و', 'ف'])
                .filter(|r| r.chars().count() >= 2);
            let Some(verb) = cues
                .verbs
                .get(norm)
                .or_else(|| bare.and_then(|b| cues.verbs.get(b)))
                .cloned()
            else {
                v += 1;
                continue;
            };
            let (lemma, stance) = (verb.lemma.clone(), verb.stance);
            let negated = v > a
                && unprefixed(text.norm(&text.tokens[v - 1]))
                    .take(2)
                    .any(|w| cues.negation.contains(w));
            let next_is_an = text
                .tokens
                .get(v + 1)
                .is_some_and(|t| matches!(text.norm(t), "ان" | "انه"));
            // `يذكر أن` opening a sentence is impersonal ("it is worth
            // noting that"): the outlet speaks.
            let impersonal = v == first_word(text, a, b) && next_is_an && !verb.passive && {
                let f = norm.chars().next();
                matches!(f, Some('ي'))
            };
            let required = verb
                .requires
                .as_ref()
                .is_none_or(|w| (v + 1..b.min(v + 10)).any(|k| text.norm(&text.tokens[k]) == w));
            if negated || impersonal || !required {
                v += 1;
                continue;
            }
            if verb.passive {
                let src = span_source(v, v + 1, SourceType::Anonymous);
                let c0 = text.tokens[(v + 1).min(b - 1)].start as usize;
                out.push(make(
                    src,
                    Some(lemma),
                    stance,
                    None,
                    si,
                    (c0, s.end as usize),
                ));
                v += 1;
                continue;
            }
            // Subject after the verb (skipping fillers), else before it.
            let mut p = v + 1;
            for _ in 0..3 {
                let f = match_phrase(text, p, b, &cues.filler);
                if f == 0 {
                    break;
                }
                p += f;
            }
            let mut src = source_at(p, b);
            if src.is_none() && v > a {
                // SVO: a mention or cue ending right before the verb.
                let q = v - 1;
                if let Some(mi) = tok_mention[q]
                    && matches!(
                        entities[mi].etype,
                        EntityType::Pers | EntityType::Org | EntityType::Gpe
                    )
                {
                    src = Some(source_of(mi));
                } else {
                    for start in (a..v).rev().take(3) {
                        if let Some(sr) = source_at(start, v)
                            && sr.tok_end == v
                        {
                            src = Some(sr);
                            break;
                        }
                    }
                }
            }
            // No named subject: what follows the verb is either content (a
            // quote, `إن`, `:`) and the previous speaker goes on, or an
            // unnamed noun phrase.
            let content_next = text.tokens.get(p).is_some_and(|t| {
                matches!(
                    text.norm(t),
                    "ان" | "انه" | "انها" | "بان" | "بانه" | ":" | "\"" | "«" | "“"
                )
            });
            // A verb coordinated with `و` after a named subject in the same
            // sentence shares it (`وأدان الأمين العام ... وأكد إصابة`).
            if src.is_none() && !content_next && bare.is_some() && norm.starts_with('و') {
                let prev = (a..v).rev().find_map(|k| {
                    tok_mention[k].filter(|&mi| {
                        matches!(entities[mi].etype, EntityType::Pers | EntityType::Org)
                    })
                });
                if let Some(mi) = prev {
                    let mut sr = source_of(mi);
                    sr.tok_end = v + 1;
                    src = Some(sr);
                }
            }
            // An unnamed organization or outlet (`ادعت مجموعة جنون`,
            // `نقل التلفزيون الإيراني`): a source head noun and what follows.
            if src.is_none()
                && !content_next
                && let Some(t) = text.tokens.get(p).filter(|_| p < b)
                && let Some(&ty) = unprefixed(text.norm(t))
                    .take(1)
                    .find_map(|f| cues.heads.get(f))
                && let Some(mut np) = noun_phrase(text, p, b, &cues.stop)
            {
                np.stype = ty;
                src = Some(np);
            }
            // Otherwise the subject is dropped (Arabic is pro-drop) and what
            // follows is the object or the content: the previous speaker
            // goes on.
            let continued = src.is_none();
            let src = match src {
                Some(s) => Some(s),
                None => last_named
                    .as_ref()
                    .filter(|(_, sent)| si <= sent + if content_next { 2 } else { 1 })
                    .map(|(s, _)| Source {
                        start: s.start,
                        end: s.end,
                        tok_end: v + 1,
                        text: s.text.clone(),
                        stype: s.stype,
                        id: s.id.clone(),
                    }),
            };
            let Some(mut src) = src else {
                v += 1;
                continue;
            };
            if continued {
                src.tok_end = v + 1;
            }
            let mut after = src.tok_end.max(v + 1);
            let mut channel = find_channel(text, after, b, cues, entities, &tok_mention, g);
            // `نقلت وكالة X عن مصدر أمني`: the one quoted after `عن` is the
            // source, the one who relays it is the channel.
            if verb.requires.is_some()
                && after < b
                && text.norm(&text.tokens[after]) == "عن"
                && let Some(orig) = source_at(after + 1, b)
            {
                channel = Some(src.text.clone());
                after = orig.tok_end;
                src = orig;
            }
            // Content: a quote before the verb (verb after quote), a quote
            // after it, else the clause after the subject.
            let vstart = t.start as usize;
            let quote_before = qs.iter().rev().find(|&&(qs0, qe)| {
                qe <= vstart
                    && qe + 12 >= vstart
                    && qs0 < vstart
                    && text.text[qe..vstart]
                        .trim_matches(|c: char| {
                            c.is_whitespace() || matches!(c, '”' | '»' | '"' | '،' | ',')
                        })
                        .is_empty()
            });
            // A quote after the verb is its content when it opens the
            // clause: right after the subject/channel, `إن` or a colon.
            let near = {
                let mut k = after;
                while k < b && k < after + 24 {
                    let t = &text.tokens[k];
                    if t.kind == TokenKind::Punct || matches!(text.norm(t), "ان" | "انه") {
                        k += 1;
                        continue;
                    }
                    // A title in apposition (`، رئيس بعثة الأمم المتحدة،`).
                    if title_end[k] > k {
                        k = title_end[k];
                        continue;
                    }
                    if channel.is_some() && tok_in_channel(text, k, &channel) {
                        k += 1;
                        continue;
                    }
                    break;
                }
                if k < b {
                    text.tokens[k].start as usize
                } else {
                    s.end as usize
                }
            };
            // A colon before the quote introduces direct speech.
            let after_colon = |q0: usize| {
                text.text[vstart..q0]
                    .trim_end_matches(|c: char| {
                        c.is_whitespace() || matches!(c, '«' | '“' | '"' | '„')
                    })
                    .ends_with(':')
            };
            // A clause ending on a colon introduces the quote that opens the
            // next sentence or paragraph (`وأضاف:` ⏎ `«...»`).
            let colon_end = text.text[vstart..s.end as usize].trim_end().ends_with(':');
            let next_start = text
                .sentences
                .get(si + 1)
                .map_or(usize::MAX, |n| n.start as usize);
            let quote_after = qs.iter().find(|&&(q0, _)| {
                q0 > vstart
                    && ((q0 <= near + 4 || after_colon(q0)) && q0 < s.end as usize
                        || colon_end && q0 >= next_start && q0 <= next_start + 4)
            });
            let content = if let Some(&q) = quote_before {
                q
            } else if let Some(&q) = quote_after {
                q
            } else {
                // The clause after the subject, its title, the channel and
                // `إن`; when nothing follows the verb (`... قال`), the
                // sentence.
                let c0 = if after >= b || near >= s.end as usize {
                    s.start as usize
                } else {
                    near
                };
                (c0, s.end as usize)
            };
            let tok_end = src.tok_end;
            if !continued {
                last_named = Some((
                    Source {
                        start: src.start,
                        end: src.end,
                        tok_end: src.tok_end,
                        text: src.text.clone(),
                        stype: src.stype,
                        id: src.id.clone(),
                    },
                    si,
                ));
            }
            out.push(make(src, Some(lemma), stance, channel, si, content));
            v = tok_end.max(v + 1);
        }
        // Quotes running into later sentences carry their attribution.
        for k in n_before..out.len() {
            let (c0, c1) = out[k].content;
            if c1 > s.end as usize {
                let mut sj = si + 1;
                while sj < text.sentences.len() && (text.sentences[sj].start as usize) < c1 {
                    let mut copy = out[k].clone();
                    copy.sentence = sj;
                    out.push(copy);
                    sj += 1;
                }
            }
            if c0 < s.start as usize {
                let mut sj = si;
                while sj > 0 && (text.sentences[sj - 1].end as usize) > c0 {
                    sj -= 1;
                    if out.iter().any(|x| x.sentence == sj) {
                        continue;
                    }
                    let mut copy = out[k].clone();
                    copy.sentence = sj;
                    out.push(copy);
                }
            }
        }
    }
    // Default source.
    if let Some(d) = default_source {
        let mut covered = vec![false; text.sentences.len()];
        for x in &out {
            if let Some(c) = covered.get_mut(x.sentence) {
                *c = true;
            }
        }
        for (si, s) in text.sentences.iter().enumerate() {
            let words = text
                .sentence_tokens(si)
                .iter()
                .filter(|t| t.kind == TokenKind::Word)
                .count();
            if covered[si] || words < 3 {
                continue;
            }
            out.push(Attribution {
                start: s.start as usize,
                end: s.start as usize,
                source_text: d.to_string(),
                source_type: SourceType::Outlet,
                source_id: None,
                verb: None,
                stance: Stance::States,
                channel: None,
                sentence: si,
                content: (s.start as usize, s.end as usize),
            });
        }
    }
    out.sort_by_key(|x| (x.sentence, x.content.0));
    out
}

/// Index of the first word token of the sentence `[a, b)`.
fn first_word(text: &Text, a: usize, b: usize) -> usize {
    (a..b)
        .find(|&k| text.tokens[k].kind == TokenKind::Word)
        .unwrap_or(b)
}

/// Is token `k` inside the channel text found for the clause?
fn tok_in_channel(text: &Text, k: usize, channel: &Option<String>) -> bool {
    channel
        .as_ref()
        .is_some_and(|c| c.contains(text.token_text(&text.tokens[k])))
}

fn make(
    src: Source,
    verb: Option<String>,
    stance: Stance,
    channel: Option<String>,
    sentence: usize,
    content: (usize, usize),
) -> Attribution {
    Attribution {
        start: src.start,
        end: src.end,
        source_text: src.text,
        source_type: src.stype,
        source_id: src.id,
        verb,
        stance,
        channel,
        sentence,
        content,
    }
}

/// An unnamed noun phrase after `وفقاً لـ` (`لحسابات المتمردين`): up to four
/// words, stopping at punctuation and function words; anonymous.
fn noun_phrase(text: &Text, p: usize, end: usize, stop: &HashSet<String>) -> Option<Source> {
    // A word with a pronoun suffix (`قيمته`) is not a source.
    if p >= end
        || stop.contains(text.norm(&text.tokens[p]))
        || text.tokens[p].enc != marsad_text::Enclitic::None
    {
        return None;
    }
    let mut e = p;
    while e < end && e < p + 4 {
        let t = &text.tokens[e];
        if !matches!(t.kind, TokenKind::Word | TokenKind::Latin) {
            break;
        }
        // Stop at prepositions and relatives, and at a word with a pronoun
        // suffix (`مسؤوليتها`: the object has begun).
        if e > p
            && (matches!(
                text.norm(t),
                "في" | "علي" | "من" | "الي" | "عن" | "ان" | "الذي" | "التي"
            ) || t.enc != marsad_text::Enclitic::None)
        {
            break;
        }
        e += 1;
    }
    if e == p {
        return None;
    }
    let start = text.tokens[p].start as usize + crate::recognize::clitic_skip(text, p);
    let end_b = text.tokens[e - 1].end as usize;
    Some(Source {
        start,
        end: end_b,
        tok_end: e,
        text: text.text[start..end_b].to_string(),
        stype: SourceType::Anonymous,
        id: None,
    })
}

/// The channel after token `p` in the sentence ending at token `end`: a
/// channel phrase, or `لـ` + an agency/outlet mention.
fn find_channel(
    text: &Text,
    p: usize,
    end: usize,
    cues: &Cues,
    entities: &[EntityMention],
    tok_mention: &[Option<usize>],
    g: &Gazetteer,
) -> Option<String> {
    for q in p..end.min(p + 8) {
        let n = match_phrase(text, q, end, &cues.channel);
        if n > 0 {
            let s = text.tokens[q].start as usize;
            let e = text.tokens[q + n - 1].end as usize;
            // `لوكالة الأنباء الأسوشيتد برس`: take the agency's name too.
            if let Some(mi) = tok_mention.get(q + n).copied().flatten() {
                return Some(text.text[s..entities[mi].end.max(e)].to_string());
            }
            return Some(text.text[s..e].to_string());
        }
        if let Some(mi) = tok_mention[q] {
            let m = &entities[mi];
            let t = &text.tokens[q];
            let media = g
                .by_id(&m.id)
                .is_some_and(|e| matches!(e.kind, Kind::Org(OrgType::Agency | OrgType::Outlet)));
            if media && m.start > t.start as usize && text.norm(t).starts_with('ل') {
                return Some(text.text[t.start as usize..m.end].to_string());
            }
        }
        let w = text.norm(&text.tokens[q]);
        if matches!(w, "ان" | ":" | "\"" | "«" | "“") {
            break;
        }
    }
    None
}

/// The attribution covering byte offset `pos` in sentence `sentence`: the
/// innermost quote or clause containing it, else the sentence's attribution
/// by a named source or cue, else the sentence's default.
pub fn attribution_for(attrs: &[Attribution], pos: usize, sentence: usize) -> Option<&Attribution> {
    let inner = attrs
        .iter()
        .filter(|a| a.sentence == sentence && a.content.0 <= pos && pos < a.content.1)
        .filter(|a| a.verb.is_some())
        .min_by_key(|a| a.content.1 - a.content.0);
    inner
        .or_else(|| {
            attrs
                .iter()
                .find(|a| a.sentence == sentence && a.verb.is_some())
        })
        .or_else(|| attrs.iter().find(|a| a.sentence == sentence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_spans() {
        let t = "قال «نعم» ثم \"لا\" و“ربما”.";
        let q = quotes(t);
        assert_eq!(q.len(), 3);
        assert_eq!(&t[q[0].0..q[0].1], "نعم");
        assert_eq!(&t[q[1].0..q[1].1], "لا");
        assert_eq!(&t[q[2].0..q[2].1], "ربما");
    }

    fn attr(
        sentence: usize,
        content: (usize, usize),
        verb: Option<&str>,
        src: &str,
    ) -> Attribution {
        Attribution {
            start: 0,
            end: 0,
            source_text: src.to_string(),
            source_type: SourceType::Person,
            source_id: None,
            verb: verb.map(str::to_string),
            stance: Stance::States,
            channel: None,
            sentence,
            content,
        }
    }

    #[test]
    fn attribution_for_prefers_innermost_then_sentence_then_default() {
        let attrs = vec![
            attr(0, (0, 100), Some("قال"), "outer"),
            attr(0, (20, 40), Some("قال"), "quote"),
            attr(1, (100, 200), None, "default"),
            attr(2, (200, 250), Some("بحسب"), "cue"),
        ];
        assert_eq!(attribution_for(&attrs, 30, 0).unwrap().source_text, "quote");
        assert_eq!(attribution_for(&attrs, 50, 0).unwrap().source_text, "outer");
        assert_eq!(
            attribution_for(&attrs, 150, 1).unwrap().source_text,
            "default"
        );
        // Outside the cue's content but in its sentence: still the cue's.
        assert_eq!(attribution_for(&attrs, 260, 2).unwrap().source_text, "cue");
        assert!(attribution_for(&attrs, 300, 3).is_none());
    }

    #[test]
    fn unprefixed_forms() {
        let v: Vec<&str> = unprefixed("ووفقا").collect();
        assert_eq!(v, ["ووفقا", "وفقا", "فقا"]);
    }
}
