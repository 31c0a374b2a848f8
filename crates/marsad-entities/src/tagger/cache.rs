//! A bounded two-generation cache (the tagger's per-thread caches).
//!
//! Entries go into the current generation; when it holds `capacity`
//! entries it becomes the old generation (the previous old one is
//! dropped) and a new one starts. A hit in the old generation moves the
//! entry back into the current one. So frequent keys survive every
//! rotation while a long tail of rare ones is forgotten, at the cost of at
//! most `2 × capacity` entries — cheaper than an LRU list, and unlike
//! "clear when full" it does not thrash when the working set is a little
//! larger than the capacity.

use std::hash::Hash;

use super::features::FastMap;

/// The cache.
pub(crate) struct GenCache<K, V> {
    cur: FastMap<K, V>,
    old: FastMap<K, V>,
    capacity: usize,
}

impl<K: Hash + Eq + Copy, V: Copy> GenCache<K, V> {
    /// An empty cache rotating at `capacity` entries.
    pub(crate) fn new(capacity: usize) -> Self {
        GenCache {
            cur: FastMap::default(),
            old: FastMap::default(),
            capacity,
        }
    }

    /// The value of `k`, computed by `f` when it is not cached.
    #[inline]
    pub(crate) fn get_or_insert_with(&mut self, k: K, f: impl FnOnce() -> V) -> V {
        if let Some(v) = self.cur.get(&k) {
            return *v;
        }
        // An entry of the old generation is copied, not moved: the old
        // generation is dropped whole at the next rotation anyway.
        let v = match self.old.get(&k) {
            Some(v) => *v,
            None => f(),
        };
        if self.cur.len() >= self.capacity {
            self.old = std::mem::take(&mut self.cur);
            self.cur.reserve(self.capacity);
        }
        self.cur.insert(k, v);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_keys_survive_rotation() {
        let mut c: GenCache<u32, u32> = GenCache::new(4);
        let mut computed = 0;
        for round in 0..10u32 {
            // Key 0 every round, and a stream of one-off keys.
            c.get_or_insert_with(0, || {
                computed += 1;
                7
            });
            for k in 0..3 {
                c.get_or_insert_with(1000 + round * 10 + k, || 1);
            }
        }
        assert_eq!(computed, 1, "a key used every rotation is computed once");
        assert!(c.cur.len() + c.old.len() <= 8);
        assert_eq!(c.get_or_insert_with(0, || 9), 7);
    }
}
