//! Walks the gold cases in `testdata/insight/*.toml`: hand-built documents
//! with their events and claims (Arabic sentences written for marsad), and
//! what the cross-document report must say about them — merged events,
//! reconciled figures, disagreements, clusters.
//!
//! Case format (see the files for examples):
//!
//! ```toml
//! [[case]]
//! name = "..."
//! [[case.doc]]            # id, text, source, published, duplicate_of
//! [[case.doc.event]]      # type, sub, sentence, trigger, status, date,
//!                         # place, place_id, country, level, actor1,
//!                         # actor2, source, killed/injured = {value, low,
//!                         # high, approx, figure, subject}
//! [[case.doc.claim]]      # subject, measure, scope, value, low, high,
//!                         # approx, figure (its text in the document),
//!                         # sentence, source, event (local index), unit
//!                         # (what the figure counts)
//! [case.expect]           # events, disagreements, clusters (counts)
//! [[case.expect.event]]   # index + fields to check
//! [[case.expect.disagreement]]
//! [[case.expect.together]] / [[case.expect.apart]]  # docs = [ids]
//! ```

use std::path::Path;

use marsad_entities::Place;
use marsad_extract::{
    Claim, DocAnalysis, Event, EventFigure, EventLocation, EventStatus, SourceRef,
};
use marsad_figures::{DateValue, Grain};
use marsad_ingest::Document;
use marsad_insight::{Report, build_report};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    doc: Vec<Doc>,
    expect: Expect,
}

#[derive(Deserialize)]
struct Doc {
    id: String,
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    duplicate_of: Option<String>,
    #[serde(default)]
    event: Vec<Ev>,
    #[serde(default)]
    claim: Vec<Cl>,
}

#[derive(Deserialize, Clone)]
struct Fig {
    value: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    #[serde(default)]
    approx: bool,
    figure: Option<String>,
    subject: Option<String>,
}

#[derive(Deserialize)]
struct Ev {
    #[serde(rename = "type")]
    ty: String,
    sub: String,
    #[serde(default)]
    sentence: usize,
    trigger: String,
    #[serde(default = "reported")]
    status: String,
    date: Option<String>,
    place: Option<String>,
    place_id: Option<String>,
    country: Option<String>,
    admin1: Option<String>,
    level: Option<String>,
    actor1: Option<String>,
    actor2: Option<String>,
    #[serde(default)]
    source: String,
    killed: Option<Fig>,
    injured: Option<Fig>,
}

fn reported() -> String {
    "reported".into()
}

#[derive(Deserialize)]
struct Cl {
    subject: String,
    /// Defaults to the subject.
    subject_id: Option<String>,
    /// Defaults to the scope joined by `|`.
    scope_key: Option<String>,
    measure: String,
    #[serde(default)]
    scope: Vec<String>,
    value: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    #[serde(default)]
    approx: bool,
    figure: String,
    #[serde(default)]
    sentence: usize,
    #[serde(default)]
    source: String,
    event: Option<usize>,
    /// What the figure counts (a unit class of marsad-figures).
    unit: Option<String>,
}

#[derive(Deserialize, Default)]
struct Expect {
    events: Option<usize>,
    disagreements: Option<usize>,
    clusters: Option<usize>,
    #[serde(default)]
    event: Vec<ExpEvent>,
    #[serde(default)]
    disagreement: Vec<ExpDis>,
    #[serde(default)]
    together: Vec<Group>,
    #[serde(default)]
    apart: Vec<Group>,
}

#[derive(Deserialize)]
struct ExpEvent {
    index: usize,
    reports: Option<usize>,
    date: Option<String>,
    time_precision: Option<u8>,
    location: Option<String>,
    status: Option<String>,
    sub_type: Option<String>,
    fatalities: Option<ExpEst>,
}

#[derive(Deserialize)]
struct ExpEst {
    low: Option<f64>,
    best: Option<f64>,
    high: Option<f64>,
    conservative: Option<f64>,
    #[serde(default)]
    open_high: bool,
}

