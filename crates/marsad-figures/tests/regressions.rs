//! Regression tests named after the problem they caught.

use marsad_figures::{Dim, parse};

fn r() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2013-02-12T04:30:00-02:00").unwrap()
}

#[test]
fn huge_counts_of_time_units_do_not_overflow_date_arithmetic() {
    for e in [
        "قبل 99999999999999 سنة",
        "خلال 999999999999 اسبوع",
        "بعد 99999999999999999999 يوم",
        "الاسابيع 99999999999 القادمة",
        "منذ 9999999 قرن",
    ] {
        let got = parse(e, Dim::Date, r());
        assert!(got.is_none(), "{e}: {got:?}");
    }
}

#[test]
fn duckling_json_shapes() {
    assert_eq!(
        parse("خمسة وعشرون", Dim::Number, r()).unwrap().to_string(),
        r#"{"type":"value","value":25}"#
    );
    assert_eq!(
        parse("اقل من 7 يورو", Dim::Money, r()).unwrap().to_string(),
        r#"{"to":{"unit":"EUR","value":7},"type":"interval"}"#
    );
    assert_eq!(
        parse("امس", Dim::Date, r()).unwrap().to_string(),
        r#"{"grain":"day","type":"value","value":"2013-02-11T00:00:00.000-02:00"}"#
    );
    assert!(parse("حب", Dim::Date, r()).is_none());
}
