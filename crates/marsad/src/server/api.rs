//! The JSON API under `/api` (see [`super::openapi`] for the contract).
//!
//! Read endpoints answer from the store (search, one document, entities)
//! or from the cached cross-document [`super::Views`] (events, claims,
//! disagreements, timeline). `POST /api/documents` takes an article as
//! JSON or plain text, reads it through the normal ingest path
//! (`marsad_ingest::read_bytes`: cleaning, dates, id), analyses it, stores
//! it, asks for the views to be rebuilt in the background and returns its
//! analysis record (the object `marsad analyze` prints) at once.
//!
//! The list endpoints (events, claims, disagreements, timeline) are paged:
//! `limit` (default [`LIST_DEFAULT`], at most [`LIST_MAX`]) and `offset`
//! pick the rows, and the answer carries `total`, `offset` and `limit`
//! beside the list under its report key.

use std::ops::ControlFlow;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use marsad_ingest::Document;
use marsad_insight::MergedEvent;
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;

type St = State<Arc<AppState>>;

/// Largest `limit` a search may ask for.
pub const MAX_LIMIT: usize = 200;

/// Rows a list endpoint (events, claims, disagreements, timeline) returns
/// when no `limit` is given: a 31k-article store has tens of thousands of
/// events (26 MB of JSON in one answer), which no client wants unasked.
pub const LIST_DEFAULT: usize = 100;
/// Largest `limit` a list endpoint accepts.
pub const LIST_MAX: usize = 5000;

/// `limit` and `offset` of a list endpoint.
#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(default)]
pub struct Paging {
    /// Rows to return (default [`LIST_DEFAULT`], at most [`LIST_MAX`]).
    pub limit: Option<usize>,
    /// Rows to skip.
    pub offset: Option<usize>,
}

impl Paging {
    /// Rows to return.
    pub fn limit(&self) -> usize {
        self.limit.unwrap_or(LIST_DEFAULT).clamp(1, LIST_MAX)
    }

    /// Rows to skip.
    pub fn offset(&self) -> usize {
        self.offset.unwrap_or(0)
    }

    /// One page of `rows` under `key`, with the total before paging and the
    /// page's `offset` and `limit`.
    fn json<T: serde::Serialize>(&self, key: &str, rows: impl Iterator<Item = T>) -> Value {
        let (limit, offset) = (self.limit(), self.offset());
        let mut total = 0usize;
        let mut page = Vec::new();
        for r in rows {
            if total >= offset && page.len() < limit {
                page.push(r);
            }
            total += 1;
        }
        let mut out = serde_json::Map::new();
        out.insert("total".into(), json!(total));
        out.insert("offset".into(), json!(offset));
        out.insert("limit".into(), json!(limit));
        out.insert(key.into(), json!(page));
        Value::Object(out)
    }
}

fn paging(p: Result<Query<Paging>, QueryRejection>) -> Result<Paging, ApiError> {
    let Query(p) = p.map_err(|e| ApiError::bad_request(e.body_text()))?;
    Ok(p)
}

/// Routes of the API (nested under `/api`).
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/search", get(search))
        .route("/documents", axum::routing::post(post_document))
        .route("/documents/{id}", get(document))
        .route("/events", get(events))
        .route("/claims", get(claims))
        .route("/disagreements", get(disagreements))
        .route("/timeline", get(timeline))
        .route("/entities", get(entities))
        .fallback(|| async { ApiError::not_found("no such API endpoint") })
}

async fn openapi() -> Json<Value> {
    Json(super::openapi::document())
}

/// Query string of `GET /api/search` (and of the search page).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    /// Query text.
    pub q: String,
    /// Outlet.
    pub source: Option<String>,
    /// Published on or after (ISO day).
    pub from: Option<String>,
    /// Published on or before (ISO day).
    pub to: Option<String>,
    /// Entity id or name.
    pub entity: Option<String>,
    /// ACLED event type.
    pub event_type: Option<String>,
    /// Results to return (default 20, at most [`MAX_LIMIT`]).
    pub limit: Option<usize>,
    /// Results to skip.
    pub offset: Option<usize>,
    /// Compute facet counts (source, event type, entity). Off by default in
    /// the API (a client that shows no facets should not pay for them: on
    /// the 31k-article ANT store they add about 1 ms to a typical search and
    /// up to 20 ms when every document matches). The search page always
    /// asks for them.
    pub facets: Option<bool>,
}

