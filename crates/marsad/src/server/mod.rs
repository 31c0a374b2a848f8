//! The HTTP server of `marsad serve` and `marsad demo`: a JSON API and
//! server-rendered web pages over one workspace.
//!
//! - [`api`]: the JSON API under `/api` (search, documents, events, claims,
//!   disagreements, timeline, entities, `POST /api/documents`), described
//!   by the OpenAPI 3 document of [`openapi`] at `/api/openapi.json`.
//! - [`pages`]: the HTML pages (askama templates in `templates/`): search
//!   with facets, the article view with highlighted mentions, the events
//!   table with CSV export, the timeline and map ([`charts`], inline SVG),
//!   and the disagreements page. Everything the pages need (CSS, the world
//!   map) is embedded in the binary: the pages work offline.
//!
//! ## State
//! [`AppState`] holds the store and the cross-document [`Views`]: the
//! `marsad-insight` report over every stored analysis and the entity list.
//! They are built once at start-up and again after accepted
//! `POST /api/documents`, then swapped in under an `RwLock`; requests only
//! clone an `Arc` and never rebuild them. Writes are serialised by a mutex
//! (the store has one writer), held for the write only.
//!
//! A post does not wait for the views: on a 31k-article store rebuilding
//! them takes seconds, and a client adding articles one by one would wait
//! that long for each. The post answers with the document's analysis as
//! soon as it is stored (and searchable), with the header
//! `X-Marsad-Views: refreshing`, and asks for a refresh
//! ([`AppState::request_refresh`]). One background thread rebuilds the
//! views from the store as it is when the rebuild starts; posts arriving
//! meanwhile are folded into one more rebuild, never one per post. Until
//! the rebuild is installed, the view endpoints serve the previous views.
//!
//! `marsad serve` builds the first views the same way, as the first
//! background refresh ([`AppState::start`]), and listens at once: on a
//! 31k-article store the build takes seconds, and search and the article
//! view need no views. Until they are ready the endpoints that do answer
//! 503 with `Retry-After` (JSON under `/api`, a page otherwise); the search
//! page leaves out the collection's counts and the article view its report
//! claims. A document posted meanwhile is folded into the next rebuild.
//!
//! ## Limits
//! Request bodies are limited to [`MAX_BODY`] bytes (413), every request to
//! [`REQUEST_TIMEOUT`] (408). Errors of `/api` are always JSON
//! `{"error": message}`: the [`error`] layer rewrites the plain-text
//! rejections of axum and tower-http. The server binds where `--addr` says;
//! the default is loopback.
//!
//! Store and analysis calls block (SQLite, CPU), so handlers run them on
//! tokio's blocking pool. No handler unwraps anything derived from a request.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use marsad_insight::Report;
use marsad_store::{EntityStat, Store};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub mod api;
pub mod charts;
pub mod error;
pub mod highlight;
pub mod labels;
pub mod openapi;
pub mod pages;

/// Largest accepted request body: 2 MiB.
pub const MAX_BODY: usize = 2 * 1024 * 1024;
/// Longest a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Entities kept in the cached entity list.
const ENTITY_LIMIT: usize = 500;

/// Cross-document views, rebuilt in the background after writes.
#[derive(Default)]
pub struct Views {
    /// The `marsad-insight` report over the whole store.
    pub report: Report,
    /// Entities, most widely reported first.
    pub entities: Vec<EntityStat>,
}

/// Build the views over every stored analysis
/// ([`crate::cmd::views::stored_report`]: batches digested in parallel,
/// memory bounded by one batch of analyses).
pub fn build_views(store: &Store) -> anyhow::Result<Views> {
    let report = crate::cmd::views::stored_report(store)?;
    let entities = store.entities(ENTITY_LIMIT)?;
    Ok(Views { report, entities })
}

/// Where the cross-document views are.
enum ViewsState {
    /// The first build is running.
    Building,
    /// Built.
    Ready(Arc<Views>),
    /// The first build failed (the message says why).
    Failed(String),
}

/// Refreshes asked for and whether one is running.
#[derive(Default)]
struct Refresh {
    /// Generation of the newest request (each accepted post adds one).
    wanted: u64,
    /// A refresh thread is running.
    running: bool,
}

