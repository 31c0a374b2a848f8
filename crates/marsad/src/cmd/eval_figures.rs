//! `marsad eval duckling` and `marsad eval timeml`: accuracy of the figure
//! and date engine (`marsad-figures`) on Duckling's Arabic test corpus and on
//! TimeML-annotated Arabic news.
//!
//! Duckling: every line of `DIR/*.jsonl` (`text`, `expected`, `dimension`,
//! `context_date`; negative examples have `expected: null`) is parsed with
//! [`marsad_figures::parse`] for its dimension. A positive example is
//! correct when every key of Duckling's answer that we model (`type`,
//! `value`, `unit`, `grain`, `product`, and `from`/`to` recursively) is
//! equal (numbers within 1e-6); a negative one when there is no parse.
//! Dimensions we do not model (phone numbers, temperature, volume) are
//! reported as skipped.
//!
//! TimeML: the `<TIMEX3>` elements of `DIR/*.tml` are the gold spans;
//! the text with the tags removed is run through [`marsad_figures::extract`]
//! with reference 2015-12-24 (the files have no creation time; the
//! annotators resolved relative dates against about that day). We report
//! span precision/recall (exact and overlapping) for our date and duration
//! figures, and value accuracy on matched `DATE` expressions with a
//! calendar value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use marsad_figures::{Dim, FigureKind};
use serde_json::Value;

/// Arguments: the data directory.
#[derive(clap::Args)]
pub struct Args {
    /// Directory of the data files.
    dir: PathBuf,
    /// List every failure (default: at most 40 per dimension).
    #[arg(long)]
    all: bool,
}

fn files(dir: &Path, ext: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    Ok(v)
}

fn same(expected: &Value, got: &Value) -> bool {
    match expected {
        Value::Object(m) => m.iter().all(|(k, ev)| {
            if !matches!(
                k.as_str(),
                "type" | "value" | "unit" | "grain" | "product" | "from" | "to"
            ) {
                return true;
            }
            got.get(k).is_some_and(|gv| same(ev, gv))
        }),
        Value::Number(a) => got
            .as_f64()
            .zip(a.as_f64())
            .is_some_and(|(g, e)| (g - e).abs() <= 1e-6 * e.abs().max(1.0)),
        other => other == got,
    }
}

/// `marsad eval duckling DIR`.
pub fn duckling(args: Args) -> anyhow::Result<ExitCode> {
    // dimension label → (correct, total, failures)
    let mut stats: BTreeMap<String, (usize, usize, Vec<String>)> = BTreeMap::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for path in files(&args.dir, "jsonl")? {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let body = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        for (ln, line) in body.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let ex: Value = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: bad JSON", path.display(), ln + 1))?;
            let text = ex["text"].as_str().unwrap_or_default();
            let dim_name = ex["dimension"].as_str().unwrap_or_default();
            let negative = ex["expected"].is_null();
            // Negative examples name the dimensions that must not parse.
            let dims: Vec<String> = if negative {
                match ex["negative_test_dimensions"].as_array() {
                    Some(a) => a
                        .iter()
                        .filter_map(|d| d.as_str().map(str::to_string))
                        .collect(),
                    None => vec![dim_name.to_string()],
                }
            } else {
                vec![dim_name.to_string()]
            };
            let reference = marsad_parse_ref(
                ex["context_date"]
                    .as_str()
                    .unwrap_or("2013-02-12T04:30:00-02:00"),
            )?;
            for d in dims {
                let Some(dim) = Dim::from_name(&d) else {
                    *skipped.entry(format!("{stem} ({d})")).or_default() += 1;
                    continue;
                };
                let label = if stem.contains("_ar_eg") {
                    format!("{d} (EG)")
                } else {
                    d.clone()
                };
                let got = marsad_figures::parse(text, dim, reference);
                let ok = if negative {
                    got.is_none()
                } else {
                    got.as_ref().is_some_and(|g| same(&ex["expected"], g))
                };
                let s = stats.entry(label).or_default();
                s.1 += 1;
                if ok {
                    s.0 += 1;
                } else {
                    s.2.push(format!(
                        "  {text}\n    expected {}\n    got      {}",
                        ex["expected"],
                        got.map_or("no parse".to_string(), |g| g.to_string())
                    ));
                }
            }
        }
    }
    let (mut c, mut t) = (0, 0);
    for (dim, (ok, total, fails)) in &stats {
        println!(
            "{dim:<16} {ok:>4}/{total:<4} {:6.1}%",
            100.0 * *ok as f64 / (*total).max(1) as f64
        );
        c += ok;
        t += total;
        let n = if args.all {
            fails.len()
        } else {
            fails.len().min(40)
        };
        for f in &fails[..n] {
            println!("{f}");
        }
    }
    println!(
        "{:<16} {c:>4}/{t:<4} {:6.1}%",
        "all",
        100.0 * c as f64 / t.max(1) as f64
    );
    for (k, n) in &skipped {
        println!("skipped (dimension not modelled): {k}: {n}");
    }
    Ok(ExitCode::SUCCESS)
}

