//! A progress bar for long inputs: shown on stderr only when stderr is a
//! terminal, and only once more than a few hundred documents have been
//! read, with documents/s and MB/s.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Documents after which the bar appears.
const SHOW_AFTER: u64 = 300;

/// Counts documents and bytes, and draws a spinner bar when useful.
pub struct Progress {
    label: &'static str,
    bar: Option<ProgressBar>,
    docs: u64,
    bytes: u64,
    start: Instant,
    tty: bool,
}

impl Progress {
    /// A new counter.
    pub fn new(label: &'static str) -> Self {
        Progress {
            label,
            bar: None,
            docs: 0,
            bytes: 0,
            start: Instant::now(),
            tty: std::io::stderr().is_terminal(),
        }
    }

    /// One more document of `bytes` bytes.
    pub fn inc(&mut self, bytes: usize) {
        self.docs += 1;
        self.bytes += bytes as u64;
        if !self.tty {
            return;
        }
        if self.bar.is_none() && self.docs >= SHOW_AFTER {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {prefix} {pos} documents ({per_sec}) {msg} [{elapsed}]",
                )
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(self.label);
            bar.enable_steady_tick(Duration::from_millis(200));
            self.bar = Some(bar);
        }
        if let Some(b) = &self.bar {
            b.set_position(self.docs);
            if self.docs.is_multiple_of(64) {
                let secs = self.start.elapsed().as_secs_f64().max(1e-3);
                b.set_message(format!("{:.1} MB/s", self.bytes as f64 / 1e6 / secs));
            }
        }
    }

    /// Print a line without breaking the bar.
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    }

    /// Remove the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
