//! # Statistical named-entity tagger
//!
//! An averaged structured perceptron over BIO labels with first-order
//! Viterbi decoding, trained on ANERcorp by `marsad train-ner` and shipped
//! as `data/ner-model.bin` (embedded with `include_bytes!`, parsed once on
//! first use in a few milliseconds).
//!
//! ## Two passes
//! The first pass tags each sentence alone. The second ([`memory`]) sees,
//! for every token, what the first pass said about other occurrences of the
//! same base in the ten sentences before and after, and is used by
//! [`Tagger::tag_text`] and [`Tagger::tag_word_sentences`] (whole
//! articles). [`Tagger::tag_words`] and [`Tagger::tag_sentence`] run the
//! first pass only.
//!
//! ## Accuracy and speed (committed model)
//! Trained on the first 90% of ANERcorp's sentences; dev split = the last
//! 10% (document-contiguous, sports and culture news, many unseen names):
//! see `marsad eval ner ../shared/ner/anercorp-train.tsv --split dev` for
//! the current figures (at the last training: F1 73.3 overall with both
//! passes, 70.4 first pass only). On the easier interleaved split (every
//! 10th sentence) the same recipe gives about 82. Throughput on one core
//! (CPU time, first 2,000 ANT articles, text analysis included): about
//! 6 MB/s first pass, 3.5 MB/s both passes.
//!
//! ## Labels
//! ANERcorp's: `O`, and `B-`/`I-` of `PERS`, `LOC`, `ORG`, `MISC`
//! ([`NerLabel`], [`NerClass`]). Decoding only produces well-formed
//! sequences: `I-X` follows `B-X` or `I-X`.
//!
//! ## How marsad's entity types map onto ANERcorp's
//! | marsad ([`crate::EntityType`]) | ANERcorp |
//! |---|---|
//! | PERS | PERS |
//! | ORG | ORG |
//! | GPE (countries, cities, regions with government) | LOC |
//! | LOC (deserts, rivers, regions) | LOC |
//! | FAC (airports, bases, hotels) | LOC |
//! | NORP (nationalities, groups: `الروس`, `الطوارق`) | MISC |
//!
//! ANERcorp tags places of every kind as `LOC` and uses `MISC` for
//! nationalities/nisba adjectives, events, religions, products and works.
//! So a tagger `LOC` becomes GPE/LOC/FAC by gazetteer lookup or head noun
//! (the combined recognizer decides), and `MISC` is only NORP when it is a
//! nisba or a group name; other `MISC` spans have no marsad type.
//! Titles are `O` in ANERcorp (`الرئيس` before `PERS`), so the tagger never
//! includes them in a person span.
//!
//! ## What the tagger looks at
//! See [`features`] (word, affixes, clitics, shape, context) and [`hints`]
//! (gazetteer hints as a bit set per token). The clitic analysis is the
//! text layer's ([`marsad_text::clitics`]); words given as strings are
//! analysed exactly as [`marsad_text::analyze`] analyses a token, so
//! [`Tagger::tag_words`] and [`Tagger::tag_sentence`] see the same thing.
//!
//! ## What it does not do
//! No I/O (the binary reads training files and writes the model), no
//! linking of mentions, no gazetteer decisions: it gives BIO labels per
//! token. It never panics on any input.

pub mod clusters;
pub mod eval;
pub mod features;
pub mod hints;
pub mod memory;
mod model;
pub mod train;

use std::sync::OnceLock;

use marsad_text::{Enclitic, Proclitics, Text, TokenKind, clitics, normalize, stem, tokenize};

pub use eval::{ClassScores, Scores, evaluate};
pub use hints::{GazHints, hints_for_words};
pub use train::{EpochReport, TrainOptions, TrainSentence, train};

use features::{TokFeat, TokView};
use model::Model;

/// Number of labels: `O`, `B-` × 4, `I-` × 4.
pub const N_LABELS: usize = 9;

/// Entity class of ANERcorp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NerClass {
    /// Person.
    Pers,
    /// Location (any place).
    Loc,
    /// Organization.
    Org,
    /// Miscellaneous (nationalities, events, products, ...).
    Misc,
}

