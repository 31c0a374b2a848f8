//! Errors of the HTTP server.
//!
//! [`ApiError`] is what API handlers return: a status and a message,
//! rendered as JSON `{"error": message}`. [`json_api_errors`] is a
//! middleware that gives the same shape to the error responses produced
//! outside the handlers (axum's extractor rejections, tower-http's 413 and
//! 408, unknown `/api` routes), so an API client never has to parse plain
//! text.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An API error: status and message.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong, for the client.
    pub message: String,
}

impl ApiError {
    /// 400 Bad Request.
    pub fn bad_request(msg: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: msg.into(),
        }
    }

    /// 404 Not Found.
    pub fn not_found(msg: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: msg.into(),
        }
    }

    /// 503 Service Unavailable (sent with `Retry-After`).
    pub fn unavailable(msg: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: msg.into(),
        }
    }

    /// 500 Internal Server Error.
    pub fn internal(msg: impl std::fmt::Display) -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: msg.to_string(),
        }
    }
}

impl From<marsad_store::Error> for ApiError {
    fn from(e: marsad_store::Error) -> Self {
        match e {
            marsad_store::Error::BadQuery(m) => ApiError::bad_request(m),
            other => ApiError::internal(other),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        ApiError::internal(format!("worker failed: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_error(self.status, &self.message)
    }
}

/// Seconds a client is asked to wait before retrying a 503.
pub const RETRY_AFTER_SECS: &str = "3";

/// A JSON error response (a 503 carries `Retry-After`).
pub fn json_error(status: StatusCode, message: &str) -> Response {
    with_retry_after((status, axum::Json(json!({ "error": message }))).into_response())
}

/// `resp` with `Retry-After` ([`RETRY_AFTER_SECS`]) when it is a 503: what
/// JSON errors and error pages both send while the views are being built.
pub fn with_retry_after(mut resp: Response) -> Response {
    if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECS),
        );
    }
    resp
}

/// Middleware: error responses of `/api/...` that are not JSON become
/// `{"error": ...}` with the same status. The message is the original
/// plain-text body when there is one, else the status's reason.
pub async fn json_api_errors(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/") || req.uri().path() == "/api";
    let resp = next.run(req).await;
    let status = resp.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    // Rejection bodies are short; anything longer is cut.
    let text = match axum::body::to_bytes(body, 4096).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_owned(),
        Err(_) => String::new(),
    };
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    let mut out = json_error(status, &message);
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    out
}
