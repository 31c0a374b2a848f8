//! Every input format, encoding and failure mode, on files made in a
//! temporary directory by each test.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use marsad_ingest::{Document, IngestError, Options, read_bytes, read_inputs};

fn read_all(paths: &[PathBuf], opts: &Options) -> (Vec<Document>, Vec<IngestError>) {
    let mut docs = Vec::new();
    let mut errs = Vec::new();
    read_inputs(paths, opts, &mut |r| {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        }
        ControlFlow::Continue(())
    });
    (docs, errs)
}

fn bytes_all(name: &str, bytes: &[u8], opts: &Options) -> (Vec<Document>, Vec<IngestError>) {
    let mut docs = Vec::new();
    let mut errs = Vec::new();
    read_bytes(name, bytes, opts, &mut |r| {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        }
        ControlFlow::Continue(())
    });
    (docs, errs)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

const ARTICLE: &str = "أعلنت وزارة الداخلية توقيف ثلاثة أشخاص يشتبه في تورطهم بالهجوم.\n\nوقال المتحدث باسم الوزارة إن التحقيقات مستمرة، وإن قوات الأمن عززت انتشارها في محيط المدينة.";

#[test]
fn plain_text_with_residue_and_options() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!("{ARTICLE}\n\nhttps://example.com/a/1\n\nالمصدر: موقع الاختبار\nاترك ردك\n");
    let p = write(dir.path(), "a.txt", body.as_bytes());
    let opts = Options {
        published: Some("31/12/2023".into()),
        source: Some("مصدر من الخيارات".into()),
        ..Options::default()
    };
    let (docs, errs) = read_all(std::slice::from_ref(&p), &opts);
    assert!(errs.is_empty(), "{errs:?}");
    let d = &docs[0];
    assert_eq!(d.text, ARTICLE);
    assert_eq!(d.links, vec!["https://example.com/a/1"]);
    // The `المصدر:` line names the source; the option only fills gaps.
    assert_eq!(d.source.as_deref(), Some("موقع الاختبار"));
    assert_eq!(d.published.as_deref(), Some("2023-12-31"));
    assert!(d.id.starts_with("doc-") && d.id.len() == 20, "{}", d.id);
    assert_eq!(d.origin, p.display().to_string());
    // Without the line the option applies.
    let p2 = write(dir.path(), "b.txt", ARTICLE.as_bytes());
    let (docs, _) = read_all(
        &[p2],
        &Options {
            dedup: false,
            ..opts
        },
    );
    assert_eq!(docs[0].source.as_deref(), Some("مصدر من الخيارات"));
    // Unparseable date: kept raw.
    let (docs, _) = bytes_all(
        "c.txt",
        ARTICLE.as_bytes(),
        &Options {
            published: Some("الأحد الماضي".into()),
            ..Options::default()
        },
    );
    assert_eq!(docs[0].published, None);
    assert_eq!(docs[0].metadata["published_raw"], "الأحد الماضي");
}

#[test]
fn ids_are_stable_content_hashes() {
    let (a, _) = bytes_all("x.txt", ARTICLE.as_bytes(), &Options::default());
    let with_residue = format!("{ARTICLE}\r\nشاركها\r\n");
    let (b, _) = bytes_all("y.txt", with_residue.as_bytes(), &Options::default());
    assert_eq!(a[0].id, b[0].id, "the id hashes the cleaned text");
    let (c, _) = bytes_all(
        "z.txt",
        "نص آخر مختلف تماما.".as_bytes(),
        &Options::default(),
    );
    assert_ne!(a[0].id, c[0].id);
}

