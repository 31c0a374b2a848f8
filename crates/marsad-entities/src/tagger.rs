//! # Statistical named-entity tagger
//!
//! An averaged structured perceptron over BIO labels with first-order
//! Viterbi decoding, trained on ANERcorp by `marsad train-ner` and shipped
//! as `data/ner-model.bin` (embedded with `include_bytes!`, parsed once on
//! first use).
//!
//! ## Knowledge from unlabelled news
//! 125k labelled words cannot name most of what a news article names, so
//! training has three steps ([`train_context`], [`corpus_types`],
//! [`train`]): a *context tagger* that never looks at a word's own identity
//! labels a large unlabelled news corpus; how often each word was labelled
//! PERS, LOC, ORG, MISC or nothing becomes a lexicon ([`CorpusTypes`],
//! stored inside the model file); the tagger is trained with features of
//! that lexicon for each token and its neighbours. On the dev split this
//! is worth about three points of F1 (see below).
//!
//! ## Accuracy and speed (committed model)
//! Trained on the first 90% of ANERcorp's sentences; dev split = the last
//! 10% (document-contiguous, sports, culture and car news, many unseen
//! names): see `marsad eval ner ../shared/ner/anercorp-train.tsv --split dev`
//! for the current figures. Speed: see [`decode`] (why tagging is a few
//! cache lookups per token) and `cargo bench -p marsad-entities --bench
//! tagger`.
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
//! | NORP (nationalities, groups: `الروس`, `الطوارق`) | O (untagged) |
//! | — | MISC |
//!
//! ANERcorp tags places of every kind as `LOC`, leaves nisba adjectives
//! and demonyms untagged (`الفرنسي` is `O`), and uses `MISC` for
//! currencies (`دولار`), religions, events, awards, products and works.
//! So a tagger `LOC` becomes GPE/LOC/FAC by gazetteer lookup or head noun
//! (the combined recognizer decides), NORP comes from the gazetteers alone,
//! and `MISC` spans have no marsad type.
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
//! No I/O (the binary reads training files and the unlabelled corpus and
//! writes the model), no linking of mentions, no gazetteer decisions: it
//! gives BIO labels per token, each sentence on its own (repeated names in
//! an article are linked afterwards by [`crate::recognize`]). It never
//! panics on any input.

mod cache;
pub mod clusters;
pub mod corpus_types;
mod decode;
pub mod eval;
pub mod features;
pub mod hints;
mod model;
pub mod train;

use std::sync::OnceLock;

use marsad_text::{Enclitic, Proclitics, Text, TokenKind, clitics, normalize, stem, tokenize};

pub use corpus_types::{CorpusTypes, CorpusTypesBuilder};
pub use eval::{ClassScores, Scores, evaluate};
pub use hints::{GazHints, hints_for_words};
pub use train::{EpochReport, TrainOptions, TrainSentence, train, train_context};

use features::{FeatureSet, TokFeat, TokView};
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
pub(crate) fn summarize_words(
    a: &AnalysedWords,
    hints: &[GazHints],
    types: &CorpusTypes,
) -> Vec<TokFeat> {
    a.words
        .iter()
        .enumerate()
        .map(|(i, r)| TokFeat::summarize(&a.view(r, hints.get(i).copied().unwrap_or(0)), types))
        .collect()
}

/// Best label indices for summarized tokens under `model`.
pub(crate) fn decode_indices(model: &Model, toks: &[TokFeat]) -> Vec<usize> {
    let mut em = Vec::new();
    decode::emissions(model, toks, &mut em);
    let mut path = Vec::new();
    viterbi(&em, &model.trans, &mut path);
    path
}

/// The NER tagger: a trained model and the corpus-types lexicon it was
/// trained with ([`corpus_types`]).
#[derive(Debug, Clone)]
pub struct Tagger {
    model: Model,
    types: CorpusTypes,
}

/// A tagger that labels words by their context only
/// ([`FeatureSet::Context`]), trained by [`train_context`]: it labels the
/// unlabelled corpus from which the corpus-types lexicon is counted.
#[derive(Debug, Clone)]
pub struct ContextTagger {
    model: Model,
}

static BUILTIN_MODEL: &[u8] = include_bytes!("../data/ner-model.bin");

/// Magic of the model container.
const CONTAINER_MAGIC: &[u8; 8] = b"MRSDNER3";

