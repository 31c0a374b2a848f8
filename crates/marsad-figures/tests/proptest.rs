//! `extract` and `parse` never panic, and every span lies on char
//! boundaries inside the text, in order and without overlap.

use proptest::prelude::*;

fn check(s: &str) {
    let r = chrono::DateTime::parse_from_rfc3339("2013-02-12T04:30:00-02:00").unwrap();
    for dim in [
        marsad_figures::Dim::Number,
        marsad_figures::Dim::Date,
        marsad_figures::Dim::Money,
        marsad_figures::Dim::Quantity,
        marsad_figures::Dim::Duration,
    ] {
        let _ = marsad_figures::parse(s, dim, r);
    }
    let a = marsad_text::analyze(s);
    for reference in [
        None,
        chrono::NaiveDate::from_ymd_opt(2024, 9, 17).and_then(|d| d.and_hms_opt(8, 0, 0)),
    ] {
        let figs = marsad_figures::extract(&a, reference);
        let mut last = 0;
        for f in &figs {
            assert!(f.start < f.end && f.end <= s.len());
            assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end));
            assert!(f.start >= last, "overlap");
            last = f.end;
        }
    }
}

const PIECES: &[&str] = &[
    "قتل",
    "أكثر من",
    "نحو",
    "300",
    "١٢٬٠٠٠",
    "3.5",
    "مليون",
    "ألف",
    "آلاف",
    "عشرات",
    "جندي",
    "جنديين",
    "دولار",
    "$",
    "%",
    "في المائة",
    "بين",
    "و",
    "إلى",
    "من",
    "عام",
    "2023",
    "ديسمبر",
    "/",
    "كانون الأول",
    "أمس",
    "يوم",
    "الثلاثاء",
    "الماضي",
    "الساعة",
    "10",
    ":",
    "30",
    "صباحا",
    "-",
    "(",
    ")",
    "هـ",
    "رمضان",
    "خمسة",
    "وعشرون",
    "الحادي",
    "عشر",
    "قبل",
    "سنوات",
    "ماي",
    "C-130",
    "الخمسينيات",
    "القرن",
    "أواخر",
    "،",
    ".",
    " ",
    "\n",
    "ج.م",
    "ونصف",
    "ثلثي",
    "منتصف",
    "عامي",
    "و2021",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn never_panics_on_any_string(s in "\\PC{0,60}") {
        check(&s);
    }

    #[test]
    fn never_panics_on_figure_like_text(idx in proptest::collection::vec(0..PIECES.len(), 0..25)) {
        let s: String = idx.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" ");
        check(&s);
        let glued: String = idx.iter().map(|&i| PIECES[i]).collect();
        check(&glued);
    }
}
