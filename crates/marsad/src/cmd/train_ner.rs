//! `marsad train-ner`: train the statistical NER tagger and write its model.
//!
//! Defaults reproduce the committed model: train on the first 90% of
//! sentences of `../shared/ner/anercorp-train.tsv`, report F1 on the last
//! 10% (the dev split, see [`super::eval_ner`]) after every epoch, and write
//! `crates/marsad-entities/data/ner-model.bin`. Training is deterministic
//! (fixed shuffle seed; corpus counts do not depend on thread order).
//!
//! Three steps: (1) a context tagger is trained on the training sentences;
//! (2) it labels the unlabelled corpus (`--corpus`, by default the ANT news
//! corpus in `../shared/corpus`), whose per-word label counts become the
//! corpus-types lexicon (`marsad_entities::tagger::corpus_types`); (3) the
//! tagger is trained with that lexicon, which is saved inside the model.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use std::ops::ControlFlow;

use anyhow::Context;
use marsad_entities::tagger::{
    ContextTagger, CorpusTypes, CorpusTypesBuilder, TrainOptions, train, train_context,
};
use rayon::prelude::*;

use super::eval_ner::{DEV_TENTH, Split, print_scores, read_conll, score, select};

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
    /// With `--dev-split last`: which contiguous tenth of the first file is
    /// held out (0–9; 9, the last, gives the committed model).
    #[arg(long, default_value_t = DEV_TENTH as u8, value_parser = clap::value_parser!(u8).range(0..=9))]
    dev_tenth: u8,
    /// Drop features whose averaged weights are all below this.
    #[arg(long, default_value_t = TrainOptions::default().min_weight)]
    min_weight: f32,
    /// Unlabelled news (any input marsad reads) for the corpus-types
    /// lexicon; may be repeated.
    #[arg(long, default_value = "../shared/corpus/ant-multisource.jsonl.gz")]
    corpus: Vec<PathBuf>,
    /// Train without the corpus-types lexicon.
    #[arg(long)]
    no_corpus: bool,
}

/// Label every document of `paths` with the context tagger and count.
fn count_corpus(ctx: &ContextTagger, paths: &[PathBuf]) -> anyhow::Result<CorpusTypesBuilder> {
    const BATCH: usize = 512;
    let opts = marsad_ingest::Options {
        dedup: false,
        ..Default::default()
    };
    let mut total = CorpusTypesBuilder::new();
    let mut batch: Vec<marsad_ingest::Document> = Vec::with_capacity(BATCH);
    let mut error: Option<anyhow::Error> = None;
    let count = |batch: &[marsad_ingest::Document]| -> CorpusTypesBuilder {
        batch
            .par_iter()
            .fold(CorpusTypesBuilder::new, |mut b, d| {
                if let Some(t) = &d.title {
                    ctx.count(&marsad_text::analyze(t), &mut b);
                }
                ctx.count(&marsad_text::analyze(&d.text), &mut b);
                b.documents += 1;
                b
            })
            .reduce(CorpusTypesBuilder::new, |mut a, b| {
                a.merge(b);
                a
            })
    };
    marsad_ingest::read_inputs(paths, &opts, &mut |item| {
        match item {
            Ok(d) => {
                batch.push(d);
                if batch.len() >= BATCH {
                    total.merge(count(&batch));
                    batch.clear();
                }
            }
            Err(e) => {
                error = Some(anyhow::anyhow!("corpus: {e}"));
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    });
    if let Some(e) = error {
        return Err(e);
    }
    total.merge(count(&batch));
    if total.documents == 0 {
        anyhow::bail!(
            "no documents in the corpus ({}); pass --corpus or --no-corpus",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    eprintln!("corpus: {} documents", total.documents);
    Ok(total)
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
            dev_sents = select(s.clone(), dv, args.dev_tenth as usize);
            train_sents.extend(select(s, tr, args.dev_tenth as usize));
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
    };
    let t0 = Instant::now();
    let types = if args.no_corpus {
        CorpusTypes::empty()
    } else {
        let ctx = train_context(&train_sents, &opts);
        eprintln!(
            "context tagger trained [{:.1}s]; labelling the corpus",
            t0.elapsed().as_secs_f64()
        );
        let b = count_corpus(&ctx, &args.corpus)?;
        let types = b.finish();
        eprintln!(
            "corpus types: {} bases [{:.1}s]",
            types.len(),
            t0.elapsed().as_secs_f64()
        );
        types
    };
    let tagger = train(&train_sents, &dev_sents, types, &opts, |r| {
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
            "epoch {:>2}: {}/{} sentences wrong  {}  [{:.1}s]",
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
