//! `marsad tag`: label tokens with the NER tagger.
//!
//! `--format conll` reads CoNLL tokens on stdin (first column; blank line
//! between sentences) and prints `token<TAB>tag` with ANERcorp's tags (B-/I-
//! PERS, LOC, ORG, MISC, and O), a blank line after each sentence. `--format
//! text` reads running text, splits it with the text layer and prints the
//! same table. How marsad's entity types map onto these tags is documented
//! in `marsad_entities::tagger`.

use std::io::{Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use marsad_entities::tagger::Tagger;

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One token per line (first column), blank line between sentences.
    Conll,
    /// Running text.
    Text,
}

/// Arguments of `marsad tag`.
#[derive(clap::Args)]
pub struct Args {
    /// Input format on stdin.
    #[arg(long, value_enum, default_value = "conll")]
    format: Format,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let tagger = Tagger::builtin()?;
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading stdin")?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Conll => {
            let mut sents: Vec<Vec<&str>> = vec![Vec::new()];
            for line in input.lines() {
                match line.split(['\t', ' ']).find(|c| !c.is_empty()) {
                    Some(w) => sents.last_mut().map_or((), |s| s.push(w)),
                    None if sents.last().is_some_and(|s| !s.is_empty()) => sents.push(Vec::new()),
                    None => {}
                }
            }
            sents.retain(|s| !s.is_empty());
            for (words, labels) in sents.iter().zip(tagger.tag_word_sentences(&sents)) {
                for (w, l) in words.iter().zip(labels) {
                    writeln!(out, "{w}\t{l}")?;
                }
                writeln!(out)?;
            }
        }
        Format::Text => {
            let text = marsad_text::analyze(&input);
            for (i, labels) in tagger.tag_text(&text).into_iter().enumerate() {
                for (t, l) in text.sentence_tokens(i).iter().zip(labels) {
                    writeln!(out, "{}\t{l}", text.token_text(t))?;
                }
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