#[test]
fn markdown_with_front_matter() {
    let md = "---\npublished: 2023-06-30\nsource: \"نشرة المساء\"\nurl: https://example.org/news/7\nauthor: مراسلنا\n---\n\n# اجتماع طارئ لمجلس الوزراء\n\nعقد **مجلس الوزراء** اجتماعاً طارئاً لبحث [أزمة الوقود](https://example.org/fuel).\n\n## التفاصيل\n\n- ناقش الوزراء خطة التوزيع.\n- تقرر رفع المخزون.\n\n![صورة الاجتماع](img/meeting.jpg)\n\n| المحافظة | الحصة |\n|---|---|\n| الشمال | 40 |\n";
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "note.md", md.as_bytes());
    let (docs, errs) = read_all(&[p], &Options::default());
    assert!(errs.is_empty(), "{errs:?}");
    let d = &docs[0];
    assert_eq!(d.title.as_deref(), Some("اجتماع طارئ لمجلس الوزراء"));
    assert_eq!(d.published.as_deref(), Some("2023-06-30"));
    assert_eq!(d.source.as_deref(), Some("نشرة المساء"));
    assert_eq!(d.url.as_deref(), Some("https://example.org/news/7"));
    assert_eq!(d.metadata["author"], "مراسلنا");
    assert_eq!(d.links, vec!["https://example.org/fuel"]);
    assert_eq!(
        d.text,
        "عقد مجلس الوزراء اجتماعاً طارئاً لبحث أزمة الوقود.\n\nالتفاصيل\n\nناقش الوزراء خطة التوزيع.\nتقرر رفع المخزون.\n\nالمحافظة\tالحصة\nالشمال\t40"
    );
}

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>
<meta charset="utf-8">
<title>انقطاع الكهرباء عن أحياء واسعة - موقع الأخبار</title>
<meta property="og:title" content="انقطاع الكهرباء عن أحياء واسعة في العاصمة">
<meta property="og:site_name" content="موقع الأخبار">
<meta property="article:published_time" content="2024-03-05T08:15:00+03:00">
<meta property="og:url" content="https://news.example/ar/power-cut">
</head><body>
<header><nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/world">العالم</a></li><li><a href="/sport">رياضة</a></li><li><a href="/economy">اقتصاد</a></li></ul></nav></header>
<main><article>
<h1>انقطاع الكهرباء عن أحياء واسعة في العاصمة</h1>
<p>شهدت أحياء واسعة من العاصمة انقطاعاً في التيار الكهربائي استمر أكثر من عشر ساعات، بعد عطل مفاجئ في محطة التحويل الرئيسية شمال المدينة، وفق ما أعلنته شركة الكهرباء الوطنية في بيان مقتضب.</p>
<p>وقال مدير الشركة في تصريح للصحفيين إن فرق الصيانة تعمل على مدار الساعة لإعادة التيار، متوقعاً أن تعود الخدمة تدريجياً خلال ساعات الليل، وأضاف أن الأحمال المرتفعة بسبب موجة الحر ساهمت في العطل.</p>
<p>واشتكى سكان من توقف المضخات وانقطاع المياه عن المباني المرتفعة، فيما أعلنت المستشفيات تشغيل المولدات الاحتياطية لضمان استمرار العمل في أقسام الطوارئ والعناية المركزة.</p>
</article></main>
<aside class="sidebar"><h3>الأكثر قراءة</h3><ul><li><a href="/a">خبر أول في الشريط الجانبي</a></li><li><a href="/b">خبر ثان في الشريط الجانبي</a></li></ul></aside>
<footer><p>جميع الحقوق محفوظة لموقع الأخبار 2024</p><a href="/privacy">سياسة الخصوصية</a></footer>
</body></html>"#;