impl NerClass {
    /// All classes in label order.
    pub const ALL: [NerClass; 4] = [NerClass::Pers, NerClass::Loc, NerClass::Org, NerClass::Misc];

    /// ANERcorp's name (`PERS`, `LOC`, `ORG`, `MISC`).
    pub fn as_str(self) -> &'static str {
        match self {
            NerClass::Pers => "PERS",
            NerClass::Loc => "LOC",
            NerClass::Org => "ORG",
            NerClass::Misc => "MISC",
        }
    }

    /// Parse ANERcorp's names, and AQMAR's (`PER`, `MIS`, `MIS0`...).
    pub fn parse(s: &str) -> Option<NerClass> {
        match s {
            "PERS" | "PER" => Some(NerClass::Pers),
            "LOC" => Some(NerClass::Loc),
            "ORG" => Some(NerClass::Org),
            _ if s.starts_with("MIS") => Some(NerClass::Misc),
            _ => None,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A BIO label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NerLabel {
    /// Outside any entity.
    O,
    /// First token of an entity.
    B(NerClass),
    /// Inside an entity, after its first token.
    I(NerClass),
}

impl NerLabel {
    /// Dense index `0..N_LABELS`.
    pub fn index(self) -> usize {
        match self {
            NerLabel::O => 0,
            NerLabel::B(c) => 1 + c.index(),
            NerLabel::I(c) => 5 + c.index(),
        }
    }

    /// Inverse of [`NerLabel::index`] (indices ≥ `N_LABELS` give `O`).
    pub fn from_index(i: usize) -> NerLabel {
        match i {
            1..=4 => NerLabel::B(NerClass::ALL[i - 1]),
            5..=8 => NerLabel::I(NerClass::ALL[i - 5]),
            _ => NerLabel::O,
        }
    }

    /// The class, if not `O`.
    pub fn class(self) -> Option<NerClass> {
        match self {
            NerLabel::O => None,
            NerLabel::B(c) | NerLabel::I(c) => Some(c),
        }
    }

    /// Parse `O`, `B-PERS`, `I-LOC`, ... (AQMAR's `B-PER`, `I-MIS1` too);
    /// unknown tags give `None`.
    pub fn parse(s: &str) -> Option<NerLabel> {
        if s == "O" {
            return Some(NerLabel::O);
        }
        let (bi, c) = s.split_once('-')?;
        let c = NerClass::parse(c)?;
        match bi {
            "B" => Some(NerLabel::B(c)),
            "I" => Some(NerLabel::I(c)),
            _ => None,
        }
    }
}

impl std::fmt::Display for NerLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NerLabel::O => f.write_str("O"),
            NerLabel::B(c) => write!(f, "B-{}", c.as_str()),
            NerLabel::I(c) => write!(f, "I-{}", c.as_str()),
        }
    }
}

/// Errors of the tagger.
#[derive(Debug, thiserror::Error)]
pub enum TaggerError {
    /// The model bytes are not a valid model.
    #[error("invalid NER model: {0}")]
    Format(String),
}

/// May label `cur` follow `prev` (`None` = sentence start)?
#[inline]
pub(crate) fn allowed(prev: Option<usize>, cur: usize) -> bool {
    if cur < 5 {
        return true;
    }
    match prev {
        None => false,
        Some(p) => p == cur || p + 4 == cur,
    }
}

