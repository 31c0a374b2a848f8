//! Duplicate flagging: exact copies, near copies with a changed sentence,
//! and unrelated articles.

use std::ops::ControlFlow;

use marsad_ingest::{Deduper, Options, read_bytes};

const BASE: [&str; 10] = [
    "أعلنت السلطات المحلية في المحافظة الشمالية حالة الطوارئ بعد فيضانات غمرت عشرات القرى.",
    "وقال المحافظ في مؤتمر صحفي إن فرق الإنقاذ أجلت أكثر من ألفي شخص من منازلهم خلال الليل.",
    "وأضاف أن الأمطار الغزيرة تسببت في انهيار جسرين رئيسيين وقطع الطريق السريع نحو العاصمة.",
    "وأشارت وزارة الصحة إلى نقل عشرين مصاباً إلى المستشفيات القريبة لتلقي العلاج.",
    "وذكرت هيئة الأرصاد أن الأمطار ستستمر حتى نهاية الأسبوع مع رياح قوية على المرتفعات.",
    "ودعت الحكومة المواطنين إلى تجنب الأودية والابتعاد عن مجاري السيول حفاظاً على سلامتهم.",
    "وخصصت وزارة المالية مبلغاً عاجلاً لإعادة تأهيل البنية التحتية المتضررة في القرى المنكوبة.",
    "وتطوع مئات الشباب لتوزيع الأغذية والبطانيات على العائلات النازحة في مراكز الإيواء.",
    "وقالت منظمات إغاثة دولية إنها مستعدة لإرسال فرق متخصصة إذا طلبت الحكومة ذلك.",
    "وتعد هذه الفيضانات الأسوأ في المنطقة منذ أكثر من ثلاثين عاماً بحسب سجلات رسمية.",
];

fn base() -> String {
    BASE.join("\n")
}

fn unrelated() -> String {
    [
        "افتتح وزير التعليم اليوم معرض الكتاب الدولي بمشاركة أكثر من خمسمئة دار نشر عربية وأجنبية.",
        "ويستمر المعرض عشرة أيام ويتضمن ندوات فكرية وأمسيات شعرية وورشاً للأطفال.",
        "وقالت إدارة المعرض إن عدد الزوار المتوقع يتجاوز مليون زائر هذا العام.",
        "وتحل دولة ضيفة الشرف بجناح خاص يعرض تاريخها الأدبي وأبرز كتابها المعاصرين.",
        "وأعلنت لجنة الجوائز أسماء الفائزين في فئات الرواية والشعر والترجمة خلال حفل الافتتاح.",
    ]
    .join("\n")
}

#[test]
fn exact_copy_flagged() {
    let mut d = Deduper::new();
    assert_eq!(d.check("first", &base()), None);
    assert_eq!(d.check("second", &base()).as_deref(), Some("first"));
    assert_eq!(d.len(), 1);
}

#[test]
fn near_copy_with_changed_sentence_flagged() {
    let mut d = Deduper::new();
    assert_eq!(d.check("first", &base()), None);
    let mut changed = BASE;
    changed[3] = "وأكدت مصادر طبية أن حصيلة المصابين ارتفعت إلى خمسة وثلاثين شخصاً بينهم أطفال.";
    // Spelling variants (no hamza, no diacritics) do not hide a copy either.
    let variant = changed.join("\n").replace('أ', "ا");
    assert_eq!(d.check("updated", &variant).as_deref(), Some("first"));
}

#[test]
fn unrelated_not_flagged() {
    let mut d = Deduper::new();
    assert_eq!(d.check("first", &base()), None);
    assert_eq!(d.check("other", &unrelated()), None);
    // A different report of the same kind of event, sharing topic words.
    let same_topic = "ضربت عاصفة قوية المناطق الساحلية وأدت إلى انقطاع الكهرباء عن آلاف المنازل.\n\
        وقال مسؤولون إن فرق الطوارئ تعمل على إصلاح الأعطال وفتح الطرق المغلقة.\n\
        وأغلقت المدارس أبوابها ليومين بسبب سوء الأحوال الجوية وتحذيرات هيئة الأرصاد.\n\
        ولم تسجل أي إصابات بشرية حتى الآن بحسب الدفاع المدني.";
    assert_eq!(d.check("storm", same_topic), None);
    assert_eq!(d.len(), 3);
}

#[test]
fn read_bytes_flags_duplicates_in_jsonl() {
    let mut changed = BASE;
    changed[8] = "ورفضت الحكومة حتى الآن طلب مساعدات خارجية مؤكدة أن إمكاناتها كافية.";
    let lines = [
        serde_json::json!({"id": "a", "text": base()}),
        serde_json::json!({"id": "b", "text": unrelated()}),
        serde_json::json!({"id": "c", "text": format!("{}\nشاركها", base())}),
        serde_json::json!({"id": "d", "text": changed.join("\n")}),
    ]
    .iter()
    .map(ToString::to_string)
    .collect::<Vec<_>>()
    .join("\n");
    let mut flags = Vec::new();
    read_bytes("f.jsonl", lines.as_bytes(), &Options::default(), &mut |r| {
        let d = r.unwrap();
        flags.push((d.id, d.duplicate_of));
        ControlFlow::Continue(())
    });
    let want = [("a", None), ("b", None), ("c", Some("a")), ("d", Some("a"))];
    let got: Vec<(&str, Option<&str>)> = flags
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_deref()))
        .collect();
    assert_eq!(got, want);
    // With dedup off nothing is flagged.
    let mut n = 0;
    read_bytes(
        "f.jsonl",
        lines.as_bytes(),
        &Options {
            dedup: false,
            ..Options::default()
        },
        &mut |r| {
            n += usize::from(r.unwrap().duplicate_of.is_some());
            ControlFlow::Continue(())
        },
    );
    assert_eq!(n, 0);
}
