//! Corpus types: what each word is across a large unlabelled news corpus.
//!
//! ANERcorp has 125k labelled words; the names in a new article are mostly
//! not among them (`بنفيكا`, `أرسنال`, `بنزيمة`). But the same names occur
//! thousands of times in unlabelled news, in contexts that give them away
//! (`فريق بنفيكا البرتغالي`, `قال بنزيمة`, `بنك X`). So before the tagger is
//! trained, a *context tagger* — the same model with the templates that look
//! at the token's own identity left out ([`super::features::FeatureSet::Context`]),
//! so it labels a name it saw in training exactly as one it never saw —
//! labels every sentence of the unlabelled corpus, and for every clitic-free
//! base we count how often it was labelled `O`, PERS, LOC, ORG and MISC.
//! The tagger then gets, for each token and its neighbours, features of
//! those counts ([`CorpusTypes::code`]): the dominant class and its share,
//! and a share bucket per class.
//!
//! This is self-training at the level of word types, not of sentences: one
//! context is weak evidence, hundreds of contexts are strong. Because the
//! context tagger cannot memorise names, a training name gets the same kind
//! of evidence as a test name, and the tagger learns how far to trust it.
//! The counts travel inside the model file (they are part of the model:
//! another context tagger gives other counts).
//!
//! Pure: the caller reads the corpus and hands in analysed texts.

use std::sync::atomic::{AtomicU64, Ordering};

use super::features::FastMap as HashMap;

/// Source of [`CorpusTypes`] ids (0 is the empty lexicon's).
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Fewest occurrences for a base to be listed.
pub const MIN_COUNT: u32 = 3;

/// Counts per base: `O`, PERS, LOC, ORG, MISC, and the derived feature
/// codes.
#[derive(Debug, Clone, Default)]
pub struct CorpusTypes {
    counts: HashMap<Box<str>, [u32; 5]>,
    codes: HashMap<Box<str>, (u64, [u64; 4])>,
    /// Identity of the contents within this process (the token-summary
    /// cache is keyed by it); 0 when empty.
    id: u64,
}

/// A share as one of eight buckets (0 = none).
fn bucket(s: f32) -> u64 {
    match s {
        s if s <= 0.0 => 0,
        s if s < 0.05 => 1,
        s if s < 0.15 => 2,
        s if s < 0.3 => 3,
        s if s < 0.5 => 4,
        s if s < 0.7 => 5,
        s if s < 0.9 => 6,
        _ => 7,
    }
}

/// Feature code of counts `c`: the dominant entity class, its share of all
/// occurrences and the frequency band; and per class, its share bucket.
fn code_of(c: &[u32; 5]) -> (u64, [u64; 4]) {
    let n: u32 = c.iter().sum();
    let mut share = [0u64; 4];
    let (mut best, mut best_share) = (0u64, 0f32);
    for k in 0..4 {
        let s = c[k + 1] as f32 / n.max(1) as f32;
        share[k] = bucket(s) | (k as u64) << 8;
        if s > best_share {
            best = k as u64;
            best_share = s;
        }
    }
    let band = u64::from(32 - n.leading_zeros()).min(8);
    (1 | best << 1 | bucket(best_share) << 4 | band << 8, share)
}

impl CorpusTypes {
    /// No counts: every token gets no corpus-type features.
    pub fn empty() -> CorpusTypes {
        CorpusTypes::default()
    }

    /// Number of bases listed.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Is the lexicon empty?
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Counts of a base (`O`, PERS, LOC, ORG, MISC).
    pub fn counts(&self, base: &str) -> Option<[u32; 5]> {
        self.counts.get(base).copied()
    }

    /// Identity of the contents (clones share it).
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    fn insert(&mut self, base: &str, c: [u32; 5]) {
        if self.id == 0 {
            self.id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        }
        self.codes.insert(base.into(), code_of(&c));
        self.counts.insert(base.into(), c);
    }

    /// Feature code and per-class share buckets of a base; `(0, [0; 4])`
    /// when it is not listed.
    #[inline]
    pub(crate) fn code(&self, base: &str) -> (u64, [u64; 4]) {
        self.codes.get(base).copied().unwrap_or((0, [0; 4]))
    }

