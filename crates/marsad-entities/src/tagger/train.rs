//! Training: an averaged structured perceptron (Collins 2002).
//!
//! For each sentence (in a shuffled order fixed by the seed) the current
//! weights decode it with the same constrained Viterbi as tagging; where
//! the prediction differs from the gold labels, the features of each wrong
//! token gain weight for the gold label and lose it for the predicted one,
//! and the label transitions are updated the same way. The returned model
//! holds the *average* of the weights over all steps (computed lazily),
//! which generalises far better than the last weights. Features whose
//! averaged weights are all below [`TrainOptions::min_weight`] are pruned
//! to keep the model small.
//!
//! Training is deterministic: same data, options and seed → same bytes.

use super::features::FastMap as HashMap;

use super::corpus_types::CorpusTypes;
use super::eval::{Scores, evaluate};
use super::features::{self, FeatureSet, TokFeat};
use super::hints::hints_for_tokens;
use super::model::Model;
use super::{ContextTagger, N_LABELS, NerLabel, Tagger, analyse_words, summarize_words, viterbi};

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSentence {
    /// Tokens as written.
    pub words: Vec<String>,
    /// One label per token.
    pub labels: Vec<NerLabel>,
}

/// Training options.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the shuffling.
    pub seed: u64,
    /// Features whose largest absolute averaged weight is below this are
    /// dropped from the model.
    pub min_weight: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 10,
            seed: 20_070_601,
            min_weight: 0.05,
        }
    }
}

/// What happened in one epoch.
#[derive(Debug, Clone)]
pub struct EpochReport {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Training sentences whose prediction was wrong.
    pub wrong_sentences: usize,
    /// Training sentences.
    pub sentences: usize,
    /// Scores of the averaged weights on the dev sentences (when given).
    pub dev: Option<Scores>,
}

/// Feature ids of one sentence's tokens.
struct Encoded {
    /// Feature ids of token `i` are `ids[off[i]..off[i + 1]]`.
    ids: Vec<u32>,
    off: Vec<usize>,
    gold: Vec<usize>,
}

fn summarize(s: &TrainSentence, types: &CorpusTypes) -> Vec<TokFeat> {
    let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
    let a = analyse_words(&words);
    let hts: Vec<_> = a.iter().map(|r| a.hint_tok(r)).collect();
    let hints = hints_for_tokens(&hts);
    summarize_words(&a, &hints, types)
}

fn encode(
    toks: &[TokFeat],
    gold: &[NerLabel],
    set: FeatureSet,
    index: &mut HashMap<u64, u32>,
    keys: &mut Vec<u64>,
    grow: bool,
) -> Encoded {
    let mut ids = Vec::with_capacity(toks.len() * 56);
    let mut off = Vec::with_capacity(toks.len() + 1);
    let mut buf = Vec::with_capacity(64);
    off.push(0);
    for i in 0..toks.len() {
        buf.clear();
        features::features(toks, i, set, &mut buf);
        for &k in &buf {
            if let Some(&id) = index.get(&k) {
                ids.push(id);
            } else if grow {
                let id = keys.len() as u32;
                keys.push(k);
                index.insert(k, id);
                ids.push(id);
            }
        }
        off.push(ids.len());
    }
    Encoded {
        ids,
        off,
        gold: gold.iter().map(|l| l.index()).collect(),
    }
}

/// Weights with lazy averaging: `avg = w - u / c`.
struct Weights {
    w: Vec<f32>,
    u: Vec<f32>,
    tw: Vec<f32>,
    tu: Vec<f32>,
    c: f32,
}

impl Weights {
    fn emissions(&self, e: &Encoded, w: &[f32], em: &mut Vec<f32>) {
        let n = e.off.len() - 1;
        em.clear();
        em.resize(n * N_LABELS, 0.0);
        for i in 0..n {
            let row = &mut em[i * N_LABELS..(i + 1) * N_LABELS];
            for &id in &e.ids[e.off[i]..e.off[i + 1]] {
                let ws = &w[id as usize * N_LABELS..(id as usize + 1) * N_LABELS];
                for (r, x) in row.iter_mut().zip(ws) {
                    *r += x;
                }
            }
        }
    }

    fn update(&mut self, e: &Encoded, pred: &[usize]) {
        let c = self.c;
        let mut prev_g = 0usize;
        let mut prev_p = 0usize;
        for (i, (&g, &p)) in e.gold.iter().zip(pred).enumerate() {
            if g != p {
                for &id in &e.ids[e.off[i]..e.off[i + 1]] {
                    let b = id as usize * N_LABELS;
                    self.w[b + g] += 1.0;
                    self.u[b + g] += c;
                    self.w[b + p] -= 1.0;
                    self.u[b + p] -= c;
                }
            }
            if g != p || prev_g != prev_p {
                self.tw[prev_g * N_LABELS + g] += 1.0;
                self.tu[prev_g * N_LABELS + g] += c;
                self.tw[prev_p * N_LABELS + p] -= 1.0;
                self.tu[prev_p * N_LABELS + p] -= c;
            }
            prev_g = g + 1;
            prev_p = p + 1;
        }
    }