/// Best label sequence under emission scores `em` (`n × N_LABELS`) and
/// transitions `trans` (`(N_LABELS + 1) × N_LABELS`, row 0 = start).
pub(crate) fn viterbi(em: &[f32], trans: &[f32], out: &mut Vec<usize>) {
    out.clear();
    let n = em.len() / N_LABELS;
    if n == 0 {
        return;
    }
    let mut score = vec![f32::NEG_INFINITY; n * N_LABELS];
    let mut back = vec![0u8; n * N_LABELS];
    for c in 0..N_LABELS {
        if allowed(None, c) {
            score[c] = em[c] + trans[c];
        }
    }
    for i in 1..n {
        for c in 0..N_LABELS {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for p in 0..N_LABELS {
                if !allowed(Some(p), c) {
                    continue;
                }
                let s = score[(i - 1) * N_LABELS + p] + trans[(p + 1) * N_LABELS + c];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            score[i * N_LABELS + c] = best + em[i * N_LABELS + c];
            back[i * N_LABELS + c] = arg;
        }
    }
    let last = &score[(n - 1) * N_LABELS..];
    let mut c = 0;
    for k in 1..N_LABELS {
        if last[k] > last[c] {
            c = k;
        }
    }
    out.resize(n, 0);
    out[n - 1] = c;
    for i in (1..n).rev() {
        c = back[i * N_LABELS + c] as usize;
        out[i - 1] = c;
    }
}

/// Where one word's analysis lives in an [`AnalysedWords`] buffer.
pub(crate) struct WordRanges {
    norm: (usize, usize),
    base: (usize, usize),
    stem: (usize, usize),
    kind: TokenKind,
    pro: Proclitics,
    enc: Enclitic,
    ta: bool,
}

/// Words given as strings, analysed like the text layer analyses tokens:
/// search form, clitics, base, light stem, kind.
pub(crate) struct AnalysedWords {
    buf: String,
    words: Vec<WordRanges>,
}

impl AnalysedWords {
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, WordRanges> {
        self.words.iter()
    }

    pub(crate) fn hint_tok(&self, r: &WordRanges) -> hints::HintTok<'_> {
        hints::HintTok {
            norm: &self.buf[r.norm.0..r.norm.1],
            base: &self.buf[r.base.0..r.base.1],
            article: r.pro.has_article(),
        }
    }

    fn view(&self, r: &WordRanges, hints: GazHints) -> TokView<'_> {
        TokView {
            norm: &self.buf[r.norm.0..r.norm.1],
            base: &self.buf[r.base.0..r.base.1],
            stem: &self.buf[r.stem.0..r.stem.1],
            kind: r.kind,
            pro: r.pro,
            enc: r.enc,
            ta_marbuta: r.ta,
            hints,
        }
    }
}

/// Analyse words given as strings.
pub(crate) fn analyse_words(words: &[&str]) -> AnalysedWords {
    let mut buf = String::with_capacity(words.iter().map(|w| w.len()).sum());
    let mut rs = Vec::with_capacity(words.len());
    for w in words {
        let n0 = buf.len();
        let mut ta = false;
        for c in w.chars() {
            normalize::push_normalized(c, normalize::Form::Search, &mut buf, |_| {});
            if c == 'ة' {
                ta = true;
            } else if !normalize::is_dropped(c) {
                ta = false;
            }
        }
        let n1 = buf.len();
        let kind = match w.chars().next() {
            Some(c) if tokenize::is_arabic_letter(c) => TokenKind::Word,
            Some(c) if tokenize::is_digit(c) => TokenKind::Number,
            Some(c) if c.is_alphabetic() => TokenKind::Latin,
            _ => TokenKind::Punct,
        };
        let mut r = WordRanges {
            norm: (n0, n1),
            base: (n0, n1),
            stem: (n0, n1),
            kind,
            pro: Proclitics::NONE,
            enc: Enclitic::None,
            ta,
        };
        let s = &buf[n0..n1];
        if kind == TokenKind::Word && !s.is_empty() && s.chars().all(tokenize::is_arabic_letter) {
            let sp = clitics::analyse(s, ta);
            r.pro = sp.pro;
            r.enc = sp.enc;
            r.base = (n0 + sp.base_start, n0 + sp.base_end);
            let (a, b) = stem::light10_range(s);
            r.stem = (n0 + a, n0 + b);
        }
        rs.push(r);
    }
    AnalysedWords { buf, words: rs }
}

/// Token summaries of analysed words with their hints.
pub(crate) fn summarize_words(a: &AnalysedWords, hints: &[GazHints]) -> Vec<TokFeat> {
    a.words
        .iter()
        .enumerate()
        .map(|(i, r)| TokFeat::new(&a.view(r, hints.get(i).copied().unwrap_or(0))))
        .collect()
}

/// Best label indices for summarized tokens under `model`.
pub(crate) fn decode_indices(model: &Model, toks: &[TokFeat]) -> Vec<usize> {
    let mut em = vec![0f32; toks.len() * N_LABELS];
    let mut keys = Vec::with_capacity(64);
    for i in 0..toks.len() {
        keys.clear();
        features::features(toks, i, &mut keys);
        let mut acc = [0i32; N_LABELS];
        for &k in &keys {
            model.add(k, &mut acc);
        }
        for (e, a) in em[i * N_LABELS..(i + 1) * N_LABELS].iter_mut().zip(acc) {
            *e = a as f32 * model.scale;
        }
    }
    let mut path = Vec::new();
    viterbi(&em, &model.trans, &mut path);
    path
}