#[derive(Deserialize)]
struct ExpDis {
    index: usize,
    kind: String,
    subject: Option<String>,
    measure: Option<String>,
    claims: Option<usize>,
    reconciled: Option<ExpEst>,
}

#[derive(Deserialize)]
struct Group {
    docs: Vec<String>,
}

fn date_value(s: &str) -> DateValue {
    let (grain, precision) = match s.len() {
        10 => (Grain::Day, 1),
        7 => (Grain::Month, 3),
        _ => (Grain::Year, 3),
    };
    DateValue {
        value: Some(s.to_string()),
        grain,
        time_precision: precision,
        from: None,
        to: None,
        resolved: true,
    }
}

fn source_ref(s: &str, doc: &Doc) -> SourceRef {
    let text = if s.is_empty() {
        doc.source.clone().unwrap_or_default()
    } else {
        s.to_string()
    };
    SourceRef {
        text,
        source_type: "outlet".into(),
        id: None,
        stance: "states".into(),
    }
}

fn span(text: &str, needle: &str, what: &str) -> (usize, usize) {
    let s = text
        .find(needle)
        .unwrap_or_else(|| panic!("{what}: `{needle}` not in the document text"));
    (s, s + needle.len())
}

fn build(doc: &Doc) -> (Document, DocAnalysis) {
    let d = Document {
        id: doc.id.clone(),
        title: doc.title.clone(),
        source: doc.source.clone(),
        published: doc.published.clone(),
        text: doc.text.clone(),
        duplicate_of: doc.duplicate_of.clone(),
        ..Default::default()
    };
    let mut a = DocAnalysis::default();
    for c in &doc.claim {
        let (start, end) = span(&doc.text, &c.figure, "claim figure");
        let figure = match &c.unit {
            Some(u) => {
                a.figures.push(marsad_figures::Figure {
                    kind: marsad_figures::FigureKind::Quantity,
                    start,
                    end,
                    value: c.value,
                    low: c.low,
                    high: c.high,
                    approx: c.approx,
                    unit: Some(u.clone()),
                    unit_text: None,
                    conservative: None,
                    date: None,
                });
                a.figures.len() - 1
            }
            None => usize::MAX,
        };
        a.claims.push(Claim {
            measure: c.measure.clone(),
            subject: c.subject.clone(),
            subject_id: Some(c.subject_id.clone().unwrap_or_else(|| c.subject.clone())),
            scope: c.scope.clone(),
            scope_key: c.scope_key.clone().unwrap_or_else(|| c.scope.join("|")),
            value: c.value,
            low: c.low,
            high: c.high,
            approx: c.approx,
            figure,
            start,
            end,
            sentence: c.sentence,
            source: source_ref(&c.source, doc),
            event: c.event,
        });
    }
    for (ei, e) in doc.event.iter().enumerate() {
        let (start, end) = span(&doc.text, &e.trigger, "event trigger");
        let mut fig = |f: &Option<Fig>, measure: &str| -> Option<EventFigure> {
            let f = f.as_ref()?;
            let figure = f.figure.clone().unwrap_or_else(|| {
                f.value
                    .or(f.low)
                    .or(f.high)
                    .map(|v| format!("{}", v as i64))
                    .unwrap_or_default()
            });
            let (s, t) = span(&doc.text, &figure, "event figure");
            a.claims.push(Claim {
                measure: measure.into(),
                subject: f.subject.clone().unwrap_or_else(|| "people".into()),
                subject_id: Some(f.subject.clone().unwrap_or_else(|| "people".into())),
                scope: vec![],
                scope_key: String::new(),
                value: f.value,
                low: f.low,
                high: f.high,
                approx: f.approx,
                figure: usize::MAX,
                start: s,
                end: t,
                sentence: e.sentence,
                source: source_ref(&e.source, doc),
                event: Some(ei),
            });
            Some(EventFigure {
                value: f.value,
                low: f.low,
                high: f.high,
                claim: a.claims.len() - 1,
            })
        };
        let fatalities = fig(&e.killed, "killed");
        let injured = fig(&e.injured, "injured");
        let status = match e.status.as_str() {
            "reported" => EventStatus::Reported,
            "background" => EventStatus::Background,
            "negated" => EventStatus::Negated,
            "hypothetical" => EventStatus::Hypothetical,
            "threat" => EventStatus::Threat,
            s => panic!("unknown status {s}"),
        };
        let location = e.place.as_ref().map(|name| EventLocation {
            name: name.clone(),
            id: e.place_id.clone(),
            place: e.country.as_ref().map(|c| {
                let (precision, by) = match e.level.as_deref() {
                    Some("country") => (3, "country"),
                    Some("region") => (3, "region"),
                    _ => (1, "gazetteer-arabic"),
                };
                Place {
                    lat: 16.0,
                    lon: -1.0,
                    country: c.clone(),
                    admin1: e.admin1.clone(),
                    geo_precision: precision,
                    resolved_by: by.into(),
                }
            }),
        });
        let disorder = match e.ty.as_str() {
            "Protests" | "Riots" => "Demonstrations",
            "Strategic developments" => "Strategic developments",
            _ => "Political violence",
        };
        a.events.push(Event {
            event_type: e.ty.clone(),
            sub_event_type: e.sub.clone(),
            disorder_type: disorder.into(),
            start,
            end,
            trigger: e.trigger.clone(),
            sentence: e.sentence,
            status,
            date: e.date.as_deref().map(date_value),
            location,
            actor1: e.actor1.clone(),
            actor2: e.actor2.clone(),
            fatalities,
            injured,
            arrested: None,
            source: source_ref(&e.source, doc),
        });
    }
    (d, a)
}

