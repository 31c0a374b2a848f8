//! Statistical named-entity tagger (being implemented).
