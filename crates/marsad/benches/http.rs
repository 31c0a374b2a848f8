//! Search through HTTP under concurrent clients: `marsad serve` as a child
//! process over a stored collection, and 8 client threads sending mixed
//! `GET /api/search` requests (single words, two-word AND queries, phrases,
//! and queries filtered by source or date) over loopback, one connection
//! per request. Prints requests/s and the p50/p90/p99/max latency per class
//! and overall.
//!
//! The store: `MARSAD_BENCH_STORE=DIR` (a workspace written by `marsad
//! ingest`, e.g. of the whole ANT corpus); otherwise the first
//! `MARSAD_BENCH_DOCS` (default 3000) articles of
//! `../shared/corpus/ant-multisource.jsonl.gz` are ingested into a
//! temporary workspace first. Skipped with a note when neither is there.
//! `MARSAD_BENCH_CLIENTS` (default 8) and `MARSAD_BENCH_REQUESTS` (default
//! 4000 in all) set the load.
//!
//! The query words are common words of Arabic news written here, not
//! taken from the corpus; sources and dates for the filters are read from
//! the store through the API itself.
//!
//! Run: `cargo bench -p marsad --bench http`.

#[path = "../tests/common_server.rs"]
mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{DemoServer, enc, get};

const WORDS: &[&str] = &[
    "الجيش",
    "قوات",
    "هجوم",
    "قتلى",
    "الحكومة",
    "الرئيس",
    "مجلس",
    "الأمن",
    "اتفاق",
    "انتخابات",
    "النفط",
    "الاقتصاد",
    "المعارضة",
    "اللاجئين",
    "الحدود",
    "وزير",
    "الخارجية",
    "مفاوضات",
    "غارات",
    "مظاهرات",
    "العاصمة",
    "المدينة",
    "الشرطة",
    "المحكمة",
    "البرلمان",
    "السلام",
    "الحرب",
    "المساعدات",
    "الأمم",
    "المتحدة",
];

const PHRASES: &[&str] = &[
    "\"مجلس الأمن\"",
    "\"الأمم المتحدة\"",
    "\"وزير الخارجية\"",
    "\"قوات حفظ السلام\"",
    "\"رئيس الوزراء\"",
    "\"حقوق الإنسان\"",
];

fn marsad() -> Command {
    Command::new(env!("CARGO_BIN_EXE_marsad"))
}

fn serve(data: &Path) -> DemoServer {
    let args: [&std::ffi::OsStr; 5] = [
        "--data".as_ref(),
        data.as_os_str(),
        "serve".as_ref(),
        "--addr".as_ref(),
        "127.0.0.1:0".as_ref(),
    ];
    DemoServer::spawn(&args, "serve", Stdio::null())
}

/// A small deterministic generator (xorshift), so every run sends the
/// same requests.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Sources and publication days found in the store (for the filters).
fn facets(addr: &str) -> (Vec<String>, Vec<String>) {
    let mut sources = Vec::new();
    let mut days = Vec::new();
    for w in &WORDS[..10] {
        let r = get(
            addr,
            &format!("/api/search?q={}&limit=50&facets=true", enc(w)),
        )
        .json();
        for s in r["facets"]["source"].as_array().into_iter().flatten() {
            if let Some(name) = s["name"].as_str()
                && !sources.iter().any(|x| x == name)
            {
                sources.push(name.to_owned());
            }
        }
        for h in r["results"].as_array().into_iter().flatten() {
            if let Some(d) = h["published"].as_str().and_then(|d| d.get(0..10))
                && !days.iter().any(|x| x == d)
            {
                days.push(d.to_owned());
            }
        }
    }
    days.sort();
    (sources, days)
}

