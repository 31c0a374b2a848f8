//! Story clusters: which articles tell the same story.
//!
//! A story is what a few days of reporting say about one thing (an attack,
//! a summit, a vote), not a topic that runs for months (the war in Yemen):
//!
//! - Copies (`duplicate_of`) are always in their original's cluster.
//! - Documents reporting the same merged event (reported, dated to the
//!   day: [`crate::merge`]) are linked: they tell the same story even when
//!   their wording differs.
//! - Two documents published at most [`WINDOW_DAYS`] days apart are linked
//!   when the cosine similarity of their TF-IDF vectors is at least
//!   [`LINK_THRESHOLD`]. Terms are content-word light stems and entity ids
//!   ([`crate::digest`](mod@crate::digest)); weights are
//!   `(1 + ln tf) · ln(1 + N/df)`. Documents without a publication date are
//!   compared with each other only.
//! - Clusters are the connected components of the links (single link, with
//!   a union-find), taken strongest first. A link is refused when it would
//!   make a cluster larger than [`MAX_CLUSTER`] documents or spread its
//!   publication dates over more than [`MAX_SPAN_DAYS`] days: single link
//!   chains (A is like B, B like C, ...), and on 31k articles of daily
//!   coverage the chains made topical threads (three months of Gaza, Iran
//!   and the US embassy in one cluster); bounded in size and time, the weak
//!   links that would chain two stories are the ones left out.
//!
//! 0.4 is the threshold: two reports of the same attack from different
//! outlets share the place, the actors and the vocabulary of the event
//! (`هجوم`, `انتحاري`, `قتلى`) and score well above it (on the seed reports,
//! articles about one mission's withdrawal score 0.1–0.2 with each other
//! and stay apart: related, but different stories), while two unrelated
//! articles of the same section share mostly frequent words that IDF pushes
//! down, and score below 0.2.
//!
//! Scaling: documents are taken in order of publication, and only the term
//! vectors of the last [`WINDOW_DAYS`] days are in memory (the others wait
//! in the spill). Each document looks up the postings of its
//! [`PROBE_TERMS`] heaviest terms in an inverted index of that window,
//! skipping terms present in more than [`max_df`] documents of the input
//! (too common to single out a story), and accumulates a partial score for
//! each document found there; only documents whose partial score reaches
//! half the threshold are compared in full. Memory is the window's, not the
//! input's; the work is about N × PROBE_TERMS × (documents of the window
//! sharing a term).

use std::collections::VecDeque;

use rustc_hash::FxHashMap;

use crate::build::{CCluster, CompactReport, DocMeta};
use crate::spill::Spill;

/// Cosine similarity at or above which two documents are linked.
pub const LINK_THRESHOLD: f32 = 0.4;
/// Similarity given to a link between two reports of one merged event.
pub const EVENT_LINK: f32 = 0.9;
/// Largest cluster single-link may build (copies excepted).
pub const MAX_CLUSTER: usize = 500;
/// Documents published more than this many days apart are not compared.
pub const WINDOW_DAYS: i32 = 2;
/// Most days between the first and last publication in a cluster (copies
/// excepted).
pub const MAX_SPAN_DAYS: i32 = 7;
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

/// Document frequencies over the whole input, for TF-IDF.
pub(crate) struct Idf {
    pub(crate) df: FxHashMap<u64, u32>,
    pub(crate) n: usize,
}

impl Idf {
    /// Inverse document frequency of a term (0 for a term in no document
    /// vector).
    pub(crate) fn get(&self, t: u64) -> f32 {
        self.df
            .get(&t)
            .map_or(0.0, |&k| (1.0 + self.n as f32 / k as f32).ln())
    }
}

