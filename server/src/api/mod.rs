//! The JSON API under `/api/v1`. Handlers parse input, call the same service
//! functions the pages use, and map `AppError` to a status and a JSON body.
//! The OpenAPI document is derived from these handlers and their types
//! (utoipa): what is served at `/api/v1/openapi.json` is what the code does.

mod account;
mod articles;
pub mod auth;
mod comments;
mod error;
mod extract;
pub mod live;
pub mod notifications;
mod params;
mod reactions;
mod whole;

pub use error::{ApiError, ErrorBody};
pub use extract::ApiJson;

use app::{errors::AppError, state::AppState};
use axum::{
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use std::sync::OnceLock;
use utoipa::{
    openapi::security::{ApiKey, ApiKeyValue, SecurityScheme},
    Modify, OpenApi,
};
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Spotlight API",
        version = "1",
        description = "Articles, reactions and live comment threads. Errors are \
            `{\"error\":{\"code\",\"message\"}}` with the matching status. A state-changing request \
            whose Origin is not the site's own is refused with 403."
    ),
    servers((url = "/api/v1")),
    paths(live::stream, notifications::live),
    components(schemas(ErrorBody)),
    modifiers(&SessionCookie),
    tags(
        (name = "articles"), (name = "accounts"), (name = "reactions"), (name = "comments"), (name = "live"),
    )
)]
struct ApiDoc;

/// The session cookie, for the operations that need a signed-in reader.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(app::auth::session::COOKIE))),
        );
    }
}

/// A posted comment leads to what can be done with it (OpenAPI links, which
/// the contract test follows in its stateful phase). Written into the JSON:
/// utoipa 5's `Link` serialises `operationId` as `operation_id`.
fn add_comment_links(doc: &mut serde_json::Value) {
    let Some(created) = doc.pointer_mut("/paths/~1articles~1{slug}~1comments/post/responses/201") else { return };
    let links: serde_json::Map<String, serde_json::Value> =
        ["show_comment", "edit_comment", "delete_comment", "like_comment", "unlike_comment", "report_comment"]
            .iter()
            .map(|op| {
                (
                    (*op).to_owned(),
                    serde_json::json!({ "operationId": op, "parameters": { "id": "$response.body#/id" } }),
                )
            })
            .collect();
    created["links"] = serde_json::Value::Object(links);
}

/// The live streams, `/api/v1/articles/{slug}/live`: routed apart from the rest of the
/// API because they take a lighter stack of layers (see `middleware::apply_to_streams`).
pub fn live_router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/articles/{slug}/live", get(live::stream))
        .route("/api/v1/me/notifications/live", get(notifications::live))
}

fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(articles::list))
        .routes(routes!(articles::show))
        .routes(routes!(auth::signup))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(auth::export_my_data))
        .routes(routes!(auth::request_password_reset))
        .routes(routes!(auth::reset_password))
        .routes(routes!(auth::verify_email))
        .routes(routes!(account::overview))
        .routes(routes!(account::change_password))
        .routes(routes!(account::change_email))
        .routes(routes!(account::resend_confirmation))
        .routes(routes!(account::end_other_sessions))
        .routes(routes!(account::delete_account))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::read))
        .routes(routes!(notifications::reply_emails))
        .routes(routes!(notifications::unsubscribe))
        .routes(routes!(reactions::get, reactions::put, reactions::delete))
        .routes(routes!(comments::list, comments::create))
        .routes(routes!(comments::replies))
        .routes(routes!(comments::show, comments::edit, comments::delete))
        .routes(routes!(comments::like, comments::unlike))
        .routes(routes!(comments::report))
}

/// The OpenAPI document, as JSON (built once).
pub fn openapi_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, doc) = documented().split_for_parts();
        let written = serde_json::to_value(&doc).and_then(|mut doc| {
            add_comment_links(&mut doc);
            serde_json::to_string_pretty(&doc)
        });
        written.unwrap_or_else(|e| {
            tracing::error!(error = %e, "the OpenAPI document could not be written");
            "{}".to_owned()
        })
    })
}

pub fn router() -> Router<AppState> {
    let (router, _) = documented().split_for_parts();
    router
        .route("/openapi.json", get(openapi))
        .fallback(|| async { ApiError(AppError::NotFound("There is no such API route.".into())) })
        .method_not_allowed_fallback(method_not_allowed)
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], openapi_json())
}

/// 405 in the API's error shape; axum adds the `Allow` header.
async fn method_not_allowed() -> Response {
    let error = error::ErrorDetail {
        code: "method_not_allowed".into(),
        message: "This route does not take that method.".into(),
        field: None,
    };
    (StatusCode::METHOD_NOT_ALLOWED, axum::Json(ErrorBody { error })).into_response()
}
