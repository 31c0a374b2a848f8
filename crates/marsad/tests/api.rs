//! Integration tests of the HTTP API against `marsad demo` on 127.0.0.1
//! with a random port. One server per test binary (the demo analyses its
//! articles at start-up), so the checks run in one test, each in its own
//! function, in an order where the write (`POST`) comes last.

#[path = "common_server.rs"]
mod common_server;

use common_server::{DemoServer, Resp, enc, get, request};
use serde_json::Value;

fn is_json_error(r: &Resp, status: u16) {
    assert_eq!(r.status, status, "status; body: {}", r.text());
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "error responses are JSON: {:?}",
        r.header("content-type")
    );
    let v = r.json();
    assert!(
        v["error"].as_str().is_some_and(|m| !m.is_empty()),
        "error has a message: {v}"
    );
}

fn search(addr: &str, q: &str) -> Value {
    let r = get(
        addr,
        &format!("/api/search?q={}&limit=50&facets=true", enc(q)),
    );
    assert_eq!(r.status, 200, "search {q}: {}", r.text());
    r.json()
}

fn ids(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v["results"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|h| h["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn openapi_parses_and_lists_every_route(addr: &str) {
    let r = get(addr, "/api/openapi.json");
    assert_eq!(r.status, 200);
    let v = r.json();
    assert!(v["openapi"].as_str().is_some_and(|s| s.starts_with("3.")));
    let paths = v["paths"].as_object().expect("paths");
    for p in [
        "/api/search",
        "/api/documents",
        "/api/documents/{id}",
        "/api/events",
        "/api/claims",
        "/api/disagreements",
        "/api/timeline",
        "/api/entities",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(p), "openapi lists {p}");
    }
    // Every listed GET answers 200 (with a real id for the document).
    let any_id = ids(&search(addr, ""))
        .into_iter()
        .next()
        .expect("the demo has documents");
    for (p, item) in paths {
        if item.get("get").is_none() {
            continue;
        }
        let path = p.replace("{id}", &enc(&any_id));
        let r = get(addr, &path);
        assert_eq!(r.status, 200, "GET {path}: {}", r.text());
        r.json();
    }
    // Every $ref points to a schema that exists.
    let text = r.text();
    let schemas = v["components"]["schemas"].as_object().expect("schemas");
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap_or("");
        assert!(schemas.contains_key(name), "schema {name} is defined");
    }
}

fn search_matches_spelling_variants(addr: &str) {
    // The demo writes «بعثة الأمم المتحدة»; people type ه for ة, drop
    // hamzas, add diacritics and tatweel, and attach clitics.
    let base = search(addr, "بعثة الأمم المتحدة");
    let base_ids = ids(&base);
    assert!(
        base_ids.len() >= 3,
        "three demo articles name the mission: {base}"
    );
    for variant in [
        "بعثه الامم المتحده",
        "بَعْثَة الأُمَم المُتَّحِدَة",
        "بعـثة الأمـم المتحـدة",
        "وبعثة الأمم المتحدة",
    ] {
        assert_eq!(ids(&search(addr, variant)), base_ids, "variant {variant}");
    }
    let hamza = ids(&search(addr, "اختطاف"));
    assert_eq!(ids(&search(addr, "إختطاف")), hamza);
    let town = ids(&search(addr, "ميناكا"));
    assert!(town.len() >= 3, "Ménaka is in several articles");
    for clitic in ["بميناكا", "وميناكا"] {
        assert_eq!(ids(&search(addr, clitic)), town, "clitic form {clitic}");
    }
    // Snippets highlight the match and results carry their fields.
    let hit = &base["results"][0];
    assert!(hit["snippet"].as_str().is_some_and(|s| s.contains("<b>")));
    assert!(hit["source"].is_string() && hit["title"].is_string());
    // Facets and filters.
    let sources = base["facets"]["source"].as_array().expect("facets");
    assert!(!sources.is_empty());
    let name = sources[0]["name"].as_str().unwrap_or("");
    let n = sources[0]["count"].as_u64().unwrap_or(0);
    let filtered = get(
        addr,
        &format!(
            "/api/search?q={}&source={}",
            enc("بعثة الأمم المتحدة"),
            enc(name)
        ),
    )
    .json();
    assert_eq!(
        filtered["total"].as_u64(),
        Some(n),
        "source filter = facet count"
    );
    // A phrase matches fewer or as many documents as its words.
    let phrase = ids(&search(addr, "\"حفظ السلام\""));
    assert!(!phrase.is_empty() && phrase.len() <= ids(&search(addr, "حفظ السلام")).len());
    // Facets only when asked for.
    let plain = get(addr, &format!("/api/search?q={}", enc("ميناكا"))).json();
    assert!(plain["facets"].is_null() && plain["total"].as_u64() >= Some(3));
    // Nothing matches nonsense.
    assert_eq!(search(addr, "زقزقةلاتوجد")["total"].as_u64(), Some(0));
    // Bad filter values are 400s.
    is_json_error(&get(addr, "/api/search?q=x&from=yesterday"), 400);
    is_json_error(&get(addr, "/api/search?limit=many"), 400);
}

