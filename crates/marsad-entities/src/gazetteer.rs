//! gazetteer (being implemented).
