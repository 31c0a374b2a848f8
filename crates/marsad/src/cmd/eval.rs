//! `marsad eval`: accuracy of each extraction stage on labelled data.

use std::process::ExitCode;

/// Arguments of `marsad eval`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.what {}
}