/// A unit-length sparse vector: terms sorted, and their weights.
pub(crate) struct Vector {
    pub(crate) terms: Vec<u64>,
    pub(crate) weights: Vec<f32>,
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
    /// Join two roots; the smaller index stays root (stable cluster order).
    fn union_roots(&mut self, a: usize, b: usize) -> usize {
        let (r, c) = if a < b { (a, b) } else { (b, a) };
        self.0[c] = r;
        r
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

fn weight(count: u32, idf: f32) -> f32 {
    (1.0 + (count as f32).ln()) * idf
}

/// Unit-length TF-IDF vector of term counts (terms in no document vector
/// drop out).
pub(crate) fn tfidf(terms: &[(u64, u32)], idf: &Idf) -> Vec<(u64, f32)> {
    let mut v: Vec<(u64, f32)> = terms
        .iter()
        .map(|&(t, n)| (t, weight(n, idf.get(t))))
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

/// A document's TF-IDF vector, read back from the spill.
pub(crate) fn vector<S: Spill>(d: &DocMeta, idf: &Idf, spill: &S) -> Result<Vector, S::Error> {
    let terms = match d.terms {
        Some(slot) => spill.terms(slot)?,
        None => Vec::new(),
    };
    let (terms, weights) = tfidf(&terms, idf).into_iter().unzip();
    Ok(Vector { terms, weights })
}

/// Publication span of a cluster so far: first and last day (none for
/// clusters of undated documents).
#[derive(Clone, Copy)]
struct Span(Option<(i32, i32)>);

impl Span {
    fn join(self, o: Span) -> Span {
        Span(match (self.0, o.0) {
            (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
            (a, b) => a.or(b),
        })
    }
    fn days(self) -> i32 {
        self.0.map_or(0, |(a, b)| b - a)
    }
}

/// The links between documents published close together (see the module
/// doc), as (similarity, document, document).
fn text_links<S: Spill>(
    docs: &[DocMeta],
    idf: &Idf,
    spill: &S,
) -> Result<Vec<(f32, u32, u32)>, S::Error> {
    let n = docs.len();
    let limit = max_df(n);
    let indexed = |t: u64| {
        idf.df
            .get(&t)
            .is_some_and(|&k| k >= 2 && k as usize <= limit)
    };
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&i| (docs[i as usize].date.unwrap_or(i32::MAX), i));
    // The window: its documents in order, their vectors, and the postings
    // of their indexed terms (each list in the window's order).
    let mut live: VecDeque<u32> = VecDeque::new();
    let mut vectors: FxHashMap<u32, Vector> = FxHashMap::default();
    let mut postings: FxHashMap<u64, VecDeque<(u32, f32)>> = FxHashMap::default();
    let mut links = Vec::new();
    let mut acc = vec![0f32; n];
    let mut touched: Vec<u32> = Vec::new();
    for &i in &order {
        let di = docs[i as usize].date;
        while let Some(&j) = live.front() {
            let expired = match (di, docs[j as usize].date) {
                (Some(a), Some(b)) => b < a - WINDOW_DAYS,
                (None, Some(_)) => true,
                (_, None) => false,
            };
            if !expired {
                break;
            }
            live.pop_front();
            if let Some(v) = vectors.remove(&j) {
                for &t in &v.terms {
                    if let Some(p) = postings.get_mut(&t) {
                        if p.front().is_some_and(|x| x.0 == j) {
                            p.pop_front();
                        }
                        if p.is_empty() {
                            postings.remove(&t);
                        }
                    }
                }
            }
        }
        let v = vector(&docs[i as usize], idf, spill)?;
        // Scores accumulate over the probe terms' postings (one
        // multiply-add per shared term); only documents whose partial score
        // reaches half the threshold get the full dot product.
        let mut probe: Vec<(u64, f32)> = v
            .terms
            .iter()
            .copied()
            .zip(v.weights.iter().copied())
            .collect();
        probe.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        probe.truncate(PROBE_TERMS);
        for (t, w) in probe {
            let Some(p) = postings.get(&t) else { continue };
            for &(j, wj) in p {
                if acc[j as usize] == 0.0 {
                    touched.push(j);
                }
                acc[j as usize] += w * wj;
            }
        }
        for &j in &touched {
            if acc[j as usize] >= LINK_THRESHOLD / 2.0
                && let Some(o) = vectors.get(&j)
            {
                let sim = dot_split(&v.terms, &v.weights, &o.terms, &o.weights);
                if sim >= LINK_THRESHOLD {
                    links.push((sim, i.min(j), i.max(j)));
                }
            }
            acc[j as usize] = 0.0;
        }
        touched.clear();
        for (&t, &w) in v.terms.iter().zip(&v.weights) {
            if indexed(t) {
                postings.entry(t).or_default().push_back((i, w));
            }
        }
        vectors.insert(i, v);
        live.push_back(i);
    }
    Ok(links)
}

/// Cluster the documents (see the module doc): clusters largest first,
/// each with its documents in input order and its label's source.
pub(crate) fn clusters<S: Spill>(
    docs: &[DocMeta],
    idf: &Idf,
    same_story: &[Vec<usize>],
    spill: &S,
) -> Result<Vec<CCluster>, S::Error> {
    let n = docs.len();
    let mut uf = UnionFind((0..n).collect());
    let mut size = vec![1usize; n];
    let mut span: Vec<Span> = docs.iter().map(|d| Span(d.date.map(|x| (x, x)))).collect();
    // Copies first, whatever their size or dates.
    let by_id: FxHashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_ref(), i))
        .collect();
    for (i, d) in docs.iter().enumerate() {
        if let Some(orig) = d.duplicate_of.as_deref()
            && let Some(&j) = by_id.get(orig)
        {
            let (a, b) = (uf.find(i), uf.find(j));
            if a != b {
                let r = uf.union_roots(a, b);
                size[r] = size[a] + size[b];
                span[r] = span[a].join(span[b]);
            }
        }
    }
    drop(by_id);
    // Candidate links, strongest first (Kruskal order), each joining two
    // clusters only while the result stays within MAX_CLUSTER documents and
    // MAX_SPAN_DAYS days.
    let mut links = text_links(docs, idf, spill)?;
    for g in same_story {
        for w in g.windows(2) {
            if w[0] < n && w[1] < n {
                links.push((EVENT_LINK, w[0] as u32, w[1] as u32));
            }
        }
    }
    links.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, a, b) in links {
        let (ra, rb) = (uf.find(a as usize), uf.find(b as usize));
        let joined = span[ra].join(span[rb]);
        if ra != rb && size[ra] + size[rb] <= MAX_CLUSTER && joined.days() <= MAX_SPAN_DAYS {
            let r = uf.union_roots(ra, rb);
            size[r] = size[ra] + size[rb];
            span[r] = joined;
        }
    }

