//! The OpenAPI 3 description of the API, served at `/api/openapi.json`.
//!
//! Written by hand as JSON: the API is small, and a test
//! (`tests/api.rs`) checks that every path listed here answers and that
//! every route answers as described.

use serde_json::{Value, json};

fn param(name: &str, desc: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": desc, "schema": schema})
}

fn ok(desc: &str, schema: Value) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": schema}}})
}

fn err(desc: &str) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn list_of(key: &str, item: Value) -> Value {
    json!({"type": "object", "required": [key], "properties": {key: {"type": "array", "items": item}}})
}

/// A paged list: the rows of one page under `key`, with the number of rows
/// before paging and the page's offset and limit.
fn page_of(key: &str, item: Value) -> Value {
    json!({"type": "object", "required": [key, "total", "offset", "limit"], "properties": {
        key: {"type": "array", "items": item},
        "total": {"type": "integer", "description": "Rows matching, before paging"},
        "offset": {"type": "integer"},
        "limit": {"type": "integer"}
    }})
}

/// The 503 of an endpoint answered from the cross-document views.
fn building() -> Value {
    err(
        "The cross-document views are still being built at start-up; retry after Retry-After seconds",
    )
}

/// The `limit` and `offset` parameters of a paged list.
fn paging_params() -> [Value; 2] {
    [
        param(
            "limit",
            "Rows to return (1-5000, default 100)",
            json!({"type": "integer", "minimum": 1, "maximum": 5000}),
        ),
        param(
            "offset",
            "Rows to skip",
            json!({"type": "integer", "minimum": 0}),
        ),
    ]
}

/// The OpenAPI document.
pub fn document() -> Value {
    json!({
      "openapi": "3.0.3",
      "info": {
        "title": "marsad API",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Search a collection of Arabic news articles and read the events, figures, sources and disagreements marsad found in them. Offsets in document records are Unicode code points. Errors are JSON {\"error\": message}."
      },
      "paths": paths(),
      "components": {"schemas": schemas()}
    })
}

fn paths() -> Value {
    let s = |t: &str| json!({"type": t});
    let date = json!({"type": "string", "format": "date"});
    let record = json!({"$ref": "#/components/schemas/DocumentRecord"});
    let mut p = serde_json::Map::new();
    p.insert("/api/search".into(), json!({"get": {
          "summary": "Full-text search (Arabic spelling variants and clitics match), with filters and facets",
          "parameters": [
            param("q", "Query: words, \"phrases\", -excluded. Empty matches every document.", s("string")),
            param("source", "Only this outlet (case-insensitive)", s("string")),
            param("from", "Published on or after this day", date.clone()),
            param("to", "Published on or before this day", date.clone()),
            param("entity", "Mentions this entity (id or name)", s("string")),
            param("event_type", "Reports an event of this ACLED type", s("string")),
            param("limit", "Results to return (1-200, default 20)", json!({"type": "integer", "minimum": 1, "maximum": 200})),
            param("offset", "Results to skip", json!({"type": "integer", "minimum": 0})),
            param("facets", "Also count results by source, event type and entity (default false)", json!({"type": "boolean"}))
          ],
          "responses": {
            "200": ok("Results", json!({"$ref": "#/components/schemas/SearchResults"})),
            "400": err("Bad query or filter")
          }
        }}));
    p.insert("/api/documents".into(), json!({"post": {
          "summary": "Analyse an article, store it, and return its analysis record",
          "description": "JSON body {text, title?, source?, published?, url?, id?}, or a text/plain body with optional query parameters title, source, published, url. Bodies over 2 MiB are refused with 413. Without an id the document's id is a hash of its content. The document is searchable as soon as the answer comes; the cross-document views (events, claims, disagreements, timeline, entities) are rebuilt in the background, and the header X-Marsad-Views says whether that rebuild is still running (refreshing) or done (current).",
          "parameters": [
            param("title", "Title (text/plain bodies)", s("string")),
            param("source", "Outlet (text/plain bodies)", s("string")),
            param("published", "Publication date, ISO 8601 (text/plain bodies)", s("string")),
            param("url", "Address (text/plain bodies)", s("string"))
          ],
          "requestBody": {"required": true, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/NewDocument"}},
            "text/plain": {"schema": {"type": "string"}}
          }},
          "responses": {
            "201": ok("Stored; the analysis record (Location: /api/documents/{id})", record.clone()),
            "200": ok("The same content was already stored; its analysis record", record.clone()),
            "400": err("Malformed JSON, missing or empty text, unreadable input"),
            "413": err("Body larger than 2 MiB"),
            "415": err("Neither application/json nor text/plain")
          }
        }}));
    p.insert(
        "/api/documents/{id}".into(),
        json!({"get": {
          "summary": "One stored document with its analysis record",
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": s("string")}],
          "responses": {
            "200": ok("The record", record),
            "404": err("No such document")
          }
        }}),
    );
    let [limit, offset] = paging_params();
    p.insert("/api/events".into(), json!({"get": {
          "summary": "Events merged across documents (ACLED types), with figures reconciled across reports",
          "parameters": [
            param("type", "ACLED event type, e.g. Battles", s("string")),
            param("country", "ISO 3166-1 alpha-2 country code", s("string")),
            param("from", "On or after this day", date.clone()),
            param("to", "On or before this day", date),
            limit, offset
          ],
          "responses": {
            "200": ok("Events", page_of("events", json!({"$ref": "#/components/schemas/Event"}))),
            "400": err("Bad date or paging parameter"),
            "503": building()
          }
        }}));
    let [limit, offset] = paging_params();
    p.insert("/api/claims".into(), json!({"get": {
          "summary": "Every attributed figure (claim) of every document",
          "parameters": [
            param("doc", "Only claims of this document", s("string")),
            param("measure", "Only this measure (killed, injured, strength, ...)", s("string")),
            limit, offset
          ],
          "responses": {"200": ok("Claims", page_of("claims", json!({"$ref": "#/components/schemas/Claim"}))), "503": building()}
        }}));
    p.insert("/api/disagreements".into(), json!({"get": {
          "summary": "Figures about the same thing that do not agree, side by side (kind contradiction or different_scope)",
          "parameters": paging_params(),
          "responses": {"200": ok("Disagreements", page_of("disagreements", json!({"$ref": "#/components/schemas/Disagreement"}))), "503": building()}
        }}));
    p.insert("/api/timeline".into(), json!({"get": {
          "summary": "Dated events in date order",
          "parameters": paging_params(),
          "responses": {"200": ok("Timeline", page_of("timeline", json!({"$ref": "#/components/schemas/TimelineEntry"}))), "503": building()}
        }}));
    p.insert("/api/entities".into(), json!({"get": {
          "summary": "Entities named across the collection, most widely reported first",
          "parameters": [
            param("limit", "Rows to return (default 100)", json!({"type": "integer", "minimum": 0})),
            param("type", "Entity type: PER, LOC, ORG, ...", s("string"))
          ],
          "responses": {"200": ok("Entities", list_of("entities", json!({"$ref": "#/components/schemas/Entity"}))), "503": building()}
        }}));
    p.insert("/api/openapi.json".into(), json!({"get": {
          "summary": "This document",
          "responses": {"200": {"description": "OpenAPI 3 document", "content": {"application/json": {}}}}
        }}));
    Value::Object(p)
}

