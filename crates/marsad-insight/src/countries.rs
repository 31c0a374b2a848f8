//! Small tables the exports need: countries (ISO codes, ACLED region) and
//! actor types (ACLED "inter" codes), both data files in `data/`.
//!
//! The actor-type table matches words of an actor's name: ACLED codes the
//! *kind* of actor, and Arabic news names it with the kind's own noun
//! (`الجيش المالي`, `قوات حفظ السلام`, `مسلحين`, `مدنيين`). A name with no
//! known cue gets no code rather than a guess.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

static COUNTRIES: &str = include_str!("../data/countries.tsv");
static ACTOR_INTER: &str = include_str!("../data/actor_inter.tsv");
static LABELS: &str = include_str!("../data/labels.tsv");

/// One row of the country table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub iso2: &'static str,
    /// ISO 3166-1 alpha-3.
    pub iso3: &'static str,
    /// ISO 3166-1 numeric (ACLED's `iso`).
    pub numeric: u16,
    /// ACLED region.
    pub region: &'static str,
    /// English name.
    pub name: &'static str,
}

fn rows(s: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    s.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// The country with ISO alpha-2 code `iso2` (any case).
pub fn country(iso2: &str) -> Option<&'static Country> {
    static T: OnceLock<FxHashMap<&'static str, Country>> = OnceLock::new();
    let t = T.get_or_init(|| {
        rows(COUNTRIES)
            .filter_map(|r| {
                let c = Country {
                    iso2: r.first()?,
                    iso3: r.get(1)?,
                    numeric: r.get(2)?.parse().ok()?,
                    region: r.get(3)?,
                    name: r.get(4)?,
                };
                Some((c.iso2, c))
            })
            .collect()
    });
    t.get(iso2.to_ascii_uppercase().as_str())
}

fn actor_form(s: &str) -> String {
    marsad_text::search_form(s, false).to_lowercase()
}

/// ACLED actor type code of an actor name (see the module doc).
pub fn inter_code(actor: &str) -> Option<u8> {
    static T: OnceLock<Vec<(String, u8)>> = OnceLock::new();
    let t = T.get_or_init(|| {
        rows(ACTOR_INTER)
            .filter_map(|r| Some((actor_form(r.first()?), r.get(1)?.parse().ok()?)))
            .filter(|(c, _): &(String, u8)| !c.is_empty())
            .collect()
    });
    let a = format!(" {} ", actor_form(actor));
    t.iter()
        .find(|(cue, _)| a.contains(cue.as_str()))
        .map(|(_, code)| *code)
}

/// Arabic display label of a measure (the measure itself when unknown).
pub fn measure_label(measure: &str) -> &str {
    static T: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    let t = T.get_or_init(|| {
        rows(LABELS)
            .filter_map(|r| Some((*r.first()?, *r.get(1)?)))
            .collect()
    });
    t.get(measure).copied().unwrap_or(measure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mali_and_codes() {
        let m = country("ml").unwrap();
        assert_eq!(
            (m.iso3, m.numeric, m.region),
            ("MLI", 466, "Western Africa")
        );
        assert_eq!(inter_code("الجيش المالي"), Some(1));
        assert_eq!(inter_code("قوات حفظ السلام"), Some(8));
        assert_eq!(inter_code("جماعة نصرة الإسلام والمسلمين"), Some(2));
        assert_eq!(inter_code("مدنيين"), Some(7));
        assert_eq!(inter_code("MINUSMA troops"), Some(8));
        assert_eq!(inter_code("فلان"), None);
    }
}
