//! The JSON API under `/api/v1`. Handlers parse input, call the same service
//! functions the pages use, and map `AppError` to a status and a JSON body.

mod articles;
pub mod auth;
mod comments;
mod error;
mod json;
pub mod live;
mod reactions;

pub use error::ApiError;
pub use json::ApiJson;

use app::state::AppState;
use axum::{
    http::header,
    response::IntoResponse,
    routing::{get, post},
    Router,
};

/// The live streams, `/api/v1/articles/{slug}/live`: routed apart from the rest of the
/// API because they take a lighter stack of layers (see `middleware::apply_to_streams`).
pub fn live_router() -> Router<AppState> {
    Router::new().route("/api/v1/articles/{slug}/live", get(live::stream))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/articles", get(articles::list))
        .route("/articles/{slug}", get(articles::show))
        .route("/auth/signup", post(auth::signup))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/articles/{slug}/reactions", get(reactions::get).put(reactions::put).delete(reactions::delete))
        .route("/articles/{slug}/comments", get(comments::list).post(comments::create))
        .route("/articles/{slug}/comments/{id}/replies", get(comments::replies))
        .route("/comments/{id}", axum::routing::patch(comments::edit).delete(comments::delete))
        .route("/comments/{id}/like", post(comments::like).delete(comments::unlike))
        .route("/comments/{id}/report", post(comments::report))
        .fallback(|| async { ApiError(app::errors::AppError::NotFound("There is no such API route.".into())) })
}

/// The OpenAPI 3.1 description of this API.
pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
