//! Store behaviour: idempotent and incremental writes, replacement,
//! repair of an index that is behind or ahead of SQLite, round trips.

use marsad_extract::{DocAnalysis, EntityMention};
use marsad_ingest::Document;
use marsad_store::{Query, Store};

fn doc(id: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        title: Some(format!("عنوان {id}")),
        source: Some("وكالة الساحل".into()),
        published: Some("2024-09-17".into()),
        text: text.into(),
        origin: format!("test:{id}"),
        ..Document::default()
    }
}

fn entity(text: &str, word: &str, id: &str) -> EntityMention {
    let start = text.find(word).unwrap();
    serde_json::from_value(serde_json::json!({
        "etype": "GPE", "start": start, "end": start + word.len(),
        "canonical": word, "id": id, "title": null, "place": null
    }))
    .unwrap()
}

fn ids(store: &Store, q: &str) -> Vec<String> {
    let mut v: Vec<String> = store
        .search(&Query {
            limit: 100,
            ..Query::new(q)
        })
        .unwrap()
        .results
        .into_iter()
        .map(|h| h.id)
        .collect();
    v.sort();
    v
}

fn corpus() -> Vec<(Document, DocAnalysis)> {
    let t1 = "هاجم مسلحون مدرسة للدرك في باماكو فجر الثلاثاء.";
    let t2 = "غادرت قوات حفظ السلام قاعدة تمبكتو بعد عشر سنوات.";
    let t3 = "ارتفعت أسعار الحبوب في الأسواق الشمالية.";
    let a1 = DocAnalysis {
        entities: vec![entity(t1, "باماكو", "gn:bamako")],
        ..DocAnalysis::default()
    };
    vec![
        (doc("a", t1), a1),
        (doc("b", t2), DocAnalysis::default()),
        (doc("c", t3), DocAnalysis::default()),
    ]
}

#[test]
fn same_documents_twice_are_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let s = store.ingest_batch(corpus()).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (3, 0, 0));
    let before = store.counts().unwrap();
    let s = store.ingest_batch(corpus()).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (0, 0, 3));
    let after = store.counts().unwrap();
    assert_eq!(before, after);
    assert_eq!(after.documents, 3);
    assert_eq!(after.indexed, 3);
    assert_eq!(after.entities, 1);
    // `needs` tells the caller to skip analysis.
    let (d, _) = &corpus()[0];
    assert!(!store.needs(&d.id, &marsad_store::content_hash(d)).unwrap());
    assert!(store.needs("new-id", "whatever").unwrap());
    // Same id and content inside one batch: written once.
    let mut twice = corpus();
    twice.truncate(1);
    twice[0].0.text.push_str(" تحديث.");
    twice.push(twice[0].clone());
    let s = store.ingest_batch(twice).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (0, 1, 1));
    assert_eq!(store.counts().unwrap().indexed, 3);
}

#[test]
fn a_changed_document_replaces_its_old_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.ingest_batch(corpus()).unwrap();
    assert_eq!(ids(&store, "مدرسة"), vec!["a"]);
    let t = "انفجرت عبوة ناسفة قرب سوق مدينة غاو.";
    let changed = (
        doc("a", t),
        DocAnalysis {
            entities: vec![entity(t, "غاو", "gn:gao"), entity(t, "سوق", "x:souk")],
            ..DocAnalysis::default()
        },
    );
    let s = store.ingest_batch(vec![changed]).unwrap();
    assert_eq!((s.added, s.updated, s.unchanged), (0, 1, 0));
    assert!(ids(&store, "مدرسة").is_empty());
    assert_eq!(ids(&store, "عبوة"), vec!["a"]);
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.indexed), (3, 3));
    // Old entity rows gone, new ones in.
    let ents: Vec<String> = store
        .entities(10)
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert!(!ents.contains(&"gn:bamako".to_string()), "{ents:?}");
    assert!(ents.contains(&"gn:gao".to_string()));
    let (d, a) = store.document("a").unwrap().unwrap();
    assert_eq!(d.text, t);
    assert_eq!(a.entities.len(), 2);
    let q = Query {
        entity: Some("غاو".into()),
        ..Query::new("")
    };
    assert_eq!(store.search(&q).unwrap().total, 1);
}

#[test]
fn documents_round_trip_and_stream() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut docs = corpus();
    docs[0].0.links = vec!["https://example.org/x".into()];
    docs[0]
        .0
        .metadata
        .insert("category".into(), serde_json::json!("world"));
    store.ingest_batch(docs.clone()).unwrap();
    let got = store.document("a").unwrap().unwrap();
    assert_eq!(got, docs[0]);
    assert!(store.document("zzz").unwrap().is_none());
    let all: Vec<_> = store.all_analyses().collect::<Result<_, _>>().unwrap();
    assert_eq!(all, docs);
}

#[test]
fn many_documents_stream_in_pages() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let docs: Vec<_> = (0..600)
        .map(|i| {
            (
                doc(&format!("d{i:04}"), &format!("خبر رقم {i} عن الأسواق.")),
                DocAnalysis::default(),
            )
        })
        .collect();
    store.ingest_batch(docs).unwrap();
    assert_eq!(store.all_analyses().count(), 600);
    assert_eq!(store.search(&Query::new("الأسواق")).unwrap().total, 600);
}

#[test]
fn a_lost_index_is_rebuilt_from_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.ingest_batch(corpus()).unwrap();
    }
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.repair().reindexed, 3);
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.indexed), (3, 3));
    assert_eq!(ids(&store, "مدرسة"), vec!["a"]);
    drop(store);
    // Reopening a consistent store repairs nothing.
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.repair(), marsad_store::Repair::default());
}