/// What every handler shares.
pub struct AppState {
    /// The workspace.
    pub store: Arc<Store>,
    /// The views and the refresh generation they were built for (0: the
    /// first build).
    views: RwLock<(ViewsState, u64)>,
    refresh: Mutex<Refresh>,
    write: tokio::sync::Mutex<()>,
}

impl AppState {
    /// State over `store`, building the views now.
    pub fn new(store: Arc<Store>) -> anyhow::Result<Arc<AppState>> {
        let views = build_views(&store)?;
        Ok(AppState::with(store, ViewsState::Ready(Arc::new(views))))
    }

    /// State over `store` whose views are built on a background thread
    /// (the first refresh, [`AppState::request_refresh`]); until then the
    /// endpoints that need them answer 503. Prints on stderr when they are
    /// ready, with the time it took.
    pub fn start(store: Arc<Store>) -> Arc<AppState> {
        let state = AppState::with(store, ViewsState::Building);
        state.request_refresh();
        state
    }

    fn with(store: Arc<Store>, views: ViewsState) -> Arc<AppState> {
        Arc::new(AppState {
            store,
            views: RwLock::new((views, 0)),
            refresh: Mutex::new(Refresh::default()),
            write: tokio::sync::Mutex::new(()),
        })
    }

    /// Ask for the views to be rebuilt from the store (after a write).
    /// Returns at once; a background thread rebuilds them, folding the
    /// requests that arrive while it runs into one more rebuild. A failed
    /// rebuild keeps the previous views (and says why on stderr).
    pub fn request_refresh(self: &Arc<Self>) {
        {
            let mut r = self.lock_refresh();
            r.wanted += 1;
            if r.running {
                return;
            }
            r.running = true;
        }
        let st = Arc::clone(self);
        let spawned = std::thread::Builder::new()
            .name("marsad-views-refresh".into())
            .spawn(move || st.run_refreshes());
        if spawned.is_err() {
            // No thread to spare: rebuild here (the caller is on a
            // blocking thread).
            self.run_refreshes();
        }
    }

    /// Rebuild until the views are as new as the newest request.
    fn run_refreshes(&self) {
        loop {
            let generation = self.lock_refresh().wanted;
            let t = std::time::Instant::now();
            let built = build_views(&self.store);
            self.finish(built, generation, t.elapsed());
            let mut r = self.lock_refresh();
            if r.wanted == generation {
                r.running = false;
                return;
            }
        }
    }

    /// Is a refresh asked for or running?
    pub fn refreshing(&self) -> bool {
        self.lock_refresh().running
    }

    fn lock_refresh(&self) -> std::sync::MutexGuard<'_, Refresh> {
        match self.refresh.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Install the outcome of the build for refresh `generation`, unless
    /// newer views are installed. The first views are announced on stderr;
    /// a build that fails before there are any makes the view endpoints
    /// answer 500 with its reason, a later failure keeps the views there
    /// are (and says why on stderr).
    fn finish(&self, built: anyhow::Result<Views>, generation: u64, took: Duration) {
        let mut g = match self.views.write() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        if generation < g.1 {
            return;
        }
        let first = !matches!(g.0, ViewsState::Ready(_));
        match built {
            Ok(v) => {
                if first {
                    eprintln!(
                        "marsad: views ready in {:.1} s ({} documents, {} events, {} disagreements)",
                        took.as_secs_f64(),
                        v.report.documents.len(),
                        v.report.events.len(),
                        v.report.disagreements.len()
                    );
                }
                *g = (ViewsState::Ready(Arc::new(v)), generation);
            }
            Err(e) if first => {
                eprintln!("marsad: building the views failed: {e:#}");
                *g = (ViewsState::Failed(format!("{e:#}")), generation);
            }
            Err(e) => {
                eprintln!("marsad: refreshing the views failed, keeping the previous ones: {e:#}")
            }
        }
    }

    /// The current views; 503 while the first build runs, 500 if it failed.
    pub fn views(&self) -> Result<Arc<Views>, error::ApiError> {
        let g = match self.views.read() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        match &g.0 {
            ViewsState::Ready(v) => Ok(Arc::clone(v)),
            ViewsState::Building => Err(error::ApiError::unavailable(
                "the cross-document views (events, figures, disagreements, timeline) are \
                 still being built from the stored analyses; retry in a few seconds",
            )),
            ViewsState::Failed(m) => Err(error::ApiError::internal(format!(
                "building the cross-document views failed: {m}"
            ))),
        }
    }

