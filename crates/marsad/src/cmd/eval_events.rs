//! `marsad eval events FILE`: event-type precision/recall/F1, argument
//! accuracy and claim scores on a labelled JSONL file (format in
//! `marsad_extract::eval`; our gold set is `testdata/events/gold.jsonl`).

use std::process::ExitCode;

use anyhow::Context;

/// Arguments of `marsad eval events`.
#[derive(clap::Args)]
pub struct Args {
    /// Labelled JSON Lines file.
    file: std::path::PathBuf,
    /// Also list every mismatch.
    #[arg(long)]
    failures: bool,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let s = std::fs::read_to_string(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?;
    let cases = marsad_extract::eval::parse_gold(&s)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let rep = marsad_extract::eval::evaluate(&cases);
    print!("{}", rep.summary());
    if args.failures {
        for f in &rep.failures {
            println!("  {f}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
