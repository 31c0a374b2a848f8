//! # marsad-ingest: reading what analysts actually have
//!
//! (Module overview to be completed by the ingest implementation.)

use serde::{Deserialize, Serialize};

/// One article, as read from any input format, cleaned of web residue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the id given by the input, else a content hash.
    pub id: String,
    /// Title, when the input has one.
    pub title: Option<String>,
    /// Outlet or agency that published it.
    pub source: Option<String>,
    /// Address of the article.
    pub url: Option<String>,
    /// Publication date/time, ISO 8601 (`2023-12-31` or `2023-12-31T10:00:00+00:00`).
    pub published: Option<String>,
    /// The cleaned article text. All offsets in marsad refer to this string.
    pub text: String,
    /// Id of the first copy when this document is an exact or near duplicate.
    pub duplicate_of: Option<String>,
    /// Links removed from the text (bare URLs).
    pub links: Vec<String>,
    /// Other input fields and cleaning by-products (captions, credits).
    pub metadata: serde_json::Map<String, serde_json::Value>,
    /// Where it came from: file path, and line number for JSONL.
    pub origin: String,
}
