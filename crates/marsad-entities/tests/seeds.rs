//! Checks over the five seed reports in `../shared/seeds` (skipped when
//! absent). These are properties any reader of the reports would state, not
//! tuned outputs: the capital resolves to its country, a town without an
//! Arabic GeoNames name is found by transliteration, the agency cited is an
//! agency source, a quote belongs to the person named after it.

use std::path::Path;

use marsad_entities::attribution::{attribute, attribution_for};
use marsad_entities::recognize::Recognizer;
use marsad_entities::{EntityType, SourceType};

fn seed(prefix: &str) -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if !dir.exists() {
        println!("skipping: ../shared not found");
        return None;
    }
    let p = std::fs::read_dir(&dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))?;
    std::fs::read_to_string(p).ok()
}

#[test]
fn bamako_resolves_to_mali() {
    let Some(s) = seed("004") else { return };
    let text = marsad_text::analyze(&s);
    let ms = Recognizer::get().recognize(&text);
    let bamako: Vec<_> = ms
        .iter()
        .filter(|m| &s[m.start..m.end] == "باماكو")
        .collect();
    assert!(bamako.len() >= 3);
    for m in bamako {
        let p = m.place.as_ref().expect("place");
        assert_eq!(p.country, "ML");
        assert_eq!(p.geo_precision, 1);
        assert!((p.lat - 12.6).abs() < 0.2 && (p.lon + 7.98).abs() < 0.2);
    }
    // `لباماكو` (with the preposition) is found too, span without it.
    assert!(
        ms.iter()
            .any(|m| m.id == "geo:2460596" && s[..m.start].ends_with('ل'))
    );
}

#[test]
fn tessalit_by_transliteration() {
    let Some(s) = seed("003") else { return };
    let text = marsad_text::analyze(&s);
    let ms = Recognizer::get().recognize(&text);
    let t: Vec<_> = ms
        .iter()
        .filter(|m| &s[m.start..m.end] == "تيساليت")
        .collect();
    assert!(!t.is_empty(), "تيساليت not found");
    for m in t {
        let p = m.place.as_ref().expect("place");
        assert_eq!(
            (p.country.as_str(), p.resolved_by.as_str()),
            ("ML", "transliteration")
        );
    }
}

#[test]
fn afp_is_an_agency_source() {
    let Some(s) = seed("004") else { return };
    let text = marsad_text::analyze(&s);
    let ms = Recognizer::get().recognize(&text);
    let at = attribute(&text, &ms, Some("outlet"));
    let afp = at
        .iter()
        .find(|a| a.source_id.as_deref() == Some("org:afp"))
        .expect("AFP attribution");
    assert_eq!(afp.source_type, SourceType::Agency);
    assert_eq!(afp.sentence, 0);
    // The death toll in the first sentence is AFP's.
    let pos = s.find("77").unwrap();
    let who = attribution_for(&at, pos, 0).unwrap();
    assert_eq!(who.source_id.as_deref(), Some("org:afp"));
}

#[test]
fn quote_belongs_to_desable() {
    let Some(s) = seed("001") else { return };
    let text = marsad_text::analyze(&s);
    let ms = Recognizer::get().recognize(&text);
    assert!(
        ms.iter()
            .any(|m| m.etype == EntityType::Pers && &s[m.start..m.end] == "ميريام ديسابل")
    );
    let at = attribute(&text, &ms, None);
    let q = s.find("تعرضت قافلة").unwrap();
    let sent = text.sentence_at(q).unwrap();
    let who = attribution_for(&at, q, sent).expect("attribution");
    assert_eq!(who.source_text, "ميريام ديسابل");
    assert_eq!(who.source_type, SourceType::Person);
    assert!(who.content.0 <= q && q < who.content.1);
}

#[test]
fn wan_is_linked_in_seed_000() {
    let Some(s) = seed("000") else { return };
    let text = marsad_text::analyze(&s);
    let ms = Recognizer::get().recognize(&text);
    let full = ms
        .iter()
        .find(|m| &s[m.start..m.end] == "القاسم وان")
        .expect("القاسم وان");
    assert_eq!(full.etype, EntityType::Pers);
    assert!(full.title.as_deref().is_some_and(|t| t.contains("رئيس")));
}