fn queries(n: usize, sources: &[String], days: &[String]) -> Vec<(&'static str, String)> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let w = WORDS[rng.below(WORDS.len())];
        let (class, q) = match i % 10 {
            0..=3 => ("word", format!("q={}", enc(w))),
            4 | 5 => {
                let w2 = WORDS[rng.below(WORDS.len())];
                ("two words", format!("q={}", enc(&format!("{w} {w2}"))))
            }
            6 | 7 => (
                "phrase",
                format!("q={}", enc(PHRASES[rng.below(PHRASES.len())])),
            ),
            8 if !sources.is_empty() => (
                "source filter",
                format!(
                    "q={}&source={}",
                    enc(w),
                    enc(&sources[rng.below(sources.len())])
                ),
            ),
            _ if days.len() >= 2 => {
                let a = rng.below(days.len());
                let b = (a + 1 + rng.below(days.len() - a)).min(days.len() - 1);
                (
                    "date filter",
                    format!("q={}&from={}&to={}", enc(w), days[a], days[b]),
                )
            }
            _ => ("word", format!("q={}", enc(w))),
        };
        out.push((class, format!("/api/search?{q}&limit=10")));
    }
    out
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let data: PathBuf = match std::env::var_os("MARSAD_BENCH_STORE") {
        Some(d) => PathBuf::from(d),
        None => {
            let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpus/ant-multisource.jsonl.gz");
            if !corpus.exists() {
                println!("skipping: no MARSAD_BENCH_STORE and ../shared not found");
                return;
            }
            let n = env_usize("MARSAD_BENCH_DOCS", 3000);
            let jsonl = tmp.path().join("corpus.jsonl");
            let mut out = std::fs::File::create(&jsonl).expect("corpus slice");
            let f = std::fs::File::open(&corpus).expect("corpus");
            let r = BufReader::new(flate2::read::GzDecoder::new(f));
            for line in r.lines().take(n) {
                let line = line.expect("reading the corpus");
                std::io::Write::write_all(&mut out, line.as_bytes()).expect("write");
                std::io::Write::write_all(&mut out, b"\n").expect("write");
            }
            drop(out);
            let data = tmp.path().join("store");
            let t = Instant::now();
            let st = marsad()
                .arg("--data")
                .arg(&data)
                .arg("ingest")
                .arg(&jsonl)
                .stderr(Stdio::null())
                .status()
                .expect("running marsad ingest");
            assert!(st.success(), "marsad ingest failed");
            println!(
                "ingested the first {n} ANT articles in {:.1} s",
                t.elapsed().as_secs_f64()
            );
            data
        }
    };
    let server = serve(&data);
    let addr = server.addr.clone();
    let (sources, days) = facets(&addr);
    let clients = env_usize("MARSAD_BENCH_CLIENTS", 8).max(1);
    let total = env_usize("MARSAD_BENCH_REQUESTS", 4000).max(clients);
    let qs = Arc::new(queries(total, &sources, &days));
    // Warm-up: every distinct query class once.
    for (_, q) in qs.iter().take(20) {
        let _ = get(&addr, q);
    }
    let next = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let qs = Arc::clone(&qs);
            let next = Arc::clone(&next);
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut lat: Vec<(&'static str, Duration)> = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((class, q)) = qs.get(i) else { break };
                    let t = Instant::now();
                    let r = get(&addr, q);
                    lat.push((class, t.elapsed()));
                    assert_eq!(r.status, 200, "{q}: {}", r.text());
                }
                lat
            })
        })
        .collect();
    let mut all: Vec<(&'static str, Duration)> = Vec::new();
    for h in handles {
        all.extend(h.join().expect("client thread"));
    }
    let wall = t.elapsed();
    println!(
        "{} requests from {clients} clients in {:.2} s: {:.0} requests/s ({} sources, {} days for the filters)",
        all.len(),
        wall.as_secs_f64(),
        all.len() as f64 / wall.as_secs_f64(),
        sources.len(),
        days.len()
    );
    let mut classes: Vec<&str> = all.iter().map(|(c, _)| *c).collect();
    classes.sort();
    classes.dedup();
    classes.push("all");
    for c in classes {
        let mut v: Vec<Duration> = all
            .iter()
            .filter(|(k, _)| c == "all" || *k == c)
            .map(|(_, d)| *d)
            .collect();
        v.sort();
        println!(
            "  {c:<14} n={:<5} p50 {}  p90 {}  p99 {}  max {}",
            v.len(),
            ms(pct(&v, 0.5)),
            ms(pct(&v, 0.9)),
            ms(pct(&v, 0.99)),
            ms(v.last().copied().unwrap_or_default())
        );
    }
}
