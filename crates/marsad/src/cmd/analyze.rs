//! `marsad analyze`: one JSON object per document.

use std::process::ExitCode;

/// Arguments of `marsad analyze`.
#[derive(clap::Args)]
pub struct Args {
    /// Files, directories, or `-` for stdin.
    #[arg(required = true)]
    paths: Vec<std::path::PathBuf>,
    /// Publication date for inputs that have none (ISO 8601).
    #[arg(long)]
    published: Option<String>,
    /// Source (outlet) for inputs that have none.
    #[arg(long)]
    source: Option<String>,
    /// Include every token.
    #[arg(long)]
    tokens: bool,
}

/// Run the command.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("analyze: being wired to ingest")
}