    let mut members: FxHashMap<usize, Vec<u32>> = FxHashMap::default();
    for i in 0..n {
        let r = uf.find(i);
        members.entry(r).or_default().push(i as u32);
    }
    let mut groups: Vec<Vec<u32>> = members.into_values().collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        let label = label_of(&g, docs, idf, spill)?;
        out.push(CCluster { docs: g, label });
    }
    Ok(out)
}

/// Label: title of the document closest to the cluster's centroid;
/// without titles, the first words of its lead sentence.
fn label_of<S: Spill>(
    g: &[u32],
    docs: &[DocMeta],
    idf: &Idf,
    spill: &S,
) -> Result<Label, S::Error> {
    if let [i] = g {
        return Ok(if docs[*i as usize].has_title {
            Label::Title(*i)
        } else {
            Label::Lead(*i)
        });
    }
    let vs = g
        .iter()
        .map(|&i| vector(&docs[i as usize], idf, spill))
        .collect::<Result<Vec<_>, _>>()?;
    let cen = centroid(vs.iter());
    let score = |k: usize| dot_split(&vs[k].terms, &vs[k].weights, &cen.terms, &cen.weights);
    let central = |with_title: bool| {
        (0..g.len())
            .filter(|&k| !with_title || docs[g[k] as usize].has_title)
            .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(g[b].cmp(&g[a])))
            .map(|k| g[k])
    };
    Ok(match central(true) {
        Some(i) => Label::Title(i),
        None => central(false).map_or(Label::None, Label::Lead),
    })
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

/// Sum of unit vectors, normalized, sorted by term.
pub(crate) fn centroid<'a>(vs: impl Iterator<Item = &'a Vector>) -> Vector {
    let mut acc: FxHashMap<u64, f32> = FxHashMap::default();
    for v in vs {
        for (&t, &w) in v.terms.iter().zip(&v.weights) {
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
    let (terms, weights) = c.into_iter().unzip();
    Vector { terms, weights }
}
