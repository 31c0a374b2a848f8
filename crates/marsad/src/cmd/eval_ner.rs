//! `marsad eval ner FILE`: precision, recall and F1 per type and overall
//! (exact span match, conlleval style) of the NER tagger on a CoNLL file.
//!
//! Also holds the CoNLL reader and the deterministic dev split shared with
//! `marsad train-ner`: the dev split of a file is its LAST tenth of
//! sentences (document-contiguous, so names of a dev article are not seen
//! in training the way a random sentence split would allow).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use marsad_entities::tagger::{NerClass, NerLabel, Scores, Tagger, TrainSentence, evaluate};

/// Percentage of sentences (at the end of a file) that form the dev split.
pub const DEV_PERCENT: usize = 10;

/// Which part of a file to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    /// Every sentence.
    All,
    /// The first 90% of sentences.
    Train,
    /// The last 10% of sentences (the committed model's dev split).
    Dev,
    /// Every sentence but every 10th (the alternative, interleaved split;
    /// easier, since dev sentences share articles with training ones).
    TrainInterleaved,
    /// Every 10th sentence.
    DevInterleaved,
}

/// Arguments of `marsad eval ner`.
#[derive(clap::Args)]
pub struct Args {
    /// CoNLL file (token and tag per line, tab- or space-separated; blank
    /// line between sentences), or a directory of `*.txt` such files.
    file: PathBuf,
    /// Part of the file to evaluate on.
    #[arg(long, value_enum, default_value = "all")]
    split: Split,
    /// Evaluate this model file instead of the built-in one.
    #[arg(long)]
    model: Option<PathBuf>,
}

/// Read CoNLL sentences from a file or from every `*.txt` file of a
/// directory (in name order). The token is the first column and the tag the
/// last; unknown tags read as `O`.
pub fn read_conll(path: &Path) -> anyhow::Result<Vec<TrainSentence>> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("listing {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut out = Vec::new();
        for f in files {
            out.extend(read_conll(&f)?);
        }
        return Ok(out);
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(parse_conll(&text))
}

/// Parse CoNLL text (see [`read_conll`]).
pub fn parse_conll(text: &str) -> Vec<TrainSentence> {
    let mut out = Vec::new();
    let mut cur = TrainSentence {
        words: Vec::new(),
        labels: Vec::new(),
    };
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        let mut cols = line.split(['\t', ' ']).filter(|c| !c.is_empty());
        let Some(word) = cols.next() else {
            if !cur.words.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    TrainSentence {
                        words: Vec::new(),
                        labels: Vec::new(),
                    },
                ));
            }
            continue;
        };
        let tag = cols.next_back().unwrap_or("O");
        cur.words.push(word.to_string());
        cur.labels.push(NerLabel::parse(tag).unwrap_or(NerLabel::O));
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    out
}

/// Index of the first dev sentence among `n` sentences.
pub fn dev_start(n: usize) -> usize {
    n - n * DEV_PERCENT / 100
}

/// The `split` part of `sents`.
pub fn select(mut sents: Vec<TrainSentence>, split: Split) -> Vec<TrainSentence> {
    let d = dev_start(sents.len());
    match split {
        Split::All => sents,
        Split::Train => {
            sents.truncate(d);
            sents
        }
        Split::Dev => sents.split_off(d),
        Split::TrainInterleaved | Split::DevInterleaved => {
            let dev = split == Split::DevInterleaved;
            sents
                .into_iter()
                .enumerate()
                .filter(|(i, _)| (i % 10 == 9) == dev)
                .map(|(_, s)| s)
                .collect()
        }
    }
}

/// Tag `sents` (consecutive sentences, so the document memory sees each
/// sentence's neighbours) with `tagger` and score against their labels.
pub fn score(tagger: &Tagger, sents: &[TrainSentence]) -> Scores {
    let words: Vec<Vec<&str>> = sents
        .iter()
        .map(|s| s.words.iter().map(String::as_str).collect())
        .collect();
    let pred = tagger.tag_word_sentences(&words);
    let gold: Vec<_> = sents.iter().map(|s| s.labels.clone()).collect();
    evaluate(&gold, &pred)
}

/// Print a conlleval-style table.
pub fn print_scores(s: &Scores, out: &mut impl std::io::Write) -> std::io::Result<()> {
    writeln!(
        out,
        "tokens {}  token accuracy {:.2}%",
        s.tokens,
        s.accuracy()
    )?;
    writeln!(
        out,
        "{:<8} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}",
        "type", "P", "R", "F1", "gold", "pred", "ok"
    )?;
    let rows = NerClass::ALL
        .iter()
        .map(|c| (c.as_str(), *s.class(*c)))
        .chain([("overall", s.overall)]);
    for (name, c) in rows {
        writeln!(
            out,
            "{:<8} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6} {:>6}",
            name,
            c.precision(),
            c.recall(),
            c.f1(),
            c.gold,
            c.predicted,
            c.correct
        )?;
    }
    Ok(())
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let sents = select(read_conll(&args.file)?, args.split);
    let owned;
    let tagger = match &args.model {
        Some(p) => {
            let b = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
            owned = Tagger::from_bytes(&b).with_context(|| format!("loading {}", p.display()))?;
            &owned
        }
        None => Tagger::builtin()?,
    };
    let s = score(tagger, &sents);
    println!(
        "{} ({:?} split): {} sentences",
        args.file.display(),
        args.split,
        sents.len()
    );
    print_scores(&s, &mut std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}