fn documents_and_errors(addr: &str) {
    is_json_error(&get(addr, "/api/documents/no-such-document"), 404);
    is_json_error(&get(addr, "/api/no-such-endpoint"), 404);
    let id = ids(&search(addr, "ميناكا"))
        .into_iter()
        .next()
        .expect("an id");
    let r = get(addr, &format!("/api/documents/{}", enc(&id)));
    assert_eq!(r.status, 200);
    let rec = r.json();
    assert_eq!(rec["id"].as_str(), Some(id.as_str()));
    let text = rec["text"].as_str().expect("text");
    let chars: Vec<char> = text.chars().collect();
    let mentions = rec["mentions"].as_array().expect("mentions");
    assert!(!mentions.is_empty());
    // Offsets are code points into the text.
    for m in mentions {
        let (s, e) = (
            m["start"].as_u64().unwrap_or(0) as usize,
            m["end"].as_u64().unwrap_or(0) as usize,
        );
        // An attribution to the outlet itself has no span in the text.
        assert!(s <= e && e <= chars.len(), "mention in range: {m}");
        assert!(s < e || m["kind"] == "attribution", "empty span: {m}");
        let slice: String = chars[s..e].iter().collect();
        assert_eq!(Some(slice.as_str()), m["text"].as_str());
    }
    is_json_error(&get(addr, "/api/events?from=12/05/2024"), 400);
}

