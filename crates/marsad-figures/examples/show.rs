//! Print the figures of each stdin line: `cargo run -p marsad-figures
//! --example show -- [REF-DATE]`.

use std::io::BufRead;

fn main() {
    let reference = std::env::args()
        .nth(1)
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .and_then(|d| d.and_hms_opt(12, 0, 0));
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let a = marsad_text::analyze(&line);
        for f in marsad_figures::extract(&a, reference) {
            let d = f.date.as_ref();
            println!(
                "{:<10} {:<40} v={:?} lo={:?} hi={:?} unit={:?} date={:?} {:?}",
                format!("{:?}", f.kind),
                &line[f.start..f.end],
                f.value,
                f.low,
                f.high,
                f.unit,
                d.and_then(|d| d.value.clone()),
                d.map(|d| (d.grain, d.from.clone(), d.to.clone()))
            );
        }
    }
}