impl Tagger {
    /// The committed model (parsed on first call, then shared).
    pub fn builtin() -> Result<&'static Tagger, TaggerError> {
        static T: OnceLock<Result<Tagger, String>> = OnceLock::new();
        T.get_or_init(|| {
            Tagger::from_bytes(BUILTIN_MODEL).map_err(|e| match e {
                TaggerError::Format(m) => m,
            })
        })
        .as_ref()
        .map_err(|e| TaggerError::Format(e.clone()))
    }

    /// Parse a model from its binary format: `MRSDNER3`, a `u64` length and
    /// the weights section ([`model`]), then a `u64` length and the
    /// corpus-types lexicon as UTF-8 TSV ([`CorpusTypes::to_tsv`]).
    pub fn from_bytes(b: &[u8]) -> Result<Tagger, TaggerError> {
        let bad = |m: &str| TaggerError::Format(m.to_string());
        fn section<'a>(rest: &mut &'a [u8]) -> Result<&'a [u8], TaggerError> {
            let bad = |m: &str| TaggerError::Format(m.to_string());
            let (len, r) = rest
                .split_first_chunk::<8>()
                .ok_or_else(|| bad("truncated"))?;
            let len = usize::try_from(u64::from_le_bytes(*len)).map_err(|_| bad("too long"))?;
            if r.len() < len {
                return Err(bad("truncated model section"));
            }
            let (sec, r) = r.split_at(len);
            *rest = r;
            Ok(sec)
        }
        let mut rest = b.strip_prefix(CONTAINER_MAGIC.as_slice()).ok_or_else(|| {
            bad("bad magic (a model from an older marsad? retrain with `marsad train-ner`)")
        })?;
        let model = Model::from_bytes(section(&mut rest)?, FeatureSet::Full)?;
        let tsv = std::str::from_utf8(section(&mut rest)?)
            .map_err(|_| bad("corpus types are not UTF-8"))?;
        let types = CorpusTypes::from_tsv(tsv).ok_or_else(|| bad("malformed corpus types"))?;
        if !rest.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(Tagger { model, types })
    }

    /// The model in its binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(CONTAINER_MAGIC);
        let mut push = |b: &[u8]| {
            out.extend_from_slice(&(b.len() as u64).to_le_bytes());
            out.extend_from_slice(b);
        };
        push(&self.model.to_bytes());
        push(self.types.to_tsv().as_bytes());
        out
    }

    /// Number of weighted features in the model.
    pub fn n_features(&self) -> usize {
        self.model.n_features()
    }

    /// The corpus-types lexicon of the model.
    pub fn corpus_types(&self) -> &CorpusTypes {
        &self.types
    }

    pub(crate) fn from_models(model: Model, types: CorpusTypes) -> Tagger {
        Tagger { model, types }
    }

    /// Label one sentence given as words (as written) and their gazetteer
    /// hints ([`hints_for_words`]; missing hints count as none).
    pub fn tag_words(&self, words: &[&str], hints: &[GazHints]) -> Vec<NerLabel> {
        let a = analyse_words(words);
        let toks = summarize_words(&a, hints, &self.types);
        labels_of(decode_indices(&self.model, &toks))
    }

    /// Label sentences given as words; gazetteer hints are computed with
    /// [`hints_for_words`].
    pub fn tag_word_sentences(&self, sentences: &[Vec<&str>]) -> Vec<Vec<NerLabel>> {
        sentences
            .iter()
            .map(|words| {
                let a = analyse_words(words);
                let hts: Vec<_> = a.iter().map(|r| a.hint_tok(r)).collect();
                let h = hints::hints_for_tokens(&hts);
                labels_of(decode_indices(
                    &self.model,
                    &summarize_words(&a, &h, &self.types),
                ))
            })
            .collect()
    }

    /// Label the tokens of sentence `sentence` of `text` (one label per
    /// token, punctuation included). An out-of-range sentence gives an
    /// empty vector.
    pub fn tag_sentence(&self, text: &Text, sentence: usize) -> Vec<NerLabel> {
        if sentence >= text.sentences.len() {
            return Vec::new();
        }
        labels_of(decode_indices(
            &self.model,
            &summarize_sentence(text, sentence, &self.types),
        ))
    }

    /// Label every sentence of `text` (one vector per sentence, one label
    /// per token).
    pub fn tag_text(&self, text: &Text) -> Vec<Vec<NerLabel>> {
        (0..text.sentences.len())
            .map(|s| self.tag_sentence(text, s))
            .collect()
    }
}

impl ContextTagger {
    pub(crate) fn new(model: Model) -> ContextTagger {
        ContextTagger { model }
    }

    /// Label every sentence of `text` and count, for every word's base,
    /// how often it was labelled `O`, PERS, LOC, ORG and MISC (the caller
    /// counts documents).
    pub fn count(&self, text: &Text, into: &mut CorpusTypesBuilder) {
        let none = CorpusTypes::empty();
        for s in 0..text.sentences.len() {
            let toks = summarize_sentence(text, s, &none);
            let labels = decode_indices(&self.model, &toks);
            for (t, l) in text.sentence_tokens(s).iter().zip(labels) {
                if t.kind == TokenKind::Word {
                    let class = NerLabel::from_index(l)
                        .class()
                        .map_or(0, |c| c as usize + 1);
                    into.add(text.base(t), class);
                }
            }
        }
    }
}

fn labels_of(path: Vec<usize>) -> Vec<NerLabel> {
    path.into_iter().map(NerLabel::from_index).collect()
}

/// Token summaries of sentence `s` of `text`.
fn summarize_sentence(text: &Text, s: usize, types: &CorpusTypes) -> Vec<TokFeat> {
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
            TokFeat::summarize(
                &TokView {
                    norm: text.norm(t),
                    base: text.base(t),
                    stem: text.stem(t),
                    kind: t.kind,
                    pro: t.pro,
                    enc: t.enc,
                    ta_marbuta: t.ta_marbuta,
                    hints: h,
                },
                types,
            )
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
