//! Property tests: offsets always map back to the original characters,
//! normalization is idempotent, nothing panics on any input.

use marsad_text::{CharMap, Form, analyze, normalize, normalize_with_map};
use proptest::prelude::*;

/// Strings mixing Arabic letters, diacritics, tatweel, digits of three
/// scripts, Latin, punctuation, quotes, URLs pieces and whitespace.
fn arabicish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "و", "ال", "قال", "جندي", "أ", "إ", "آ", "ى", "ة", "ـ", "\u{064E}", "\u{0651}", "\u{0670}",
        "١٢", "٫", "٬", "۳", "11,600", "3.5", "%", "C-130", "U.S.", " ", "\n", ".", "،", "؟", "؛",
        "!", "«", "»", "“", "”", "\"", "#", "@", "https://", "www.", "x.com/a", "ﻻ", "ﷲ", "ک", "ی",
        "\u{200F}", "a@b.org", "…", "...", "(", ")", "/", "-", "😀", "é",
    ]);
    prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn token_spans_map_back(s in arabicish()) {
        let t = analyze(&s);
        let mut prev = 0u32;
        for tok in &t.tokens {
            prop_assert!(tok.start >= prev && tok.start < tok.end);
            prop_assert!(s.is_char_boundary(tok.start as usize) && s.is_char_boundary(tok.end as usize));
            let text = &s[tok.start as usize..tok.end as usize];
            prop_assert!(!text.trim().is_empty());
            // The token's normalized form is the normalization of its original text.
            prop_assert_eq!(t.norm(tok), normalize(text, Form::Search));
            prev = tok.end;
        }
        // Sentences cover every token exactly once, in order, and map back.
        let mut next_tok = 0u32;
        for sent in &t.sentences {
            prop_assert_eq!(sent.first_token, next_tok);
            prop_assert!(s.is_char_boundary(sent.start as usize) && s.is_char_boundary(sent.end as usize));
            let first = t.tokens[sent.first_token as usize];
            let last = t.tokens[sent.end_token as usize - 1];
            prop_assert_eq!((sent.start, sent.end), (first.start, last.end));
            next_tok = sent.end_token;
        }
        prop_assert_eq!(next_tok as usize, t.tokens.len());
        // Code-point offsets agree with a naive count.
        let cm = CharMap::new(&s);
        for tok in &t.tokens {
            prop_assert_eq!(cm.char_offset(tok.start as usize), s[..tok.start as usize].chars().count());
        }
    }

    #[test]
    fn normalization_is_idempotent(s in arabicish()) {
        for form in [Form::Search, Form::Match] {
            let once = normalize(&s, form);
            prop_assert_eq!(normalize(&once, form), once.clone());
        }
    }

    #[test]
    fn normalized_spans_map_back(s in arabicish(), a in 0usize..200, len in 0usize..40) {
        let m = normalize_with_map(&s, Form::Search);
        let n = &m.normalized;
        let mut a = a.min(n.len());
        while !n.is_char_boundary(a) { a -= 1; }
        let mut b = (a + len).min(n.len());
        while !n.is_char_boundary(b) { b -= 1; }
        let (os, oe) = m.original_span(&s, a, b);
        prop_assert!(os <= oe && oe <= s.len());
        prop_assert!(s.is_char_boundary(os) && s.is_char_boundary(oe));
        // The original span normalizes to the normalized span (or, when the
        // span cuts through one character's expansion such as `ﻻ` → `لا`, to
        // a string containing it).
        let back = normalize(&s[os..oe], Form::Search);
        prop_assert!(back.contains(&n[a..b]), "{:?} does not contain {:?}", back, &n[a..b]);
        // No wider than needed: at each end at most the rest of one
        // character's expansion lies outside the span. The longest
        // expansion in the alphabet is `ﷲ` → `الله` (8 bytes), of which at
        // least one letter (2 bytes) is inside, so 6 bytes per end.
        prop_assert!(back.len() <= (b - a) + 2 * 6, "{:?} for {:?}", back, &n[a..b]);
    }
}
