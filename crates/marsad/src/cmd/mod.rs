//! One module per subcommand.

pub mod analyze;
pub mod eval;
pub mod normalize;
