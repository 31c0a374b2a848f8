//! `marsad train-ner`: train the statistical NER tagger and write its model.
//!
//! Defaults reproduce the committed model: train on the first 90% of
//! sentences of `../shared/ner/anercorp-train.tsv`, report F1 on the last
//! 10% (the dev split, see [`super::eval_ner`]) after every epoch, and write
//! `crates/marsad-entities/data/ner-model.bin`. Training is deterministic
//! (fixed shuffle seed).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use marsad_entities::tagger::{TrainOptions, train};

use super::eval_ner::{Split, print_scores, read_conll, score, select};

/// Arguments of `marsad train-ner`.
#[derive(clap::Args)]
pub struct Args {
    /// Training file(s) in CoNLL form, or directories of `*.txt` CoNLL
    /// files (AQMAR). Without `--dev`, the first file's last 10% of
    /// sentences is held out as the dev split and not trained on.
    #[arg(long, default_value = "../shared/ner/anercorp-train.tsv")]
    train: Vec<PathBuf>,
    /// Separate dev file (then every training sentence is used).
    #[arg(long)]
    dev: Option<PathBuf>,
    /// Train on the first file's dev split too (no dev scores).
    #[arg(long)]
    no_dev: bool,
    /// Where to write the model.
    #[arg(long, default_value = "crates/marsad-entities/data/ner-model.bin")]
    out: PathBuf,
    /// Passes over the training data.
    #[arg(long, default_value_t = TrainOptions::default().epochs)]
    epochs: usize,
    /// Shuffle seed.
    #[arg(long, default_value_t = TrainOptions::default().seed)]
    seed: u64,
    /// How the first training file is split when there is no `--dev`:
    /// `last` (last 10% of sentences, document-contiguous: the committed
    /// model) or `interleaved` (every 10th sentence).
    #[arg(long, default_value = "last")]
    dev_split: DevSplit,
    /// Folds for the document-memory pass (below 2: one pass only).
    #[arg(long, default_value_t = TrainOptions::default().folds)]
    folds: usize,
    /// Drop features whose averaged weights are all below this.
    #[arg(long, default_value_t = TrainOptions::default().min_weight)]
    min_weight: f32,
}

/// How to carve the dev split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DevSplit {
    /// The last 10% of sentences.
    Last,
    /// Every 10th sentence.
    Interleaved,
}

/// Run the command.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut train_sents = Vec::new();
    let mut dev_sents = Vec::new();
    for (i, f) in args.train.iter().enumerate() {
        let s = read_conll(f)?;
        eprintln!("{}: {} sentences", f.display(), s.len());
        if i == 0 && args.dev.is_none() && !args.no_dev {
            let (tr, dv) = match args.dev_split {
                DevSplit::Last => (Split::Train, Split::Dev),
                DevSplit::Interleaved => (Split::TrainInterleaved, Split::DevInterleaved),
            };
            dev_sents = select(s.clone(), dv);
            train_sents.extend(select(s, tr));
        } else {
            train_sents.extend(s);
        }
    }
    if let Some(d) = &args.dev {
        dev_sents = read_conll(d)?;
    }
    eprintln!(
        "training on {} sentences, dev {} sentences",
        train_sents.len(),
        dev_sents.len()
    );
    let opts = TrainOptions {
        epochs: args.epochs,
        seed: args.seed,
        min_weight: args.min_weight,
        folds: args.folds,
    };
    let t0 = Instant::now();
    let tagger = train(&train_sents, &dev_sents, &opts, |r| {
        let dev = r
            .dev
            .map(|s| {
                format!(
                    "dev F1 {:.2} (P {:.2} R {:.2})",
                    s.overall.f1(),
                    s.overall.precision(),
                    s.overall.recall()
                )
            })
            .unwrap_or_default();
        eprintln!(
            "pass {} epoch {:>2}: {}/{} sentences wrong  {}  [{:.1}s]",
            r.pass,
            r.epoch,
            r.wrong_sentences,
            r.sentences,
            dev,
            t0.elapsed().as_secs_f64()
        );
    });
    let bytes = tagger.to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!(
        "wrote {} ({} features, {:.1} MB)",
        args.out.display(),
        tagger.n_features(),
        bytes.len() as f64 / 1e6
    );
    if !dev_sents.is_empty() {
        let s = score(&tagger, &dev_sents);
        let mut out = std::io::stdout().lock();
        writeln!(out, "dev split, saved (quantized) model:")?;
        print_scores(&s, &mut out)?;
    }
    Ok(ExitCode::SUCCESS)
}
