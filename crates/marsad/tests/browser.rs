//! Browser tests: the demo's pages in headless Chromium (Debian's
//! `chromium`; `.ci/run` installs it). Each page is loaded with
//! `--dump-dom` and its DOM checked (results, RTL, highlights, map points,
//! disagreement rows); screenshots go to `testdata/screenshots/` (git
//! ignored) for a person to look at. Without Chromium the test prints a
//! note and returns.

#[path = "common_server.rs"]
mod common_server;

use std::path::{Path, PathBuf};
use std::process::Command;

use common_server::{DemoServer, enc, get};

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        let fixed = Path::new("/usr/bin").join(name);
        if fixed.exists() {
            return Some(fixed);
        }
        if let Some(paths) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&paths) {
                let p = dir.join(name);
                if p.exists() {
                    return Some(p);
                }
            }
        }
    }
    None
}

struct Browser {
    exe: PathBuf,
    profile: tempfile::TempDir,
}

impl Browser {
    fn args(&self) -> Vec<String> {
        vec![
            "--headless".into(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            format!("--user-data-dir={}", self.profile.path().display()),
        ]
    }

    fn dom(&self, url: &str) -> String {
        let out = Command::new(&self.exe)
            .args(self.args())
            .arg("--dump-dom")
            .arg(url)
            .output()
            .expect("running chromium");
        assert!(out.status.success(), "chromium --dump-dom {url} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screenshot(&self, url: &str, name: &str) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let file = dir.join(format!("{name}.png"));
        let out = Command::new(&self.exe)
            .args(self.args())
            .arg(format!("--screenshot={}", file.display()))
            .arg("--window-size=1280,1600")
            .arg(url)
            .output()
            .expect("running chromium");
        assert!(out.status.success(), "chromium --screenshot {url} failed");
        let meta = std::fs::metadata(&file).expect("screenshot written");
        assert!(meta.len() > 10_000, "{name}.png is not blank");
    }
}

fn count(h: &str, needle: &str) -> usize {
    h.matches(needle).count()
}

#[test]
fn demo_pages_in_headless_chromium() {
    let Some(exe) = chromium() else {
        println!("skipping: chromium not found (apt-get install chromium)");
        return;
    };
    let server = DemoServer::start();
    let b = Browser {
        exe,
        profile: tempfile::tempdir().expect("profile dir"),
    };
    let base = server.url.trim_end_matches('/');

    // Search with an Arabic query: results with highlighted snippets, facets.
    let url = format!("{base}/?q={}", enc("بعثة الأمم المتحدة"));
    let dom = b.dom(&url);
    assert!(dom.contains("dir=\"rtl\"") && dom.contains("lang=\"ar\""));
    assert!(count(&dom, "class=\"hit\"") >= 3, "search results present");
    assert!(dom.contains("<b>"), "snippets highlight the query");
    assert!(count(&dom, "class=\"facet\"") >= 2, "facets present");
    b.screenshot(&url, "search");

    // The article view: highlights of every kind, focusable, with tooltips.
    let first = get(&server.addr, &format!("/api/search?q={}", enc("ميناكا"))).json();
    let id = first["results"][0]["id"]
        .as_str()
        .expect("a result")
        .to_owned();
    let url = format!("{base}/documents/{}", enc(&id));
    let dom = b.dom(&url);
    assert!(dom.contains("dir=\"rtl\""));
    for kind in ["m m-fig", "m m-date", "m m-ent", "m m-attr"] {
        assert!(
            dom.contains(&format!("class=\"{kind}")),
            "highlight {kind} present"
        );
    }
    assert!(count(&dom, "tabindex=\"0\"") >= 5);
    assert!(dom.contains("data-tip=\""));
    b.screenshot(&url, "article");

    // Events table with filters and the CSV link.
    let url = format!("{base}/events");
    let dom = b.dom(&url);
    assert!(
        count(&dom, "class=\"event-row\"") >= 4,
        "event rows present"
    );
    assert!(dom.contains("href=\"/events.csv"));
    b.screenshot(&url, "events");

    // Timeline: an SVG with event circles.
    let url = format!("{base}/timeline");
    let dom = b.dom(&url);
    assert!(
        count(&dom, "class=\"tl-event") >= 3,
        "timeline points present"
    );
    b.screenshot(&url, "timeline");

    // Map: country shapes and event circles.
    let url = format!("{base}/map");
    let dom = b.dom(&url);
    assert!(count(&dom, "<path") > 150, "country shapes drawn");
    assert!(
        count(&dom, "class=\"event-point") >= 3,
        "map points present"
    );
    b.screenshot(&url, "map");

    // Disagreements: values side by side.
    let url = format!("{base}/disagreements");
    let dom = b.dom(&url);
    assert!(
        count(&dom, "disagreement-row") >= 2,
        "disagreement rows present"
    );
    assert!(dom.contains("تناقض"));
    b.screenshot(&url, "disagreements");
}