#[test]
fn html_page_main_content_and_meta() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "page.html", PAGE.as_bytes());
    let (docs, errs) = read_all(&[p], &Options::default());
    assert!(errs.is_empty(), "{errs:?}");
    let d = &docs[0];
    assert_eq!(
        d.title.as_deref(),
        Some("انقطاع الكهرباء عن أحياء واسعة في العاصمة")
    );
    assert_eq!(d.source.as_deref(), Some("موقع الأخبار"));
    assert_eq!(d.published.as_deref(), Some("2024-03-05T08:15:00+03:00"));
    assert_eq!(d.url.as_deref(), Some("https://news.example/ar/power-cut"));
    assert!(
        d.text.contains("شهدت أحياء واسعة من العاصمة انقطاعاً"),
        "{}",
        d.text
    );
    assert!(
        d.text.contains("أقسام الطوارئ والعناية المركزة."),
        "{}",
        d.text
    );
    for boiler in [
        "رياضة",
        "اقتصاد",
        "الشريط الجانبي",
        "جميع الحقوق محفوظة",
        "سياسة الخصوصية",
    ] {
        assert!(
            !d.text.contains(boiler),
            "boilerplate {boiler:?} in {}",
            d.text
        );
    }
    // Paragraphs stay on separate lines.
    assert!(
        d.text.lines().filter(|l| !l.trim().is_empty()).count() >= 3,
        "{}",
        d.text
    );
}