    #[cfg(test)]
    fn set_views(&self, v: Views) {
        match self.views.write() {
            Ok(mut g) => g.0 = ViewsState::Ready(Arc::new(v)),
            Err(poisoned) => poisoned.into_inner().0 = ViewsState::Ready(Arc::new(v)),
        }
    }
}

/// The whole application: API, pages, static files and limits.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .nest("/api", api::router())
        .merge(pages::router())
        .with_state(state)
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(error::json_api_errors))
}

/// Serve `state` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = router(state);
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Bind `addr` (port 0 picks a free port) and return the listener with
/// the address actually bound.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<(tokio::net::TcpListener, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("binding {addr}: {e}"))?;
    let local = listener.local_addr()?;
    Ok((listener, local))
}

/// Completes on Ctrl-C or (on Unix) SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_are_unavailable_until_built_and_a_post_wins_over_the_first_build() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Arc::new(Store::open(dir.path()).expect("store"));
        let state = AppState::with(store, ViewsState::Building);
        let e = state.views().err().expect("not ready yet");
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        state.set_views(Views::default());
        assert!(state.views().is_ok());

        // Through the router: a view endpoint answers 503 JSON with
        // Retry-After while building, and the page says so too.
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Arc::new(Store::open(dir.path()).expect("store"));
        let state = AppState::with(store, ViewsState::Building);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let get = |path: &str| {
            let req = axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .expect("request");
            rt.block_on(tower::ServiceExt::oneshot(router(Arc::clone(&state)), req))
                .expect("response")
        };
        // Search and the article view need no views.
        for path in ["/api/search?q=x", "/?q=x"] {
            assert_eq!(get(path).status(), StatusCode::OK, "{path}");
        }
        for (path, json) in [("/api/events", true), ("/events", false)] {
            let resp = get(path);
            assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
            assert!(resp.headers().contains_key("retry-after"), "{path}");
            let ctype = resp.headers()[axum::http::header::CONTENT_TYPE]
                .to_str()
                .unwrap_or("");
            assert_eq!(
                ctype.starts_with("application/json"),
                json,
                "{path}: {ctype}"
            );
        }

        // A first build that finishes after a post does not replace the
        // post's views; a failed first build is a 500 with its reason, a
        // failed later one keeps the views.
        let posted = Views {
            entities: vec![EntityStat {
                id: "e1".into(),
                etype: "ORG".into(),
                name: "بعثة".into(),
                mentions: 1,
                documents: 1,
            }],
            ..Views::default()
        };
        state.finish(Ok(posted), 2, Duration::ZERO);
        state.finish(Ok(Views::default()), 1, Duration::ZERO);
        assert_eq!(state.views().map(|v| v.entities.len()).ok(), Some(1));
        state.finish(Err(anyhow::anyhow!("disk gone")), 3, Duration::ZERO);
        assert_eq!(state.views().map(|v| v.entities.len()).ok(), Some(1));
        let failed = AppState::with(Arc::clone(&state.store), ViewsState::Building);
        failed.finish(Err(anyhow::anyhow!("disk gone")), 1, Duration::ZERO);
        let e = failed.views().err().expect("failed");
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(e.message.contains("disk gone"), "{}", e.message);

        // Refresh requests while one runs fold into one more rebuild; the
        // views end at the newest generation and the first build's late
        // result does not replace them.
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Arc::new(Store::open(dir.path()).expect("store"));
        let state = AppState::with(store, ViewsState::Building);
        for _ in 0..5 {
            state.request_refresh();
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while state.refreshing() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(!state.refreshing());
        assert!(state.views().is_ok());
        let generation = state.views.read().map(|g| g.1).unwrap_or(0);
        assert_eq!(generation, 5);
        state.finish(Ok(Views::default()), 3, Duration::ZERO);
        assert_eq!(state.views.read().map(|g| g.1).unwrap_or(0), 5);

        // `start` on an empty store is ready almost at once.
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Arc::new(Store::open(dir.path()).expect("store"));
        let state = AppState::start(store);
        let mut ready = false;
        for _ in 0..200 {
            if state.views().is_ok() {
                ready = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(ready, "an empty store's views are built at once");
    }
}
