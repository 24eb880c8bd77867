//! `GET /articles`, `GET /articles/{slug}`.

use super::{
    extract::{ApiPath, ApiQuery},
    params::SlugParam,
    ApiError, ErrorBody,
};
use app::{
    articles::{service, Article, CardPage, PAGE_SIZE},
    state::AppState,
};
use axum::{extract::State, Json};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only articles with this tag.
    #[param(max_length = 40, pattern = r"^([a-z0-9]+(-[a-z0-9]+)*)?$")]
    tag: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(pattern = r"^([0-9]+_[0-9]+)?$")]
    cursor: Option<String>,
}

/// Articles, newest first, 12 a page.
#[utoipa::path(get, path = "/articles", operation_id = "list_articles", tag = "articles", params(ListQuery), responses(
    (status = 200, description = "A page of articles", body = CardPage),
    (status = 400, description = "A cursor that is not one of ours", body = ErrorBody),
    (status = 404, description = "No such tag", body = ErrorBody),
))]
pub async fn list(State(state): State<AppState>, ApiQuery(q): ApiQuery<ListQuery>) -> Result<Json<CardPage>, ApiError> {
    Ok(Json(service::list(&state.db, &state.site, q.tag.as_deref(), q.cursor.as_deref(), PAGE_SIZE).await?))
}

/// One article, with its live cursor.
#[utoipa::path(get, path = "/articles/{slug}", operation_id = "show_article", tag = "articles",
    params(SlugParam),
    responses(
        (status = 200, description = "The article", body = Article),
        (status = 404, description = "No such article", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(SlugParam { slug }): ApiPath<SlugParam>,
) -> Result<Json<Article>, ApiError> {
    Ok(Json(service::by_slug(&state, &slug).await?))
}
