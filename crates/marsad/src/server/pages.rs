//! The HTML pages (askama templates under `templates/`).
//!
//! | path | page |
//! |---|---|
//! | `/` | search with facets (source, event type, entity) and snippets |
//! | `/documents/{id}` | the article with every mention highlighted |
//! | `/events` | events table with filters; `/events.csv` exports it (ACLED columns) |
//! | `/timeline` | timeline chart (SVG) and list |
//! | `/map` | map of events (SVG, Natural Earth shapes) |
//! | `/disagreements` | disputed figures side by side with their sources |
//! | `/static/style.css` | the stylesheet (embedded) |
//!
//! Pages are right-to-left Arabic (`<html dir="rtl" lang="ar">`), use only
//! system fonts and embedded assets, and need no JavaScript.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use marsad_insight::export::{fmt_claim_value, fmt_num};
use marsad_insight::{Estimate, MergedEvent, Report};

use super::api::{EventFilter, Paging, SearchParams, document_record, run_search, urlencode};
use super::error::ApiError;
use super::highlight;
use super::{AppState, charts, labels};

type St = State<Arc<AppState>>;

const CSS: &str = include_str!("../../static/style.css");

/// Routes of the pages.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(search_page))
        .route("/documents/{id}", get(article_page))
        .route("/events", get(events_page))
        .route("/events.csv", get(events_csv))
        .route("/timeline", get(timeline_page))
        .route("/map", get(map_page))
        .route("/disagreements", get(disagreements_page))
        .route("/static/style.css", get(css))
        .fallback(|| async {
            PageError {
                status: StatusCode::NOT_FOUND,
                message: "الصفحة غير موجودة".into(),
            }
        })
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// An error shown as a page.
pub struct PageError {
    status: StatusCode,
    message: String,
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError {
            status: e.status,
            message: e.message,
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: format!("template: {e}"),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTpl<'a> {
    nav: &'a str,
    status: u16,
    message: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let t = ErrorTpl {
            nav: "",
            status: self.status.as_u16(),
            message: &self.message,
        };
        super::error::with_retry_after(match t.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, self.message).into_response(),
        })
    }
}

fn page<T: Template>(t: T) -> Result<Response, PageError> {
    Ok(Html(t.render()?).into_response())
}

