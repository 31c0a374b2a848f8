//! Story clusters: which articles tell the same story.
//!
//! - Copies (`duplicate_of`) are always in their original's cluster.
//! - Documents reporting the same merged event (reported, dated to the
//!   day: [`crate::merge`]) are in one cluster: they tell the same story
//!   even when their wording differs.
//! - Otherwise two documents are linked when the cosine similarity of their
//!   TF-IDF vectors is at least [`LINK_THRESHOLD`]. Terms are content-word
//!   light stems and entity ids ([`crate::digest`](mod@crate::digest)); weights are
//!   `(1 + ln tf) · ln(1 + N/df)`. Clusters are the connected components of
//!   the links (single link, with a union-find), taken strongest first and
//!   refused when they would make a cluster larger than [`MAX_CLUSTER`]:
//!   single link chains (A is like B, B like C, ...) and over 31k articles
//!   an unbounded chain swallowed a third of the corpus; bounded, the weak
//!   links that would chain two big stories are the ones left out.
//!
//! 0.4 is the threshold: two reports of the same attack from different
//! outlets share the place, the actors and the vocabulary of the event
//! (`هجوم`, `انتحاري`, `قتلى`) and score well above it (on the seed reports, articles about one
//! mission's withdrawal score 0.1–0.2 with each other and stay apart:
//! related, but different stories), while two unrelated
//! articles of the same section share mostly frequent words that IDF pushes
//! down, and score below 0.2.
//!
//! Scaling: instead of comparing all pairs, each document looks up the
//! postings of its [`PROBE_TERMS`] heaviest terms in an inverted index,
//! skipping terms present in more than [`max_df`] documents (too common to
//! single out a story), and accumulates a partial score for each document
//! found there; only documents whose partial score reaches half the
//! threshold are compared in full.
//! The work is about N × PROBE_TERMS × max_df in the worst case, and much
//! less on news, where most heavy terms are rare.

use rustc_hash::FxHashMap;

use crate::build::{CCluster, CompactReport, DocMeta};
use crate::spill::Spill;

/// Cosine similarity at or above which two documents are linked.
pub const LINK_THRESHOLD: f32 = 0.4;
/// Similarity given to a link between two reports of one merged event.
pub const EVENT_LINK: f32 = 0.9;
/// Largest cluster single-link may build (copies excepted).
pub const MAX_CLUSTER: usize = 500;
/// Words of a lead sentence used as a label when no document has a title.
const LABEL_WORDS: usize = 12;
/// Heaviest terms of a document used to find candidates.
pub const PROBE_TERMS: usize = 30;

/// Terms in more documents than this are not used to find candidates.
pub fn max_df(n: usize) -> usize {
    (n / 100).max(50)
}

/// Where a cluster's label comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    /// The title of this document (the most central one with a title).
    Title(u32),
    /// The first words of this document's first summary candidate (no
    /// document of the cluster has a title).
    Lead(u32),
    /// No document.
    None,
}

/// Clusters with the TF-IDF data the summaries reuse.
pub(crate) struct Clustering {
    /// Clusters, largest first.
    pub(crate) clusters: Vec<CCluster>,
    /// Inverse document frequency of each term.
    pub(crate) idf: FxHashMap<u64, f32>,
    /// For each document, the unit-length TF-IDF weights of its terms
    /// (`DocMeta::terms`, same order).
    pub(crate) weights: Vec<Box<[f32]>>,
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // Keep the smaller index as root: stable cluster order.
            let (r, c) = if a < b { (a, b) } else { (b, a) };
            self.0[c] = r;
        }
    }
}