    fn averaged(&self) -> (Vec<f32>, Vec<f32>) {
        let avg = |w: &[f32], u: &[f32]| -> Vec<f32> {
            w.iter().zip(u).map(|(a, b)| a - b / self.c).collect()
        };
        (avg(&self.w, &self.u), avg(&self.tw, &self.tu))
    }
}

/// Deterministic xorshift64* generator for the shuffle.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Train one model on summarized sentences.
fn train_model(
    train: &[(Vec<TokFeat>, &[NerLabel])],
    dev: &[(Vec<TokFeat>, &[NerLabel])],
    set: FeatureSet,
    opts: &TrainOptions,
    mut on_epoch: impl FnMut(usize, usize, Option<Scores>),
) -> Model {
    let mut index: HashMap<u64, u32> = HashMap::default();
    let mut keys: Vec<u64> = Vec::new();
    let data: Vec<Encoded> = train
        .iter()
        .map(|(t, g)| encode(t, g, set, &mut index, &mut keys, true))
        .collect();
    let dev_data: Vec<Encoded> = dev
        .iter()
        .map(|(t, g)| encode(t, g, set, &mut index, &mut keys, false))
        .collect();

    let nf = keys.len();
    let mut wts = Weights {
        w: vec![0.0; nf * N_LABELS],
        u: vec![0.0; nf * N_LABELS],
        tw: vec![0.0; (N_LABELS + 1) * N_LABELS],
        tu: vec![0.0; (N_LABELS + 1) * N_LABELS],
        c: 1.0,
    };
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng(opts.seed | 1);
    let mut em = Vec::new();
    let mut pred = Vec::new();
    for epoch in 1..=opts.epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut wrong = 0;
        for &k in &order {
            let e = &data[k];
            wts.emissions(e, &wts.w, &mut em);
            viterbi(&em, &wts.tw, &mut pred);
            if pred != e.gold {
                wrong += 1;
                wts.update(e, &pred);
            }
            wts.c += 1.0;
        }
        let dev_scores = (!dev_data.is_empty()).then(|| {
            let (aw, at) = wts.averaged();
            let mut golds = Vec::with_capacity(dev_data.len());
            let mut preds = Vec::with_capacity(dev_data.len());
            for e in &dev_data {
                wts.emissions(e, &aw, &mut em);
                viterbi(&em, &at, &mut pred);
                golds.push(e.gold.iter().map(|&g| NerLabel::from_index(g)).collect());
                preds.push(pred.iter().map(|&p| NerLabel::from_index(p)).collect());
            }
            evaluate(&golds, &preds)
        });
        on_epoch(epoch, wrong, dev_scores);
    }
    let (aw, at) = wts.averaged();
    let mut feats: Vec<(u64, [f32; N_LABELS])> = Vec::new();
    for (id, &k) in keys.iter().enumerate() {
        let w = &aw[id * N_LABELS..(id + 1) * N_LABELS];
        if w.iter().any(|x| x.abs() >= opts.min_weight) {
            let mut a = [0f32; N_LABELS];
            a.copy_from_slice(w);
            feats.push((k, a));
        }
    }
    Model::from_parts(&feats, at, set)
}

/// Sentences with as many labels as words, summarized.
fn summarize_all<'a>(
    sents: &'a [TrainSentence],
    types: &CorpusTypes,
) -> Vec<(Vec<TokFeat>, &'a [NerLabel])> {
    sents
        .iter()
        .filter(|s| s.words.len() == s.labels.len() && !s.words.is_empty())
        .map(|s| (summarize(s, types), s.labels.as_slice()))
        .collect()
}

/// Train the context tagger ([`FeatureSet::Context`]: no template looks
/// at the token's own identity) on `train`, one pass. It labels the
/// unlabelled corpus whose counts become the [`CorpusTypes`] that
/// [`train`] takes.
pub fn train_context(train: &[TrainSentence], opts: &TrainOptions) -> ContextTagger {
    let tr = summarize_all(train, &CorpusTypes::empty());
    ContextTagger::new(train_model(
        &tr,
        &[],
        FeatureSet::Context,
        opts,
        |_, _, _| {},
    ))
}

/// Train a tagger on `train` with the corpus-types lexicon `types` (see
/// [`train_context`]; an empty lexicon trains without it), reporting dev
/// scores after every epoch. Sentences whose word and label counts differ
/// are skipped.
pub fn train(
    train: &[TrainSentence],
    dev: &[TrainSentence],
    types: CorpusTypes,
    opts: &TrainOptions,
    mut on_epoch: impl FnMut(&EpochReport),
) -> Tagger {
    let tr = summarize_all(train, &types);
    let dv = summarize_all(dev, &types);
    let n = tr.len();
    let model = train_model(&tr, &dv, FeatureSet::Full, opts, |epoch, wrong, dev| {
        on_epoch(&EpochReport {
            epoch,
            wrong_sentences: wrong,
            sentences: n,
            dev,
        })
    });
    Tagger::from_models(model, types)
}
