//! The five seed reports in `../shared/seeds` (skipped when absent): no web
//! residue survives cleaning, `المصدر:` becomes the source, and a
//! Windows-1256 copy reads the same as the UTF-8 original.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use marsad_ingest::{Document, Options, read_inputs};

fn seeds_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared not found");
        None
    }
}

fn read(paths: &[PathBuf]) -> Vec<Document> {
    let mut docs = Vec::new();
    read_inputs(paths, &Options::default(), &mut |r| {
        docs.push(r.unwrap());
        ControlFlow::Continue(())
    });
    docs
}

#[test]
fn seeds_are_clean() {
    let Some(dir) = seeds_dir() else { return };
    let docs = read(&[dir]);
    assert_eq!(docs.len(), 5);
    for d in &docs {
        for residue in ["اترك ردك", "شاركها", "http"] {
            assert!(
                !d.text.contains(residue),
                "{residue:?} left in {}",
                d.origin
            );
        }
        assert!(!d.text.is_empty());
        assert_eq!(d.duplicate_of, None, "{}", d.origin);
    }
    let d002 = docs.iter().find(|d| d.origin.contains("002_")).unwrap();
    assert_eq!(d002.source.as_deref(), Some("موقع الميادين"));
    assert!(!d002.text.contains("المصدر:"));
}

#[test]
fn windows_1256_copy_of_a_seed_reads_the_same() {
    let Some(dir) = seeds_dir() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&text);
        if unmappable {
            // Characters outside the code page (e.g. curly quotes are in it,
            // but some symbols are not) cannot round-trip; skip that seed.
            continue;
        }
        let copy = tmp.path().join(path.file_name().unwrap());
        std::fs::write(&copy, &bytes).unwrap();
        let docs = read(&[path.clone(), copy]);
        assert_eq!(docs[0].text, docs[1].text, "{}", path.display());
        assert_eq!(docs[0].source, docs[1].source);
        assert_eq!(docs[1].metadata["encoding"], "windows-1256");
        checked += 1;
    }
    eprintln!("{checked} seeds compared in Windows-1256");
    assert!(checked >= 1, "no seed is representable in Windows-1256");
}