#[test]
fn html_meta_date_variants() {
    for (meta, want) in [
        (r#"<meta name="date" content="2023-12-31">"#, "2023-12-31"),
        (
            r#"<meta name="pubdate" content="31/12/2023">"#,
            "2023-12-31",
        ),
        (
            r#"<meta itemprop="datePublished" content="2018-02-18T21:35:43+04:00">"#,
            "2018-02-18T21:35:43+04:00",
        ),
        (
            r#"<meta name="publishdate" content="Sun, 18 Feb 2018 21:35:43 +0400">"#,
            "2018-02-18T21:35:43+04:00",
        ),
    ] {
        let page = PAGE.replace(
            r#"<meta property="article:published_time" content="2024-03-05T08:15:00+03:00">"#,
            meta,
        );
        let (docs, errs) = bytes_all("p.htm", page.as_bytes(), &Options::default());
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(docs[0].published.as_deref(), Some(want), "{meta}");
    }
    let page = PAGE.replace(
        r#"<meta property="og:site_name" content="موقع الأخبار">"#,
        r#"<meta name="application-name" content="تطبيق الأخبار">"#,
    );
    let (docs, _) = bytes_all("p.html", page.as_bytes(), &Options::default());
    assert_eq!(docs[0].source.as_deref(), Some("تطبيق الأخبار"));
}

#[test]
fn jsonl_with_a_malformed_line() {
    let lines = [
        r#"{"id": "n1", "title": "عنوان أول", "text": "وقع انفجار قرب الميناء.\nشاركها", "url": "https://e.x/1", "source": "مصدر أ", "published": "2018-02-18T21:35:43+04:00", "author": "فلان", "category": "world"}"#,
        r#"{"id": "n2", "text": "نص مكسور"#,
        "",
        r#"{"id": 3, "text": "أعلن الجيش السيطرة على البلدة."}"#,
        r#"[1, 2, 3]"#,
        r#"{"id": "n5", "title": "بلا نص"}"#,
        r#"{"text": "سطر أخير بلا معرف."}"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "feed.jsonl", lines.join("\n").as_bytes());
    let (docs, errs) = read_all(std::slice::from_ref(&p), &Options::default());
    assert_eq!(docs.len(), 3);
    assert_eq!(errs.len(), 3);
    let name = p.display().to_string();
    let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(
        msgs[0].starts_with(&format!("{name}:2: malformed JSON line")),
        "{}",
        msgs[0]
    );
    assert!(
        msgs[1].starts_with(&format!("{name}:5: ")) && msgs[1].contains("not a JSON object"),
        "{}",
        msgs[1]
    );
    assert!(
        msgs[2].starts_with(&format!("{name}:6: ")) && msgs[2].contains("\"text\""),
        "{}",
        msgs[2]
    );
    let d = &docs[0];
    assert_eq!(d.id, "n1");
    assert_eq!(d.text, "وقع انفجار قرب الميناء.");
    assert_eq!(d.title.as_deref(), Some("عنوان أول"));
    assert_eq!(d.source.as_deref(), Some("مصدر أ"));
    assert_eq!(d.published.as_deref(), Some("2018-02-18T21:35:43+04:00"));
    assert_eq!(d.metadata["author"], "فلان");
    assert_eq!(d.metadata["category"], "world");
    assert_eq!(d.origin, format!("{name}:1"));
    assert_eq!(docs[1].id, "3");
    assert_eq!(docs[1].origin, format!("{name}:4"));
    assert!(docs[2].id.starts_with("doc-"));
}

#[test]
fn jsonl_gz_streams() {
    let mut body = String::new();
    for i in 0..200 {
        body.push_str(&format!(
            "{{\"id\": \"g{i}\", \"text\": \"الخبر رقم {i} عن تطورات الوضع في المنطقة {i} بعد الاجتماع {i}.\"}}\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "feed.jsonl.gz", &gzip(body.as_bytes()));
    let (docs, errs) = read_all(&[p], &Options::default());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs.len(), 200);
    assert_eq!(docs[199].id, "g199");
    // Same through read_bytes.
    let (docs, errs) = bytes_all("up.jsonl.gz", &gzip(body.as_bytes()), &Options::default());
    assert!(errs.is_empty());
    assert_eq!(docs.len(), 200);
}

#[test]
fn gzip_bomb_is_refused() {
    // 16 MiB of one repeated JSON line compresses to ~30 KiB.
    let line = "{\"text\": \"قنبلة\"}\n";
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..(16 * 1024 * 1024 / line.len()) {
        e.write_all(line.as_bytes()).unwrap();
    }
    let bomb = e.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024);
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "bomb.jsonl.gz", &bomb);
    let opts = Options {
        max_decompressed_bytes: 1024 * 1024,
        dedup: false,
        ..Options::default()
    };
    let (docs, errs) = read_all(std::slice::from_ref(&p), &opts);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(matches!(errs[0], IngestError::TooLarge { .. }));
    let msg = errs[0].to_string();
    assert!(
        msg.contains(&p.display().to_string()) && msg.contains("limit"),
        "{msg}"
    );
    assert!(docs.len() < 1024 * 1024 / line.len() + 1);
    // A gzipped text file (not JSONL) hits the same limit.
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(&vec![b'a'; 8 * 1024 * 1024]).unwrap();
    let (_, errs) = bytes_all("big.txt.gz", &e.finish().unwrap(), &opts);
    assert!(
        matches!(errs[..], [IngestError::TooLarge { .. }]),
        "{errs:?}"
    );
}

#[test]
fn binary_file_reported_others_read() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", ARTICLE.as_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4096u32).map(|i| (i * 31 % 256) as u8));
    let bin = write(dir.path(), "photo.txt", &png);
    let c = write(dir.path(), "c.txt", "نص ثالث للاختبار.".as_bytes());
    let missing = dir.path().join("missing.txt");
    let (docs, errs) = read_all(&[a, bin.clone(), missing.clone(), c], &Options::default());
    assert_eq!(docs.len(), 2);
    assert_eq!(errs.len(), 2);
    let msg = errs[0].to_string();
    assert!(
        msg.starts_with(&bin.display().to_string()) && msg.contains("binary"),
        "{msg}"
    );
    assert!(
        errs[1]
            .to_string()
            .starts_with(&missing.display().to_string())
    );
}

#[test]
fn windows_1256_equals_utf8() {
    let src = format!("{ARTICLE}\n\nالمصدر: صحيفة الغد\nاترك ردك");
    let (cp1256, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&src);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&cp1256).is_err());
    let dir = tempfile::tempdir().unwrap();
    let u = write(dir.path(), "utf8.txt", src.as_bytes());
    let w = write(dir.path(), "cp1256.txt", &cp1256);
    let (docs, errs) = read_all(&[u, w], &Options::default());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs[0].text, docs[1].text);
    assert_eq!(docs[0].source, docs[1].source);
    assert_eq!(docs[1].metadata["encoding"], "windows-1256");
    assert_eq!(docs[1].duplicate_of.as_deref(), Some(docs[0].id.as_str()));
}

