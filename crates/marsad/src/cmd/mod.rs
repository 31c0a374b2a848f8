//! One module per subcommand.

pub mod analyze;
pub mod bench;
pub mod demo;
pub mod eval;
pub mod eval_events;
pub mod eval_figures;
pub mod eval_ner;
pub mod ingest;
pub mod normalize;
pub mod parse;
pub mod progress;
pub mod report;
pub mod search;
pub mod serve;
pub mod tag;
pub mod train_ner;
pub mod views;
