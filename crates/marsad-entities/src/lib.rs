//! # marsad-entities: who and where, and who says so
//!
//! (Overview to be completed by the implementation.)

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
