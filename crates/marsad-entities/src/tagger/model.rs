//! The trained model: weights per feature and label, label transitions, and
//! its compact binary format.
//!
//! # File format (little-endian)
//! ```text
//! magic   8 bytes  "MRSDNER1"
//! labels  u32      number of labels L (9: O, B-×4, I-×4)
//! scale   f32      weight = stored i16 × scale
//! trans   (L+1)×L f32   transition scores; row 0 is "sentence start"
//! n       u32      number of features
//! keys    n × u64  feature keys, strictly increasing
//! weights n × L × i16
//! ```
//! Weights are quantized to 16 bits (a loss far below the perceptron's own
//! noise). At load the keys go into an open-addressing table (linear
//! probing, load ≤ 2/3) so a lookup costs one or two cache lines; a miss —
//! most context features of unseen words — usually costs one.

use std::sync::atomic::{AtomicU64, Ordering};

use super::features::FeatureSet;
use super::{N_LABELS, TaggerError};

/// Source of [`Model::id`]s.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

const MAGIC: &[u8; 8] = b"MRSDNER1";

/// Weights and transitions, ready for scoring.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    /// Power-of-two open-addressing table (key 0 = empty). Key and weights
    /// share a slot so a hit costs one cache line.
    slots: Vec<Slot>,
    mask: usize,
    pub(crate) scale: f32,
    /// `trans[(prev + 1) * N_LABELS + cur]`; `prev + 1 == 0` is the start.
    pub(crate) trans: Vec<f32>,
    n_features: usize,
    /// The templates the model was trained with.
    pub(crate) set: FeatureSet,
    /// Unique per model built in this process: the key of its decoding
    /// cache ([`super::decode`]).
    pub(crate) id: u64,
}

impl Model {
    /// Build from sorted or unsorted `(key, weights)` pairs (keys unique
    /// and non-zero) and transitions.
    pub(crate) fn from_parts(
        feats: &[(u64, [f32; N_LABELS])],
        trans: Vec<f32>,
        set: FeatureSet,
    ) -> Model {
        let max = feats
            .iter()
            .flat_map(|(_, w)| w.iter())
            .fold(0f32, |m, &x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let q: Vec<(u64, [i16; N_LABELS])> = feats
            .iter()
            .map(|(k, w)| (*k, w.map(|x| (x / scale).round() as i16)))
            .collect();
        Model::from_quantized(&q, scale, trans, set)
    }

    fn from_quantized(
        feats: &[(u64, [i16; N_LABELS])],
        scale: f32,
        trans: Vec<f32>,
        set: FeatureSet,
    ) -> Model {
        let cap = (feats.len() * 3 / 2 + 16).next_power_of_two();
        let mask = cap - 1;
        let mut slots = vec![
            Slot {
                key: 0,
                w: [0; N_LABELS]
            };
            cap
        ];
        for (k, w) in feats {
            let mut s = slot(*k) & mask;
            while slots[s].key != 0 && slots[s].key != *k {
                s = (s + 1) & mask;
            }
            slots[s] = Slot { key: *k, w: *w };
        }
        Model {
            slots,
            mask,
            scale,
            trans,
            n_features: feats.len(),
            set,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Number of features with weights.
    pub(crate) fn n_features(&self) -> usize {
        self.n_features
    }

    /// Add the quantized weights of feature `k` to `acc`.
    #[inline]
    pub(crate) fn add(&self, k: u64, acc: &mut [i32; N_LABELS]) {
        let mut s = slot(k) & self.mask;
        loop {
            let x = &self.slots[s];
            if x.key == k {
                for (a, &b) in acc.iter_mut().zip(&x.w) {
                    *a += b as i32;
                }
                return;
            }
            if x.key == 0 {
                return;
            }
            s = (s + 1) & self.mask;
        }
    }

    /// Serialize to the binary format.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut feats: Vec<(u64, &[i16])> = self
            .slots
            .iter()
            .filter(|s| s.key != 0)
            .map(|s| (s.key, s.w.as_slice()))
            .collect();
        feats.sort_unstable_by_key(|f| f.0);
        let mut out = Vec::with_capacity(8 + 12 + self.trans.len() * 4 + feats.len() * 26);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(N_LABELS as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for t in &self.trans {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        for (k, _) in &feats {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, w) in &feats {
            for x in *w {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out
    }

    /// Parse the binary format.
    pub(crate) fn from_bytes(b: &[u8], set: FeatureSet) -> Result<Model, TaggerError> {
        let mut r = Reader { b, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(TaggerError::Format("bad magic".into()));
        }
        let labels = r.u32()? as usize;
        if labels != N_LABELS {
            return Err(TaggerError::Format(format!(
                "model has {labels} labels, expected {N_LABELS}"
            )));
        }
        let scale = f32::from_le_bytes(r.array()?);
        if !scale.is_finite() || scale <= 0.0 {
            return Err(TaggerError::Format("bad weight scale".into()));
        }
        let mut trans = Vec::with_capacity((N_LABELS + 1) * N_LABELS);
        for _ in 0..(N_LABELS + 1) * N_LABELS {
            trans.push(f32::from_le_bytes(r.array()?));
        }
        let n = r.u32()? as usize;
        let need = n
            .checked_mul(8 + 2 * N_LABELS)
            .ok_or_else(|| TaggerError::Format("feature count overflows".into()))?;
        if r.b.len() - r.pos != need {
            return Err(TaggerError::Format(format!(
                "expected {need} bytes of features, found {}",
                r.b.len() - r.pos
            )));
        }
        let keys_bytes = r.take(n * 8)?;
        let w_bytes = r.take(n * 2 * N_LABELS)?;
        let mut feats = Vec::with_capacity(n);
        let mut prev = 0u64;
        for (i, kb) in keys_bytes.chunks_exact(8).enumerate() {
            let mut a = [0u8; 8];
            a.copy_from_slice(kb);
            let k = u64::from_le_bytes(a);
            if k <= prev {
                return Err(TaggerError::Format("feature keys not increasing".into()));
            }
            prev = k;
            let mut w = [0i16; N_LABELS];
            let wb = &w_bytes[i * 2 * N_LABELS..(i + 1) * 2 * N_LABELS];
            for (x, c) in w.iter_mut().zip(wb.chunks_exact(2)) {
                *x = i16::from_le_bytes([c[0], c[1]]);
            }
            feats.push((k, w));
        }
        Ok(Model::from_quantized(&feats, scale, trans, set))
    }
}

/// One slot of the table.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: u64,
    w: [i16; N_LABELS],
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TaggerError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| TaggerError::Format("truncated model".into()))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], TaggerError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn u32(&mut self) -> Result<u32, TaggerError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
}

/// Home slot of a key: its high bits (the low bit of every key is 1, see
/// `features::key`, so the low bits would use only odd slots).
#[inline]
fn slot(k: u64) -> usize {
    (k >> 29) as usize
}
