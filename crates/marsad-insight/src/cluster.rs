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

use crate::Cluster;
use crate::digest::DocDigest;

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

/// Clusters with the TF-IDF data the summaries reuse.
pub struct Clustering {
    /// Clusters, largest first.
    pub clusters: Vec<Cluster>,
    /// For each document, its cluster.
    pub doc_cluster: Vec<usize>,
    /// Inverse document frequency of each term.
    pub idf: FxHashMap<u64, f32>,
    /// For each document, its unit-length TF-IDF vector, sorted by term.
    pub vectors: Vec<Vec<(u64, f32)>>,
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

/// Unit-length TF-IDF vector of term counts.
pub fn tfidf(terms: &[(u64, u32)], idf: &FxHashMap<u64, f32>) -> Vec<(u64, f32)> {
    let mut v: Vec<(u64, f32)> = terms
        .iter()
        .map(|&(t, n)| {
            (
                t,
                (1.0 + (n as f32).ln()) * idf.get(&t).copied().unwrap_or(0.0),
            )
        })
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

/// Cluster the documents (see the module doc).
pub fn clusters(docs: &[DocDigest], same_story: &[Vec<usize>]) -> Clustering {
    let n = docs.len();
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for d in docs {
        for &(t, _) in &d.terms {
            *df.entry(t).or_default() += 1;
        }
    }
    let idf: FxHashMap<u64, f32> = df
        .iter()
        .map(|(&t, &k)| (t, (1.0 + n as f32 / k as f32).ln()))
        .collect();
    let vectors: Vec<Vec<(u64, f32)>> = docs.iter().map(|d| tfidf(&d.terms, &idf)).collect();

    let limit = max_df(n);
    let mut postings: FxHashMap<u64, Vec<(u32, f32)>> = FxHashMap::default();
    for (i, v) in vectors.iter().enumerate() {
        for &(t, w) in v {
            if df.get(&t).is_some_and(|&k| k >= 2 && k as usize <= limit) {
                postings.entry(t).or_default().push((i as u32, w));
            }
        }
    }
    let mut uf = UnionFind((0..n).collect());
    let by_id: FxHashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.info.id.as_str(), i))
        .collect();
    for (i, d) in docs.iter().enumerate() {
        if let Some(orig) = d.info.duplicate_of.as_deref()
            && let Some(&j) = by_id.get(orig)
        {
            uf.union(i, j);
        }
    }
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
    for (i, v) in vectors.iter().enumerate() {
        let mut probe: Vec<&(u64, f32)> = v.iter().collect();
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
                let sim = dot(v, &vectors[j as usize]);
                if sim >= LINK_THRESHOLD {
                    links.push((sim, i as u32, j));
                }
            }
            acc[j as usize] = 0.0;
        }
        touched.clear();
    }
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

    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for i in 0..n {
        let r = uf.find(i);
        members.entry(r).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = members.into_values().collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let mut doc_cluster = vec![0; n];
    let mut clusters = Vec::with_capacity(groups.len());
    for (ci, g) in groups.iter().enumerate() {
        for &i in g {
            doc_cluster[i] = ci;
        }
        // Label: title of the document closest to the cluster's centroid;
        // without titles, the first words of its lead sentence.
        let centroid = centroid(g.iter().map(|&i| vectors[i].as_slice()));
        let central = |with_title: bool| {
            g.iter()
                .filter(|&&i| !with_title || docs[i].info.title.is_some())
                .max_by(|&&a, &&b| {
                    dot(&vectors[a], &centroid)
                        .total_cmp(&dot(&vectors[b], &centroid))
                        .then(b.cmp(&a))
                })
                .copied()
        };
        let label = central(true)
            .and_then(|i| docs[i].info.title.clone())
            .or_else(|| {
                let s = &docs[central(false)?].sentences.first()?.text;
                let words: Vec<&str> = s.split_whitespace().collect();
                Some(if words.len() > LABEL_WORDS {
                    format!("{}…", words[..LABEL_WORDS].join(" "))
                } else {
                    s.clone()
                })
            });
        clusters.push(Cluster {
            id: ci,
            label,
            docs: g.iter().map(|&i| docs[i].info.id.clone()).collect(),
        });
    }
    Clustering {
        clusters,
        doc_cluster,
        idf,
        vectors,
    }
}

/// Sum of sparse vectors, sorted by term.
pub fn centroid<'a>(vs: impl Iterator<Item = &'a [(u64, f32)]>) -> Vec<(u64, f32)> {
    let mut acc: FxHashMap<u64, f32> = FxHashMap::default();
    for v in vs {
        for &(t, w) in v {
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
    c
}