fn cross_document_views(addr: &str) {
    let events = get(addr, "/api/events").json();
    let events = events["events"].as_array().expect("events");
    assert!(events.len() >= 4, "the demo reports several events");
    assert!(
        events
            .iter()
            .any(|e| e["reports"].as_array().is_some_and(|r| r.len() >= 2)),
        "some event is reported by several articles"
    );
    let t = events[0]["type"].as_str().unwrap_or("");
    let same = get(addr, &format!("/api/events?type={}", enc(t))).json();
    let same = same["events"].as_array().expect("events");
    assert!(!same.is_empty() && same.iter().all(|e| e["type"] == t));
    let in_may = get(addr, "/api/events?from=2024-05-12&to=2024-05-16").json();
    for e in in_may["events"].as_array().expect("events") {
        let d = e["date"].as_str().unwrap_or("");
        assert!(("2024-05"..="2024-05-16").contains(&d), "date filter: {d}");
    }

    let dis = get(addr, "/api/disagreements").json();
    let dis = dis["disagreements"].as_array().expect("disagreements");
    assert!(!dis.is_empty(), "the demo has disagreements");
    for d in dis {
        assert!(d["claims"].as_array().is_some_and(|c| c.len() >= 2));
        assert!(matches!(
            d["kind"].as_str(),
            Some("contradiction" | "different_scope")
        ));
    }
    let killed = dis.iter().any(|d| {
        d["measure"] == "killed"
            && d["claims"].as_array().is_some_and(|c| {
                let vals: Vec<f64> = c
                    .iter()
                    .filter_map(|x| x["value"].as_f64().or(x["low"].as_f64()))
                    .collect();
                vals.contains(&12.0) && vals.contains(&17.0)
            })
    });
    assert!(killed, "the Ménaka toll (12 vs 17) is disputed: {dis:?}");

    let tl = get(addr, "/api/timeline").json();
    let tl = tl["timeline"].as_array().expect("timeline");
    assert!(!tl.is_empty());
    let dates: Vec<&str> = tl.iter().filter_map(|e| e["date"].as_str()).collect();
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "timeline in date order"
    );

    let claims = get(addr, "/api/claims?measure=killed").json();
    let claims = claims["claims"].as_array().expect("claims");
    assert!(claims.len() >= 3 && claims.iter().all(|c| c["measure"] == "killed"));

    // Lists are paged: `total` counts every match, `limit`/`offset` pick
    // the rows, and consecutive pages tile the whole list.
    let all = get(addr, "/api/claims?limit=5000").json();
    let n = all["total"].as_u64().expect("total") as usize;
    assert_eq!(all["claims"].as_array().map(Vec::len), Some(n));
    assert!(n >= 4, "the demo has several claims");
    let first = get(addr, "/api/claims?limit=2").json();
    let second = get(addr, "/api/claims?limit=2&offset=2").json();
    assert_eq!(first["total"].as_u64(), Some(n as u64));
    assert_eq!(
        (first["limit"].as_u64(), second["offset"].as_u64()),
        (Some(2), Some(2))
    );
    let paged: Vec<&serde_json::Value> = first["claims"]
        .as_array()
        .into_iter()
        .chain(second["claims"].as_array())
        .flatten()
        .collect();
    let whole: Vec<&serde_json::Value> = all["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .take(4)
        .collect();
    assert_eq!(paged, whole);
    let past = get(addr, &format!("/api/events?offset={}", events.len())).json();
    assert_eq!(past["events"].as_array().map(Vec::len), Some(0));
    assert_eq!(past["total"].as_u64(), Some(events.len() as u64));
    is_json_error(&get(addr, "/api/timeline?limit=many"), 400);
    // The events page is paged the same way, its links keeping the filters.
    let page = get(addr, "/events?limit=2").text();
    assert!(
        page.contains("rel=\"next\"") && page.contains("offset=2"),
        "pager: {page}"
    );
    assert!(!page.contains("rel=\"prev\""));
    let page = get(addr, "/events?limit=2&offset=2").text();
    assert!(page.contains("rel=\"prev\""));

    let ents = get(addr, "/api/entities?limit=5").json();
    let ents = ents["entities"].as_array().expect("entities");
    assert!(!ents.is_empty() && ents.len() <= 5);
}

fn pages_without_a_browser(addr: &str) {
    for path in [
        "/",
        "/?q=%D9%85%D9%8A%D9%86%D8%A7%D9%83%D8%A7",
        "/events",
        "/events?type=Battles&country=ML",
        "/timeline",
        "/map",
        "/disagreements",
    ] {
        let r = get(addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("text/html"))
        );
        let html = r.text();
        assert!(
            html.contains("<html dir=\"rtl\" lang=\"ar\">"),
            "{path} is RTL Arabic"
        );
        // Nothing is loaded from elsewhere (no CDN): no external scripts,
        // styles, images or fonts.
        for bad in [
            "src=\"http",
            "src=\"//",
            "stylesheet\" href=\"http",
            "@import",
            "url(http",
        ] {
            assert!(
                !html.contains(bad),
                "{path} loads nothing from outside ({bad})"
            );
        }
    }
    let r = get(addr, "/events?from=not-a-date");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("dir=\"rtl\""), "page errors are pages");
    assert_eq!(get(addr, "/no-such-page").status, 404);
    let css = get(addr, "/static/style.css");
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .is_some_and(|c| c.starts_with("text/css"))
    );
    // CSV export: ACLED header and one row per (filtered) event.
    let csv = get(addr, "/events.csv?type=Battles");
    assert_eq!(csv.status, 200);
    assert!(
        csv.header("content-type")
            .is_some_and(|c| c.starts_with("text/csv"))
    );
    let text = csv.text();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("event_id_cnty,event_date"))
    );
    let battles = get(addr, "/api/events?type=Battles").json()["events"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(battles > 0);
    assert_eq!(lines.filter(|l| !l.is_empty()).count(), battles);
}