fn check_est(ctx: &str, got: &marsad_insight::Estimate, want: &ExpEst) {
    if want.low.is_some() {
        assert_eq!(got.low, want.low, "{ctx}: low");
    }
    if want.best.is_some() {
        assert_eq!(got.best, want.best, "{ctx}: best");
    }
    if want.open_high {
        assert_eq!(got.high, None, "{ctx}: high should be open");
    } else if want.high.is_some() {
        assert_eq!(got.high, want.high, "{ctx}: high");
    }
    if want.conservative.is_some() {
        assert_eq!(got.conservative, want.conservative, "{ctx}: conservative");
    }
}

fn cluster_of(r: &Report, doc: &str) -> usize {
    r.clusters
        .iter()
        .find(|c| c.docs.iter().any(|d| d == doc))
        .map(|c| c.id)
        .unwrap_or_else(|| panic!("doc {doc} in no cluster"))
}

fn run_case(file: &str, c: &Case) {
    let ctx = format!("{file}: {}", c.name);
    let docs: Vec<(Document, DocAnalysis)> = c.doc.iter().map(build).collect();
    let r = build_report(&docs);
    let x = &c.expect;
    if let Some(n) = x.events {
        assert_eq!(r.events.len(), n, "{ctx}: merged events: {:#?}", r.events);
    }
    if let Some(n) = x.disagreements {
        assert_eq!(
            r.disagreements.len(),
            n,
            "{ctx}: disagreements: {:#?}",
            r.disagreements
        );
    }
    if let Some(n) = x.clusters {
        assert_eq!(r.clusters.len(), n, "{ctx}: clusters: {:#?}", r.clusters);
    }
    for w in &x.event {
        let e = r
            .events
            .get(w.index)
            .unwrap_or_else(|| panic!("{ctx}: no event {}", w.index));
        let ectx = format!("{ctx}: event {}", w.index);
        if let Some(n) = w.reports {
            assert_eq!(e.reports.len(), n, "{ectx}: reports");
        }
        if w.date.is_some() {
            assert_eq!(e.date, w.date, "{ectx}: date");
        }
        if w.time_precision.is_some() {
            assert_eq!(e.time_precision, w.time_precision, "{ectx}: time precision");
        }
        if let Some(l) = &w.location {
            assert_eq!(
                e.location.as_ref().map(|l| l.name.as_str()),
                Some(l.as_str()),
                "{ectx}"
            );
        }
        if let Some(s) = &w.status {
            assert_eq!(&e.status, s, "{ectx}: status");
        }
        if let Some(s) = &w.sub_type {
            assert_eq!(&e.sub_type, s, "{ectx}: sub type");
        }
        if let Some(f) = &w.fatalities {
            check_est(&format!("{ectx}: fatalities"), &e.fatalities, f);
        }
        for rep in &e.reports {
            assert!(!rep.text.is_empty(), "{ectx}: report without sentence text");
        }
    }
    for w in &x.disagreement {
        let d = r
            .disagreements
            .get(w.index)
            .unwrap_or_else(|| panic!("{ctx}: no disagreement {}", w.index));
        let dctx = format!("{ctx}: disagreement {}", w.index);
        assert_eq!(d.kind, w.kind, "{dctx}: kind");
        if let Some(s) = &w.subject {
            assert_eq!(&d.subject, s, "{dctx}");
        }
        if let Some(m) = &w.measure {
            assert_eq!(&d.measure, m, "{dctx}");
        }
        if let Some(n) = w.claims {
            assert_eq!(d.claims.len(), n, "{dctx}: claims");
        }
        if let Some(e) = &w.reconciled {
            let got = d
                .reconciled
                .as_ref()
                .unwrap_or_else(|| panic!("{dctx}: not reconciled"));
            check_est(&format!("{dctx}: reconciled"), got, e);
        }
        for cl in &d.claims {
            assert!(
                !cl.text.is_empty() && !cl.doc.is_empty(),
                "{dctx}: side without text/doc"
            );
        }
    }
    for g in &x.together {
        let k = cluster_of(&r, &g.docs[0]);
        for d in &g.docs {
            assert_eq!(
                cluster_of(&r, d),
                k,
                "{ctx}: {:?} should be one cluster",
                g.docs
            );
        }
    }
    for g in &x.apart {
        let ks: Vec<usize> = g.docs.iter().map(|d| cluster_of(&r, d)).collect();
        let mut u = ks.clone();
        u.sort();
        u.dedup();
        assert_eq!(
            u.len(),
            ks.len(),
            "{ctx}: {:?} should be in different clusters",
            g.docs
        );
    }
    // Every cluster has a summary whose sentences name their document.
    for s in &r.summary {
        let cl = &r.clusters[s.cluster];
        for p in &s.sentences {
            assert!(
                cl.docs.contains(&p.doc),
                "{ctx}: summary sentence from outside its cluster"
            );
        }
    }
}

