//! Building a report in memory that stays flat in the number of articles.
//!
//! A [`ReportBuilder`] takes one [`DocDigest`] at a time and splits it in
//! two:
//!
//! - the **keys** the cross-document stages decide on, kept in memory:
//!   the document's id and publication day, and for each event mention and
//!   claim its type, date span, place and actor keys, subject, measure and
//!   scope keys and figures — names interned once for the whole report
//!   (`Strings`), numbers as numbers — plus, for the whole input, the
//!   number of documents each term is in (for TF-IDF);
//! - the **bulky parts** only a rendering or one stage needs (sentence
//!   texts, whole claim records, titles and addresses, summary candidates,
//!   the capped term vector), handed to a [`Spill`] at once
//!   ([`crate::spill`]).
//!
//! [`ReportBuilder::build`] then runs the stages ([`crate::merge`],
//! [`crate::disagree`], [`crate::cluster`] — which reads the term vectors
//! back a few days of publication at a time — and [`crate::summary`]) and
//! returns a [`CompactReport`]: what the report decided (merged events as
//! lists of mentions, disagreements as lists of claims, the timeline's
//! order, the clusters), from which every part of the [`Report`] is put
//! together one item at a time, reading its texts back from the spill
//! ([`crate::source::ReportSource`]). The renderings stream from it, so
//! neither the report nor its rendering is ever whole in memory.
//!
//! What stays in memory grows with the number of articles by about 100
//! bytes a document, 100 bytes an event mention and 100 bytes a claim
//! (about 1 KB an article on the ANT corpus), plus the document
//! frequencies, which grow with the vocabulary rather than the number of
//! articles. Measured with `marsad report --format json` over the first
//! 3,000 / 10,000 / all 31,525 ANT articles: peak RSS 96 / 117 / 177 MB
//! for the whole command, of which about 1.5 KB an article is the ingest
//! stage's near-duplicate index (before this builder: 132 / 261 / 617 MB).

use std::num::NonZeroU32;
use std::sync::Arc;

use marsad_extract::EventStatus;
use rustc_hash::FxHashMap;

use crate::cluster::Label;
use crate::digest::DocDigest;
use crate::merge::{DateSpan, Level, Rep};
use crate::range::{Bound, Interval};
use crate::reconcile::FigureReport;
use crate::spill::{EventText, Slot, Spill};
use crate::{
    ClaimRecord, Cluster, ClusterSummary, DocumentInfo, MergedEvent, Report, TimelineEntry,
};

/// An interned string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Sym(NonZeroU32);

/// The report's string table: every name, key and label once.
#[derive(Debug, Default)]
pub(crate) struct Strings {
    map: FxHashMap<Arc<str>, Sym>,
    list: Vec<Arc<str>>,
}

impl Strings {
    /// The symbol of `s`, adding it if new.
    pub(crate) fn intern(&mut self, s: &str) -> Sym {
        if let Some(&x) = self.map.get(s) {
            return x;
        }
        let a: Arc<str> = Arc::from(s);
        let n = u32::try_from(self.list.len() + 1).unwrap_or(u32::MAX);
        let x = Sym(NonZeroU32::new(n).unwrap_or(NonZeroU32::MAX));
        self.list.push(a.clone());
        self.map.insert(a, x);
        x
    }

    /// The text of a symbol.
    pub(crate) fn get(&self, x: Sym) -> &str {
        self.list
            .get(x.0.get() as usize - 1)
            .map_or("", |s| s.as_ref())
    }

    /// The text of an optional symbol.
    pub(crate) fn opt(&self, x: Option<Sym>) -> Option<String> {
        x.map(|x| self.get(x).to_string())
    }
}

/// An optional number in 8 bytes (NaN stands for none; a NaN figure and no
/// figure print the same, `null`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OptF64(f64);

