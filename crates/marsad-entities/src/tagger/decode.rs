//! Emission scores of a sentence, with the unary templates' weights cached
//! per distinct token summary.
//!
//! A token contributes to the scores of the tokens within two positions of
//! it through unary templates ([`super::features::unary`]) whose weights
//! depend only on its summary ([`TokFeat`]) and the offset. News repeats
//! words (Zipf: a few thousand forms make most tokens), so those five
//! partial score vectors are computed once per summary and kept in a
//! per-thread cache; for each position only the pair templates
//! ([`super::features::pairs`]) are looked up in the model. This turns
//! about fifty random reads of the weight table per token into about ten,
//! which is what the tagger's speed depends on. The sums are exact
//! (integers of the quantized weights), so the scores are identical to
//! summing every feature's weight directly.
//!
//! The cache is bounded ([`CAPACITY`] summaries per generation, model and
//! thread, [`super::cache`]) and keyed by the summary's exact key
//! ([`TokFeat::fingerprint`]) within the model's cache.

use std::cell::RefCell;

use super::N_LABELS;
use super::cache::GenCache;
use super::features::{self, BOS, EOS, OFFSETS, TokFeat};
use super::model::Model;

/// Summaries cached per generation, model and thread.
pub(crate) const CAPACITY: usize = 1 << 15;

/// Partial scores of one summary at each offset of [`OFFSETS`].
type Row = [[i32; N_LABELS]; 5];

struct Cache {
    model: u64,
    rows: GenCache<u128, Row>,
}

thread_local! {
    static CACHES: RefCell<Vec<Cache>> = const { RefCell::new(Vec::new()) };
}

fn row_of(model: &Model, t: &TokFeat, keys: &mut Vec<u64>) -> Row {
    let mut row = [[0i32; N_LABELS]; 5];
    for (r, d) in row.iter_mut().zip(OFFSETS) {
        keys.clear();
        features::unary(t, d, model.set, keys);
        for &k in keys.iter() {
            model.add(k, r);
        }
    }
    row
}

/// Emission scores (`toks.len() × N_LABELS`) of `toks` under `model`.
pub(crate) fn emissions(model: &Model, toks: &[TokFeat], em: &mut Vec<f32>) {
    em.clear();
    em.resize(toks.len() * N_LABELS, 0.0);
    if toks.is_empty() {
        return;
    }
    CACHES.with(|c| {
        let mut caches = c.borrow_mut();
        let pos = match caches.iter().position(|c| c.model == model.id) {
            Some(p) => p,
            None => {
                // Models of a process are few; drop the oldest beyond four.
                if caches.len() >= 4 {
                    caches.remove(0);
                }
                caches.push(Cache {
                    model: model.id,
                    rows: GenCache::new(CAPACITY),
                });
                caches.len() - 1
            }
        };
        let cache = &mut caches[pos];
        let mut keys = Vec::with_capacity(64);
        let mut row = |t: &TokFeat, keys: &mut Vec<u64>| -> Row {
            cache
                .rows
                .get_or_insert_with(t.fingerprint(), || row_of(model, t, keys))
        };
        let bos = row(&TokFeat::boundary(BOS), &mut keys);
        let eos = row(&TokFeat::boundary(EOS), &mut keys);
        let rows: Vec<Row> = toks.iter().map(|t| row(t, &mut keys)).collect();
        let n = toks.len() as isize;
        for i in 0..toks.len() {
            let mut acc = [0i32; N_LABELS];
            for (k, d) in OFFSETS.iter().enumerate() {
                let j = i as isize + d;
                let r = if j < 0 {
                    &bos
                } else if j >= n {
                    &eos
                } else {
                    &rows[j as usize]
                };
                for (a, w) in acc.iter_mut().zip(&r[k]) {
                    *a += w;
                }
            }
            keys.clear();
            features::pairs(toks, i, model.set, &mut keys);
            for &k in &keys {
                model.add(k, &mut acc);
            }
            for (e, a) in em[i * N_LABELS..(i + 1) * N_LABELS].iter_mut().zip(acc) {
                *e = a as f32 * model.scale;
            }
        }
    });
}
