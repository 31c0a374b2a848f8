//! Feature extraction: what the tagger looks at for each token.
//!
//! Every feature is a 64-bit hash of a template id and the value it looks
//! at; nothing is allocated per token. Each token is summarised once into a
//! [`TokFeat`] (hashes of its search form, clitic-free base, light stem,
//! affixes, clitics, shape, clusters, corpus types and gazetteer hints); the
//! features of token `i` then combine the summaries of tokens `i-2 ..= i+2`.
//!
//! ## Unary and pair templates
//! Most templates look at *one* token at a fixed offset from the token
//! being labelled (its own word, the previous token's cluster, the hints two
//! tokens ahead...): [`unary`]. Only a few conjoin two tokens (the bigram
//! with a neighbour): [`pairs`]. The split is what makes tagging fast: the
//! weights a token contributes through unary templates, at each of the five
//! offsets, depend only on its summary, so [`super::decode`] sums them once
//! per distinct summary and caches them, and per position only the pair
//! templates are looked up. Training sees the same features through
//! [`features`].
//!
//! ## Feature sets
//! [`FeatureSet::Full`] is the tagger's. [`FeatureSet::Context`] leaves out
//! the token's identity (search form, base, stem and the bigrams with
//! them): the tagger trained with it labels words only by their context,
//! affixes, clusters and hints, the same for a name seen in training as for
//! one never seen, which is what building the corpus-types lexicon needs
//! ([`super::corpus_types`]).
//!
//! Templates, and why they help for Arabic names:
//! - **word, base, stem**: the search form with clitics (`وبغداد`), without
//!   (`بغداد`), and the light stem, so a name seen once with `و`/`ب`/`ال`
//!   is known with any other clitic.
//! - **prefixes / suffixes** (1–3 letters of the word, and the last two
//!   letters of the next word's base):
//!   nisba endings (`ي`, `ية`, `يون`), the article, verb prefixes, foreign
//!   endings (`ـوف`, `ـسكي`, `ـز`), feminine `ة`.
//! - **clitics**: which proclitics and enclitic the text layer split off;
//!   names rarely carry enclitic pronouns.
//! - **shape**: Arabic/Latin/digits/punctuation, length bucket, `ة` ending,
//!   whether the base is attested in the news vocabulary (rare words are
//!   more often names), whether it has the article.
//! - **context**: words and bases at ±1/±2, the bigrams with the left and
//!   right neighbour, the neighbours' shape and suffix; the previous label
//!   is handled by the transition matrix (first-order Viterbi).
//! - **word clusters** ([`super::clusters`]) of the token at three
//!   granularities and of its neighbours: generalisation from names seen in
//!   training to names seen only in the unlabelled news corpus.
//! - **corpus types** ([`super::corpus_types`]): how often a context-only
//!   tagger labelled the word's base PERS, LOC, ORG or MISC across the
//!   unlabelled news corpus — what the word *is* when it is seen in many
//!   contexts, not only in the sentence at hand.
//! - **gazetteer hints** ([`super::hints`]) of the token and of its
//!   neighbours at ±1 and −2: a title or speech verb before, a nisba after.

use marsad_text::lexicon::Lexicon;
use marsad_text::{Enclitic, Proclitics, TokenKind};