#[test]
fn gold_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/insight");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/insight")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no gold files");
    let mut n = 0;
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let src = std::fs::read_to_string(f).unwrap();
        let file: File = toml::from_str(&src).unwrap_or_else(|e| panic!("{name}: {e}"));
        for c in &file.case {
            run_case(&name, c);
            n += 1;
        }
    }
    eprintln!("{n} gold cases");
}

fn fixture_report() -> Report {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/insight/fixture.toml");
    let file: File = toml::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    let docs: Vec<(Document, DocAnalysis)> = file.case[0].doc.iter().map(build).collect();
    build_report(&docs)
}

#[test]
fn snapshot_markdown() {
    insta::assert_snapshot!(marsad_insight::markdown(&fixture_report()));
}

#[test]
fn snapshot_json() {
    let v = serde_json::to_value(fixture_report()).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    let mut want = vec![
        "documents",
        "events",
        "claims",
        "disagreements",
        "timeline",
        "clusters",
        "summary",
    ];
    want.sort();
    let mut got: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
    got.sort();
    assert_eq!(got, want);
    insta::assert_json_snapshot!(v);
}

/// Split one CSV line (RFC 4180 quoting).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().unwrap().push(c),
        }
    }
    out
}

#[test]
fn acled_csv_columns() {
    let csv = marsad_insight::acled_csv(&fixture_report());
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert_eq!(
        header,
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,\
         actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,\
         iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,\
         source,source_scale,notes,fatalities,fatalities_low,fatalities_high,injured,doc_ids"
    );
    let cols: Vec<&str> = header.split(',').collect();
    let row = csv_fields(lines.next().unwrap());
    assert_eq!(row.len(), cols.len());
    let get = |name: &str| row[cols.iter().position(|c| *c == name).unwrap()].as_str();
    assert_eq!(get("event_id_cnty"), "MLI1");
    assert_eq!(get("event_date"), "2024-09-17");
    assert_eq!(get("year"), "2024");
    assert_eq!(get("iso"), "466");
    assert_eq!(get("region"), "Western Africa");
    assert_eq!(get("country"), "Mali");
    assert_eq!(get("inter1"), "2");
    assert_eq!(get("fatalities"), "70");
    assert_eq!(get("fatalities_high"), "77");
    assert_eq!(get("doc_ids"), "doc-a;doc-b");
    // The notes hold a sentence with a comma-free text; sources are joined.
    assert_eq!(get("source"), "مصدر أمني; مصادر طبية");
    assert!(lines.next().is_none());
}

