//! Walks the gold set in `testdata/events/gold.jsonl` (our own sentences,
//! each with the events and claims it contains) through the evaluation
//! code that `marsad eval events` uses, and holds the scores to a floor.
//! Add cases to the JSONL file; lower a floor only with a reason.

use std::path::PathBuf;

use marsad_extract::eval::{evaluate, parse_gold};

#[test]
fn gold_set() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/events/gold.jsonl");
    let s = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cases = parse_gold(&s).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rep = evaluate(&cases);
    eprintln!("{}", rep.summary());
    for f in &rep.failures {
        eprintln!("  {f}");
    }
    assert!(rep.events.f1() >= 75.0, "event F1 {:.1}", rep.events.f1());
    assert!(rep.claims.f1() >= 75.0, "claim F1 {:.1}", rep.claims.f1());
    let (ok, n) = rep.arguments.get("fatalities").copied().unwrap_or((0, 0));
    assert!(n > 0 && ok * 100 >= n * 70, "fatalities {ok}/{n}");
}
