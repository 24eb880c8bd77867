use super::{
    auth::{MaybeUser, User},
    ApiError, ApiJson,
};
use app::{
    comments::{service, CommentPage, Sort},
    state::AppState,
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct ListQuery {
    sort: Option<String>,
    cursor: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
    MaybeUser(viewer): MaybeUser,
) -> Result<Json<CommentPage>, ApiError> {
    let sort = Sort::parse(q.sort.as_deref())?;
    Ok(Json(service::list(&state, &slug, sort, q.cursor.as_deref(), viewer.as_ref()).await?))
}

#[derive(Deserialize)]
pub struct RepliesQuery {
    #[serde(default)]
    after: i64,
}

/// `GET /api/v1/articles/{slug}/comments/{id}/replies?after=`: a thread's further replies.
pub async fn replies(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i64)>,
    Query(q): Query<RepliesQuery>,
    MaybeUser(viewer): MaybeUser,
) -> Result<Json<app::comments::RepliesPage>, ApiError> {
    Ok(Json(service::more_replies(&state, &slug, id, q.after, viewer.as_ref()).await?))
}

#[derive(Deserialize)]
pub struct NewComment {
    body: String,
    parent_id: Option<i64>,
}

pub async fn create(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    User(user): User,
    ApiJson(new): ApiJson<NewComment>,
) -> Result<Response, ApiError> {
    let posted = service::post(&state, &slug, &user, &new.body, new.parent_id).await?;
    let mut body = serde_json::to_value(&posted.comment).unwrap_or(Value::Null);
    body["held"] = json!(posted.held);
    if posted.held {
        body["message"] = json!("Thanks! Your comment will appear once a moderator has looked at it.");
    }
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Deserialize)]
pub struct Edit {
    body: String,
}

pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    User(user): User,
    ApiJson(edit): ApiJson<Edit>,
) -> Result<Response, ApiError> {
    let (_, comment) = service::edit(&state, id, &user, &edit.body).await?;
    Ok(Json(comment).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    User(user): User,
) -> Result<StatusCode, ApiError> {
    service::delete(&state, id, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn like(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    User(user): User,
) -> Result<Json<Value>, ApiError> {
    let (_, likes, liked) = service::set_like(&state, id, &user, true).await?;
    Ok(Json(json!({ "id": id, "likes": likes, "liked": liked })))
}

pub async fn unlike(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    User(user): User,
) -> Result<Json<Value>, ApiError> {
    let (_, likes, liked) = service::set_like(&state, id, &user, false).await?;
    Ok(Json(json!({ "id": id, "likes": likes, "liked": liked })))
}

#[derive(Deserialize)]
pub struct Report {
    reason: String,
}

pub async fn report(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    User(user): User,
    ApiJson(r): ApiJson<Report>,
) -> Result<Response, ApiError> {
    service::report(&state, id, &user, &r.reason).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "status": "reported" }))).into_response())
}