use super::corpus_types::CorpusTypes;
use super::hints::{GazHints, N_BITS};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a hash of bytes.
#[inline]
pub(crate) fn fnv(b: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for &x in b {
        h ^= x as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Murmur3's 64-bit finalizer: spreads the bits of `h`.
#[inline]
pub(crate) fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Feature key of template `t` with value hash `v` (never 0: 0 marks an
/// empty slot in the model's table).
#[inline]
fn key(t: u64, v: u64) -> u64 {
    fmix(v ^ t.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1
}

#[inline]
fn key2(t: u64, a: u64, b: u64) -> u64 {
    key(t, a.rotate_left(23) ^ b)
}

/// Which templates a model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeatureSet {
    /// Every template: the tagger.
    Full,
    /// No template that looks at the token's own identity: the context
    /// tagger behind the corpus-types lexicon.
    Context,
}

/// Summary of one token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TokFeat {
    /// Key of the word (search form, token kind, final `ة`): every field
    /// but `hints` is a function of it and of the corpus types
    /// ([`TokFeat::summarize`]).
    word: u64,
    norm: u64,
    base: u64,
    stem: u64,
    pre: [u64; 3],
    suf: [u64; 3],
    bsuf: [u64; 2],
    clitics: u64,
    shape: u64,
    hints: GazHints,
    /// Distributional clusters of the word (or of its base when the word
    /// itself is not in the table), at three granularities.
    cl: [u64; 3],
    /// Corpus-types code of the base (0: not in the lexicon) and one
    /// share bucket per class ([`CorpusTypes::code`]).
    types: u64,
    type_share: [u64; 4],
}

/// What one token looks like to the feature extractor.
pub(crate) struct TokView<'a> {
    pub norm: &'a str,
    pub base: &'a str,
    pub stem: &'a str,
    pub kind: TokenKind,
    pub pro: Proclitics,
    pub enc: Enclitic,
    pub ta_marbuta: bool,
    pub hints: GazHints,
}

fn prefix_hashes<const N: usize>(s: &str) -> [u64; N] {
    let mut out = [0u64; N];
    let mut it = s.char_indices().skip(1).map(|(i, _)| i).chain([s.len()]);
    for (k, o) in out.iter_mut().enumerate() {
        match it.next() {
            Some(end) => *o = fnv(&s.as_bytes()[..end]),
            None => *o = 0x5eed ^ k as u64,
        }
    }
    out
}

fn suffix_hashes<const N: usize>(s: &str) -> [u64; N] {
    let mut out = [0u64; N];
    let mut it = s.char_indices().rev().map(|(i, _)| i);
    for (k, o) in out.iter_mut().enumerate() {
        match it.next() {
            Some(start) => *o = fnv(&s.as_bytes()[start..]),
            None => *o = 0xfeed ^ k as u64,
        }
    }
    out
}

/// Summaries cached per thread (word part only), keyed by corpus-types id
/// and word key ([`super::cache`]: two generations of this many).
const SUMMARY_CACHE: usize = 1 << 15;

thread_local! {
    static SUMMARIES: std::cell::RefCell<super::cache::GenCache<(u64, u64), TokFeat>> =
        std::cell::RefCell::new(super::cache::GenCache::new(SUMMARY_CACHE));
}

/// The word key of a token: its search form, kind and final `ة`.
#[inline]
fn word_key(v: &TokView<'_>) -> u64 {
    let kind = v.kind as u64;
    fmix(
        fnv(v.norm.as_bytes())
            ^ (kind << 1 | v.ta_marbuta as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
    )
}

impl TokFeat {
    /// The summary of a token: the word part from the per-thread cache
    /// (the clitic analysis, clusters, corpus types and affix hashes of a
    /// word are the same wherever it occurs), then its hints.
    pub(crate) fn summarize(v: &TokView<'_>, types: &CorpusTypes) -> TokFeat {
        let key = (types.id(), word_key(v));
        let mut t = SUMMARIES.with(|c| {
            c.borrow_mut()
                .get_or_insert_with(key, || TokFeat::new(v, key.1, types))
        });
        t.hints = v.hints;
        t
    }

    fn new(v: &TokView<'_>, word: u64, types: &CorpusTypes) -> TokFeat {
        let mut pro = 0u64;
        for (bit, p) in v.pro.iter().enumerate() {
            pro |= (p.len() as u64 + bit as u64 * 7) << (bit * 4);
        }
        let clitics = fnv(v.enc.as_str().as_bytes()) ^ pro.wrapping_mul(0x1000_0000_01b3);
        let nchars = v.norm.chars().count();
        let len_bucket = match nchars {
            0..=4 => nchars as u64,
            5..=6 => 5,
            7..=9 => 6,
            _ => 7,
        };
        let kind = match v.kind {
            TokenKind::Word => 0u64,
            TokenKind::Number => 1,
            TokenKind::Latin => 2,
            TokenKind::Punct => 3,
            _ => 4,
        };
        let mut cl = super::clusters::of(v.norm);
        let mut via_base = 0u64;
        if cl == super::clusters::UNKNOWN && v.base != v.norm {
            cl = super::clusters::of(v.base);
            via_base = 1 << 20;
        }
        let attested = v.kind == TokenKind::Word && Lexicon::get().attested(v.base);
        let shape = kind
            | len_bucket << 3
            | (v.ta_marbuta as u64) << 6
            | (attested as u64) << 7
            | (v.pro.has_article() as u64) << 8;
        let (tcode, tshare) = if v.kind == TokenKind::Word {
            types.code(v.base)
        } else {
            (0, [0; 4])
        };
        TokFeat {
            word,
            norm: fnv(v.norm.as_bytes()),
            base: fnv(v.base.as_bytes()),
            stem: fnv(v.stem.as_bytes()),
            pre: prefix_hashes(v.norm),
            suf: suffix_hashes(v.norm),
            bsuf: {
                let s: [u64; 3] = suffix_hashes(v.base);
                [s[1], s[2]]
            },
            clitics,
            shape,
            hints: v.hints,
            cl: cl.map(|c| c as u64 | via_base),
            types: tcode,
            type_share: tshare,
        }
    }

    /// A key that tells summaries apart exactly (for one corpus-types
    /// lexicon): the word key and the hints. The key of the decoding cache.
    pub(crate) fn fingerprint(&self) -> u128 {
        (self.word as u128) << 64 | self.hints as u128
    }

    /// The summary standing for a position before the sentence start
    /// (`side` 0) or after its end (`side` 1).
    pub(crate) fn boundary(side: u64) -> TokFeat {
        let h = 0xb0b0_0000 + side;
        TokFeat {
            word: h,
            norm: h,
            base: h,
            stem: h,
            pre: [h; 3],
            suf: [h; 3],
            bsuf: [h; 2],
            clitics: h,
            shape: 1000 + side,
            hints: 0,
            cl: [h; 3],
            types: 0,
            type_share: [0; 4],
        }
    }
}

/// Summary before the sentence start.
pub(crate) const BOS: u64 = 0;
/// Summary after the sentence end.
pub(crate) const EOS: u64 = 1;

/// Offsets that unary templates look at, relative to the labelled token.
pub(crate) const OFFSETS: [isize; 5] = [-2, -1, 0, 1, 2];

/// Push the keys of the unary templates that look at token `t` standing at
/// offset `d` (one of [`OFFSETS`]) from the token being labelled.
pub(crate) fn unary(t: &TokFeat, d: isize, set: FeatureSet, out: &mut Vec<u64>) {
    let hints = |ti: u64, h: GazHints, out: &mut Vec<u64>| {
        if h == 0 {
            return;
        }
        for b in 0..N_BITS {
            if h & (1 << b) != 0 {
                out.push(key(ti, b as u64));
            }
        }
        out.push(key(ti + 10, h as u64));
    };
    match d {
        0 => {
            out.push(key(1, 0)); // bias
            if set == FeatureSet::Full {
                out.push(key(2, t.norm));
                out.push(key(3, t.base));
                out.push(key(4, t.stem));
            }
            for k in 0..3 {
                out.push(key(10 + k as u64, t.pre[k]));
                out.push(key(13 + k as u64, t.suf[k]));
            }
            out.push(key(20, t.clitics));
            out.push(key(21, t.shape));
            for k in 0..3 {
                out.push(key(70 + k as u64, t.cl[k]));
            }
            out.push(key2(95, t.cl[2], t.hints as u64));
            if t.types != 0 {
                out.push(key(90, t.types));
                for (c, s) in t.type_share.iter().enumerate() {
                    out.push(key(91 + c as u64, *s));
                }
                out.push(key2(98, t.types, t.shape));
            }
            hints(50, t.hints, out);
        }
        -1 => {
            out.push(key(30, t.norm));
            out.push(key(34, t.base));
            out.push(key(40, t.shape));
            out.push(key(45, t.suf[1]));
            out.push(key(73, t.cl[1]));
            out.push(key(75, t.cl[2]));
            if t.types != 0 {
                out.push(key(96, t.types));
            }
            hints(51, t.hints, out);
        }
        1 => {
            out.push(key(32, t.norm));
            out.push(key(35, t.base));
            out.push(key(41, t.shape));
            out.push(key(44, t.suf[1]));
            out.push(key(46, t.bsuf[0]));
            out.push(key(74, t.cl[1]));
            out.push(key(76, t.cl[2]));
            if t.types != 0 {
                out.push(key(97, t.types));
            }
            hints(52, t.hints, out);
        }
        -2 => {
            out.push(key(31, t.norm));
            hints(53, t.hints, out);
        }
        2 => {
            out.push(key(33, t.norm));
            hints(54, t.hints, out);
        }
        _ => {}
    }
}

/// Push the keys of the templates that conjoin two tokens around token `i`.
pub(crate) fn pairs(toks: &[TokFeat], i: usize, set: FeatureSet, out: &mut Vec<u64>) {
    let t = &toks[i];
    let bos = TokFeat::boundary(BOS);
    let eos = TokFeat::boundary(EOS);
    let p1 = if i >= 1 { &toks[i - 1] } else { &bos };
    let p2 = if i >= 2 { &toks[i - 2] } else { &bos };
    let n1 = toks.get(i + 1).unwrap_or(&eos);
    if set == FeatureSet::Full {
        out.push(key2(36, p1.norm, t.norm));
        out.push(key2(37, t.norm, n1.norm));
        out.push(key2(38, p1.base, t.base));
    }
    out.push(key2(42, p1.shape, t.shape));
    out.push(key2(43, t.shape, n1.shape));
    out.push(key2(47, p2.norm, p1.norm));
    out.push(key2(77, p1.cl[1], t.cl[1]));
    out.push(key2(78, t.cl[1], n1.cl[1]));
}

/// Push every feature key of token `i` of `toks` onto `out` (training).
pub(crate) fn features(toks: &[TokFeat], i: usize, set: FeatureSet, out: &mut Vec<u64>) {
    for d in OFFSETS {
        let j = i as isize + d;
        if j < 0 {
            unary(&TokFeat::boundary(BOS), d, set, out);
        } else if j as usize >= toks.len() {
            unary(&TokFeat::boundary(EOS), d, set, out);
        } else {
            unary(&toks[j as usize], d, set, out);
        }
    }
    pairs(toks, i, set, out);
}

/// A fast, deterministic hasher for the crate's string tables (FNV-1a
/// over the bytes, then mixed): lookups of short Arabic words are several
/// times cheaper than with the default SipHash. The tables it serves hold
/// our own data, or input-derived keys in bounded structures (the tagger's
/// caches, per-document maps), so a crafted input that collides can at
/// worst slow down its own analysis.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        fmix(self.0)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { FNV_OFFSET } else { self.0 };
        for &x in bytes {
            h ^= x as u64;
            h = h.wrapping_mul(FNV_PRIME);
        }
        self.0 = h;
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// `BuildHasher` of [`FastHasher`].
pub(crate) type FastBuild = std::hash::BuildHasherDefault<FastHasher>;

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, FastBuild>;

/// A `HashSet` with [`FastHasher`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, FastBuild>;