impl OptF64 {
    pub(crate) fn new(v: Option<f64>) -> Self {
        OptF64(v.unwrap_or(f64::NAN))
    }
    pub(crate) fn get(self) -> Option<f64> {
        (!self.0.is_nan()).then_some(self.0)
    }
}

/// What the report keeps in memory of a document.
#[derive(Debug)]
pub(crate) struct DocMeta {
    pub(crate) id: Box<str>,
    pub(crate) duplicate_of: Option<Box<str>>,
    pub(crate) has_title: bool,
    pub(crate) info: Slot,
    /// Summary candidates (none when the document has none).
    pub(crate) sentences: Option<Slot>,
    /// Term vector (none when the document has no terms).
    pub(crate) terms: Option<Slot>,
    /// Publication day, as a day number (`NaiveDate::num_days_from_ce`).
    pub(crate) date: Option<i32>,
    /// Range of its mentions in [`CompactReport::mentions`].
    pub(crate) mentions: (u32, u32),
}

/// A date as the merge compares it and the report prints it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MDate {
    pub(crate) span: DateSpan,
    /// The date's value (`2024-09-17`).
    pub(crate) value: Sym,
    pub(crate) precision: u8,
}

/// A place as the merge compares it and the report prints it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MPlace {
    /// Entity id.
    pub(crate) id: Option<Sym>,
    /// Name in search form (none when empty).
    pub(crate) form: Option<Sym>,
    /// Country and first-level region (from the resolved place).
    pub(crate) country: Option<Sym>,
    pub(crate) admin1: Option<Sym>,
    pub(crate) level: Level,
    /// Geo precision for ranking (4 without a resolved place).
    pub(crate) precision: u8,
    /// Name as written.
    pub(crate) name: Sym,
    /// Latitude, longitude and ACLED geo precision of the resolved place.
    pub(crate) geo: Option<(f64, f64, u8)>,
}

/// An event figure of one mention (`FigureReport` without its document,
/// sentence and source, which are the mention's).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fig {
    pub(crate) low: Option<f64>,
    pub(crate) best: Option<f64>,
    pub(crate) high: Option<f64>,
    pub(crate) open_high: bool,
    pub(crate) conservative: Option<f64>,
}

/// One event mention.
#[derive(Debug)]
pub(crate) struct Mention {
    pub(crate) doc: u32,
    /// Index in the document's `events`.
    pub(crate) local: usize,
    pub(crate) sentence: usize,
    /// Trigger start (bytes), for the stable id.
    pub(crate) start: usize,
    pub(crate) ty: Sym,
    pub(crate) sub: Sym,
    /// Its type merges only within one sub-event type
    /// (`marsad_extract::lexicon::sub_type_separates`).
    pub(crate) sub_separates: bool,
    pub(crate) disorder: Sym,
    pub(crate) background: bool,
    pub(crate) date: Option<MDate>,
    pub(crate) place: Option<Box<MPlace>>,
    pub(crate) actor1: Option<Sym>,
    pub(crate) actor2: Option<Sym>,
    /// Actors in search form, distinct, non-empty.
    pub(crate) forms: [Option<Sym>; 2],
    pub(crate) source: Sym,
    /// Killed, injured, arrested.
    pub(crate) figs: Option<Box<[Option<Fig>; 3]>>,
    pub(crate) text: Slot,
    /// Merged event.
    pub(crate) merged: u32,
}

/// One claim.
#[derive(Debug)]
pub(crate) struct CClaim {
    pub(crate) doc: u32,
    pub(crate) subject: Sym,
    pub(crate) subject_id: Option<Sym>,
    pub(crate) measure: Sym,
    pub(crate) scope_key: Sym,
    pub(crate) source: Sym,
    pub(crate) value: OptF64,
    pub(crate) low: OptF64,
    pub(crate) high: OptF64,
    pub(crate) approx: bool,
    pub(crate) bound: Option<Bound>,
    /// What the figure counts (unit class).
    pub(crate) unit: Option<Sym>,
    /// Local event index in the document.
    pub(crate) event_local: Option<usize>,
    /// Merged event.
    pub(crate) event: Option<u32>,
    /// Its sentence gives a running toll of victims
    /// (`crate::disagree::running_victims_toll`).
    pub(crate) running: bool,
    pub(crate) slot: Slot,
}

