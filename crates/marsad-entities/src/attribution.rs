//! attribution (being implemented).