fn schemas() -> Value {
    let s = |t: &str| json!({"type": t});
    let mut m = serde_json::Map::new();
    m.insert(
        "Error".into(),
        json!({"type": "object", "required": ["error"], "properties": {"error": s("string")}}),
    );
    m.insert("NewDocument".into(), json!({"type": "object", "required": ["text"], "additionalProperties": false, "properties": {
          "text": s("string"), "id": s("string"), "title": s("string"), "source": s("string"),
          "published": {"type": "string", "description": "ISO 8601"}, "url": s("string")
        }}));
    m.insert("SearchHit".into(), json!({"type": "object", "required": ["id", "score", "snippet"], "properties": {
          "id": s("string"), "title": {"type": "string", "nullable": true},
          "source": {"type": "string", "nullable": true}, "published": {"type": "string", "nullable": true},
          "score": s("number"),
          "snippet": {"type": "string", "description": "HTML-escaped text with matches in <b>...</b>"}
        }}));
    m.insert(
        "FacetCount".into(),
        json!({"type": "object", "properties": {"name": s("string"), "count": s("integer")}}),
    );
    m.insert(
        "SearchResults".into(),
        json!({"type": "object", "required": ["total", "results"], "properties": {
          "total": s("integer"),
          "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
          "facets": {"type": "object", "nullable": true, "properties": {
            "source": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCount"}},
            "event_type": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCount"}},
            "entity": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCount"}}
          }}
        }}),
    );
    m.insert("DocumentRecord".into(), json!({"type": "object", "required": ["id", "text", "mentions", "claims", "events"],
          "description": "The record `marsad analyze` prints. Offsets are Unicode code points of text, end exclusive.",
          "properties": {
            "id": s("string"), "title": {"type": "string", "nullable": true},
            "source": {"type": "string", "nullable": true}, "url": {"type": "string", "nullable": true},
            "published": {"type": "string", "nullable": true}, "text": s("string"),
            "sentences": {"type": "array", "items": {"type": "object", "properties": {"start": s("integer"), "end": s("integer")}}},
            "mentions": {"type": "array", "items": {"type": "object", "required": ["kind", "start", "end", "text"],
              "description": "Figures (kind = number, money, date, ...), entities (kind = entity, with type, canonical, id and for places lat/lon), attributions (kind = attribution, with source_text, verb, stance)",
              "properties": {"kind": s("string"), "start": s("integer"), "end": s("integer"), "text": s("string")}}},
            "claims": {"type": "array", "items": {"type": "object"}},
            "events": {"type": "array", "items": {"type": "object"}}
          }}));
    m.insert("Estimate".into(), json!({"type": "object", "description": "UCDP-style reconciliation", "properties": {
          "low": {"type": "number", "nullable": true}, "best": {"type": "number", "nullable": true},
          "high": {"type": "number", "nullable": true}, "conservative": {"type": "number", "nullable": true},
          "sources": {"type": "array", "items": {"type": "object"}}
        }}));
    m.insert("Event".into(), json!({"type": "object", "required": ["id", "type", "reports"], "properties": {
          "id": s("string"), "type": s("string"), "sub_type": s("string"), "disorder_type": s("string"),
          "date": {"type": "string", "nullable": true}, "time_precision": {"type": "integer", "nullable": true},
          "location": {"type": "object", "nullable": true, "properties": {
            "name": s("string"), "id": {"type": "string", "nullable": true},
            "lat": {"type": "number", "nullable": true}, "lon": {"type": "number", "nullable": true},
            "country": {"type": "string", "nullable": true}, "admin1": {"type": "string", "nullable": true},
            "geo_precision": {"type": "integer", "nullable": true}
          }},
          "actor1": {"type": "string", "nullable": true}, "actor2": {"type": "string", "nullable": true},
          "fatalities": {"$ref": "#/components/schemas/Estimate"},
          "injured": {"$ref": "#/components/schemas/Estimate"},
          "arrested": {"$ref": "#/components/schemas/Estimate"},
          "status": s("string"),
          "reports": {"type": "array", "items": {"type": "object", "properties": {
            "doc": s("string"), "sentence": s("integer"), "source": s("string"), "text": s("string"),
            "trigger": s("string"), "status": s("string")
          }}}
        }}));
    m.insert("Claim".into(), json!({"type": "object", "required": ["doc", "measure"], "properties": {
          "doc": s("string"), "sentence": s("integer"), "text": s("string"), "source": s("string"),
          "source_type": s("string"), "stance": s("string"), "subject": s("string"), "measure": s("string"),
          "scope": {"type": "array", "items": s("string")},
          "value": {"type": "number", "nullable": true}, "low": {"type": "number", "nullable": true},
          "high": {"type": "number", "nullable": true}, "approx": s("boolean"),
          "event": {"type": "string", "nullable": true}
        }}));
    m.insert("Disagreement".into(), json!({"type": "object", "required": ["subject", "measure", "kind", "claims"], "properties": {
          "subject": s("string"), "measure": s("string"), "scope": {"type": "array", "items": s("string")},
          "kind": {"type": "string", "enum": ["contradiction", "different_scope"]},
          "event": {"type": "string", "nullable": true},
          "reconciled": {"allOf": [{"$ref": "#/components/schemas/Estimate"}], "nullable": true},
          "claims": {"type": "array", "items": {"type": "object", "properties": {
            "value": {"type": "number", "nullable": true}, "low": {"type": "number", "nullable": true},
            "high": {"type": "number", "nullable": true}, "approx": s("boolean"),
            "scope": {"type": "array", "items": s("string")}, "doc": s("string"), "sentence": s("integer"),
            "source": s("string"), "text": s("string")
          }}}
        }}));
    m.insert("TimelineEntry".into(), json!({"type": "object", "required": ["date", "event", "type"], "properties": {
          "date": s("string"), "time_precision": {"type": "integer", "nullable": true}, "event": s("string"),
          "type": s("string"), "sub_type": s("string"), "location": {"type": "string", "nullable": true},
          "status": s("string"), "text": s("string"),
          "reports": {"type": "array", "items": {"type": "object", "properties": {"doc": s("string"), "sentence": s("integer")}}}
        }}));
    m.insert("Entity".into(), json!({"type": "object", "properties": {
          "id": s("string"), "etype": s("string"), "name": s("string"), "mentions": s("integer"), "documents": s("integer")
        }}));
    Value::Object(m)
}
