//! Property tests: the linear disagreement test agrees with the brute-force
//! definition (some pair of claims from different voices with disjoint
//! intervals), and reconciliation keeps low ≤ best ≤ high.

use marsad_insight::reconcile::{FigureReport, reconcile};
use marsad_insight::{Bound, ClaimRecord};
use proptest::prelude::*;

fn claim(doc: u8, src: u8, v: f64, kind: u8) -> ClaimRecord {
    let (low, high, approx, bound) = match kind % 5 {
        0 => (Some(v), Some(v), false, None),
        1 => (Some(v), Some(v), true, None),
        2 => (Some(v), None, false, Some(Bound::MoreThan)),
        3 => (Some(v), None, false, Some(Bound::AtLeast)),
        _ => (Some(v), Some(v * 1.5), false, None),
    };
    ClaimRecord {
        doc: format!("d{doc}"),
        sentence: 0,
        text: "جملة".into(),
        source: format!("s{src}"),
        source_type: "outlet".into(),
        stance: "states".into(),
        subject: "x".into(),
        subject_id: Some("x".into()),
        measure: "killed".into(),
        scope: vec![],
        scope_key: String::new(),
        value: Some(v),
        low,
        high,
        approx,
        bound,
        conservative: None,
        event: None,
    }
}

proptest! {
    #[test]
    fn linear_test_matches_brute_force(
        cs in prop::collection::vec((0u8..3, 0u8..2, 1u32..60, 0u8..5), 0..12)
    ) {
        let claims: Vec<ClaimRecord> = cs
            .iter()
            .map(|&(d, s, v, k)| claim(d, s, v as f64 * 5.0, k))
            .collect();
        let got = marsad_insight::disagree::disagreements(&claims, &[]);
        let mut want = false;
        for (i, a) in claims.iter().enumerate() {
            for b in &claims[i + 1..] {
                let voice_differs = a.doc != b.doc || a.source != b.source;
                if voice_differs && !a.interval().unwrap().intersects(&b.interval().unwrap()) {
                    want = true;
                }
            }
        }
        let contradictions = got.iter().filter(|d| d.kind == "contradiction").count();
        prop_assert_eq!(contradictions, usize::from(want));
    }

    #[test]
    fn reconciled_bounds_are_ordered(
        rs in prop::collection::vec((0u32..1000, 0u32..100, any::<bool>()), 1..8)
    ) {
        let reports: Vec<FigureReport> = rs
            .iter()
            .enumerate()
            .map(|(i, &(v, w, open))| FigureReport {
                low: Some(v as f64),
                best: Some(v as f64),
                high: (!open).then_some((v + w) as f64),
                open_high: open,
                conservative: None,
                doc: format!("d{i}"),
                sentence: 0,
                source: String::new(),
            })
            .collect();
        let e = reconcile(reports);
        let (low, best) = (e.low.unwrap(), e.best.unwrap());
        prop_assert!(low <= best);
        if let Some(h) = e.high {
            prop_assert!(best <= h);
        }
        prop_assert!(e.conservative.unwrap() <= best);
    }
}
