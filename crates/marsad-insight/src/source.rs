//! A report as its renderings read it, one item at a time.
//!
//! [`ReportSource`] is what the renderings ([`crate::export`], and the
//! binary's HTML page) take: the number of items of each part and an
//! iterator over each part. It is implemented by the in-memory [`Report`]
//! (items are cloned out of it) and by a [`CompactReport`], which puts each
//! item together when it is asked for, reading its texts back from its
//! spill — so a rendering of a 30k-article report never holds more than one
//! event, claim or group at a time. Both give the same items in the same
//! order: the in-memory report is itself [`CompactReport::to_report`].
//!
//! [`write_json`] writes the report's JSON (the same bytes as
//! `serde_json::to_writer_pretty` on the [`Report`]) from any source.

use std::cell::RefCell;
use std::fmt;
use std::io;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::build::{CompactReport, Counts, Sym};
use crate::export::FigureGroup;
use crate::spill::Spill;
use crate::{
    ClaimRecord, Cluster, ClusterSummary, Disagreement, DocumentInfo, MergedEvent, Report,
    TimelineEntry,
};

/// What can go wrong while rendering a report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A record could not be read back from the report's spill.
    #[error("reading the report's spill: {0}")]
    Spill(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Writing the output failed.
    #[error("writing the report: {0}")]
    Io(#[from] io::Error),
    /// Writing the output failed (a `fmt::Write` sink refused).
    #[error("writing the report failed")]
    Fmt(#[from] fmt::Error),
    /// JSON output failed.
    #[error("writing the report as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

fn spill_err<E: std::error::Error + Send + Sync + 'static>(e: E) -> Error {
    Error::Spill(Box::new(e))
}

/// The title of a document, by id.
pub type TitleLookup<'a> = Box<dyn Fn(&str) -> Result<Option<String>, Error> + 'a>;

/// Items of one part of a report, in order.
pub type Items<'a, T> = Box<dyn Iterator<Item = Result<T, Error>> + 'a>;

/// A report, one item at a time (see the module doc).
pub trait ReportSource {
    /// How many items each part has.
    fn counts(&self) -> Counts;
    /// The input documents.
    fn documents(&self) -> Items<'_, DocumentInfo>;
    /// Merged events.
    fn events(&self) -> Items<'_, MergedEvent>;
    /// Every claim.
    fn claims(&self) -> Items<'_, ClaimRecord>;
    /// Disagreements.
    fn disagreements(&self) -> Items<'_, Disagreement>;
    /// Timeline entries.
    fn timeline(&self) -> Items<'_, TimelineEntry>;
    /// Story clusters.
    fn clusters(&self) -> Items<'_, Cluster>;
    /// Summaries.
    fn summary(&self) -> Items<'_, ClusterSummary>;
    /// Cluster `id`.
    fn cluster(&self, id: usize) -> Result<Option<Cluster>, Error>;
    /// Claims grouped by subject, measure, scope and event
    /// ([`crate::export::figure_groups`]).
    fn figure_groups(&self) -> Items<'_, FigureGroup>;
    /// A lookup of document titles by id (for an id given twice, the last
    /// document with a title).
    fn titles(&self) -> TitleLookup<'_>;
}

fn cloned<'a, T: Clone + 'a>(v: &'a [T]) -> Items<'a, T> {
    Box::new(v.iter().cloned().map(Ok))
}

impl ReportSource for Report {
    fn counts(&self) -> Counts {
        Counts {
            documents: self.documents.len(),
            events: self.events.len(),
            claims: self.claims.len(),
            disagreements: self.disagreements.len(),
            timeline: self.timeline.len(),
            clusters: self.clusters.len(),
            summary: self.summary.len(),
        }
    }
    fn documents(&self) -> Items<'_, DocumentInfo> {
        cloned(&self.documents)
    }
    fn events(&self) -> Items<'_, MergedEvent> {
        cloned(&self.events)
    }
    fn claims(&self) -> Items<'_, ClaimRecord> {
        cloned(&self.claims)
    }
    fn disagreements(&self) -> Items<'_, Disagreement> {
        cloned(&self.disagreements)
    }
    fn timeline(&self) -> Items<'_, TimelineEntry> {
        cloned(&self.timeline)
    }
    fn clusters(&self) -> Items<'_, Cluster> {
        cloned(&self.clusters)
    }
    fn summary(&self) -> Items<'_, ClusterSummary> {
        cloned(&self.summary)
    }
    fn cluster(&self, id: usize) -> Result<Option<Cluster>, Error> {
        Ok(self.clusters.get(id).cloned())
    }
    fn figure_groups(&self) -> Items<'_, FigureGroup> {
        Box::new(crate::export::figure_groups(self).into_iter().map(Ok))
    }
    fn titles(&self) -> TitleLookup<'_> {
        let by_id: FxHashMap<&str, &str> = self
            .documents
            .iter()
            .filter_map(|d| Some((d.id.as_str(), d.title.as_deref()?)))
            .collect();
        Box::new(move |id| Ok(by_id.get(id).map(|t| t.to_string())))
    }
}

