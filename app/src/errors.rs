//! The one error type that crosses the wire.
//!
//! Services return `AppError`; the JSON API maps it to a status and an
//! `{"error":{"code","message"}}` body, server functions carry it to the page.
//! Messages are written for readers. Internal causes are logged where they
//! happen (with the request id from the tracing span) and never put in here.

use serde::{Deserialize, Serialize};
use server_fn::{error::FromServerFnError, ServerFnError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("Please log in to do that.")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    /// The account's current password, asked for again, was wrong (403: the
    /// session is fine, this change is not allowed); `field` names the input.
    #[error("That is not your current password.")]
    WrongPassword { field: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A unique value (username, email) already in use; `field` names it.
    #[error("{message}")]
    Taken { field: String, message: String },
    /// Input that is well-formed but breaks a rule; `field` names the input at fault.
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{message}")]
    TooManyRequests { message: String, retry_after_secs: u64 },
    /// Too busy right now (the password hashers are all taken); try again soon.
    #[error("{message}")]
    Unavailable { message: String, retry_after_secs: u64 },
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.to_owned(), message: message.into() }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) => 400,
            Self::Unauthorized => 401,
            Self::Forbidden(_) | Self::WrongPassword { .. } => 403,
            Self::NotFound(_) => 404,
            Self::Conflict(_) | Self::Taken { .. } => 409,
            Self::PayloadTooLarge(_) => 413,
            Self::Invalid { .. } => 422,
            Self::TooManyRequests { .. } => 429,
            Self::Unavailable { .. } => 503,
            Self::Internal => 500,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::WrongPassword { .. } => "wrong_password",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) | Self::Taken { .. } => "conflict",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::Invalid { .. } => "invalid",
            Self::TooManyRequests { .. } => "rate_limited",
            Self::Unavailable { .. } => "unavailable",
            Self::Internal => "internal",
        }
    }

    /// Seconds a client should wait before trying again (429 and 503).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after_secs, .. } | Self::Unavailable { retry_after_secs, .. } => {
                Some((*retry_after_secs).max(1))
            }
            _ => None,
        }
    }

    /// The same error reported on field `to` where it names field `from`: one
    /// rule (a password's) serves inputs of different names.
    pub fn on_field(self, from: &str, to: &str) -> Self {
        match self {
            Self::Invalid { field, message } if field == from => Self::Invalid { field: to.to_owned(), message },
            Self::WrongPassword { field } if field == from => Self::WrongPassword { field: to.to_owned() },
            other => other,
        }
    }

    /// The input field at fault, for forms that show errors next to the field.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } | Self::Taken { field, .. } | Self::WrongPassword { field } => Some(field),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    /// Read as text in the browser, like every island's props (see `crate::wire`).
    type Encoder = crate::wire::JsonText;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(_) | E::MissingArg(_) | E::Deserialization(_) => {
                Self::BadRequest("The form could not be read. Please check it and try again.".into())
            }
            E::Request(_) | E::Response(_) => {
                Self::BadRequest("We could not reach Spotlight. Check your connection and try again.".into())
            }
            _ => Self::Internal,
        }
    }
}

impl From<ServerFnError> for AppError {
    fn from(_: ServerFnError) -> Self {
        Self::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::PoolTimedOut => tracing::error!(
                timeout_secs = crate::db::ACQUIRE_TIMEOUT.as_secs(),
                "no database connection became free in time (pool exhausted)"
            ),
            err => tracing::error!(error = %err, "database error"),
        }
        Self::Internal
    }
}

/// The body of every JSON error response: `{"error":{"code","message"}}`.
#[cfg(feature = "ssr")]
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[cfg(feature = "ssr")]
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, for programs: `bad_request`, `unauthorized`, `forbidden`, `not_found`,
    /// `method_not_allowed`, `conflict`, `payload_too_large`, `invalid`, `rate_limited`,
    /// `unavailable`, `internal`.
    pub code: String,
    /// For people.
    pub message: String,
    /// The input at fault, for 409 and 422.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error as an HTTP response: its status, `Retry-After` for 429 and 503,
/// and the JSON body (what the API and the shared extractors answer).
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        use http::{header, HeaderValue, StatusCode};
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.to_string(),
                field: self.field().map(str::to_owned),
            },
        };
        let mut res = (status, axum::Json(body)).into_response();
        if let Some(retry_after_secs) = self.retry_after() {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

#[cfg(test)]
mod field_tests {
    use super::AppError;

    #[test]
    fn an_error_moves_to_another_field_only_from_the_one_it_names() {
        let wrong = AppError::WrongPassword { field: "password".into() };
        assert_eq!(wrong.on_field("password", "delete_password").field(), Some("delete_password"));
        let weak = AppError::invalid("password", "Too short.");
        assert_eq!(weak.clone().on_field("password", "new_password"), AppError::invalid("new_password", "Too short."));
        assert_eq!(weak.clone().on_field("email", "x"), weak);
        assert_eq!(AppError::Unauthorized.on_field("password", "x"), AppError::Unauthorized);
    }
}
