//! Distributional word clusters: `data/ner-clusters.tsv`, built by
//! `scripts/build_ner_clusters.py` from the ANT news corpus.
//!
//! Words used in the same contexts share a cluster (`الاهلي` with other club
//! names, `جوزيه` with other coaches' first names), so the tagger can
//! generalise from names it saw in ANERcorp to names it never saw. Each word
//! (search form) has a cluster at three granularities (64, 256, 1024
//! clusters); features use all three.

use super::features::FastMap as HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("../../data/ner-clusters.tsv");

/// Cluster ids of a word at the three granularities.
pub type Clusters = [u16; 3];

/// Ids of a word that is not in the table.
pub const UNKNOWN: Clusters = [u16::MAX; 3];

fn table() -> &'static HashMap<&'static str, Clusters> {
    static T: OnceLock<HashMap<&'static str, Clusters>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = HashMap::with_capacity_and_hasher(64_000, Default::default());
        for line in DATA.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let Some(w) = cols.next() else { continue };
            let mut c = UNKNOWN;
            for x in &mut c {
                *x = cols.next().and_then(|s| s.parse().ok()).unwrap_or(u16::MAX);
            }
            m.insert(w, c);
        }
        m
    })
}

/// Clusters of a search-form word, or [`UNKNOWN`].
pub fn of(word: &str) -> Clusters {
    table().get(word).copied().unwrap_or(UNKNOWN)
}