impl<S: Spill> CompactReport<S> {
    /// The claims of each figure group (indexes), in order of first claim.
    fn figure_group_members(&self) -> Vec<Vec<u32>> {
        #[derive(PartialEq, Eq, Hash)]
        enum Subject<'a> {
            Id(Sym),
            Local(&'a str, Sym),
        }
        let copies: FxHashSet<&str> = self
            .docs
            .iter()
            .filter(|d| d.duplicate_of.is_some())
            .map(|d| d.id.as_ref())
            .collect();
        let mut index: FxHashMap<(Subject, Sym, Sym, Option<u32>), usize> = FxHashMap::default();
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for (i, c) in self.claims.iter().enumerate() {
            let doc = self.docs.get(c.doc as usize).map_or("", |d| &d.id);
            if copies.contains(doc) || self.strings.get(c.subject).is_empty() {
                continue;
            }
            // Claims whose subject is not identifiable beyond their
            // document are grouped within it only.
            let subject = match c.subject_id {
                Some(s) => Subject::Id(s),
                None => Subject::Local(doc, c.subject),
            };
            let k = (subject, c.measure, c.scope_key, c.event);
            let g = *index.entry(k).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i as u32);
        }
        groups
    }
}

impl<S: Spill> ReportSource for CompactReport<S> {
    fn counts(&self) -> Counts {
        CompactReport::counts(self)
    }
    fn documents(&self) -> Items<'_, DocumentInfo> {
        Box::new((0..self.docs.len()).map(|i| self.document(i).map_err(spill_err)))
    }
    fn events(&self) -> Items<'_, MergedEvent> {
        Box::new((0..self.reps.len()).map(|i| self.event(i).map_err(spill_err)))
    }
    fn claims(&self) -> Items<'_, ClaimRecord> {
        Box::new((0..self.claims.len()).map(|i| self.claim(i).map_err(spill_err)))
    }
    fn disagreements(&self) -> Items<'_, Disagreement> {
        Box::new((0..self.disagreements.len()).map(|i| self.disagreement(i).map_err(spill_err)))
    }
    fn timeline(&self) -> Items<'_, TimelineEntry> {
        Box::new((0..self.timeline.len()).map(|i| self.timeline_entry(i).map_err(spill_err)))
    }
    fn clusters(&self) -> Items<'_, Cluster> {
        Box::new(
            (0..self.clusters.len()).map(|i| CompactReport::cluster(self, i).map_err(spill_err)),
        )
    }
    fn summary(&self) -> Items<'_, ClusterSummary> {
        cloned(&self.summary)
    }
    fn cluster(&self, id: usize) -> Result<Option<Cluster>, Error> {
        if id >= self.clusters.len() {
            return Ok(None);
        }
        CompactReport::cluster(self, id)
            .map(Some)
            .map_err(spill_err)
    }
    fn figure_groups(&self) -> Items<'_, FigureGroup> {
        Box::new(self.figure_group_members().into_iter().map(|g| {
            let claims = g
                .iter()
                .map(|&i| self.claim(i as usize))
                .collect::<Result<Vec<_>, _>>()
                .map_err(spill_err)?;
            Ok(crate::export::figure_group(claims))
        }))
    }
    fn titles(&self) -> TitleLookup<'_> {
        let by_id: FxHashMap<&str, usize> = self
            .docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.has_title)
            .map(|(i, d)| (d.id.as_ref(), i))
            .collect();
        Box::new(move |id| match by_id.get(id) {
            Some(&i) => Ok(self.document(i).map_err(spill_err)?.title),
            None => Ok(None),
        })
    }
}

/// A sequence serialized as its items come.
struct Seq<'a, T>(RefCell<Option<Items<'a, T>>>);

impl<'a, T> Seq<'a, T> {
    fn new(items: Items<'a, T>) -> Self {
        Seq(RefCell::new(Some(items)))
    }
}

impl<T: Serialize> Serialize for Seq<'_, T> {
    fn serialize<Z: Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        let items = self.0.borrow_mut().take();
        let mut seq = s.serialize_seq(None)?;
        for x in items.into_iter().flatten() {
            seq.serialize_element(&x.map_err(Z::Error::custom)?)?;
        }
        seq.end()
    }
}

struct Json<'a>(&'a dyn ReportSource);

impl Serialize for Json<'_> {
    fn serialize<Z: Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        let r = self.0;
        let mut st = s.serialize_struct("Report", 7)?;
        st.serialize_field("documents", &Seq::new(r.documents()))?;
        st.serialize_field("events", &Seq::new(r.events()))?;
        st.serialize_field("claims", &Seq::new(r.claims()))?;
        st.serialize_field("disagreements", &Seq::new(r.disagreements()))?;
        st.serialize_field("timeline", &Seq::new(r.timeline()))?;
        st.serialize_field("clusters", &Seq::new(r.clusters()))?;
        st.serialize_field("summary", &Seq::new(r.summary()))?;
        st.end()
    }
}

/// Write the report as pretty-printed JSON (keys `documents, events,
/// claims, disagreements, timeline, clusters, summary`), item by item.
pub fn write_json<W: io::Write>(r: &dyn ReportSource, w: W) -> Result<(), Error> {
    let mut ser = serde_json::Serializer::pretty(w);
    Json(r).serialize(&mut ser)?;
    Ok(())
}

/// A `fmt::Write` over an `io::Write`, keeping the first I/O error.
pub struct FmtIo<W: io::Write> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: io::Write> FmtIo<W> {
    /// Wrap `inner`.
    pub fn new(inner: W) -> Self {
        FmtIo { inner, error: None }
    }

    /// The result of a rendering into this writer: the I/O error behind a
    /// formatting failure, if there was one.
    pub fn finish(self, r: Result<(), Error>) -> Result<W, Error> {
        match (r, self.error) {
            (Err(Error::Fmt(_)), Some(e)) => Err(Error::Io(e)),
            (Err(e), _) => Err(e),
            (Ok(()), Some(e)) => Err(Error::Io(e)),
            (Ok(()), None) => Ok(self.inner),
        }
    }
}

impl<W: io::Write> fmt::Write for FmtIo<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.inner.write_all(s.as_bytes()).map_err(|e| {
            self.error.get_or_insert(e);
            fmt::Error
        })
    }
}
