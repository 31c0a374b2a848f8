//! Checks over the five seed reports in `../shared/seeds` (skipped when
//! absent): the events and claims an analyst would code by hand.

use std::ops::ControlFlow;
use std::path::PathBuf;

use marsad_extract::{DocAnalysis, EventStatus, analyze_document};
use marsad_ingest::{Document, Options, read_inputs};

fn seeds() -> Option<Vec<(Document, DocAnalysis)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if !dir.exists() {
        eprintln!("skipping: ../shared/seeds not found");
        return None;
    }
    let mut docs = Vec::new();
    read_inputs(&[dir], &Options::default(), &mut |d| {
        if let Ok(d) = d {
            docs.push(d);
        }
        ControlFlow::Continue(())
    });
    Some(
        docs.into_iter()
            .map(|d| {
                let a = analyze_document(&d);
                (d, a)
            })
            .collect(),
    )
}

fn dump(docs: &[(Document, DocAnalysis)]) {
    for (d, a) in docs {
        eprintln!("=== {}", d.id);
        for c in &a.claims {
            eprintln!(
                "claim {:>10} {:<22} subj={:<40} id={:?} scope={:?} v={:?} [{:?},{:?}] src={}",
                c.measure,
                d.text.get(c.start..c.end).unwrap_or(""),
                c.subject,
                c.subject_id,
                c.scope,
                c.value,
                c.low,
                c.high,
                c.source.text,
            );
        }
        for e in &a.events {
            eprintln!(
                "event {:?} {} / {} '{}' date={:?} loc={:?} a1={:?} a2={:?} fat={:?} src={}",
                e.status,
                e.event_type,
                e.sub_event_type,
                e.trigger,
                e.date.as_ref().and_then(|x| x.value.clone()),
                e.location.as_ref().map(|l| l.name.clone()),
                e.actor1,
                e.actor2,
                e.fatalities.as_ref().map(|f| f.value),
                e.source.text
            );
        }
    }
}

#[test]
fn seeds_events_and_claims() {
    let Some(docs) = seeds() else { return };
    dump(&docs);
    assert_eq!(docs.len(), 5);
    // The Bamako attack report: about 77 killed, reported by AFP, at Bamako.
    let bamako = docs
        .iter()
        .find(|(d, _)| d.text.contains("باماكو") && d.text.contains("77"))
        .map(|(_, a)| a);
    let Some(b) = bamako else {
        panic!("no Bamako report")
    };
    let killed: Vec<_> = b
        .claims
        .iter()
        .filter(|c| c.measure == "killed" && c.value == Some(77.0))
        .collect();
    assert_eq!(killed.len(), 1, "77 killed");
    let first = b
        .events
        .iter()
        .find(|e| e.status == EventStatus::Reported)
        .map(|e| e.fatalities.as_ref().and_then(|f| f.value));
    assert_eq!(first, Some(Some(77.0)));
}
