//! The word lists the clitic analyser and stemmer consult, loaded once from
//! data files compiled into the crate.
//!
//! - `data/vocab.txt.gz`: search-form Arabic word forms attested at least
//!   five times in the ANT news corpus (built by `scripts/build_vocab.py`;
//!   only forms, never text). Attestation is the evidence the clitic
//!   analyser uses: `قال` is a word and `الوقال` is not, so `وقال` is
//!   `و + قال`; `الوزير` is attested, so `وزير` is a word of its own.
//! - `data/protected.txt`: words never split by hand decision (function
//!   words such as `الى` = `إلى`, `التي`, `الله`, and names whose first letter
//!   looks like a clitic).
//! - `data/abbreviations.txt`: tokens after which a full stop does not end
//!   a sentence.
//!
//! Nothing here does I/O: the files are embedded with `include_bytes!`.

use rustc_hash::FxHashSet as HashSet;
use std::io::Read;
use std::sync::OnceLock;

/// Embedded, decompressed word lists.
///
/// The three word sets used on the hot path hold 64-bit xxh3 hashes of the
/// forms, not the forms: a lookup is one probe with no string comparison or
/// pointer chase. With fewer than 100,000 forms the chance of a false
/// positive for a given unseen word is about 5 × 10^-15. Inside the crate a
/// form asked several questions is hashed once (`Key`).
pub struct Lexicon {
    vocab: HashSet<u64>,
    /// `x` such that `ال` + `x` is attested.
    definite: HashSet<u64>,
    protected: HashSet<u64>,
    /// Looked up once per full stop after a word, with the fast hasher.
    abbreviations: HashSet<&'static str>,
}

#[inline]
fn h(w: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(w.as_bytes())
}

/// The hash a form is stored under in the word sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key(u64);

impl Key {
    /// The key of the UTF-8 bytes of a form.
    #[inline]
    pub(crate) fn of_bytes(b: &[u8]) -> Key {
        Key(xxhash_rust::xxh3::xxh3_64(b))
    }
}

static VOCAB_GZ: &[u8] = include_bytes!("../data/vocab.txt.gz");
static PROTECTED: &str = include_str!("../data/protected.txt");
static ABBREVIATIONS: &str = include_str!("../data/abbreviations.txt");

fn data_lines(s: &'static str) -> impl Iterator<Item = &'static str> {
    s.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

impl Lexicon {
    /// The process-wide lexicon (built on first use, a few milliseconds).
    pub fn get() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(Lexicon::load)
    }

    fn load() -> Lexicon {
        let mut text = String::new();
        // The embedded file is produced by our own script; if it were
        // corrupt the build would have shipped a broken binary, and an empty
        // vocabulary only makes the analyser more conservative.
        let _ = flate2_lite::gunzip(VOCAB_GZ).map(|b| {
            text = String::from_utf8(b).unwrap_or_default();
        });
        let mut vocab = HashSet::with_capacity_and_hasher(200_000, Default::default());
        let mut definite = HashSet::with_capacity_and_hasher(60_000, Default::default());
        for w in text.lines() {
            let w = w.trim();
            if w.is_empty() {
                continue;
            }
            vocab.insert(h(w));
            if let Some(rest) = w.strip_prefix("ال")
                && rest.chars().count() >= 2
            {
                definite.insert(h(rest));
            }
        }
        let protected = data_lines(PROTECTED).map(h).collect();
        let abbreviations = data_lines(ABBREVIATIONS).collect();
        Lexicon {
            vocab,
            definite,
            protected,
            abbreviations,
        }
    }

    /// Is `w` (search form) an attested word form?
    #[inline]
    pub fn attested(&self, w: &str) -> bool {
        self.vocab.contains(&h(w))
    }

    /// Is `ال` + `w` attested, i.e. is `w` a noun or adjective stem itself?
    #[inline]
    pub fn takes_article(&self, w: &str) -> bool {
        self.definite.contains(&h(w))
    }

    /// Is `w` on the never-split list?
    #[inline]
    pub fn protected(&self, w: &str) -> bool {
        self.protected.contains(&h(w))
    }

    /// The lookup key of `w`, for asking several questions about the same
    /// form with one hash.
    #[inline]
    pub(crate) fn key(w: &str) -> Key {
        Key::of_bytes(w.as_bytes())
    }

    /// [`Lexicon::attested`] by key.
    #[inline]
    pub(crate) fn attested_key(&self, k: Key) -> bool {
        self.vocab.contains(&k.0)
    }

    /// [`Lexicon::takes_article`] by key.
    #[inline]
    pub(crate) fn takes_article_key(&self, k: Key) -> bool {
        self.definite.contains(&k.0)
    }

    /// [`Lexicon::protected`] by key.
    #[inline]
    pub(crate) fn protected_key(&self, k: Key) -> bool {
        self.protected.contains(&k.0)
    }

    /// Is `w` an abbreviation after which `.` does not end a sentence?
    #[inline]
    pub fn abbreviation(&self, w: &str) -> bool {
        self.abbreviations.contains(w)
    }

    /// Number of attested forms (for diagnostics).
    pub fn vocab_len(&self) -> usize {
        self.vocab.len()
    }
}

/// Minimal gzip reader over the `flate2` crate, kept in one place.
mod flate2_lite {
    use super::Read;
    pub fn gunzip(b: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(b).read_to_end(&mut out)?;
        Ok(out)
    }
}