/// The NER tagger: a trained first-pass model and, optionally, a
/// second-pass model with document memory ([`memory`]).
#[derive(Debug, Clone)]
pub struct Tagger {
    pass1: Model,
    pass2: Option<Model>,
}

static BUILTIN_MODEL: &[u8] = include_bytes!("../data/ner-model.bin");

/// Magic of the two-pass container (each pass is a [`model`] section).
const CONTAINER_MAGIC: &[u8; 8] = b"MRSDNERS";

impl Tagger {
    /// The committed model (parsed on first call, then shared).
    pub fn builtin() -> Result<&'static Tagger, TaggerError> {
        static T: OnceLock<Result<Tagger, String>> = OnceLock::new();
        T.get_or_init(|| Tagger::from_bytes(BUILTIN_MODEL).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| TaggerError::Format(e.clone()))
    }

    /// Parse a model from its binary format: `MRSDNERS`, a `u32` count of
    /// passes (1 or 2), then per pass a `u64` length and a model section.
    pub fn from_bytes(b: &[u8]) -> Result<Tagger, TaggerError> {
        let bad = |m: &str| TaggerError::Format(m.to_string());
        let rest = b
            .strip_prefix(CONTAINER_MAGIC.as_slice())
            .ok_or_else(|| bad("bad magic"))?;
        let (n, mut rest) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| bad("truncated"))?;
        let n = u32::from_le_bytes(*n);
        if !(1..=2).contains(&n) {
            return Err(bad("a model has one or two passes"));
        }
        let mut models = Vec::with_capacity(2);
        for _ in 0..n {
            let (len, r) = rest
                .split_first_chunk::<8>()
                .ok_or_else(|| bad("truncated"))?;
            let len = usize::try_from(u64::from_le_bytes(*len)).map_err(|_| bad("too long"))?;
            if r.len() < len {
                return Err(bad("truncated model section"));
            }
            models.push(Model::from_bytes(&r[..len])?);
            rest = &r[len..];
        }
        if !rest.is_empty() {
            return Err(bad("trailing bytes"));
        }
        let pass2 = if n == 2 { models.pop() } else { None };
        let pass1 = models.pop().ok_or_else(|| bad("no model"))?;
        Ok(Tagger { pass1, pass2 })
    }

    /// The model in its binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(CONTAINER_MAGIC);
        let passes: Vec<&Model> = std::iter::once(&self.pass1).chain(&self.pass2).collect();
        out.extend_from_slice(&(passes.len() as u32).to_le_bytes());
        for m in passes {
            let b = m.to_bytes();
            out.extend_from_slice(&(b.len() as u64).to_le_bytes());
            out.extend_from_slice(&b);
        }
        out
    }

    /// Number of weighted features in the model (both passes).
    pub fn n_features(&self) -> usize {
        self.pass1.n_features() + self.pass2.as_ref().map_or(0, |m| m.n_features())
    }

    /// Does the model have the document-memory pass?
    pub fn has_memory(&self) -> bool {
        self.pass2.is_some()
    }

    pub(crate) fn from_models(pass1: Model, pass2: Option<Model>) -> Tagger {
        Tagger { pass1, pass2 }
    }

    /// Label one sentence given as words (as written) and their gazetteer
    /// hints ([`hints_for_words`]; missing hints count as none). Without
    /// neighbouring sentences there is no document memory, so only the
    /// first pass runs (the second is trained on article context and does
    /// worse on a lone sentence); use [`Tagger::tag_word_sentences`] or
    /// [`Tagger::tag_text`] for whole articles.
    pub fn tag_words(&self, words: &[&str], hints: &[GazHints]) -> Vec<NerLabel> {
        let a = analyse_words(words);
        let toks = summarize_words(&a, hints);
        labels_of(decode_indices(&self.pass1, &toks))
    }

    /// Label consecutive sentences of one or more articles given as words;
    /// gazetteer hints are computed with [`hints_for_words`]. Each sentence
    /// sees the document memory of its neighbours ([`memory::WINDOW`]).
    pub fn tag_word_sentences(&self, sentences: &[Vec<&str>]) -> Vec<Vec<NerLabel>> {
        let toks = sentences
            .iter()
            .map(|words| {
                let a = analyse_words(words);
                let hts: Vec<_> = a.iter().map(|r| a.hint_tok(r)).collect();
                let h = hints::hints_for_tokens(&hts);
                summarize_words(&a, &h)
            })
            .collect();
        self.decode_all(toks)
    }

    /// Label the tokens of sentence `sentence` of `text` (one label per
    /// token, punctuation included), first pass only (no document memory:
    /// prefer [`Tagger::tag_text`] for a whole article). An out-of-range
    /// sentence gives an empty vector.
    pub fn tag_sentence(&self, text: &Text, sentence: usize) -> Vec<NerLabel> {
        if sentence >= text.sentences.len() {
            return Vec::new();
        }
        labels_of(decode_indices(
            &self.pass1,
            &summarize_sentence(text, sentence),
        ))
    }

    /// Label every sentence of `text` (one vector per sentence, one label
    /// per token), with document memory across the article: better than
    /// tagging sentence by sentence.
    pub fn tag_text(&self, text: &Text) -> Vec<Vec<NerLabel>> {
        let toks = (0..text.sentences.len())
            .map(|s| summarize_sentence(text, s))
            .collect();
        self.decode_all(toks)
    }

    fn decode_all(&self, mut sents: Vec<Vec<TokFeat>>) -> Vec<Vec<NerLabel>> {
        let first: Vec<Vec<usize>> = sents
            .iter()
            .map(|t| decode_indices(&self.pass1, t))
            .collect();
        let out = match &self.pass2 {
            None => first,
            Some(m) => {
                memory::apply(&mut sents, &first);
                sents.iter().map(|t| decode_indices(m, t)).collect()
            }
        };
        out.into_iter().map(labels_of).collect()
    }
}

