//! Extractive multi-document summaries, one per story cluster.
//!
//! Candidates are the leading sentences of each article in the cluster
//! (news puts the essentials first; [`crate::digest`](mod@crate::digest) keeps them). Each is
//! scored by its **centrality**: the cosine between its TF-IDF vector (light
//! stems of content words) and the cluster's centroid — a sentence that
//! says what most of the cluster's articles say scores high.
//!
//! Sentences are then picked greedily, best first, dropping any that
//! repeats one already picked: Arabic outlets rewrite the same agency
//! sentence with other clitics, word order and synonyms of function words,
//! so redundancy is measured on the **sets of light stems** (clitics and
//! inflection removed, stopwords out), not on the words: a candidate whose
//! stem set has Jaccard similarity ≥ [`MAX_JACCARD`] with a picked sentence,
//! or whose TF-IDF cosine with it is ≥ [`MAX_COSINE`], is skipped.
//!
//! A cluster of one or two articles gets up to 3 sentences, larger ones up
//! to 5. Copies of an article are not used. Only the [`MAX_SUMMARIES`]
//! largest clusters are summarised, so a 30k-article report stays readable.

use rustc_hash::FxHashSet;

use crate::build::{CCluster, DocMeta};
use crate::cluster::{Idf, Vector, centroid, dot, tfidf, vector};
use crate::digest::SentenceDigest;
use crate::spill::Spill;
use crate::{ClusterSummary, SummarySentence};

/// Redundancy threshold on stem-set Jaccard similarity.
pub const MAX_JACCARD: f64 = 0.5;
/// Redundancy threshold on TF-IDF cosine.
pub const MAX_COSINE: f32 = 0.7;
/// Clusters summarised.
pub const MAX_SUMMARIES: usize = 200;

fn jaccard(a: &FxHashSet<u64>, b: &FxHashSet<u64>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// [`dot`] of a vector with a centroid.
fn dot_centroid(v: &[(u64, f32)], c: &Vector) -> f32 {
    let (ct, cw) = (&c.terms, &c.weights);
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < v.len() && j < ct.len() {
        match v[i].0.cmp(&ct[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += v[i].1 * cw[j];
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Summaries of the largest clusters (see the module doc); the candidates
/// are read back from the spill.
pub(crate) fn summaries<S: Spill>(
    docs: &[DocMeta],
    clusters: &[CCluster],
    idf: &Idf,
    spill: &S,
) -> Result<Vec<ClusterSummary>, S::Error> {
    let mut out = Vec::new();
    for (id, cl) in clusters.iter().enumerate().take(MAX_SUMMARIES) {
        let copy = |i: u32| {
            docs.get(i as usize)
                .is_none_or(|d| d.duplicate_of.is_some())
        };
        let mut members: Vec<u32> = cl.docs.iter().copied().filter(|&i| !copy(i)).collect();
        if members.is_empty() {
            // Every member is a copy (the original is outside the input).
            members = cl.docs.iter().copied().take(1).collect();
        }
        let vs = members
            .iter()
            .filter_map(|&i| docs.get(i as usize))
            .map(|d| vector(d, idf, spill))
            .collect::<Result<Vec<_>, _>>()?;
        let cen = centroid(vs.iter());
        struct Cand {
            doc: u32,
            s: SentenceDigest,
            v: Vec<(u64, f32)>,
            set: FxHashSet<u64>,
            score: f32,
        }
        let mut cands: Vec<Cand> = Vec::new();
        for &i in &members {
            let Some(slot) = docs.get(i as usize).and_then(|d| d.sentences) else {
                continue;
            };
            for s in spill.sentences(slot)? {
                let v = tfidf(&s.terms, idf);
                let score = dot_centroid(&v, &cen);
                cands.push(Cand {
                    doc: i,
                    set: s.terms.iter().map(|t| t.0).collect(),
                    s,
                    v,
                    score,
                });
            }
        }
        cands.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.doc.cmp(&b.doc))
                .then(a.s.index.cmp(&b.s.index))
        });
        let want = if members.len() <= 2 { 3 } else { 5 };
        let mut picked: Vec<&Cand> = Vec::new();
        for cand in &cands {
            if picked.len() >= want {
                break;
            }
            if cand.score <= 0.0 {
                break;
            }
            let redundant = picked.iter().any(|p| {
                jaccard(&p.set, &cand.set) >= MAX_JACCARD || dot(&p.v, &cand.v) >= MAX_COSINE
            });
            if !redundant {
                picked.push(cand);
            }
        }
        out.push(ClusterSummary {
            cluster: id,
            sentences: picked
                .iter()
                .map(|p| SummarySentence {
                    doc: docs
                        .get(p.doc as usize)
                        .map_or_else(String::new, |d| d.id.to_string()),
                    sentence: p.s.index,
                    text: p.s.text.clone(),
                    score: (p.score as f64 * 1000.0).round() / 1000.0,
                })
                .collect(),
        });
    }
    Ok(out)
}