impl CClaim {
    pub(crate) fn interval(&self) -> Option<Interval> {
        crate::range::interval(
            self.value.get(),
            self.low.get(),
            self.high.get(),
            self.approx,
            self.bound,
        )
    }
}

/// A disagreement: its kind and its claims (indexes).
#[derive(Debug)]
pub(crate) struct CDis {
    pub(crate) contradiction: bool,
    pub(crate) claims: Vec<u32>,
}

/// A cluster: its documents (input order) and where its label comes from.
#[derive(Debug)]
pub(crate) struct CCluster {
    pub(crate) docs: Vec<u32>,
    pub(crate) label: Label,
}

/// Takes digests one at a time and builds a [`CompactReport`] (see the
/// module doc).
pub struct ReportBuilder<S: Spill> {
    spill: S,
    strings: Strings,
    docs: Vec<DocMeta>,
    mentions: Vec<Mention>,
    claims: Vec<CClaim>,
    /// Number of documents each term is in.
    df: FxHashMap<u64, u32>,
}

/// A report as decided, its texts in a [`Spill`] (see the module doc).
pub struct CompactReport<S: Spill> {
    pub(crate) spill: S,
    pub(crate) strings: Strings,
    pub(crate) docs: Vec<DocMeta>,
    pub(crate) mentions: Vec<Mention>,
    pub(crate) reps: Vec<Rep>,
    pub(crate) claims: Vec<CClaim>,
    pub(crate) disagreements: Vec<CDis>,
    /// Merged events on the timeline, in order.
    pub(crate) timeline: Vec<u32>,
    pub(crate) clusters: Vec<CCluster>,
    pub(crate) summary: Vec<ClusterSummary>,
}

impl<S: Spill> ReportBuilder<S> {
    /// A builder keeping the bulky parts in `spill`.
    pub fn new(spill: S) -> Self {
        ReportBuilder {
            spill,
            strings: Strings::default(),
            docs: Vec::new(),
            mentions: Vec::new(),
            claims: Vec::new(),
            df: FxHashMap::default(),
        }
    }

