//! `marsad eval`: accuracy of each extraction stage on labelled data.

use std::process::ExitCode;

/// Arguments of `marsad eval`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Figures and dates: accuracy per dimension on Duckling's Arabic corpus (DIR/*.jsonl).
    Duckling(super::eval_figures::Args),
    /// Dates: TIMEX3 span recall/precision and value accuracy on TimeML files (DIR/*.tml).
    Timeml(super::eval_figures::Args),
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Duckling(a) => super::eval_figures::duckling(a),
        What::Timeml(a) => super::eval_figures::timeml(a),
    }
}
