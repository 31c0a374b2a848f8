//! `marsad parse`: Duckling-compatible parsing of one expression per line.
//!
//! Reads stdin, prints one JSON object per line: the parse of the whole line
//! for the chosen dimension in Duckling's JSON shape, or
//! `{"error":"no parse"}`. Dates resolve against `--ref` (default: now, in
//! the local offset).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Context;
use marsad_figures::Dim;

/// Arguments of `marsad parse`.
#[derive(clap::Args)]
pub struct Args {
    /// Dimension: number, ordinal, quantity, percent, money, duration, date.
    #[arg(long, value_parser = parse_dim)]
    dim: Dim,
    /// Reference date-time for relative dates (ISO 8601, e.g.
    /// 2013-02-12T04:30:00-02:00 or 2013-02-12).
    #[arg(long = "ref")]
    reference: Option<String>,
}

fn parse_dim(s: &str) -> Result<Dim, String> {
    Dim::from_name(s).ok_or_else(|| format!("unknown dimension `{s}`"))
}

/// Parse an ISO 8601 reference: full date-time with offset, date-time
/// without offset (UTC), or a date.
pub fn parse_reference(s: &str) -> anyhow::Result<chrono::DateTime<chrono::FixedOffset>> {
    use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d);
    }
    let utc = FixedOffset::east_opt(0).context("offset")?;
    if let Ok(d) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return utc
            .from_local_datetime(&d)
            .single()
            .context("bad reference");
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("reference `{s}` is not ISO 8601"))?;
    utc.from_local_datetime(&d.and_hms_opt(0, 0, 0).context("midnight")?)
        .single()
        .context("bad reference")
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let reference = match &args.reference {
        Some(s) => parse_reference(s)?,
        None => chrono::Local::now().fixed_offset(),
    };
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.context("reading stdin")?;
        let v = marsad_figures::parse(line.trim(), args.dim, reference)
            .unwrap_or_else(|| serde_json::json!({"error": "no parse"}));
        writeln!(out, "{v}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
