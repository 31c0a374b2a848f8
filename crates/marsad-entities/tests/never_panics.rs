//! Recognition and attribution never panic and keep their offsets inside
//! the text, on any mix of Arabic words, names, clitics, quotes and
//! punctuation (a deterministic random walk over fragments; the workspace's
//! proptest would do the same with shrinking).

use marsad_entities::attribution::{attribute, attribution_for};
use marsad_entities::recognize::Recognizer;

const ATOMS: &[&str] = &[
    "و",
    "قال",
    "وقالت",
    "بحسب",
    "وفقاً لـ",
    "نقلا عن",
    "مالي",
    "بباماكو",
    "للأمم المتحدة",
    "مينوسما",
    "الجنرال",
    "وزير الخارجية",
    "العقيد",
    "عبد",
    "الله",
    "ديوب",
    "، ",
    ". ",
    "؟",
    "«",
    "»",
    "“",
    "”",
    "\"",
    ":",
    "\n",
    " ",
    "مطار",
    "فندق",
    "قاعدة",
    "تيساليت",
    "في",
    "من",
    "مصدر أمني",
    "في بيان",
    "على تيليجرام",
    "لوكالة",
    "AFP",
    "JNIM",
    "C-130",
    "12",
    "٪",
    "ـ",
    "\u{064B}",
    "ة",
    "ى",
    "أ",
    "الروس",
    "الماليين",
    "ومالي",
    "لم",
    "يؤكد",
    "قيل",
    "يذكر أن",
    "😀",
    "é",
    "(",
    ")",
];

#[test]
fn random_texts_never_panic() {
    let r = Recognizer::get();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..400 {
        let n = (next() % 40) as usize;
        let s: String = (0..n)
            .map(|_| ATOMS[(next() % ATOMS.len() as u64) as usize])
            .collect();
        let text = marsad_text::analyze(&s);
        let ms = r.recognize(&text);
        for w in ms.windows(2) {
            assert!(
                w[0].end <= w[1].start,
                "overlapping mentions in {s:?}: {w:?}"
            );
        }
        for m in &ms {
            assert!(m.start < m.end && m.end <= s.len(), "{s:?}: {m:?}");
            assert!(
                s.is_char_boundary(m.start) && s.is_char_boundary(m.end),
                "{s:?}: {m:?}"
            );
        }
        let at = attribute(&text, &ms, Some("x"));
        for a in &at {
            assert!(a.start <= a.end && a.end <= s.len(), "{s:?}: {a:?}");
            assert!(
                a.content.0 <= a.content.1 && a.content.1 <= s.len(),
                "{s:?}: {a:?}"
            );
            assert!(s.is_char_boundary(a.content.0) && s.is_char_boundary(a.content.1));
            assert!(a.sentence < text.sentences.len());
            let _ = attribution_for(&at, a.content.0, a.sentence);
        }
    }
}
