//! # marsad-entities: who and where, and who says so
//!
//! Given a document analysed by `marsad-text`, this crate finds its named
//! entities (persons, organizations, places, facilities, groups), links the
//! repeated and shortened mentions of each, puts places on the map, and says
//! for every sentence who the source of its statements is.
//!
//! ```no_run
//! use marsad_entities::recognize::Recognizer;
//! use marsad_entities::attribution::{attribute, attribution_for};
//! let text = marsad_text::analyze("وقال وزير الخارجية المالي عبد الله ديوب للصحافيين في باماكو إن ...");
//! let mentions = Recognizer::get().recognize(&text);
//! let attrs = attribute(&text, &mentions, Some("موقع المثال"));
//! let who = attribution_for(&attrs, 40, 0);
//! ```
//!
//! ## Pipeline
//! 1. [`gazetteer`]: data tables (countries with nisba forms, GeoNames
//!    places, regions, organizations, groups, titles, facility heads) and one
//!    trie of whole words over the documents' normalized tokens,
//!    clitic-aware (`بباماكو`, `للأمم المتحدة`).
//! 2. [`tagger`]: the statistical BIO tagger (persons, unknown organizations
//!    and places).
//! 3. [`recognize`]: combines both, attaches titles to persons, recognizes
//!    facilities, links mentions within the document and gives ids
//!    (gazetteer ids such as `org:minusma`, `gpe:ML`, `geo:2460596`, else
//!    `doc:pers:1`).
//! 4. [`geo`]: coordinates, country, admin1 and ACLED precision for places,
//!    disambiguated by the document's countries, with transliteration
//!    (consonant skeletons) for towns GeoNames only knows in Latin script.
//! 5. [`attribution`]: reporting verbs, according-to cues, anonymous
//!    sources, channels, quotes, stance; the article's outlet by default.
//!
//! [`recognize::Recognizer::gazetteer_only`] runs steps 1 and 3–4 without
//! the tagger (about 10 MB/s on one core). With the tagger, `marsad bench`
//! over the whole ANT corpus in one pass measures 6.0 MB/s on one core of
//! a quiet 2-core machine, after the text layer; over only its first 3,000
//! articles 4.0 MB/s, as the per-thread word caches of the tagger are still
//! filling.
//!
//! ## Conventions
//! All offsets are byte offsets into the analysed text. Entity spans exclude
//! attached conjunctions and prepositions (`بباماكو` → `باماكو`) but keep
//! the article.
//!
//! ## What this crate does not do
//! No I/O: every table is embedded at compile time (`data/`), training and
//! evaluation files are read by the `marsad` binary. It does not resolve
//! entities across documents (that is `marsad-insight`'s job) and does not
//! decide what a sentence reports (events and claims are `marsad-extract`'s).

use serde::{Deserialize, Serialize};

/// Entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    /// Person.
    Pers,
    /// Organization.
    Org,
    /// Geo-political entity.
    Gpe,
    /// Location without government.
    Loc,
    /// Facility.
    Fac,
    /// Nationality, religious or political group.
    Norp,
}

/// A place resolved to coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// First-level admin region, when known.
    pub admin1: Option<String>,
    /// ACLED geo precision: 1 town, 2 near/small area, 3 region.
    pub geo_precision: u8,
    /// How it was resolved (`gazetteer-arabic`, `transliteration`, `country`, ...).
    pub resolved_by: String,
}

/// One entity mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    /// Type.
    pub etype: EntityType,
    /// Byte offset in the original text.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// Canonical name (document-level entity).
    pub canonical: String,
    /// Entity id (gazetteer id where known, else document-local).
    pub id: String,
    /// Title or role attached to a person (`وزير الخارجية`).
    pub title: Option<String>,
    /// Coordinates for places.
    pub place: Option<Place>,
}

/// Kind of source of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceType {
    /// Named person.
    Person,
    /// Organization (government, army, armed group, UN body).
    Organization,
    /// News agency.
    Agency,
    /// Outlet (the article's own or another).
    Outlet,
    /// Anonymous source.
    Anonymous,
}

/// The stance a reporting verb carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// Plain statement.
    States,
    /// Claim (زعم، ادعى).
    Claims,
    /// Confirmation (أكد، اعترف).
    Confirms,
    /// Denial (نفى).
    Denies,
}

/// Who says what in a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// Byte span of the source mention (or of the cue when anonymous/default).
    pub start: usize,
    /// End of that span.
    pub end: usize,
    /// Source as written.
    pub source_text: String,
    /// Kind of source.
    pub source_type: SourceType,
    /// Entity id of the source, when it is an entity.
    pub source_id: Option<String>,
    /// Reporting verb or cue (`قال`, `بحسب`), when any.
    pub verb: Option<String>,
    /// Stance.
    pub stance: Stance,
    /// Channel (`في بيان`, `على تيليجرام`).
    pub channel: Option<String>,
    /// Index of the sentence it covers.
    pub sentence: usize,
    /// Byte span of the attributed content (quote or clause).
    pub content: (usize, usize),
}

pub mod attribution;
pub mod gazetteer;
pub mod geo;
pub mod recognize;
pub mod tagger;
