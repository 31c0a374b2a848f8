//! The `marsad` command: turn Arabic news articles into a searchable,
//! source-attributed record of events, figures and disagreements.
//!
//! This crate is glue: argument parsing (clap), reading inputs through
//! `marsad-ingest`, running the pure analysis crates, printing JSON, and the
//! HTTP server and web pages. Each subcommand lives in its own module under
//! `cmd/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod server;

/// marsad (مرصد): a source-attributed record of what Arabic news reports say.
///
/// Reads articles (txt, md, html, jsonl, jsonl.gz, directories, stdin),
/// finds figures, dates, names, places, sources and events, and shows where
/// reports disagree.
#[derive(Parser)]
#[command(name = "marsad", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Workspace directory (store and search index).
    #[arg(
        long,
        global = true,
        env = "MARSAD_DATA",
        default_value = "marsad-data"
    )]
    data: std::path::PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse articles and print one JSON object per document (JSON Lines).
    Analyze(cmd::analyze::Args),
    /// Whole pipeline without a store: merged events, reconciled figures,
    /// disagreements, timeline, story clusters and summaries (md, html,
    /// json, acled-csv, geojson).
    Report(cmd::report::Args),
    /// Measure the throughput of each pipeline stage on a corpus.
    Bench(cmd::bench::Args),
    /// Print the search form of each line read on stdin.
    Normalize(cmd::normalize::Args),
    /// Measure accuracy on labelled data.
    Eval(cmd::eval::Args),
    /// Parse one expression per stdin line (numbers, money, dates, ...) into Duckling-style JSON.
    Parse(cmd::parse::Args),
    /// Train the statistical NER tagger and write its model.
    TrainNer(cmd::train_ner::Args),
    /// Label tokens with the NER tagger (ANERcorp tags).
    Tag(cmd::tag::Args),
    /// Analyse articles and store them in the workspace (incremental).
    Ingest(cmd::ingest::Args),
    /// Search the workspace.
    Search(cmd::search::Args),
    /// Serve the JSON API and web pages over the workspace.
    Serve(cmd::serve::Args),
    /// Load the demo collection into a temporary workspace and serve it.
    Demo(cmd::demo::Args),
    /// Entities named across the workspace.
    Entities(cmd::views::Args),
    /// Events across the workspace, merged over reports.
    Events(cmd::views::Args),
    /// Attributed figures (claims) across the workspace.
    Figures(cmd::views::Args),
    /// Figures that reports give differently.
    Disagreements(cmd::views::Args),
    /// Dated events in order.
    Timeline(cmd::views::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(a) => cmd::analyze::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Normalize(a) => cmd::normalize::run(a),
        Command::Bench(a) => cmd::bench::run(a),
        Command::TrainNer(a) => cmd::train_ner::run(a),
        Command::Tag(a) => cmd::tag::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Parse(a) => cmd::parse::run(a),
        Command::Ingest(a) => cmd::ingest::run(a, &cli.data),
        Command::Search(a) => cmd::search::run(a, &cli.data),
        Command::Serve(a) => cmd::serve::run(a, &cli.data),
        Command::Demo(a) => cmd::demo::run(a),
        Command::Entities(a) => cmd::views::entities(a, &cli.data),
        Command::Events(a) => cmd::views::report_view(cmd::views::View::Events, a, &cli.data),
        Command::Figures(a) => cmd::views::report_view(cmd::views::View::Figures, a, &cli.data),
        Command::Disagreements(a) => {
            cmd::views::report_view(cmd::views::View::Disagreements, a, &cli.data)
        }
        Command::Timeline(a) => cmd::views::report_view(cmd::views::View::Timeline, a, &cli.data),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("marsad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