fn posting_documents(addr: &str) {
    let json = [("Content-Type", "application/json")];
    // Malformed JSON, missing text, empty text, unknown media type.
    is_json_error(
        &request(addr, "POST", "/api/documents", &json, b"{\"text\": "),
        400,
    );
    is_json_error(
        &request(addr, "POST", "/api/documents", &json, b"{\"title\": \"x\"}"),
        400,
    );
    is_json_error(
        &request(addr, "POST", "/api/documents", &json, b"{\"text\": \"  \"}"),
        400,
    );
    is_json_error(
        &request(
            addr,
            "POST",
            "/api/documents",
            &[("Content-Type", "image/png")],
            b"x",
        ),
        415,
    );
    // Too large: 3 MiB.
    let big = vec![b'a'; 3 * 1024 * 1024];
    is_json_error(
        &request(
            addr,
            "POST",
            "/api/documents",
            &[("Content-Type", "text/plain")],
            &big,
        ),
        413,
    );
    // A real article: analysed, stored, searchable, and in the views.
    let before = get(addr, "/api/events").json()["events"]
        .as_array()
        .map_or(0, Vec::len);
    let body = serde_json::json!({
        "title": "اشتباكات قرب تمبكتو",
        "source": "وكالة الاختبار",
        "published": "2024-06-02",
        "text": "قُتل 6 جنود في اشتباكات مع مسلحين قرب مدينة تمبكتو شمال مالي يوم السبت 1 يونيو/حزيران 2024، بحسب مصدر عسكري."
    });
    let r = request(
        addr,
        "POST",
        "/api/documents",
        &json,
        body.to_string().as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(
        matches!(r.header("x-marsad-views"), Some("refreshing" | "current")),
        "{:?}",
        r.header("x-marsad-views")
    );
    let rec = r.json();
    let id = rec["id"].as_str().expect("id").to_owned();
    assert!(rec["mentions"].as_array().is_some_and(|m| !m.is_empty()));
    assert!(rec["claims"].as_array().is_some_and(|c| !c.is_empty()));
    assert_eq!(
        r.header("location"),
        Some(format!("/api/documents/{}", enc(&id)).as_str())
    );
    assert_eq!(
        get(addr, &format!("/api/documents/{}", enc(&id))).status,
        200
    );
    assert!(ids(&search(addr, "تمبكتو")).contains(&id));
    // The same article again is not stored twice.
    let again = request(
        addr,
        "POST",
        "/api/documents",
        &json,
        body.to_string().as_bytes(),
    );
    assert_eq!(again.status, 200, "{}", again.text());
    assert_eq!(again.json()["id"].as_str(), Some(id.as_str()));
    // The views are rebuilt in the background, soon after the post.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let after = loop {
        let n = get(addr, "/api/events").json()["events"]
            .as_array()
            .map_or(0, Vec::len);
        if n > before || std::time::Instant::now() > deadline {
            break n;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(
        after > before,
        "views rebuilt after the POST ({before} → {after})"
    );
    // Plain text with metadata in the query string.
    let r = request(
        addr,
        "POST",
        &format!(
            "/api/documents?source={}&published=2024-06-03",
            enc("إذاعة الاختبار")
        ),
        &[("Content-Type", "text/plain; charset=utf-8")],
        "تظاهر مئات الطلاب في مدينة نيامي يوم الأحد 2 يونيو/حزيران 2024.".as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let rec = r.json();
    assert_eq!(rec["source"].as_str(), Some("إذاعة الاختبار"));
    assert_eq!(
        rec["published"].as_str().map(|p| &p[..10]),
        Some("2024-06-03")
    );
}

#[test]
fn api_against_the_demo_server() {
    let server = DemoServer::start();
    let addr = server.addr.as_str();
    openapi_parses_and_lists_every_route(addr);
    search_matches_spelling_variants(addr);
    documents_and_errors(addr);
    cross_document_views(addr);
    pages_without_a_browser(addr);
    posting_documents(addr);
}
