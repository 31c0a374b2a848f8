//! recognize (being implemented).