/// Dot product of two sparse vectors sorted by term.
pub fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// [`dot`] of two vectors given as sorted terms and their weights.
pub fn dot_split(at: &[u64], aw: &[f32], bt: &[u64], bw: &[f32]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < at.len() && j < bt.len() {
        match at[i].cmp(&bt[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += aw[i] * bw[j];
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Unit-length TF-IDF vector of term counts.
pub fn tfidf(terms: &[(u64, u32)], idf: &FxHashMap<u64, f32>) -> Vec<(u64, f32)> {
    let mut v: Vec<(u64, f32)> = terms
        .iter()
        .map(|&(t, n)| (t, weight(n, idf.get(&t).copied().unwrap_or(0.0))))
        .filter(|(_, w)| *w > 0.0)
        .collect();
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut v {
            x.1 /= norm;
        }
    }
    v
}

fn weight(count: u32, idf: f32) -> f32 {
    (1.0 + (count as f32).ln()) * idf
}

/// A document's unit-length TF-IDF weights, its terms in order. Every
/// document term has a positive IDF (it is in at least one document), so
/// none drops out as in [`tfidf`].
fn doc_weights(d: &DocMeta, idf: &FxHashMap<u64, f32>) -> Box<[f32]> {
    let mut w: Vec<f32> = d
        .terms
        .iter()
        .zip(d.counts.iter())
        .map(|(t, &n)| weight(n, idf.get(t).copied().unwrap_or(0.0)))
        .collect();
    let norm = w.iter().map(|w| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut w {
            *x /= norm;
        }
    }
    w.into_boxed_slice()
}

/// Cluster the documents (see the module doc).
pub(crate) fn clusters(docs: &[DocMeta], same_story: &[Vec<usize>]) -> Clustering {
    let n = docs.len();
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for d in docs {
        for &t in d.terms.iter() {
            *df.entry(t).or_default() += 1;
        }
    }
    let idf: FxHashMap<u64, f32> = df
        .iter()
        .map(|(&t, &k)| (t, (1.0 + n as f32 / k as f32).ln()))
        .collect();
    let weights: Vec<Box<[f32]>> = docs.iter().map(|d| doc_weights(d, &idf)).collect();

    let limit = max_df(n);
    let in_postings = |t: &u64| df.get(t).is_some_and(|&k| k >= 2 && k as usize <= limit);
    let mut postings: FxHashMap<u64, Vec<(u32, f32)>> = FxHashMap::default();
    for (i, (d, w)) in docs.iter().zip(&weights).enumerate() {
        for (t, &w) in d.terms.iter().zip(w.iter()) {
            if in_postings(t) {
                postings
                    .entry(*t)
                    .or_insert_with(|| Vec::with_capacity(df.get(t).map_or(0, |&k| k as usize)))
                    .push((i as u32, w));
            }
        }
    }
    drop(df);
    let mut uf = UnionFind((0..n).collect());
    // Documents by id (the last of equal ids).
    let by_id: FxHashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_ref(), i))
        .collect();
    for (i, d) in docs.iter().enumerate() {
        if let Some(orig) = d.duplicate_of.as_deref()
            && let Some(&j) = by_id.get(orig)
        {
            uf.union(i, j);
        }
    }
    drop(by_id);
    // Candidate links, strongest first (Kruskal order), each joining two
    // clusters only while the result stays within MAX_CLUSTER documents.
    let mut links: Vec<(f32, u32, u32)> = Vec::new();
    for g in same_story {
        for w in g.windows(2) {
            if w[0] < n && w[1] < n {
                links.push((EVENT_LINK, w[0] as u32, w[1] as u32));
            }
        }
    }
    // Scores accumulate over the probe terms' postings (one multiply-add
    // per shared term); only documents whose partial score reaches half the
    // threshold get the full dot product.
    let mut acc = vec![0f32; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut pairs: Vec<(u64, f32)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        let w = &weights[i];
        pairs.clear();
        pairs.extend(d.terms.iter().copied().zip(w.iter().copied()));
        let mut probe: Vec<&(u64, f32)> = pairs.iter().collect();
        probe.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        probe.truncate(PROBE_TERMS);
        for (t, w) in probe {
            let Some(p) = postings.get(t) else { continue };
            for &(j, wj) in p {
                if (j as usize) > i {
                    if acc[j as usize] == 0.0 {
                        touched.push(j);
                    }
                    acc[j as usize] += w * wj;
                }
            }
        }
        for &j in &touched {
            if acc[j as usize] >= LINK_THRESHOLD / 2.0 {
                let o = &docs[j as usize];
                let sim = dot_split(&d.terms, w, &o.terms, &weights[j as usize]);
                if sim >= LINK_THRESHOLD {
                    links.push((sim, i as u32, j));
                }
            }
            acc[j as usize] = 0.0;
        }
        touched.clear();
    }
    drop(postings);
    links.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut size = vec![1usize; n];
    for i in 0..n {
        let r = uf.find(i);
        if r != i {
            size[r] += 1;
        }
    }
    for (_, a, b) in links {
        let (ra, rb) = (uf.find(a as usize), uf.find(b as usize));
        if ra != rb && size[ra] + size[rb] <= MAX_CLUSTER {
            uf.union(ra, rb);
            let r = uf.find(ra);
            size[r] = size[ra] + size[rb];
        }
    }

    let mut members: FxHashMap<usize, Vec<u32>> = FxHashMap::default();
    for i in 0..n {
        let r = uf.find(i);
        members.entry(r).or_default().push(i as u32);
    }
    let mut groups: Vec<Vec<u32>> = members.into_values().collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let mut clusters = Vec::with_capacity(groups.len());
    for g in groups {
        // Label: title of the document closest to the cluster's centroid;
        // without titles, the first words of its lead sentence.
        let centroid = centroid(
            g.iter()
                .map(|&i| (&*docs[i as usize].terms, &*weights[i as usize])),
        );
        let score = |i: u32| {
            let d = &docs[i as usize];
            dot_split(&d.terms, &weights[i as usize], &centroid.0, &centroid.1)
        };
        let central = |with_title: bool| {
            g.iter()
                .filter(|&&i| !with_title || docs[i as usize].has_title)
                .max_by(|&&a, &&b| score(a).total_cmp(&score(b)).then(b.cmp(&a)))
                .copied()
        };
        let label = match central(true) {
            Some(i) => Label::Title(i),
            None => central(false).map_or(Label::None, Label::Lead),
        };
        clusters.push(CCluster { docs: g, label });
    }
    Clustering {
        clusters,
        idf,
        weights,
    }
}

/// The text of a cluster's label.
pub(crate) fn label_text<S: Spill>(
    cr: &CompactReport<S>,
    label: &Label,
) -> Result<Option<String>, S::Error> {
    let doc = |i: &u32| cr.docs.get(*i as usize);
    match label {
        Label::Title(i) => match doc(i) {
            Some(d) => Ok(cr.spill.info(d.info)?.title),
            None => Ok(None),
        },
        Label::Lead(i) => {
            let Some(slot) = doc(i).and_then(|d| d.sentences) else {
                return Ok(None);
            };
            let sentences = cr.spill.sentences(slot)?;
            Ok(sentences.first().map(|s| {
                let words: Vec<&str> = s.text.split_whitespace().collect();
                if words.len() > LABEL_WORDS {
                    format!("{}…", words[..LABEL_WORDS].join(" "))
                } else {
                    s.text.clone()
                }
            }))
        }
        Label::None => Ok(None),
    }
}

/// Sum of sparse vectors (terms and weights), normalized, sorted by term.
pub(crate) fn centroid<'a>(
    vs: impl Iterator<Item = (&'a [u64], &'a [f32])>,
) -> (Vec<u64>, Vec<f32>) {
    let mut acc: FxHashMap<u64, f32> = FxHashMap::default();
    for (t, w) in vs {
        for (&t, &w) in t.iter().zip(w) {
            *acc.entry(t).or_default() += w;
        }
    }
    let mut c: Vec<(u64, f32)> = acc.into_iter().collect();
    c.sort_unstable_by_key(|x| x.0);
    let norm = c.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut c {
            x.1 /= norm;
        }
    }
    c.into_iter().unzip()
}
