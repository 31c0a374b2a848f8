//! `marsad search`: search the workspace in Arabic as you spell it.
//!
//! Opens the store read-only (it can run while an ingest is writing).
//! `--json` prints `{"total": N, "results": [{"id", "title", "source",
//! "published", "score", "snippet"}]}` with `<b>…</b>` around matches in
//! the snippet; text mode prints a numbered list with matches in bold on a
//! terminal and between `[` `]` otherwise.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use marsad_store::{Query, Store};

/// Arguments of `marsad search`.
#[derive(clap::Args)]
pub struct Args {
    /// Query: words (all required), "quoted phrases", -excluded words.
    #[arg(required = true, num_args = 1..)]
    query: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Number of results.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Only documents from this source.
    #[arg(long)]
    source: Option<String>,
    /// Only documents published on or after this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Only documents published on or before this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// Only documents mentioning this entity (id or name).
    #[arg(long)]
    entity: Option<String>,
    /// Only documents reporting an event of this type.
    #[arg(long)]
    event_type: Option<String>,
}

/// Turn a snippet's markup into plain text (`[`…`]` or ANSI bold).
fn plain_snippet(s: &str, bold: bool) -> String {
    let (open, close) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    s.replace("<b>", open)
        .replace("</b>", close)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Run the command.
pub fn run(args: Args, data: &Path) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(data)
        .with_context(|| format!("opening the workspace {}", data.display()))?;
    let q = Query {
        text: args.query.join(" "),
        limit: args.limit,
        source: args.source,
        from: args.from,
        to: args.to,
        entity: args.entity,
        event_type: args.event_type,
        ..Query::default()
    };
    let res = store.search(&q).context("searching")?;
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            total: usize,
            results: &'a [marsad_store::Hit],
        }
        let v = serde_json::to_string(&Out {
            total: res.total,
            results: &res.results,
        })?;
        writeln!(out, "{v}")?;
    } else {
        writeln!(out, "{} result(s)", res.total)?;
        for (i, h) in res.results.iter().enumerate() {
            let mut meta = Vec::new();
            if let Some(s) = &h.source {
                meta.push(s.clone());
            }
            if let Some(p) = &h.published {
                meta.push(p.clone());
            }
            writeln!(
                out,
                "\n{}. {} [{}]{}  (score {:.2})",
                i + 1,
                h.title.as_deref().unwrap_or("(untitled)"),
                h.id,
                if meta.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", meta.join(", "))
                },
                h.score
            )?;
            writeln!(out, "   {}", plain_snippet(&h.snippet, tty))?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_markup_becomes_plain_text() {
        assert_eq!(
            plain_snippet("a <b>b</b> &lt;c&gt; &amp;", false),
            "a [b] <c> &"
        );
    }
}