    /// Documents pushed so far.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// No document pushed yet?
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Add one document's digest: its keys stay, its texts go to the spill.
    pub fn push(&mut self, d: DocDigest) -> Result<(), S::Error> {
        let di = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        let st = &mut self.strings;
        let info = self.spill.put_info(&d.info)?;
        let sentences = if d.sentences.is_empty() {
            None
        } else {
            Some(self.spill.put_sentences(&d.sentences)?)
        };
        let m0 = self.mentions.len() as u32;
        for e in &d.events {
            let text = self.spill.put_event(&EventText {
                text: e.text.clone(),
                trigger: e.trigger.clone(),
            })?;
            let date = e.date.as_ref().and_then(|v| {
                let span = crate::merge::date_span(v)?;
                Some(MDate {
                    span,
                    value: st.intern(v.value.as_deref()?),
                    precision: v.time_precision,
                })
            });
            let place = e
                .location
                .as_ref()
                .map(|l| Box::new(crate::merge::place_of(l, st)));
            let mut forms = [None, None];
            let mut n = 0;
            for a in [&e.actor1, &e.actor2].into_iter().flatten() {
                let f = marsad_text::search_form(a, false);
                if f.is_empty() {
                    continue;
                }
                let f = st.intern(&f);
                if !forms.contains(&Some(f)) {
                    forms[n] = Some(f);
                    n += 1;
                }
            }
            let fig = |f: &Option<FigureReport>| {
                f.as_ref().map(|f| Fig {
                    low: f.low,
                    best: f.best,
                    high: f.high,
                    open_high: f.open_high,
                    conservative: f.conservative,
                })
            };
            let figs = [fig(&e.fatalities), fig(&e.injured), fig(&e.arrested)];
            self.mentions.push(Mention {
                doc: di,
                local: e.local,
                sentence: e.sentence,
                start: e.start,
                ty: st.intern(&e.event_type),
                sub: st.intern(&e.sub_event_type),
                sub_separates: marsad_extract::lexicon::sub_type_separates(&e.event_type),
                disorder: st.intern(&e.disorder_type),
                background: e.status == EventStatus::Background,
                date,
                place,
                actor1: e.actor1.as_deref().map(|a| st.intern(a)),
                actor2: e.actor2.as_deref().map(|a| st.intern(a)),
                forms,
                source: st.intern(&e.source),
                figs: figs.iter().any(Option::is_some).then(|| Box::new(figs)),
                text,
                merged: 0,
            });
        }
        let m1 = self.mentions.len() as u32;
        for (k, (c, ev)) in d.claims.iter().zip(&d.claim_events).enumerate() {
            let slot = self.spill.put_claim(c)?;
            let unit = d.claim_units.get(k).and_then(|u| u.as_deref());
            self.claims.push(CClaim {
                doc: di,
                subject: st.intern(&c.subject),
                subject_id: c.subject_id.as_deref().map(|s| st.intern(s)),
                measure: st.intern(&c.measure),
                scope_key: st.intern(&c.scope_key),
                source: st.intern(&c.source),
                value: OptF64::new(c.value),
                low: OptF64::new(c.low),
                high: OptF64::new(c.high),
                approx: c.approx,
                bound: c.bound,
                unit: unit.map(|u| st.intern(u)),
                event_local: *ev,
                event: None,
                running: crate::disagree::running_victims_toll(c.subject_id.as_deref(), &c.text),
                slot,
            });
        }
        for &(t, _) in &d.terms {
            *self.df.entry(t).or_default() += 1;
        }
        let terms = if d.terms.is_empty() {
            None
        } else {
            Some(self.spill.put_terms(&d.terms)?)
        };
        let published = d.info.published.as_deref();
        let date = published.and_then(crate::disagree::day_number);
        self.docs.push(DocMeta {
            id: d.info.id.as_str().into(),
            duplicate_of: d.info.duplicate_of.as_deref().map(Into::into),
            has_title: d.info.title.is_some(),
            info,
            sentences,
            terms,
            date,
            mentions: (m0, m1),
        });
        Ok(())
    }

    /// Run the cross-document stages.
    pub fn build(self) -> Result<CompactReport<S>, S::Error> {
        let ReportBuilder {
            mut spill,
            strings,
            docs,
            mut mentions,
            mut claims,
            df,
        } = self;
        spill.seal()?;
        let reps = crate::merge::merge_events(&mut mentions);
        for c in &mut claims {
            c.event = c.event_local.and_then(|l| {
                let (a, b) = docs.get(c.doc as usize)?.mentions;
                mentions
                    .get(a as usize..b as usize)?
                    .iter()
                    .find(|m| m.local == l)
                    .map(|m| m.merged)
            });
        }
        let disagreements = crate::disagree::compact(&claims, &docs, &strings);
        let timeline = crate::merge::timeline_order(&reps, &mentions, &docs);
        let same_story = crate::merge::same_story_docs(&reps, &mentions, &docs);
        let idf = crate::cluster::Idf { df, n: docs.len() };
        let clusters = crate::cluster::clusters(&docs, &idf, &same_story, &spill)?;
        let summary = crate::summary::summaries(&docs, &clusters, &idf, &spill)?;
        Ok(CompactReport {
            spill,
            strings,
            docs,
            mentions,
            reps,
            claims,
            disagreements,
            timeline,
            clusters,
            summary,
        })
    }
}

