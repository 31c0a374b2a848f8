//! Where a report keeps the bulky parts of its documents while the
//! cross-document stages run.
//!
//! Deciding merges and disagreements needs only small keys (ids, numbers,
//! interned names: [`crate::build`]). Sentence texts, claim records, titles,
//! addresses and summary candidates are needed only to print the report,
//! and a document's term vector only while documents published near it are
//! clustered, so the builder hands each of them to a [`Spill`] as soon as a
//! document is digested and keeps a [`Slot`] (where it went). The stages
//! and renderings read them back one at a time.
//!
//! Two spills are provided:
//!
//! - [`MemSpill`] keeps the records in memory, as they are (the in-memory
//!   [`crate::build_report`] and the store-backed views, whose inputs are
//!   small);
//! - [`ByteSpill`] encodes each record as JSON into a [`ByteStore`], an
//!   append-only byte sink with random reads. This crate does no I/O: the
//!   caller supplies the store (`marsad report` uses an unlinked temporary
//!   file), and [`Vec<u8>`] is one for tests.
//!
//! A spill is written while documents are pushed, then [`Spill::seal`]ed,
//! then only read.

use std::convert::Infallible;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::digest::SentenceDigest;
use crate::{ClaimRecord, DocumentInfo};

/// Where a record went: an offset and a length in a [`ByteStore`], or an
/// index for [`MemSpill`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// Byte offset (or index).
    pub offset: u64,
    /// Length in bytes (0 for [`MemSpill`]).
    pub len: u32,
}

/// The texts of one event mention.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct EventText {
    /// The sentence.
    pub text: String,
    /// The trigger as written.
    pub trigger: String,
}

/// Keeps the bulky records of a report until it is printed (see the module
/// doc).
pub trait Spill {
    /// What can go wrong writing or reading a record.
    type Error: std::error::Error + Send + Sync + 'static;
    /// Keep a document's metadata.
    fn put_info(&mut self, r: &DocumentInfo) -> Result<Slot, Self::Error>;
    /// Keep a document's summary candidates.
    fn put_sentences(&mut self, r: &[SentenceDigest]) -> Result<Slot, Self::Error>;
    /// Keep a claim.
    fn put_claim(&mut self, r: &ClaimRecord) -> Result<Slot, Self::Error>;
    /// Keep an event mention's texts.
    fn put_event(&mut self, r: &EventText) -> Result<Slot, Self::Error>;
    /// Keep a document's term vector (term hash, count).
    fn put_terms(&mut self, r: &[(u64, u32)]) -> Result<Slot, Self::Error>;
    /// Writing is over; reads follow.
    fn seal(&mut self) -> Result<(), Self::Error>;
    /// A document's metadata.
    fn info(&self, s: Slot) -> Result<DocumentInfo, Self::Error>;
    /// A document's summary candidates.
    fn sentences(&self, s: Slot) -> Result<Vec<SentenceDigest>, Self::Error>;
    /// A claim.
    fn claim(&self, s: Slot) -> Result<ClaimRecord, Self::Error>;
    /// An event mention's texts.
    fn event(&self, s: Slot) -> Result<EventText, Self::Error>;
    /// A document's term vector.
    fn terms(&self, s: Slot) -> Result<Vec<(u64, u32)>, Self::Error>;
}

/// A [`Spill`] that keeps the records in memory.
#[derive(Debug, Default)]
pub struct MemSpill {
    infos: Vec<DocumentInfo>,
    sentences: Vec<Vec<SentenceDigest>>,
    claims: Vec<ClaimRecord>,
    events: Vec<EventText>,
    terms: Vec<Vec<(u64, u32)>>,
}

fn slot(i: usize) -> Slot {
    Slot {
        offset: i as u64,
        len: 0,
    }
}

fn at<T: Clone + Default>(v: &[T], s: Slot) -> T {
    // Slots come from this spill's own `put_*`, in range by construction;
    // an out-of-range slot (a builder bug) reads as an empty record.
    debug_assert!(
        (s.offset as usize) < v.len(),
        "MemSpill: slot {s:?} out of range"
    );
    v.get(s.offset as usize).cloned().unwrap_or_default()
}

