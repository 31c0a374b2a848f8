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
    /// NER tagger: P/R/F1 per type and overall on a CoNLL file.
    Ner(super::eval_ner::Args),
    /// Figures and dates: accuracy per dimension on Duckling's Arabic corpus (DIR/*.jsonl).
    Duckling(super::eval_figures::Args),
    /// Dates: TIMEX3 span recall/precision and value accuracy on TimeML files (DIR/*.tml).
    Timeml(super::eval_figures::Args),
    /// Events and claims: event-type P/R/F1 and argument accuracy on labelled JSONL.
    Events(super::eval_events::Args),
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Ner(a) => super::eval_ner::run(a),
        What::Duckling(a) => super::eval_figures::duckling(a),
        What::Timeml(a) => super::eval_figures::timeml(a),
        What::Events(a) => super::eval_events::run(a),
    }
}