impl SearchParams {
    /// The store query.
    pub fn to_query(&self) -> marsad_store::Query {
        let nonempty = |s: &Option<String>| s.as_ref().filter(|v| !v.trim().is_empty()).cloned();
        marsad_store::Query {
            text: self.q.clone(),
            limit: self.limit.unwrap_or(20).clamp(1, MAX_LIMIT),
            offset: self.offset.unwrap_or(0),
            source: nonempty(&self.source),
            from: nonempty(&self.from),
            to: nonempty(&self.to),
            entity: nonempty(&self.entity),
            event_type: nonempty(&self.event_type),
            facets: self.facets.unwrap_or(false),
        }
    }
}

/// Run a search on the blocking pool.
pub async fn run_search(
    state: &Arc<AppState>,
    q: marsad_store::Query,
) -> Result<marsad_store::SearchResults, ApiError> {
    let st = Arc::clone(state);
    Ok(tokio::task::spawn_blocking(move || st.store.search(&q)).await??)
}

fn facet_list(v: &[(String, u64)]) -> Value {
    Value::Array(
        v.iter()
            .map(|(name, count)| json!({"name": name, "count": count}))
            .collect(),
    )
}

async fn search(
    State(state): St,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let res = run_search(&state, params.to_query()).await?;
    let facets = res.facets.as_ref().map(|f| {
        json!({
            "source": facet_list(&f.sources),
            "event_type": facet_list(&f.event_types),
            "entity": facet_list(&f.entities),
        })
    });
    Ok(Json(json!({
        "total": res.total,
        "results": res.results,
        "facets": facets,
    })))
}

/// The analysis record of a stored document, or `None`.
pub async fn document_record(
    state: &Arc<AppState>,
    id: String,
) -> Result<Option<(Document, Value)>, ApiError> {
    let st = Arc::clone(state);
    let found = tokio::task::spawn_blocking(move || st.store.document(&id)).await??;
    Ok(found.map(|(doc, analysis)| {
        let text = marsad_text::analyze(&doc.text);
        let rec = marsad_extract::record::record_json(&doc, &text, &analysis, false);
        (doc, rec)
    }))
}

async fn document(State(state): St, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    match document_record(&state, id.clone()).await? {
        Some((_, rec)) => Ok(Json(rec)),
        None => Err(ApiError::not_found(format!("no document with id {id:?}"))),
    }
}

/// Filters of the events list (API and page).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EventFilter {
    /// ACLED event type (exact).
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// On or after this day (ISO).
    pub from: Option<String>,
    /// On or before this day (ISO).
    pub to: Option<String>,
}

impl EventFilter {
    fn given(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    /// Reject dates that are not ISO days.
    pub fn validate(&self) -> Result<(), ApiError> {
        for d in [&self.from, &self.to].into_iter().filter_map(Self::given) {
            if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(ApiError::bad_request(format!(
                    "not a date (YYYY-MM-DD): {d:?}"
                )));
            }
        }
        Ok(())
    }

    /// Does `e` pass? Undated events pass only when no date bound is set.
    /// An event dated to a month (`2024-05`) is compared by its prefix.
    pub fn matches(&self, e: &MergedEvent) -> bool {
        if Self::given(&self.event_type).is_some_and(|t| e.event_type != t) {
            return false;
        }
        if let Some(c) = Self::given(&self.country) {
            let ec = e.location.as_ref().and_then(|l| l.country.as_deref());
            if !ec.is_some_and(|x| x.eq_ignore_ascii_case(c)) {
                return false;
            }
        }
        let from = Self::given(&self.from);
        let to = Self::given(&self.to);
        if from.is_some() || to.is_some() {
            let Some(date) = e.date.as_deref() else {
                return false;
            };
            // Compare on the common prefix so a month-grain date overlaps
            // every day of its month.
            if let Some(f) = from {
                let n = date.len().min(f.len());
                if date[..n] < f[..n] {
                    return false;
                }
            }
            if let Some(t) = to {
                let n = date.len().min(t.len());
                if date[..n] > t[..n] {
                    return false;
                }
            }
        }
        true
    }
}

async fn events(
    State(state): St,
    f: Result<Query<EventFilter>, QueryRejection>,
    p: Result<Query<Paging>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(f) = f.map_err(|e| ApiError::bad_request(e.body_text()))?;
    f.validate()?;
    let p = paging(p)?;
    let views = state.views()?;
    let events = views.report.events.iter().filter(|e| f.matches(e));
    Ok(Json(p.json::<&MergedEvent>("events", events)))
}

/// Filters of the claims list.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ClaimFilter {
    doc: Option<String>,
    measure: Option<String>,
}

async fn claims(
    State(state): St,
    f: Result<Query<ClaimFilter>, QueryRejection>,
    p: Result<Query<Paging>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(f) = f.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let p = paging(p)?;
    let views = state.views()?;
    let claims = views
        .report
        .claims
        .iter()
        .filter(|c| f.doc.as_deref().is_none_or(|d| c.doc == d))
        .filter(|c| f.measure.as_deref().is_none_or(|m| c.measure == m));
    Ok(Json(p.json("claims", claims)))
}