#[test]
fn an_index_ahead_of_sqlite_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("marsad.db");
    let saved = dir.path().join("saved.db");
    let mut docs = corpus();
    let last = docs.pop().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.ingest_batch(docs).unwrap();
    }
    std::fs::copy(&db, &saved).unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.ingest_batch(vec![last]).unwrap();
        assert_eq!(store.counts().unwrap().indexed, 3);
    }
    // SQLite loses its last batch (as after a power cut).
    std::fs::copy(&saved, &db).unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert!(store.repair().rebuilt);
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.indexed), (2, 2));
    assert!(ids(&store, "الحبوب").is_empty());
    let mut indexed = store.indexed_ids().unwrap();
    indexed.sort();
    assert_eq!(indexed, vec!["a", "b"]);
}

#[test]
fn read_only_store_sees_committed_batches() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        Store::open_read_only(dir.path()),
        Err(marsad_store::Error::NotFound(_))
    ));
    let store = Store::open(dir.path()).unwrap();
    store.ingest_batch(corpus()).unwrap();
    let ro = Store::open_read_only(dir.path()).unwrap();
    assert_eq!(ro.counts().unwrap().documents, 3);
    assert_eq!(ids(&ro, "تمبكتو"), vec!["b"]);
    assert!(matches!(
        ro.ingest_batch(corpus()),
        Err(marsad_store::Error::ReadOnly)
    ));
}

#[test]
fn facets_count_the_whole_result_set() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut docs = corpus();
    docs[2].0.source = Some("إذاعة النهر".into());
    store.ingest_batch(docs).unwrap();
    let r = store
        .search(&Query {
            facets: true,
            limit: 1,
            ..Query::new("")
        })
        .unwrap();
    assert_eq!(r.total, 3);
    assert_eq!(r.results.len(), 1);
    let f = r.facets.unwrap();
    assert_eq!(
        f.sources,
        vec![
            ("وكالة الساحل".to_string(), 2),
            ("إذاعة النهر".to_string(), 1)
        ]
    );
    assert_eq!(f.entities, vec![("باماكو".to_string(), 1)]);
}

#[test]
fn document_local_entity_ids_do_not_merge_different_names() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let person = |text: &str, word: &str, id: &str| {
        let start = text.find(word).unwrap();
        serde_json::from_value::<EntityMention>(serde_json::json!({
            "etype": "PERS", "start": start, "end": start + word.len(),
            "canonical": word, "id": id, "title": null, "place": null
        }))
        .unwrap()
    };
    let t1 = "قال أحمد سالم إن الطريق مغلق.";
    let t2 = "أكد يوسف كمارا وصول القافلة.";
    let t3 = "وأضاف أحمد سالم أن الوضع هادئ.";
    let a = |m| DocAnalysis {
        entities: vec![m],
        ..DocAnalysis::default()
    };
    store
        .ingest_batch(vec![
            (doc("p1", t1), a(person(t1, "أحمد سالم", "doc:pers:1"))),
            (doc("p2", t2), a(person(t2, "يوسف كمارا", "doc:pers:1"))),
            (doc("p3", t3), a(person(t3, "أحمد سالم", "doc:pers:4"))),
        ])
        .unwrap();
    let ents = store.entities(10).unwrap();
    assert_eq!(ents.len(), 2, "{ents:?}");
    assert_eq!(ents[0].name, "أحمد سالم");
    assert_eq!(ents[0].documents, 2);
    assert_eq!(ents[0].etype, "PERS");
    let q = Query {
        entity: Some(ents[0].id.clone()),
        ..Query::new("")
    };
    assert_eq!(store.search(&q).unwrap().total, 2);
}

#[test]
fn chunks_are_committed_every_so_many_documents() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let texts = [
        "وصلت قافلة إغاثة إلى مخيم النازحين.",
        "أعلن الجيش فتح الطريق بين المدينتين.",
        "عادت الكهرباء إلى الحي الشرقي مساء.",
        "افتتحت البلدية سوقاً جديدة للماشية.",
        "تأجل الامتحان الوطني أسبوعاً كاملاً.",
    ];
    let prepared = |i: usize| {
        marsad_store::prepare(doc(&format!("d{i}"), texts[i]), DocAnalysis::default()).unwrap()
    };
    // Chunks of 2, 2, 1 with a commit every 3 documents: the first commit
    // comes after the second chunk (4 documents), the last at the end.
    let chunks = vec![
        vec![prepared(0), prepared(1)],
        vec![prepared(2), prepared(3)],
        vec![prepared(4)],
    ];
    let mut events = Vec::new();
    let total = store
        .ingest_chunks(chunks, false, 3, |p| events.push(p))
        .unwrap();
    assert_eq!((total.added, total.updated, total.unchanged), (5, 0, 0));
    use marsad_store::WriteProgress::{Committed, Written};
    let commits: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            Committed { docs, .. } => Some(*docs),
            Written(_) => None,
        })
        .collect();
    assert_eq!(commits, vec![4, 1]);
    let written: usize = events
        .iter()
        .map(|e| if let Written(n) = e { *n } else { 0 })
        .sum();
    assert_eq!(written, 5);
    assert!(matches!(events.last(), Some(Committed { total, .. }) if total.added == 5));
    let c = store.counts().unwrap();
    assert_eq!((c.documents, c.indexed), (5, 5));
    assert_eq!(ids(&store, "الماشية"), vec!["d3"]);
    // Written again in one chunk: nothing changes, one (empty) commit.
    let again: Vec<_> = (0..5).map(prepared).collect();
    let mut commits = 0;
    let total = store
        .ingest_chunks(vec![again], false, 3, |p| {
            commits += usize::from(matches!(p, Committed { .. }))
        })
        .unwrap();
    assert_eq!((total.added, total.unchanged, commits), (0, 5, 1));
    assert_eq!(store.counts().unwrap(), c);
}
