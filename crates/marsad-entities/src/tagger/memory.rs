//! Document memory: the second pass of the tagger.
//!
//! News articles name the same entity many times, in contexts of varying
//! clarity: `قال المدرب البرتغالي جوزيه` makes `جوزيه` a person, and the
//! bare `جوزيه` three sentences later is the same person. The first pass
//! tags every sentence alone; then each token gets a *memory code*: which
//! classes the first pass gave to other occurrences of the same
//! clitic-free base within [`WINDOW`] sentences before or after (and
//! whether it was left `O` elsewhere). The second model, trained with these
//! codes as features (stacking: the training memory comes from first-pass
//! models that never saw the sentence, by K-fold jackknifing), decides.

use super::features::FastMap as HashMap;

use super::N_LABELS;
use super::features::TokFeat;

/// Sentences before and after a sentence that form its document context.
pub const WINDOW: usize = 10;

/// Memory of tokens with no other occurrence (and of non-words).
const SEEN_NOWHERE: u64 = 1;

/// Set the memory code of every token of `sents`, given first-pass label
/// indices `labels` (one vector per sentence), treating `sents` as one
/// stream of sentences (an article, or a corpus of consecutive articles).
pub(crate) fn apply(sents: &mut [Vec<TokFeat>], labels: &[Vec<usize>]) {
    // Per-sentence counts: base → [O, PERS, LOC, ORG, MISC].
    let per: Vec<HashMap<u64, [u16; 5]>> = sents
        .iter()
        .zip(labels)
        .map(|(toks, ls)| {
            let mut m: HashMap<u64, [u16; 5]> = HashMap::default();
            for (t, &l) in toks.iter().zip(ls) {
                if t.is_name_like() {
                    m.entry(t.base_key()).or_default()[class_slot(l)] += 1;
                }
            }
            m
        })
        .collect();
    for s in 0..sents.len() {
        let lo = s.saturating_sub(WINDOW);
        let hi = (s + WINDOW + 1).min(sents.len());
        for (i, t) in sents[s].iter_mut().enumerate() {
            if !t.is_name_like() {
                t.mem = SEEN_NOWHERE;
                continue;
            }
            let key = t.base_key();
            let mut c = [0u16; 5];
            for m in &per[lo..hi] {
                if let Some(x) = m.get(&key) {
                    for (a, b) in c.iter_mut().zip(x) {
                        *a += b;
                    }
                }
            }
            // Not counting the token itself.
            let own = class_slot(labels[s].get(i).copied().unwrap_or(0));
            c[own] = c[own].saturating_sub(1);
            t.mem = code(&c);
        }
    }
}

fn class_slot(label: usize) -> usize {
    match label {
        0 => 0,
        l if l < N_LABELS => 1 + (l - 1) % 4,
        _ => 0,
    }
}

fn code(c: &[u16; 5]) -> u64 {
    let mut m = SEEN_NOWHERE << 8;
    for (k, &n) in c.iter().enumerate() {
        if n > 0 {
            m |= 1 << k;
        }
    }
    // Which entity class dominates among the other occurrences.
    let best = (1..5).max_by_key(|&k| (c[k], std::cmp::Reverse(k)));
    if let Some(b) = best
        && c[b] > 0
    {
        m |= (b as u64) << 5;
        if c[b] >= c[0] {
            m |= 1 << 9;
        }
    }
    m
}