#[test]
fn csv_quotes_commas_and_quotes() {
    let mut r = fixture_report();
    r.events[0].reports[0].text = "قال: \"نعم\"، ثم, غادر".into();
    let csv = marsad_insight::acled_csv(&r);
    let line = csv.lines().nth(1).unwrap();
    let row = csv_fields(line);
    assert_eq!(row.len(), marsad_insight::export::ACLED_COLUMNS.len());
    assert!(row.contains(&"قال: \"نعم\"، ثم, غادر".to_string()));
}

#[test]
fn geojson_is_a_valid_feature_collection() {
    let g = marsad_insight::geojson(&fixture_report());
    assert_eq!(g["type"], "FeatureCollection");
    let fs = g["features"].as_array().unwrap();
    assert_eq!(fs.len(), 1);
    for f in fs {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Point");
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(c.len(), 2);
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        assert!(f["properties"].is_object());
        assert_eq!(f["properties"]["type"], "Battles");
    }
}

/// Every gold case, plus figures that only an exact float round trip keeps
/// (`218.79999999999998` is what `218.8` multiplied out gives), built with
/// the texts spilled as JSON bytes: the report and each streamed rendering
/// are those of the in-memory report.
#[test]
fn spilled_report_is_the_in_memory_report() {
    use marsad_insight::{ByteSpill, ReportBuilder, ReportSource};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/insight");
    let mut cases: Vec<Vec<(Document, DocAnalysis)>> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for f in &files {
        let file: File = toml::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        for c in &file.case {
            cases.push(c.doc.iter().map(build).collect());
        }
    }
    let mut odd = cases[0].clone();
    for (k, (_, a)) in odd.iter_mut().enumerate() {
        for c in &mut a.claims {
            let v = [218.79999999999998, 8300000000000001.0, 4099999999999.9995][k % 3];
            c.value = Some(v);
            c.low = Some(v);
            c.high = Some(v);
        }
    }
    cases.push(odd);
    for docs in &cases {
        let mem = build_report(docs);
        let mut b = ReportBuilder::new(ByteSpill::new(Vec::<u8>::new()));
        for (d, a) in docs {
            b.push(marsad_insight::digest(d, a)).unwrap();
        }
        let spilled = b.build().unwrap();
        assert_eq!(spilled.to_report().unwrap(), mem);
        assert_eq!(ReportSource::counts(&spilled), ReportSource::counts(&mem));

        let mut json = Vec::new();
        marsad_insight::write_json(&spilled, &mut json).unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            serde_json::to_string_pretty(&mem).unwrap()
        );
        let mut md = String::new();
        marsad_insight::write_markdown(&spilled, &mut md).unwrap();
        assert_eq!(md, marsad_insight::markdown(&mem));
        let mut csv = String::new();
        marsad_insight::write_acled_csv(&spilled, &mut csv).unwrap();
        assert_eq!(csv, marsad_insight::acled_csv(&mem));
        let mut geo = Vec::new();
        marsad_insight::write_geojson(&spilled, &mut geo).unwrap();
        assert_eq!(
            String::from_utf8(geo).unwrap(),
            serde_json::to_string_pretty(&marsad_insight::geojson(&mem)).unwrap()
        );
    }
}
