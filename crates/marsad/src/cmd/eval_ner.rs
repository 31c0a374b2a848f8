//! `marsad eval ner FILE`: precision, recall and F1 per type and overall
//! (exact span match, conlleval style) of the NER tagger on a CoNLL file.
//!
//! Also holds the CoNLL reader and the deterministic dev split shared with
//! `marsad train-ner`: the dev split of a file is its LAST tenth of
//! sentences (document-contiguous, so names of a dev article are not seen
//! in training the way a random sentence split would allow). `--dev-tenth K`
//! holds out the K-th tenth instead (0–9; 9 is the last), for
//! cross-validation: train with `marsad train-ner --dev-tenth K --out M`,
//! score with `marsad eval ner FILE --split dev --dev-tenth K --model M`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use marsad_entities::tagger::{NerClass, NerLabel, Scores, Tagger, TrainSentence, evaluate};

/// The committed model's dev tenth: the last.
pub const DEV_TENTH: usize = 9;

/// Which part of a file to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    /// Every sentence.
    All,
    /// Every sentence but the dev tenth (by default the first 90%).
    Train,
    /// The dev tenth of sentences (by default the last 10%: the committed
    /// model's dev split).
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
    /// Which contiguous tenth of the file is the dev split (0–9).
    #[arg(long, default_value_t = DEV_TENTH as u8, value_parser = clap::value_parser!(u8).range(0..=9))]
    dev_tenth: u8,
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

/// The sentence range of tenth `k` (0–9) of `n` sentences; the last tenth
/// is the last `n / 10` sentences.
pub fn tenth(n: usize, k: usize) -> std::ops::Range<usize> {
    n - (10 - k) * n / 10..n - (9 - k) * n / 10
}

/// The `split` part of `sents`, with tenth `dev_tenth` as the dev split.
pub fn select(mut sents: Vec<TrainSentence>, split: Split, dev_tenth: usize) -> Vec<TrainSentence> {
    let dev = tenth(sents.len(), dev_tenth);
    match split {
        Split::All => sents,
        Split::Train => {
            sents.drain(dev);
            sents
        }
        Split::Dev => sents.drain(dev).collect(),
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

/// Tag `sents` with `tagger` and score against their labels.
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
    let sents = select(read_conll(&args.file)?, args.split, args.dev_tenth as usize);
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
    let which = match args.split {
        Split::Train | Split::Dev if args.dev_tenth as usize != DEV_TENTH => {
            format!("{:?} split, dev tenth {}", args.split, args.dev_tenth)
        }
        _ => format!("{:?} split", args.split),
    };
    println!(
        "{} ({which}): {} sentences",
        args.file.display(),
        sents.len()
    );
    print_scores(&s, &mut std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}
