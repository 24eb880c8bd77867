use super::ApiError;
use app::{
    articles::{service, Article, CardPage, PAGE_SIZE},
    state::AppState,
};
use axum::{
    extract::{Path, Query, State},
    Json,
};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    tag: Option<String>,
    cursor: Option<String>,
}

pub async fn list(State(state): State<AppState>, Query(q): Query<ListQuery>) -> Result<Json<CardPage>, ApiError> {
    Ok(Json(service::list(&state.db, &state.site, q.tag.as_deref(), q.cursor.as_deref(), PAGE_SIZE).await?))
}

pub async fn show(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Json<Article>, ApiError> {
    Ok(Json(service::by_slug(&state.db, &state.site, &slug).await?))
}
