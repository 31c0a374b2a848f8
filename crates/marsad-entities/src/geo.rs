//! geo (being implemented).