fn marsad_parse_ref(s: &str) -> anyhow::Result<chrono::DateTime<chrono::FixedOffset>> {
    super::parse::parse_reference(s)
}

struct Timex {
    start: usize,
    end: usize,
    kind: String,
    value: String,
}

/// Strip the TimeML tags: plain text and the TIMEX3 spans (byte offsets in
/// the plain text).
fn strip_tml(src: &str) -> (String, Vec<Timex>) {
    let body = match (src.find("<TimeML>"), src.rfind("</TimeML>")) {
        (Some(a), Some(b)) if b > a => &src[a + "<TimeML>".len()..b],
        _ => src,
    };
    let mut out = String::with_capacity(body.len());
    let mut spans = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut rest = body;
    while let Some(p) = rest.find('<') {
        out.push_str(&rest[..p]);
        let Some(q) = rest[p..].find('>') else {
            rest = &rest[p..];
            break;
        };
        let tag = &rest[p + 1..p + q];
        if tag.starts_with("TIMEX3") {
            let attr = |name: &str| -> String {
                let key = format!("{name}=\"");
                tag.find(&key)
                    .and_then(|i| {
                        let s = &tag[i + key.len()..];
                        s.find('"').map(|j| s[..j].to_string())
                    })
                    .unwrap_or_default()
            };
            open = Some((out.len(), attr("type"), attr("value")));
        } else if tag.starts_with("/TIMEX3")
            && let Some((s, kind, value)) = open.take()
        {
            spans.push(Timex {
                start: s,
                end: out.len(),
                kind,
                value,
            });
        }
        rest = &rest[p + q + 1..];
    }
    out.push_str(rest);
    (out, spans)
}

/// `marsad eval timeml DIR`.
pub fn timeml(args: Args) -> anyhow::Result<ExitCode> {
    let reference = chrono::NaiveDate::from_ymd_opt(2015, 12, 24)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .context("reference date")?;
    println!("reference date: 2015-12-24 (the TimeML files carry no creation time)");
    let (mut gold_n, mut pred_n, mut exact, mut overlap_g, mut overlap_p) = (0, 0, 0, 0, 0);
    let (mut val_ok, mut val_n) = (0, 0);
    let mut misses = Vec::new();
    let mut wrong = Vec::new();
    for path in files(&args.dir, "tml")? {
        let src = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let (text, gold) = strip_tml(&src);
        let a = marsad_text::analyze(&text);
        let figs: Vec<_> = marsad_figures::extract(&a, Some(reference))
            .into_iter()
            .filter(|f| matches!(f.kind, FigureKind::Date | FigureKind::Duration))
            .collect();
        gold_n += gold.len();
        pred_n += figs.len();
        for g in &gold {
            let hit = figs.iter().find(|f| f.start < g.end && g.start < f.end);
            if let Some(f) = hit {
                overlap_g += 1;
                if f.start == g.start && f.end == g.end {
                    exact += 1;
                }
                if g.kind == "DATE" && g.value.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    val_n += 1;
                    let got = f
                        .date
                        .as_ref()
                        .and_then(|d| d.value.clone())
                        .unwrap_or_default();
                    if got == g.value {
                        val_ok += 1;
                    } else {
                        wrong.push(format!(
                            "  {} [{}] gold {} got {}",
                            &text[g.start..g.end],
                            g.kind,
                            g.value,
                            got
                        ));
                    }
                }
            } else {
                misses.push(format!(
                    "  {} [{} {}]",
                    &text[g.start..g.end],
                    g.kind,
                    g.value
                ));
            }
        }
        for f in &figs {
            if gold.iter().any(|g| f.start < g.end && g.start < f.end) {
                overlap_p += 1;
            }
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!("gold TIMEX3: {gold_n}, predicted date/duration figures: {pred_n}");
    println!(
        "span recall (overlap) {:.1}%  precision (overlap) {:.1}%",
        pct(overlap_g, gold_n),
        pct(overlap_p, pred_n)
    );
    println!(
        "span recall (exact)   {:.1}%  precision (exact)   {:.1}%",
        pct(exact, gold_n),
        pct(exact, pred_n)
    );
    println!(
        "value accuracy on matched DATEs with a calendar value: {val_ok}/{val_n} = {:.1}%",
        pct(val_ok, val_n)
    );
    let n = if args.all { usize::MAX } else { 40 };
    println!("missed gold expressions:");
    for m in misses.iter().take(n) {
        println!("{m}");
    }
    println!("wrong values:");
    for w in wrong.iter().take(n) {
        println!("{w}");
    }
    Ok(ExitCode::SUCCESS)
}
