//! The JSON API under `/api/v1`. Handlers parse input, call the same service
//! functions the pages use, and map `AppError` to a status and a JSON body.

mod articles;
mod error;
mod json;

pub use error::ApiError;
pub use json::ApiJson;

use app::state::AppState;
use axum::{http::header, response::IntoResponse, routing::get, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/articles", get(articles::list))
        .route("/articles/{slug}", get(articles::show))
        .fallback(|| async { ApiError(app::errors::AppError::NotFound("There is no such API route.".into())) })
}

/// The OpenAPI 3.1 description of this API.
pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