async fn disagreements(
    State(state): St,
    p: Result<Query<Paging>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let p = paging(p)?;
    let views = state.views()?;
    Ok(Json(
        p.json("disagreements", views.report.disagreements.iter()),
    ))
}

async fn timeline(
    State(state): St,
    p: Result<Query<Paging>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let p = paging(p)?;
    let views = state.views()?;
    Ok(Json(p.json("timeline", views.report.timeline.iter())))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EntityParams {
    limit: Option<usize>,
    #[serde(rename = "type")]
    etype: Option<String>,
}

async fn entities(
    State(state): St,
    p: Result<Query<EntityParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(p) = p.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let views = state.views()?;
    let limit = p.limit.unwrap_or(100);
    let rows: Vec<_> = views
        .entities
        .iter()
        .filter(|e| {
            p.etype
                .as_deref()
                .is_none_or(|t| e.etype.eq_ignore_ascii_case(t))
        })
        .take(limit)
        .collect();
    Ok(Json(json!({ "entities": rows })))
}

/// JSON body of `POST /api/documents`.
///
/// Answer: 201 Created with the analysis record and a `Location` header;
/// 200 OK with the record when the same content was already stored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewDocument {
    text: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Query string of a plain-text `POST /api/documents`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PlainParams {
    title: Option<String>,
    source: Option<String>,
    published: Option<String>,
    url: Option<String>,
}

/// Read one document from request bytes through the ingest readers.
fn read_one(name: &str, bytes: &[u8], opts: &marsad_ingest::Options) -> Result<Document, ApiError> {
    let mut out: Option<Result<Document, String>> = None;
    marsad_ingest::read_bytes(name, bytes, opts, &mut |r| {
        out = Some(r.map_err(|e| e.to_string()));
        ControlFlow::Break(())
    });
    match out {
        Some(Ok(d)) if !d.text.trim().is_empty() => Ok(d),
        Some(Ok(_)) | None => Err(ApiError::bad_request("the document has no text")),
        Some(Err(e)) => Err(ApiError::bad_request(e)),
    }
}

async fn post_document(
    State(state): St,
    headers: HeaderMap,
    query: Result<Query<PlainParams>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|e| ApiError {
        status: e.status(),
        message: e.body_text(),
    })?;
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/plain")
        .to_ascii_lowercase();
    let opts = marsad_ingest::Options {
        dedup: false,
        ..marsad_ingest::Options::default()
    };
    let doc = if ctype.starts_with("application/json") {
        let nd: NewDocument = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("malformed JSON body: {e}")))?;
        if nd.text.trim().is_empty() {
            return Err(ApiError::bad_request("`text` is empty"));
        }
        let line = serde_json::to_vec(&json!({
            "id": nd.id, "title": nd.title, "source": nd.source,
            "published": nd.published, "url": nd.url, "text": nd.text,
        }))
        .map_err(ApiError::internal)?;
        read_one("request.jsonl", &line, &opts)?
    } else if ctype.starts_with("text/plain") {
        let Query(p) = query.map_err(|e| ApiError::bad_request(e.body_text()))?;
        let opts = marsad_ingest::Options {
            published: p.published,
            source: p.source,
            ..opts
        };
        let mut d = read_one("request.txt", &body, &opts)?;
        if p.title.is_some() {
            d.title = p.title;
        }
        if p.url.is_some() {
            d.url = p.url;
        }
        d
    } else {
        return Err(ApiError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            message: format!("send application/json or text/plain, not {ctype}"),
        });
    };
    let guard = state.write.lock().await;
    let st = Arc::clone(&state);
    let (record, id, stats) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let (analysis, record) = marsad_extract::document_record(&doc, false);
        let id = doc.id.clone();
        let stats = st.store.ingest_batch(vec![(doc, analysis)])?;
        if stats.added + stats.updated > 0 {
            st.request_refresh();
        }
        Ok((record, id, stats))
    })
    .await?
    .map_err(ApiError::internal)?;
    drop(guard);
    let location = format!("/api/documents/{}", urlencode(&id));
    // 201 for a new or changed document, 200 when the same content was
    // already stored.
    let status = if stats.added + stats.updated > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let views = if state.refreshing() {
        "refreshing"
    } else {
        "current"
    };
    Ok((
        status,
        [
            (header::LOCATION, location),
            (
                header::HeaderName::from_static("x-marsad-views"),
                views.to_owned(),
            ),
        ],
        Json(record),
    )
        .into_response())
}

/// Percent-encode a path segment.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
