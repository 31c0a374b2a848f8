//! `marsad normalize`: print each stdin line's search form.

use std::io::{BufRead, Write};
use std::process::ExitCode;

/// Arguments of `marsad normalize`.
#[derive(clap::Args)]
pub struct Args {
    /// Print light stems instead of normalized words.
    #[arg(long)]
    stem: bool,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| anyhow::anyhow!("reading stdin: {e}"))?;
        writeln!(out, "{}", marsad_text::search_form(&line, args.stem))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