impl Spill for MemSpill {
    type Error = Infallible;
    fn put_info(&mut self, r: &DocumentInfo) -> Result<Slot, Infallible> {
        self.infos.push(r.clone());
        Ok(slot(self.infos.len() - 1))
    }
    fn put_sentences(&mut self, r: &[SentenceDigest]) -> Result<Slot, Infallible> {
        self.sentences.push(r.to_vec());
        Ok(slot(self.sentences.len() - 1))
    }
    fn put_claim(&mut self, r: &ClaimRecord) -> Result<Slot, Infallible> {
        self.claims.push(r.clone());
        Ok(slot(self.claims.len() - 1))
    }
    fn put_event(&mut self, r: &EventText) -> Result<Slot, Infallible> {
        self.events.push(r.clone());
        Ok(slot(self.events.len() - 1))
    }
    fn put_terms(&mut self, r: &[(u64, u32)]) -> Result<Slot, Infallible> {
        self.terms.push(r.to_vec());
        Ok(slot(self.terms.len() - 1))
    }
    fn seal(&mut self) -> Result<(), Infallible> {
        Ok(())
    }
    fn info(&self, s: Slot) -> Result<DocumentInfo, Infallible> {
        Ok(at(&self.infos, s))
    }
    fn sentences(&self, s: Slot) -> Result<Vec<SentenceDigest>, Infallible> {
        Ok(at(&self.sentences, s))
    }
    fn claim(&self, s: Slot) -> Result<ClaimRecord, Infallible> {
        Ok(at(&self.claims, s))
    }
    fn event(&self, s: Slot) -> Result<EventText, Infallible> {
        Ok(at(&self.events, s))
    }
    fn terms(&self, s: Slot) -> Result<Vec<(u64, u32)>, Infallible> {
        Ok(at(&self.terms, s))
    }
}

/// An append-only byte sink with random reads, for [`ByteSpill`].
pub trait ByteStore {
    /// What can go wrong.
    type Error: std::error::Error + Send + Sync + 'static;
    /// Append `bytes`; returns the offset they start at.
    fn append(&mut self, bytes: &[u8]) -> Result<u64, Self::Error>;
    /// Writing is over (flush buffers).
    fn seal(&mut self) -> Result<(), Self::Error>;
    /// Fill `buf` with the bytes starting at `offset`.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), Self::Error>;
}

/// Reading past the end of a [`Vec<u8>`] store.
#[derive(Debug, thiserror::Error)]
#[error("read of {len} bytes at {offset} past the end ({size} bytes)")]
pub struct OutOfRange {
    offset: u64,
    len: usize,
    size: usize,
}

impl ByteStore for Vec<u8> {
    type Error = OutOfRange;
    fn append(&mut self, bytes: &[u8]) -> Result<u64, OutOfRange> {
        let at = self.len() as u64;
        self.extend_from_slice(bytes);
        Ok(at)
    }
    fn seal(&mut self) -> Result<(), OutOfRange> {
        Ok(())
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), OutOfRange> {
        let err = || OutOfRange {
            offset,
            len: buf.len(),
            size: self.len(),
        };
        let start = usize::try_from(offset).map_err(|_| err())?;
        let src = start
            .checked_add(buf.len())
            .and_then(|end| self.get(start..end))
            .ok_or_else(err)?;
        buf.copy_from_slice(src);
        Ok(())
    }
}

