//! Arabic labels for the codes the analysis uses (ACLED event types,
//! measures, entity types, stances, mention kinds), for the web pages.
//!
//! The codes themselves stay in the JSON API; the pages show the Arabic
//! label with the code in a `title` attribute. An unknown code is shown as
//! it is, so a new code never disappears from a page.

/// Arabic name of an ACLED event type.
pub fn event_type(t: &str) -> String {
    match t {
        "Battles" => "معارك",
        "Explosions/Remote violence" => "انفجارات وعنف عن بُعد",
        "Violence against civilians" => "عنف ضد المدنيين",
        "Protests" => "احتجاجات",
        "Riots" => "أعمال شغب",
        "Strategic developments" => "تطورات استراتيجية",
        other => other,
    }
    .to_owned()
}

/// Arabic name of a measure.
pub fn measure(m: &str) -> String {
    match m {
        "killed" => "القتلى",
        "injured" => "الجرحى",
        "arrested" => "المعتقلون",
        "abducted" => "المختطفون",
        "displaced" => "النازحون",
        "strength" => "عدد العناصر",
        "bases" => "القواعد",
        "attacks" => "الهجمات",
        "percent_change" => "نسبة التغير",
        "missing" => "المفقودون",
        "refugees" => "اللاجئون",
        "money" => "المبلغ",
        other => other,
    }
    .to_owned()
}

/// Arabic name of what a claim counts (the extraction stage's class
/// label, as in `soldiers` or `مالي — soldiers`): the class part after the
/// last ` — ` is translated, the owner is kept.
pub fn subject(s: &str) -> String {
    let (owner, class) = match s.rsplit_once(" — ") {
        Some((o, c)) => (Some(o), c),
        None => (None, s),
    };
    let class = match class {
        "soldiers" => "الجنود",
        "peacekeepers" => "جنود حفظ السلام",
        "people" => "الأشخاص",
        "civilians" => "المدنيون",
        "fighters" => "المسلحون",
        "children" => "الأطفال",
        "members" => "الأعضاء",
        "police" => "الشرطة",
        "count" => "العدد",
        "base" => "القواعد",
        "percent" => "النسبة",
        other => other,
    };
    match owner {
        Some(o) => format!("{class} — {o}"),
        None => class.to_owned(),
    }
}

/// Arabic name of an event status.
pub fn status(s: &str) -> String {
    match s {
        "reported" => "مُبلَّغ عنه",
        "background" => "خلفية",
        "negated" => "منفي",
        "hypothetical" => "افتراضي",
        "threat" => "تهديد",
        other => other,
    }
    .to_owned()
}

/// Arabic name of an entity type (`PERS`, `ORG`, ...).
pub fn entity_type(t: &str) -> String {
    match t.to_ascii_uppercase().as_str() {
        "PERS" | "PER" => "شخص",
        "ORG" => "منظمة",
        "GPE" => "كيان سياسي",
        "LOC" => "مكان",
        "FAC" => "منشأة",
        "NORP" => "جماعة",
        _ => return t.to_owned(),
    }
    .to_owned()
}

/// Arabic name of a figure kind.
pub fn figure_kind(k: &str) -> String {
    match k {
        "number" => "عدد",
        "quantity" => "كمية",
        "ordinal" => "ترتيبي",
        "percent" => "نسبة",
        "fraction" => "كسر",
        "money" => "مبلغ",
        "multiple" => "مضاعف",
        "duration" => "مدة",
        "date" => "تاريخ",
        other => other,
    }
    .to_owned()
}

/// Arabic name of a stance.
pub fn stance(s: &str) -> String {
    match s {
        "states" => "يقول",
        "claims" => "يزعم",
        "confirms" => "يؤكد",
        "denies" => "ينفي",
        other => other,
    }
    .to_owned()
}

/// Arabic name of a source type.
pub fn source_type(s: &str) -> String {
    match s {
        "person" => "شخص",
        "organization" => "جهة",
        "agency" => "وكالة",
        "outlet" => "الوسيلة الناشرة",
        "anonymous" => "مصدر غير مسمى",
        other => other,
    }
    .to_owned()
}

/// Arabic month names (Levantine / Egyptian-Gulf pairs as news prints them).
const MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// `2024-05-12` → `12 مايو 2024`; `2024-05` → `مايو 2024`; anything else as is.
pub fn date(iso: &str) -> String {
    let parts: Vec<&str> = iso
        .get(..10.min(iso.len()))
        .unwrap_or(iso)
        .split('-')
        .collect();
    let month = |m: &str| {
        m.parse::<usize>()
            .ok()
            .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
    };
    match parts.as_slice() {
        [y, m, d] => match (month(m), d.parse::<u32>()) {
            (Some(mn), Ok(d)) => format!("{d} {mn} {y}"),
            _ => iso.to_owned(),
        },
        [y, m] => match month(m) {
            Some(mn) => format!("{mn} {y}"),
            None => iso.to_owned(),
        },
        _ => iso.to_owned(),
    }
}

/// Short month label for chart ticks.
pub fn month_name(m: u32) -> &'static str {
    MONTHS
        .get((m as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_arabic() {
        assert_eq!(date("2024-05-12"), "12 مايو 2024");
        assert_eq!(date("2024-05"), "مايو 2024");
        assert_eq!(date("2024"), "2024");
        assert_eq!(date("2024-13-01"), "2024-13-01");
        assert_eq!(date(""), "");
    }

    #[test]
    fn unknown_codes_are_kept() {
        assert_eq!(event_type("Battles"), "معارك");
        assert_eq!(event_type("Something new"), "Something new");
        assert_eq!(measure("killed"), "القتلى");
        assert_eq!(entity_type("loc"), "مكان");
        assert_eq!(subject("مالي — soldiers"), "الجنود — مالي");
        assert_eq!(subject("soldiers"), "الجنود");
        assert_eq!(subject("طلاب"), "طلاب");
    }
}
