//! Places on the map: resolving GPE/LOC/FAC mentions to coordinates, a
//! country, an admin1 region and ACLED's geo precision.
//!
//! # Precision (ACLED)
//! - 1: the named town itself (a GeoNames populated place);
//! - 2: near a town or a small area (a facility named after a town, a
//!   district inside a resolved town);
//! - 3: a region or a country (a country's point is the mean position of
//!   its populated places, computed by the build script: a centroid of where
//!   people live; precision 3 says not to read it as a town).
//!
//! # Disambiguation
//! A name may fit several places (`غاو`/`جاو`; many Arabic town names recur
//! across countries). Candidates in a country the document mentions win;
//! among those, the most populous. Documents about the Sahel name Mali,
//! Niger or Burkina Faso, and that is the strongest cue to which of two
//! towns is meant.
//!
//! # Transliteration
//! Many Sahel towns have no Arabic name in GeoNames (Tessalit, Aguelhok).
//! Arabic news writes them as heard: `تيساليت`, `أجلهوك`. Both scripts are
//! reduced to a **consonant skeleton** over shared classes, and the skeletons
//! compared:
//! - vowels and semivowels are dropped on both sides (`ا و ي ع ء`, `a e i o
//!   u w y`): Arabic writes long vowels only, French-based Latin spellings
//!   write vowels as digraphs (`ou`), and `ع` has no Latin letter;
//! - letters that one script distinguishes and the other merges share a
//!   class: `ت ط`=t; `د ض ذ`=d; `س ص ش ز ظ`, Latin `s z ch sh`=s (French
//!   `ch` is /ʃ/, Arabic writes it `ش`); `ج غ`, Latin `g j dj gu`=g (Sahel
//!   spellings use `ج` for /g/ and `غ` for French `g`); `ق ك خ`, Latin
//!   `k q c kh`=k; `ب`, `b p`=b; `ف`, `f v ph`=f;
//! - doubled letters collapse (`Tessalit` = `تيساليت` = `tslt`); a final
//!   `ة`/`ه` is dropped (it is the feminine ending, Latin writes `a`).
//!
//! Only skeletons of at least three consonants are compared, and only
//! against places in the countries the document mentions, since short
//! skeletons collide across a continent.
//!
//! Each resolution records how it was made in `resolved_by`:
//! `gazetteer-arabic`, `transliteration`, `country` (the country's
//! centroid point), `region`,
//! `facility-place`, `containing-place`, `document-country` (an unresolved
//! place placed at the point of the country the document names most).

use std::collections::HashSet;

use crate::Place;
use crate::gazetteer::{Entry, Gazetteer, Kind};

/// Consonant skeleton of an Arabic name (search form).
pub fn arabic_skeleton(name: &str) -> String {
    let mut out = String::with_capacity(name.len() / 2);
    let words: Vec<&str> = name.split(' ').collect();
    for w in words {
        let n = w.chars().count();
        for (i, c) in w.chars().enumerate() {
            let k = match c {
                'ب' | 'پ' => 'b',
                'ت' | 'ط' | 'ث' => 't',
                'ج' | 'غ' | 'گ' => 'g',
                'ق' | 'ك' | 'خ' => 'k',
                'ح' => 'h',
                'ه' | 'ة' if i + 1 == n => continue,
                'ه' | 'ة' => 'h',
                'د' | 'ض' | 'ذ' => 'd',
                'ر' => 'r',
                'ز' | 'ظ' | 'س' | 'ص' | 'ش' => 's',
                'ف' | 'ڤ' => 'f',
                'ل' => 'l',
                'م' => 'm',
                'ن' => 'n',
                _ => continue,
            };
            if !out.ends_with(k) {
                out.push(k);
            }
        }
    }
    out
}

/// Consonant skeleton of a Latin name (ASCII or with diacritics; letters
/// outside ASCII are ignored).
pub fn latin_skeleton(name: &str) -> String {
    let s: Vec<u8> = name
        .bytes()
        .filter(|b| b.is_ascii_alphabetic())
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let push = |out: &mut String, k: char| {
        if !out.ends_with(k) {
            out.push(k);
        }
    };
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        let two = |x: u8| next == Some(x);
        let (k, adv) = match c {
            b'k' if two(b'h') => (Some('k'), 2),
            b'g' if two(b'h') => (Some('g'), 2),
            b's' | b'c' if two(b'h') => (Some('s'), 2),
            b't' if two(b'h') => (Some('t'), 2),
            b'p' if two(b'h') => (Some('f'), 2),
            b'd' if two(b'j') => (Some('g'), 2),
            b'q' if two(b'u') => (Some('k'), 2),
            b'g' if two(b'u') => (Some('g'), 2),
            b'b' | b'p' => (Some('b'), 1),
            b'c' if matches!(next, Some(b'e' | b'i' | b'y')) => (Some('s'), 1),
            b'c' | b'k' | b'q' => (Some('k'), 1),
            b'd' => (Some('d'), 1),
            b'f' | b'v' => (Some('f'), 1),
            b'g' | b'j' => (Some('g'), 1),
            b'h' => (Some('h'), 1),
            b'l' => (Some('l'), 1),
            b'm' => (Some('m'), 1),
            b'n' => (Some('n'), 1),
            b'r' => (Some('r'), 1),
            b's' | b'z' => (Some('s'), 1),
            b't' => (Some('t'), 1),
            b'x' => {
                push(&mut out, 'k');
                (Some('s'), 1)
            }
            _ => (None, 1),
        };
        if let Some(k) = k {
            push(&mut out, k);
        }
        i += adv;
    }
    out
}