/// `?a=1&b=2` from pairs, skipping empty values.
fn query_string(pairs: &[(&str, Option<&str>)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.trim().is_empty())
                .map(|v| format!("{k}={}", urlencode(v)))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn doc_href(id: &str) -> String {
    format!("/documents/{}", urlencode(id))
}

// ---------------------------------------------------------------- search

struct FacetItem {
    name: String,
    count: u64,
    href: String,
    active: bool,
}

struct FacetGroup {
    label: &'static str,
    items: Vec<FacetItem>,
}

struct HitView {
    href: String,
    title: String,
    source: String,
    published: String,
    snippet: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchTpl {
    nav: &'static str,
    q: String,
    total: usize,
    hits: Vec<HitView>,
    facets: Vec<FacetGroup>,
    filters: Vec<(String, String, String)>,
    /// The cross-document views are built (else the counts below are 0
    /// and the page says they are being prepared).
    ready: bool,
    documents: usize,
    events: usize,
    disagreements: usize,
    prev: String,
    next: String,
}

async fn search_page(
    State(state): St,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(p) = params.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let res = run_search(
        &state,
        marsad_store::Query {
            facets: true,
            ..p.to_query()
        },
    )
    .await?;
    let current = |k: &str| -> Option<&str> {
        match k {
            "source" => p.source.as_deref(),
            "event_type" => p.event_type.as_deref(),
            "entity" => p.entity.as_deref(),
            _ => None,
        }
    };
    let query = p.to_query();
    // A link to another page of the same results.
    let page_link = |offset: usize| -> String {
        let off = offset.to_string();
        format!(
            "/{}",
            query_string(&[
                ("q", Some(p.q.as_str())),
                ("source", p.source.as_deref()),
                ("event_type", p.event_type.as_deref()),
                ("entity", p.entity.as_deref()),
                ("from", p.from.as_deref()),
                ("to", p.to.as_deref()),
                ("offset", (offset > 0).then_some(off.as_str())),
            ])
        )
    };
    let prev = if query.offset > 0 {
        page_link(query.offset.saturating_sub(query.limit))
    } else {
        String::new()
    };
    let next = if query.offset + query.limit < res.total {
        page_link(query.offset + query.limit)
    } else {
        String::new()
    };
    // A link with one filter set (or cleared when it is the active one).
    let link = |key: &str, value: Option<&str>| -> String {
        let pick = |k: &str| if k == key { value } else { current(k) };
        format!(
            "/{}",
            query_string(&[
                ("q", Some(p.q.as_str())),
                ("source", pick("source")),
                ("event_type", pick("event_type")),
                ("entity", pick("entity")),
                ("from", p.from.as_deref()),
                ("to", p.to.as_deref()),
            ])
        )
    };
    let mut facets = Vec::new();
    if let Some(f) = &res.facets {
        for (label, key, list) in [
            ("المصدر", "source", &f.sources),
            ("نوع الحدث", "event_type", &f.event_types),
            ("الكيانات", "entity", &f.entities),
        ] {
            let items: Vec<FacetItem> = list
                .iter()
                .map(|(name, count)| {
                    let active = current(key) == Some(name.as_str());
                    FacetItem {
                        name: if key == "event_type" {
                            labels::event_type(name)
                        } else {
                            name.clone()
                        },
                        count: *count,
                        href: link(key, if active { None } else { Some(name) }),
                        active,
                    }
                })
                .collect();
            if !items.is_empty() {
                facets.push(FacetGroup { label, items });
            }
        }
    }
    let mut filters = Vec::new();
    for (key, label) in [
        ("source", "المصدر"),
        ("event_type", "نوع الحدث"),
        ("entity", "الكيان"),
    ] {
        if let Some(v) = current(key).filter(|v| !v.is_empty()) {
            let shown = if key == "event_type" {
                labels::event_type(v)
            } else {
                v.to_owned()
            };
            filters.push((label.to_owned(), shown, link(key, None)));
        }
    }
    let hits = res
        .results
        .iter()
        .map(|h| HitView {
            href: doc_href(&h.id),
            title: h.title.clone().unwrap_or_else(|| h.id.clone()),
            source: h.source.clone().unwrap_or_default(),
            published: h.published.as_deref().map(labels::date).unwrap_or_default(),
            snippet: h.snippet.clone(),
        })
        .collect();
    // Search needs no views: while they are being built the page shows
    // the results without the collection's counts.
    let views = state.views().ok();
    let count = |f: fn(&super::Views) -> usize| views.as_deref().map_or(0, f);
    page(SearchTpl {
        nav: "search",
        q: p.q.clone(),
        total: res.total,
        hits,
        facets,
        filters,
        ready: views.is_some(),
        documents: count(|v| v.report.documents.len()),
        events: count(|v| v.report.events.len()),
        disagreements: count(|v| v.report.disagreements.len()),
        prev,
        next,
    })
}

// ---------------------------------------------------------------- article

struct ClaimView {
    measure: String,
    subject: String,
    value: String,
    source: String,
    scope: String,
}

struct DocEventView {
    type_label: String,
    type_class: &'static str,
    trigger: String,
    date: String,
    place: String,
    status: String,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticleTpl {
    nav: &'static str,
    title: String,
    source: String,
    published: String,
    url: String,
    body: String,
    counts: Vec<(&'static str, &'static str, usize)>,
    claims: Vec<ClaimView>,
    events: Vec<DocEventView>,
    api_href: String,
}

fn jstr(v: &serde_json::Value, k: &str) -> String {
    v.get(k)
        .and_then(serde_json::Value::as_str)
        .unwrap_or("")
        .to_owned()
}

async fn article_page(State(state): St, Path(id): Path<String>) -> Result<Response, PageError> {
    let Some((doc, rec)) = document_record(&state, id.clone()).await? else {
        return Err(PageError {
            status: StatusCode::NOT_FOUND,
            message: format!("لا توجد وثيقة بالمعرّف {id}"),
        });
    };
    let marks = highlight::marks(&doc.text, &rec);
    let count = |p: &str| marks.iter().filter(|m| m.class.starts_with(p)).count();
    let counts = vec![
        ("m m-fig", "أرقام", count("m m-fig")),
        ("m m-date", "تواريخ", count("m m-date")),
        ("m m-ent m-ent-pers", "أشخاص", count("m m-ent m-ent-pers")),
        ("m m-ent m-ent-org", "منظمات", count("m m-ent m-ent-org")),
        ("m m-ent m-ent-gpe", "دول ومدن", count("m m-ent m-ent-gpe")),
        ("m m-ent m-ent-loc", "أماكن", count("m m-ent m-ent-loc")),
        ("m m-ent m-ent-norp", "جماعات", count("m m-ent m-ent-norp")),
        ("m m-ent m-ent-fac", "منشآت", count("m m-ent m-ent-fac")),
        ("m m-attr", "إسناد", count("m m-attr")),
    ];
    let body = highlight::render(&doc.text, &marks);
    // Claims as the report lists them (with their bounds and sources).
    // The article itself needs no views; its claim list (as the report
    // gives it) is left empty while they are being built.
    let views = state.views().ok();
    let claims = views
        .iter()
        .flat_map(|v| v.report.claims.iter())
        .filter(|c| c.doc == doc.id)
        .map(|c| ClaimView {
            measure: labels::measure(&c.measure),
            subject: labels::subject(&c.subject),
            value: fmt_claim_value(c.value, c.low, c.high, c.approx, c.bound),
            source: c.source.clone(),
            scope: c.scope.join("، "),
        })
        .collect();
    let empty = Vec::new();
    let events = rec
        .get("events")
        .and_then(serde_json::Value::as_array)
        .unwrap_or(&empty)
        .iter()
        .map(|e| {
            let t = jstr(e, "type");
            DocEventView {
                type_label: labels::event_type(&t),
                type_class: charts::type_class(&t),
                trigger: jstr(e, "trigger"),
                date: e
                    .get("date")
                    .and_then(|d| d.get("value").or(Some(d)))
                    .and_then(serde_json::Value::as_str)
                    .map(labels::date)
                    .unwrap_or_default(),
                place: e
                    .get("location")
                    .map(|l| jstr(l, "name"))
                    .unwrap_or_default(),
                status: labels::status(&jstr(e, "status")),
            }
        })
        .collect();
    page(ArticleTpl {
        nav: "",
        title: doc.title.clone().unwrap_or_else(|| doc.id.clone()),
        source: doc.source.clone().unwrap_or_default(),
        published: doc
            .published
            .as_deref()
            .map(labels::date)
            .unwrap_or_default(),
        url: doc.url.clone().unwrap_or_default(),
        body,
        counts,
        claims,
        events,
        api_href: format!("/api/documents/{}", urlencode(&doc.id)),
    })
}

// ---------------------------------------------------------------- events

struct ReportLinkView {
    source: String,
    href: String,
    text: String,
}

struct EventRow {
    id: String,
    date: String,
    type_label: String,
    type_code: String,
    type_class: &'static str,
    sub_type: String,
    place: String,
    country: String,
    actor1: String,
    actor2: String,
    fatalities: String,
    fatalities_disputed: bool,
    injured: String,
    status: String,
    reports: Vec<ReportLinkView>,
}

/// An estimate for a table cell: `12` when all reports agree, `12–17
/// (أفضل 15)` when they do not; empty when no report gave a figure.
fn estimate_cell(e: &Estimate) -> (String, bool) {
    if e.is_empty() {
        return (String::new(), false);
    }
    match (e.low, e.best, e.high) {
        (Some(l), Some(b), Some(h)) if l == h => {
            let _ = b;
            (fmt_num(l), false)
        }
        (Some(l), Some(b), Some(h)) => (
            format!("{}–{} (أفضل تقدير {})", fmt_num(l), fmt_num(h), fmt_num(b)),
            true,
        ),
        (Some(l), Some(b), None) => (
            format!("{} فأكثر (أفضل تقدير {})", fmt_num(l), fmt_num(b)),
            true,
        ),
        (_, Some(b), _) => (fmt_num(b), false),
        (Some(l), None, _) => (format!("{} فأكثر", fmt_num(l)), false),
        _ => (String::new(), false),
    }
}

fn event_row(e: &MergedEvent, report: &Report) -> EventRow {
    let (fatalities, fatalities_disputed) = estimate_cell(&e.fatalities);
    let title_of = |doc: &str| {
        report
            .documents
            .iter()
            .find(|d| d.id == doc)
            .and_then(|d| d.source.clone())
    };
    EventRow {
        id: e.id.clone(),
        date: e.date.as_deref().map(labels::date).unwrap_or_default(),
        type_label: labels::event_type(&e.event_type),
        type_code: e.event_type.clone(),
        type_class: charts::type_class(&e.event_type),
        sub_type: e.sub_type.clone(),
        place: e
            .location
            .as_ref()
            .map(|l| l.name.clone())
            .unwrap_or_default(),
        country: e
            .location
            .as_ref()
            .and_then(|l| l.country.clone())
            .unwrap_or_default(),
        actor1: e.actor1.clone().unwrap_or_default(),
        actor2: e.actor2.clone().unwrap_or_default(),
        fatalities,
        fatalities_disputed,
        injured: estimate_cell(&e.injured).0,
        status: if e.status == "background" {
            "خلفية".into()
        } else {
            String::new()
        },
        reports: e
            .reports
            .iter()
            .map(|r| ReportLinkView {
                source: title_of(&r.doc).unwrap_or_else(|| r.source.clone()),
                href: doc_href(&r.doc),
                text: r.text.clone(),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsTpl {
    nav: &'static str,
    f_type: String,
    f_country: String,
    f_from: String,
    f_to: String,
    types: Vec<(String, String)>,
    countries: Vec<String>,
    rows: Vec<EventRow>,
    total: usize,
    /// Position of the page's first row (1-based) and last row.
    first: usize,
    last: usize,
    prev: String,
    next: String,
    csv_href: String,
}

/// Events shown on one page of the events table.
const EVENTS_PAGE: usize = 200;

async fn events_page(
    State(state): St,
    f: Result<Query<EventFilter>, QueryRejection>,
    p: Result<Query<Paging>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(f) = f.map_err(|e| ApiError::bad_request(e.body_text()))?;
    f.validate()?;
    let Query(p) = p.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let limit = p.limit.unwrap_or(EVENTS_PAGE).clamp(1, EVENTS_PAGE);
    let views = state.views()?;
    let r = &views.report;
    let mut types: Vec<String> = r.events.iter().map(|e| e.event_type.clone()).collect();
    types.sort();
    types.dedup();
    let mut countries: Vec<String> = r
        .events
        .iter()
        .filter_map(|e| e.location.as_ref().and_then(|l| l.country.clone()))
        .collect();
    countries.sort();
    countries.dedup();
    // Dated events first, most recent first; undated at the end.
    let mut selected: Vec<&MergedEvent> = r.events.iter().filter(|e| f.matches(e)).collect();
    selected.sort_by(|a, b| match (&a.date, &b.date) {
        (Some(x), Some(y)) => y.cmp(x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let total = selected.len();
    let offset = p.offset().min(total.saturating_sub(1) / limit * limit);
    let rows: Vec<EventRow> = selected
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|e| event_row(e, r))
        .collect();
    let given_limit = p.limit.map(|_| limit.to_string());
    let filters = |limit: Option<&str>, offset: Option<&str>| {
        query_string(&[
            ("type", f.event_type.as_deref()),
            ("country", f.country.as_deref()),
            ("from", f.from.as_deref()),
            ("to", f.to.as_deref()),
            ("limit", limit),
            ("offset", offset),
        ])
    };
    let page_link = |o: usize| {
        let o = o.to_string();
        let o = (o != "0").then_some(o.as_str());
        format!("/events{}", filters(given_limit.as_deref(), o))
    };
    let prev = if offset > 0 {
        page_link(offset.saturating_sub(limit))
    } else {
        String::new()
    };
    let next = if offset + limit < total {
        page_link(offset + limit)
    } else {
        String::new()
    };
    let csv_href = format!("/events.csv{}", filters(None, None));
    page(EventsTpl {
        nav: "events",
        f_type: f.event_type.clone().unwrap_or_default(),
        f_country: f.country.clone().unwrap_or_default(),
        f_from: f.from.clone().unwrap_or_default(),
        f_to: f.to.clone().unwrap_or_default(),
        types: types
            .into_iter()
            .map(|t| (labels::event_type(&t), t))
            .collect(),
        countries,
        total,
        first: if rows.is_empty() { 0 } else { offset + 1 },
        last: offset + rows.len(),
        rows,
        prev,
        next,
        csv_href,
    })
}

async fn events_csv(
    State(state): St,
    f: Result<Query<EventFilter>, QueryRejection>,
) -> Result<Response, PageError> {
    let Query(f) = f.map_err(|e| ApiError::bad_request(e.body_text()))?;
    f.validate()?;
    let views = state.views()?;
    let r = &views.report;
    let filtered = Report {
        documents: r.documents.clone(),
        events: r.events.iter().filter(|e| f.matches(e)).cloned().collect(),
        ..Report::default()
    };
    let csv = marsad_insight::acled_csv(&filtered);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"marsad-events.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

// ---------------------------------------------------------------- timeline

struct TimelineRow {
    date: String,
    type_label: String,
    type_class: &'static str,
    place: String,
    text: String,
    id: String,
    reports: usize,
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelineTpl {
    nav: &'static str,
    svg: String,
    rows: Vec<TimelineRow>,
    legend: Vec<(String, &'static str)>,
}

fn legend(events: &[MergedEvent]) -> Vec<(String, &'static str)> {
    let mut types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    types.sort();
    types.dedup();
    types
        .into_iter()
        .map(|t| (labels::event_type(t), charts::type_class(t)))
        .collect()
}

async fn timeline_page(State(state): St) -> Result<Response, PageError> {
    let views = state.views()?;
    let r = &views.report;
    let rows = r
        .timeline
        .iter()
        .map(|t| TimelineRow {
            date: labels::date(&t.date),
            type_label: labels::event_type(&t.event_type),
            type_class: charts::type_class(&t.event_type),
            place: t.location.clone().unwrap_or_default(),
            text: t.text.clone(),
            id: t.event.clone(),
            reports: t.reports.len(),
        })
        .collect();
    page(TimelineTpl {
        nav: "timeline",
        svg: charts::timeline_svg(&r.timeline),
        rows,
        legend: legend(&r.events),
    })
}

// ---------------------------------------------------------------- map

struct PlaceRow {
    name: String,
    events: usize,
    first: String,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapTpl {
    nav: &'static str,
    svg: String,
    places: Vec<PlaceRow>,
    placed: usize,
    unplaced: usize,
    legend: Vec<(String, &'static str)>,
}

async fn map_page(State(state): St) -> Result<Response, PageError> {
    let views = state.views()?;
    let r = &views.report;
    let places = charts::places(&r.events);
    let placed: usize = places.iter().map(|p| p.events.len()).sum();
    let rows = places
        .iter()
        .map(|p| PlaceRow {
            name: p.name.to_owned(),
            events: p.events.len(),
            first: p.events.first().map(|e| e.id.clone()).unwrap_or_default(),
        })
        .collect();
    page(MapTpl {
        nav: "map",
        svg: charts::map_svg(&r.events),
        places: rows,
        placed,
        unplaced: r.events.len().saturating_sub(placed),
        legend: legend(&r.events),
    })
}

// ---------------------------------------------------------------- disagreements

struct SideView {
    value: String,
    source: String,
    scope: String,
    text: String,
    href: String,
}

struct DisagreementView {
    subject: String,
    measure: String,
    scope: String,
    contradiction: bool,
    reconciled: String,
    event: String,
    sides: Vec<SideView>,
}

#[derive(Template)]
#[template(path = "disagreements.html")]
struct DisagreementsTpl {
    nav: &'static str,
    items: Vec<DisagreementView>,
    contradictions: usize,
    scoped: usize,
}

async fn disagreements_page(State(state): St) -> Result<Response, PageError> {
    let views = state.views()?;
    let r = &views.report;
    let source_of = |doc: &str| {
        r.documents
            .iter()
            .find(|d| d.id == doc)
            .and_then(|d| d.source.clone())
    };
    let items: Vec<DisagreementView> = r
        .disagreements
        .iter()
        .map(|d| DisagreementView {
            subject: labels::subject(&d.subject),
            measure: labels::measure(&d.measure),
            scope: d.scope.join("، "),
            contradiction: d.kind == "contradiction",
            reconciled: d
                .reconciled
                .as_ref()
                .map(marsad_insight::export::fmt_estimate)
                .unwrap_or_default(),
            event: d
                .event
                .as_deref()
                .and_then(|id| r.events.iter().find(|e| e.id == id))
                .map(|e| {
                    format!(
                        "{} {} {}",
                        labels::event_type(&e.event_type),
                        e.location.as_ref().map(|l| l.name.as_str()).unwrap_or(""),
                        e.date.as_deref().map(labels::date).unwrap_or_default()
                    )
                    .trim()
                    .to_owned()
                })
                .unwrap_or_default(),
            sides: d
                .claims
                .iter()
                .map(|c| {
                    let outlet = source_of(&c.doc);
                    let source = match outlet {
                        Some(o) if o != c.source && !c.source.is_empty() => {
                            format!("{} — عبر {o}", c.source)
                        }
                        Some(o) if c.source.is_empty() => o,
                        _ => c.source.clone(),
                    };
                    SideView {
                        value: fmt_claim_value(c.value, c.low, c.high, c.approx, c.bound),
                        source,
                        scope: c.scope.join("، "),
                        text: c.text.clone(),
                        href: doc_href(&c.doc),
                    }
                })
                .collect(),
        })
        .collect();
    let contradictions = items.iter().filter(|i| i.contradiction).count();
    page(DisagreementsTpl {
        nav: "disagreements",
        scoped: items.len() - contradictions,
        contradictions,
        items,
    })
}