#[test]
fn utf16_and_utf8_bom() {
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in ARTICLE.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    let mut bom8 = b"\xEF\xBB\xBF".to_vec();
    bom8.extend_from_slice(ARTICLE.as_bytes());
    for (name, bytes, enc) in [
        ("le.txt", le, "utf-16le"),
        ("be.txt", be, "utf-16be"),
        ("b8.txt", bom8, "utf-8-bom"),
    ] {
        let (docs, errs) = bytes_all(name, &bytes, &Options::default());
        assert!(errs.is_empty(), "{name}: {errs:?}");
        assert_eq!(docs[0].text, ARTICLE, "{name}");
        assert_eq!(docs[0].metadata["encoding"], enc);
    }
    // A UTF-16 BOM with an odd byte count is refused by name.
    let (_, errs) = bytes_all("odd.txt", b"\xFF\xFE\x41\x00\x42", &Options::default());
    assert!(
        errs[0].to_string().starts_with("odd.txt: cannot decode"),
        "{}",
        errs[0]
    );
}

#[test]
fn directory_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "b/2.txt", "الملف الثاني في المجلد ب.".as_bytes());
    write(
        root,
        "b/1.md",
        "# عنوان\n\nالملف الأول في المجلد ب.".as_bytes(),
    );
    write(root, "a.txt", "ملف في الجذر.".as_bytes());
    write(
        root,
        "c/deep/x.jsonl",
        "{\"id\": \"j1\", \"text\": \"سطر من ملف جيسون.\"}\n".as_bytes(),
    );
    write(root, ".hidden.txt", "مخفي".as_bytes());
    write(root, ".git/config.txt", "مخفي".as_bytes());
    write(root, "image.png", b"\x89PNG\0\0");
    write(root, "notes.docx", b"PK\x03\x04\0\0");
    let (docs, errs) = read_all(&[root.to_path_buf()], &Options::default());
    assert!(errs.is_empty(), "{errs:?}");
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "ملف في الجذر.",
            "الملف الأول في المجلد ب.",
            "الملف الثاني في المجلد ب.",
            "سطر من ملف جيسون."
        ]
    );
    assert_eq!(docs[1].title.as_deref(), Some("عنوان"));
}

#[test]
fn unknown_extension_given_explicitly_is_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "article.dat", ARTICLE.as_bytes());
    let (docs, errs) = read_all(&[p], &Options::default());
    assert!(errs.is_empty());
    assert_eq!(docs[0].text, ARTICLE);
}

#[test]
fn break_stops_reading() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.txt", "الأول.".as_bytes());
    let b = write(dir.path(), "b.txt", "الثاني.".as_bytes());
    let mut n = 0;
    read_inputs(&[a, b], &Options::default(), &mut |_| {
        n += 1;
        ControlFlow::Break(())
    });
    assert_eq!(n, 1);
}

#[test]
fn read_bytes_picks_format_by_name() {
    let (docs, _) = bytes_all(
        "x.md",
        "# العنوان\n\n**نص**".as_bytes(),
        &Options::default(),
    );
    assert_eq!(
        (docs[0].title.as_deref(), docs[0].text.as_str()),
        (Some("العنوان"), "نص")
    );
    let (docs, _) = bytes_all("x", "# ليس ماركداون".as_bytes(), &Options::default());
    assert_eq!(
        (docs[0].title.as_deref(), docs[0].text.as_str()),
        (None, "# ليس ماركداون")
    );
    let (docs, errs) = bytes_all(
        "up.jsonl",
        b"{\"text\": \"a\"}\nnope\n",
        &Options::default(),
    );
    assert_eq!((docs.len(), errs.len()), (1, 1));
    assert!(errs[0].to_string().starts_with("up.jsonl:2:"));
}