/// The countries a document mentions, as evidence for disambiguation.
pub type DocCountries = HashSet<String>;

/// Place of a gazetteer entry with a given precision and method.
pub fn place_of(e: &Entry, precision: u8, resolved_by: &str) -> Option<Place> {
    if !e.has_coords() {
        return None;
    }
    Some(Place {
        lat: e.lat,
        lon: e.lon,
        country: e.country.clone().unwrap_or_default(),
        admin1: e.admin1.clone(),
        geo_precision: precision,
        resolved_by: resolved_by.to_string(),
    })
}

/// Resolve an entry (country, region, or one of several places sharing a
/// name) to a place.
pub fn resolve_entry(e: &Entry) -> Option<Place> {
    match e.kind {
        Kind::Country => place_of(e, 3, "country"),
        Kind::Region => place_of(e, 3, "region"),
        Kind::Place => place_of(e, 1, "gazetteer-arabic"),
        _ => None,
    }
}

/// Among candidate place entries, the best for a document mentioning
/// `countries`: one in a mentioned country first, then by population.
pub fn choose_place(g: &Gazetteer, cands: &[u32], countries: &DocCountries) -> Option<u32> {
    cands.iter().copied().max_by_key(|&i| {
        let e = g.entry(i);
        let in_doc = e.country.as_ref().is_some_and(|c| countries.contains(c));
        (in_doc, e.population)
    })
}

/// Resolve an Arabic name (search form) by transliteration against Latin
/// names of places in the document's countries.
pub fn transliterate(g: &Gazetteer, name: &str, countries: &DocCountries) -> Option<u32> {
    let sk = arabic_skeleton(name);
    if sk.chars().count() < 3 || name.chars().filter(|c| *c != ' ').count() < 4 {
        return None;
    }
    let cands = g.skeletons.get(&sk)?;
    cands
        .iter()
        .copied()
        .filter(|&i| {
            g.entry(i)
                .country
                .as_ref()
                .is_some_and(|c| countries.contains(c))
        })
        .max_by_key(|&i| g.entry(i).population)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeletons_agree_across_scripts() {
        for (ar, lat) in [
            ("تيساليت", "Tessalit"),
            ("تينزاوتين", "Tinzaouaten"),
            ("اجلهوك", "Aguelhok"),
            ("كيدال", "Kidal"),
            ("باماكو", "Bamako"),
            ("تمبكتو", "Tombouctou"),
            ("واغادوغو", "Ouagadougou"),
            ("تشاد", "Tchad"),
            ("نيامي", "Niamey"),
        ] {
            assert_eq!(arabic_skeleton(ar), latin_skeleton(lat), "{ar} / {lat}");
        }
        assert_ne!(arabic_skeleton("كيدال"), latin_skeleton("Gao"));
    }

    #[test]
    fn document_countries_decide_between_namesakes() {
        let g = Gazetteer::get();
        let idx = |id: &str| g.entries.iter().position(|e| e.id == id).unwrap() as u32;
        // Bamako (4.2M, ML) and Medina, Ohio (26k, US).
        let cands = [idx("geo:2460596"), idx("geo:5162512")];
        let us: DocCountries = ["US".to_string()].into_iter().collect();
        let none = DocCountries::new();
        assert_eq!(
            g.entry(choose_place(g, &cands, &us).unwrap()).id,
            "geo:5162512"
        );
        assert_eq!(
            g.entry(choose_place(g, &cands, &none).unwrap()).id,
            "geo:2460596"
        );
        // Transliteration is constrained to the document's countries.
        let mali: DocCountries = ["ML".to_string()].into_iter().collect();
        assert!(transliterate(g, "تيساليت", &mali).is_some());
        let niger: DocCountries = ["NE".to_string()].into_iter().collect();
        assert!(transliterate(g, "تيساليت", &niger).is_none());
    }
}
