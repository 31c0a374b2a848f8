//! Property tests: no reader or cleaner panics on any input.

use std::ops::ControlFlow;

use marsad_ingest::{Options, clean_text, dates, decode, markdown, read_bytes};
use proptest::prelude::*;

fn any_name() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("x.txt"),
        Just("x.md"),
        Just("x.html"),
        Just("x.jsonl"),
        Just("x.jsonl.gz"),
        Just("x"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn read_bytes_never_panics(name in any_name(), bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut n = 0;
        read_bytes(name, &bytes, &Options::default(), &mut |_| {
            n += 1;
            ControlFlow::Continue(())
        });
        prop_assert!(n >= 1 || name.ends_with("jsonl") || name.ends_with(".gz"));
    }

    #[test]
    fn text_readers_never_panic(s in "(\\PC|[#*_`\\[\\]()!|<>&;:/\\n -])*") {
        let _ = markdown::parse(&s);
        let _ = marsad_ingest::html::parse(&s);
        let _ = decode::decode(s.as_bytes());
        let _ = dates::normalize_date(&s);
        let c = clean_text(&s);
        prop_assert!(!c.text.contains('\r'));
    }

    #[test]
    fn html_meta_with_arabic_entities(s in "[&#;ا-ي0-9a-z ]{0,40}") {
        let page = format!("<html><head><meta property=\"og:title\" content=\"{s}\"></head><body><p>{s}</p></body></html>");
        let _ = marsad_ingest::html::parse(&page);
    }
}