fn labels_of(path: Vec<usize>) -> Vec<NerLabel> {
    path.into_iter().map(NerLabel::from_index).collect()
}

/// Token summaries of sentence `s` of `text`.
fn summarize_sentence(text: &Text, s: usize) -> Vec<TokFeat> {
    let toks = text.sentence_tokens(s);
    let hts: Vec<hints::HintTok<'_>> = toks
        .iter()
        .map(|t| hints::HintTok {
            norm: text.norm(t),
            base: text.base(t),
            article: t.pro.has_article(),
        })
        .collect();
    let hints = hints::hints_for_tokens(&hts);
    toks.iter()
        .zip(&hints)
        .map(|(t, &h)| {
            TokFeat::new(&TokView {
                norm: text.norm(t),
                base: text.base(t),
                stem: text.stem(t),
                kind: t.kind,
                pro: t.pro,
                enc: t.enc,
                ta_marbuta: t.ta_marbuta,
                hints: h,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_index_round_trip() {
        for i in 0..N_LABELS {
            assert_eq!(NerLabel::from_index(i).index(), i);
            let s = NerLabel::from_index(i).to_string();
            assert_eq!(NerLabel::parse(&s), Some(NerLabel::from_index(i)));
        }
        assert_eq!(NerLabel::parse("B-PER"), Some(NerLabel::B(NerClass::Pers)));
        assert_eq!(NerLabel::parse("I-MIS1"), Some(NerLabel::I(NerClass::Misc)));
        assert_eq!(NerLabel::parse("X-Y"), None);
    }

    #[test]
    fn viterbi_respects_bio() {
        // Emissions prefer I-PERS at the start; it must not be chosen there.
        let mut em = vec![0f32; 2 * N_LABELS];
        em[NerLabel::I(NerClass::Pers).index()] = 10.0;
        em[N_LABELS + NerLabel::I(NerClass::Loc).index()] = 10.0;
        let trans = vec![0f32; (N_LABELS + 1) * N_LABELS];
        let mut out = Vec::new();
        viterbi(&em, &trans, &mut out);
        assert!(allowed(None, out[0]));
        assert!(allowed(Some(out[0]), out[1]));
    }
}
