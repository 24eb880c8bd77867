use app::errors::AppError;
use axum::response::{IntoResponse, Response};

pub use app::errors::{ErrorBody, ErrorDetail};

/// An `AppError` as an API response: `{"error":{"code","message"}}` with its
/// status (the rendering is `AppError`'s own, shared with the extractors).
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        Self(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}
