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
//! They are built once at start-up and again after each accepted
//! `POST /api/documents`, then swapped in under an `RwLock`; requests only
//! clone an `Arc` and never rebuild them. Writes are serialised by a mutex
//! (the store has one writer).
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
use std::sync::{Arc, RwLock};
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

/// Cross-document views, rebuilt after every write.
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

/// What every handler shares.
pub struct AppState {
    /// The workspace.
    pub store: Arc<Store>,
    views: RwLock<Arc<Views>>,
    write: tokio::sync::Mutex<()>,
}

impl AppState {
    /// State over `store`, building the views now.
    pub fn new(store: Arc<Store>) -> anyhow::Result<Arc<AppState>> {
        let views = build_views(&store)?;
        Ok(Arc::new(AppState {
            store,
            views: RwLock::new(Arc::new(views)),
            write: tokio::sync::Mutex::new(()),
        }))
    }

    /// The current views.
    pub fn views(&self) -> Arc<Views> {
        match self.views.read() {
            Ok(v) => Arc::clone(&v),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn set_views(&self, v: Views) {
        let v = Arc::new(v);
        match self.views.write() {
            Ok(mut g) => *g = v,
            Err(poisoned) => *poisoned.into_inner() = v,
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