/// What can go wrong in a [`ByteSpill`].
#[derive(Debug, thiserror::Error)]
pub enum ByteSpillError<E: std::error::Error + 'static> {
    /// The byte store failed.
    #[error("spill store: {0}")]
    Store(#[source] E),
    /// A record could not be encoded or decoded.
    #[error("spill record: {0}")]
    Json(#[from] serde_json::Error),
    /// A record is larger than a slot can say (4 GiB).
    #[error("spill record of {0} bytes is too large")]
    TooLarge(usize),
    /// A term vector's bytes are not a whole number of terms.
    #[error("spill record of {0} bytes is not a term vector")]
    NotTerms(usize),
}

/// A [`Spill`] that encodes every record as JSON into a [`ByteStore`].
#[derive(Debug, Default)]
pub struct ByteSpill<B> {
    store: B,
    buf: Vec<u8>,
}

impl<B: ByteStore> ByteSpill<B> {
    /// A spill writing into `store`.
    pub fn new(store: B) -> Self {
        ByteSpill {
            store,
            buf: Vec::new(),
        }
    }

    fn put<T: Serialize + ?Sized>(&mut self, r: &T) -> Result<Slot, ByteSpillError<B::Error>> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, r)?;
        self.append()
    }

    fn append(&mut self) -> Result<Slot, ByteSpillError<B::Error>> {
        let len =
            u32::try_from(self.buf.len()).map_err(|_| ByteSpillError::TooLarge(self.buf.len()))?;
        let offset = self
            .store
            .append(&self.buf)
            .map_err(ByteSpillError::Store)?;
        Ok(Slot { offset, len })
    }

    fn bytes(&self, s: Slot) -> Result<Vec<u8>, ByteSpillError<B::Error>> {
        let mut buf = vec![0u8; s.len as usize];
        self.store
            .read_at(s.offset, &mut buf)
            .map_err(ByteSpillError::Store)?;
        Ok(buf)
    }

    fn get<T: DeserializeOwned>(&self, s: Slot) -> Result<T, ByteSpillError<B::Error>> {
        Ok(serde_json::from_slice(&self.bytes(s)?)?)
    }
}

impl<B: ByteStore> Spill for ByteSpill<B> {
    type Error = ByteSpillError<B::Error>;
    fn put_info(&mut self, r: &DocumentInfo) -> Result<Slot, Self::Error> {
        self.put(r)
    }
    fn put_sentences(&mut self, r: &[SentenceDigest]) -> Result<Slot, Self::Error> {
        self.put(r)
    }
    fn put_claim(&mut self, r: &ClaimRecord) -> Result<Slot, Self::Error> {
        self.put(r)
    }
    fn put_event(&mut self, r: &EventText) -> Result<Slot, Self::Error> {
        self.put(r)
    }
    /// Term vectors are 12 bytes a term (hash and count, little-endian),
    /// not JSON: they are read back for every document while clustering.
    fn put_terms(&mut self, r: &[(u64, u32)]) -> Result<Slot, Self::Error> {
        self.buf.clear();
        for &(t, n) in r {
            self.buf.extend_from_slice(&t.to_le_bytes());
            self.buf.extend_from_slice(&n.to_le_bytes());
        }
        self.append()
    }
    fn seal(&mut self) -> Result<(), Self::Error> {
        self.buf = Vec::new();
        self.store.seal().map_err(ByteSpillError::Store)
    }
    fn info(&self, s: Slot) -> Result<DocumentInfo, Self::Error> {
        self.get(s)
    }
    fn sentences(&self, s: Slot) -> Result<Vec<SentenceDigest>, Self::Error> {
        self.get(s)
    }
    fn claim(&self, s: Slot) -> Result<ClaimRecord, Self::Error> {
        self.get(s)
    }
    fn event(&self, s: Slot) -> Result<EventText, Self::Error> {
        self.get(s)
    }
    fn terms(&self, s: Slot) -> Result<Vec<(u64, u32)>, Self::Error> {
        let b = self.bytes(s)?;
        if b.len() % 12 != 0 {
            return Err(ByteSpillError::NotTerms(b.len()));
        }
        Ok(b.chunks_exact(12)
            .map(|c| {
                let mut t = [0u8; 8];
                let mut n = [0u8; 4];
                t.copy_from_slice(&c[..8]);
                n.copy_from_slice(&c[8..]);
                (u64::from_le_bytes(t), u32::from_le_bytes(n))
            })
            .collect())
    }
}