/// The number of items in each part of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Documents.
    pub documents: usize,
    /// Merged events.
    pub events: usize,
    /// Claims.
    pub claims: usize,
    /// Disagreements.
    pub disagreements: usize,
    /// Timeline entries.
    pub timeline: usize,
    /// Clusters.
    pub clusters: usize,
    /// Summaries.
    pub summary: usize,
}

impl<S: Spill> CompactReport<S> {
    /// How many items each part has.
    pub fn counts(&self) -> Counts {
        Counts {
            documents: self.docs.len(),
            events: self.reps.len(),
            claims: self.claims.len(),
            disagreements: self.disagreements.len(),
            timeline: self.timeline.len(),
            clusters: self.clusters.len(),
            summary: self.summary.len(),
        }
    }

    /// Document `i`.
    pub fn document(&self, i: usize) -> Result<DocumentInfo, S::Error> {
        match self.docs.get(i) {
            Some(d) => self.spill.info(d.info),
            None => Ok(DocumentInfo::default()),
        }
    }

    /// Merged event `i`.
    pub fn event(&self, i: usize) -> Result<MergedEvent, S::Error> {
        crate::merge::build_event(self, i)
    }

    /// Claim `i`, with its merged event's id.
    pub fn claim(&self, i: usize) -> Result<ClaimRecord, S::Error> {
        let Some(c) = self.claims.get(i) else {
            return Ok(ClaimRecord::default());
        };
        let mut r = self.spill.claim(c.slot)?;
        r.event = c.event.map(|m| self.event_id(m as usize));
        Ok(r)
    }

    /// The id of merged event `i`.
    pub(crate) fn event_id(&self, i: usize) -> String {
        self.reps
            .get(i)
            .and_then(|r| r.members.first())
            .and_then(|&m| self.mentions.get(m as usize))
            .map(|m| {
                crate::merge::event_id(
                    self.docs.get(m.doc as usize).map_or("", |d| &d.id),
                    m.sentence,
                    m.start,
                )
            })
            .unwrap_or_default()
    }

    /// Disagreement `i`.
    pub fn disagreement(&self, i: usize) -> Result<crate::Disagreement, S::Error> {
        crate::disagree::build_disagreement(self, i)
    }

    /// Timeline entry `i`.
    pub fn timeline_entry(&self, i: usize) -> Result<TimelineEntry, S::Error> {
        crate::merge::build_timeline_entry(self, i)
    }

    /// Cluster `i`.
    pub fn cluster(&self, i: usize) -> Result<Cluster, S::Error> {
        let Some(c) = self.clusters.get(i) else {
            return Ok(Cluster {
                id: i,
                label: None,
                docs: Vec::new(),
            });
        };
        Ok(Cluster {
            id: i,
            label: crate::cluster::label_text(self, &c.label)?,
            docs: c
                .docs
                .iter()
                .filter_map(|&d| self.docs.get(d as usize))
                .map(|d| d.id.to_string())
                .collect(),
        })
    }

    /// Summary `i`.
    pub fn summary(&self, i: usize) -> Option<&ClusterSummary> {
        self.summary.get(i)
    }

    /// The whole report in memory.
    pub fn to_report(&self) -> Result<Report, S::Error> {
        let n = self.counts();
        Ok(Report {
            documents: (0..n.documents)
                .map(|i| self.document(i))
                .collect::<Result<_, _>>()?,
            events: (0..n.events)
                .map(|i| self.event(i))
                .collect::<Result<_, _>>()?,
            claims: (0..n.claims)
                .map(|i| self.claim(i))
                .collect::<Result<_, _>>()?,
            disagreements: (0..n.disagreements)
                .map(|i| self.disagreement(i))
                .collect::<Result<_, _>>()?,
            timeline: (0..n.timeline)
                .map(|i| self.timeline_entry(i))
                .collect::<Result<_, _>>()?,
            clusters: (0..n.clusters)
                .map(|i| self.cluster(i))
                .collect::<Result<_, _>>()?,
            summary: self.summary.clone(),
        })
    }
}
