//! One module per subcommand.

pub mod analyze;
pub mod eval;
pub mod ingest;
pub mod normalize;
pub mod search;
pub mod views;