    /// Serialize: one `base<TAB>O<TAB>PERS<TAB>LOC<TAB>ORG<TAB>MISC` line
    /// per base, sorted by base (deterministic bytes).
    pub fn to_tsv(&self) -> String {
        let mut rows: Vec<(&str, &[u32; 5])> =
            self.counts.iter().map(|(k, v)| (k.as_ref(), v)).collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = String::with_capacity(rows.len() * 24);
        for (w, c) in rows {
            out.push_str(w);
            for x in c {
                out.push('\t');
                out.push_str(&x.to_string());
            }
            out.push('\n');
        }
        out
    }

    /// Parse [`CorpusTypes::to_tsv`]'s format; `None` on a malformed line.
    pub fn from_tsv(s: &str) -> Option<CorpusTypes> {
        let mut t = CorpusTypes::default();
        for line in s.lines() {
            let mut cols = line.split('\t');
            let w = cols.next().filter(|w| !w.is_empty())?;
            let mut c = [0u32; 5];
            for x in &mut c {
                *x = cols.next()?.parse().ok()?;
            }
            if cols.next().is_some() {
                return None;
            }
            t.insert(w, c);
        }
        Some(t)
    }
}

/// Accumulates counts over a corpus ([`super::ContextTagger::count`]);
/// builders of different threads merge.
#[derive(Debug, Clone, Default)]
pub struct CorpusTypesBuilder {
    pub(crate) counts: HashMap<Box<str>, [u32; 5]>,
    /// Documents counted.
    pub documents: usize,
}

impl CorpusTypesBuilder {
    /// A new, empty builder.
    pub fn new() -> CorpusTypesBuilder {
        CorpusTypesBuilder::default()
    }

    /// Count one labelled occurrence of `base` (`class`: 0 = `O`, then
    /// PERS, LOC, ORG, MISC).
    pub(crate) fn add(&mut self, base: &str, class: usize) {
        if base.is_empty() {
            return;
        }
        if let Some(c) = self.counts.get_mut(base) {
            c[class] += 1;
        } else {
            let mut c = [0u32; 5];
            c[class] = 1;
            self.counts.insert(base.into(), c);
        }
    }

    /// Add another builder's counts.
    pub fn merge(&mut self, other: CorpusTypesBuilder) {
        self.documents += other.documents;
        for (w, c) in other.counts {
            let e = self.counts.entry(w).or_default();
            for (a, b) in e.iter_mut().zip(c) {
                *a += b;
            }
        }
    }

    /// The lexicon of every base seen at least [`MIN_COUNT`] times.
    pub fn finish(self) -> CorpusTypes {
        let mut t = CorpusTypes::default();
        for (w, c) in self.counts {
            if c.iter().sum::<u32>() >= MIN_COUNT {
                t.insert(&w, c);
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_round_trip_is_sorted_and_exact() {
        let mut b = CorpusTypesBuilder::new();
        for _ in 0..3 {
            b.add("بنفيكا", 3);
        }
        b.add("بنفيكا", 0);
        b.add("نادر", 1);
        let t = b.finish();
        assert_eq!(
            t.len(),
            1,
            "bases seen fewer than MIN_COUNT times are dropped"
        );
        let s = t.to_tsv();
        assert_eq!(s, "بنفيكا\t1\t0\t0\t3\t0\n");
        let u = CorpusTypes::from_tsv(&s).expect("parses");
        assert_eq!(u.counts("بنفيكا"), Some([1, 0, 0, 3, 0]));
        assert_eq!(u.code("بنفيكا"), t.code("بنفيكا"));
        assert!(CorpusTypes::from_tsv("كلمة\t1\t2").is_none());
    }

    #[test]
    fn code_names_the_dominant_class() {
        // ORG in 75% of occurrences: class 2 (ORG), bucket 6 (0.7-0.9).
        let (c, share) = code_of(&[1, 0, 0, 3, 0]);
        assert_eq!((c >> 1) & 7, 2);
        assert_eq!((c >> 4) & 15, 6);
        assert_eq!(share[2] & 0xff, 6);
        assert_eq!(share[0] & 0xff, 0);
        let (o, _) = code_of(&[10, 0, 0, 0, 0]);
        assert_ne!(o, c);
    }
}