#[test]
fn html_windows_1256_and_title_fallback() {
    // No og:title: the <title> minus its " - site" suffix; the page is in
    // the legacy Arabic code page, with share and read-also residue inside
    // the article container.
    let page = PAGE
        .replace(
            r#"<meta property="og:title" content="انقطاع الكهرباء عن أحياء واسعة في العاصمة">"#,
            "",
        )
        .replace(
            r#"<meta charset="utf-8">"#,
            r#"<meta charset="windows-1256">"#,
        )
        .replace(
            "</article>",
            "<p>اقرأ أيضا: ارتفاع أسعار الوقود في الأسواق المحلية</p><p>شاركها</p></article>",
        );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&page);
    assert!(!unmappable);
    let (docs, errs) = bytes_all("page.htm", &bytes, &Options::default());
    assert!(errs.is_empty(), "{errs:?}");
    let d = &docs[0];
    assert_eq!(d.metadata["encoding"], "windows-1256");
    assert_eq!(d.title.as_deref(), Some("انقطاع الكهرباء عن أحياء واسعة"));
    assert!(d.text.contains("شهدت أحياء واسعة من العاصمة"), "{}", d.text);
    assert!(
        !d.text.contains("اقرأ أيضا") && !d.text.contains("شاركها"),
        "{}",
        d.text
    );
    let (utf8_docs, _) = bytes_all("page.html", page.as_bytes(), &Options::default());
    assert_eq!(utf8_docs[0].text, d.text);
}

#[test]
fn html_without_content_is_an_error_naming_the_file() {
    let (docs, errs) = bytes_all(
        "empty.html",
        b"<html><head></head><body></body></html>",
        &Options::default(),
    );
    assert!(docs.is_empty());
    let msg = errs[0].to_string();
    assert!(msg.starts_with("empty.html: no article content"), "{msg}");
}

#[test]
fn corrupt_and_truncated_gzip() {
    let (docs, errs) = bytes_all(
        "x.jsonl.gz",
        "ليس ملفا مضغوطا".as_bytes(),
        &Options::default(),
    );
    assert!(docs.is_empty());
    assert!(
        errs[0].to_string().starts_with("x.jsonl.gz:1: read error"),
        "{}",
        errs[0]
    );
    let mut body = String::new();
    for i in 0..2000 {
        body.push_str(&format!(
            "{{\"id\": \"t{i}\", \"text\": \"سطر رقم {i} من ملف مقطوع في منتصفه.\"}}\n"
        ));
    }
    let gz = gzip(body.as_bytes());
    let (docs, errs) = bytes_all("cut.jsonl.gz", &gz[..gz.len() / 2], &Options::default());
    assert!(!docs.is_empty() && docs.len() < 2000, "{}", docs.len());
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].to_string().starts_with("cut.jsonl.gz:"),
        "{}",
        errs[0]
    );
}

#[test]
fn html_figcaptions_move_to_captions() {
    let page = PAGE.replace(
        "<p>وقال مدير الشركة",
        "<figure><img src=\"a.jpg\" alt=\"\"><figcaption>عمال صيانة يصلحون خطوط الكهرباء &amp; الأعمدة - <b>رويترز</b></figcaption></figure>\n<p>وقال مدير الشركة",
    );
    let (docs, errs) = bytes_all("fig.html", page.as_bytes(), &Options::default());
    assert!(errs.is_empty(), "{errs:?}");
    let d = &docs[0];
    assert!(!d.text.contains("عمال صيانة"), "{}", d.text);
    assert!(d.text.contains("وقال مدير الشركة"), "{}", d.text);
    assert_eq!(
        d.metadata["captions"],
        serde_json::json!(["عمال صيانة يصلحون خطوط الكهرباء & الأعمدة - رويترز"])
    );
}
