//! Comment threads: list, post, reply, edit, delete, like, report.

use super::{
    extract::{ApiPath, ApiQuery},
    params::{IdParam, SlugParam, ThreadParam},
    ApiError, ApiJson, ErrorBody,
};
use app::{
    auth::extract::{SignedIn, Viewer},
    comments::{service, Comment, CommentPage, RepliesPage, Sort},
    state::AppState,
};
use axum::{
    extract::State,
    http::{header, StatusCode},
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(value_type = Option<Sort>)]
    sort: Option<String>,
    /// `next_cursor` of the previous page (`<id>`, or `<likes>_<id>` when sorted by top).
    #[param(pattern = r"^([0-9]+(_[0-9]+)?)?$")]
    cursor: Option<String>,
}

/// A page of 20 top-level threads, each with its first 10 replies.
#[utoipa::path(get, path = "/articles/{slug}/comments", operation_id = "list_comments", tag = "comments",
    params(SlugParam, ListQuery),
    responses(
        (status = 200, description = "A page of threads", body = CommentPage),
        (status = 400, description = "A bad cursor or query", body = ErrorBody),
        (status = 404, description = "No such article", body = ErrorBody),
        (status = 422, description = "An unknown sort", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ApiPath(SlugParam { slug }): ApiPath<SlugParam>,
    ApiQuery(q): ApiQuery<ListQuery>,
    Viewer(viewer): Viewer,
) -> Result<Json<CommentPage>, ApiError> {
    let sort = Sort::parse(q.sort.as_deref())?;
    Ok(Json(service::list(&state, &slug, sort, q.cursor.as_deref(), viewer.as_ref()).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RepliesQuery {
    /// The last reply already shown (0: from the first).
    #[serde(default)]
    #[param(minimum = 0)]
    after: i64,
}

/// The next 50 replies of a thread.
#[utoipa::path(get, path = "/articles/{slug}/comments/{id}/replies", operation_id = "list_replies", tag = "comments",
    params(ThreadParam, RepliesQuery),
    responses(
        (status = 200, description = "Replies, oldest first", body = RepliesPage),
        (status = 400, description = "A bad id or query", body = ErrorBody),
        (status = 404, description = "No such article or thread", body = ErrorBody),
    ))]
pub async fn replies(
    State(state): State<AppState>,
    ApiPath(ThreadParam { slug, id }): ApiPath<ThreadParam>,
    ApiQuery(q): ApiQuery<RepliesQuery>,
    Viewer(viewer): Viewer,
) -> Result<Json<RepliesPage>, ApiError> {
    Ok(Json(service::more_replies(&state, &slug, id, q.after, viewer.as_ref()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct NewComment {
    /// Markdown: emphasis, links, quotes, lists, code. Sanitised. Something besides white
    /// space, and no control characters but tabs and line breaks (`CommentBody::parse`).
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x00-\x1f\x7f-\x9f](?:(?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x00-\x1f\x7f-\x9f])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$",
        example = "What a finale!"
    )]
    body: String,
    /// The comment this one answers.
    #[schema(minimum = 1)]
    #[serde(default, deserialize_with = "super::whole::optional")]
    parent_id: Option<i64>,
}

/// A posted comment; `held` when it waits for a moderator.
#[derive(Serialize, ToSchema)]
pub struct PostedComment {
    #[serde(flatten)]
    comment: Comment,
    held: bool,
    /// For the reader, when the comment is held.
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

/// Posts a comment or a reply.
#[utoipa::path(post, path = "/articles/{slug}/comments", operation_id = "post_comment", tag = "comments", request_body = NewComment,
    security(("session" = [])),
    params(SlugParam),
    responses(
        (status = 201, description = "Posted", body = PostedComment,
            headers(("location" = String, description = "The comment: /api/v1/comments/{id}"))),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Banned from commenting", body = ErrorBody),
        (status = 404, description = "No such article, or the parent is gone", body = ErrorBody),
        (status = 409, description = "The same text a moment ago", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
        (status = 429, description = "Commenting too quickly", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ApiPath(SlugParam { slug }): ApiPath<SlugParam>,
    SignedIn(user): SignedIn,
    ApiJson(new): ApiJson<NewComment>,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Json<PostedComment>), ApiError> {
    let posted = service::post(&state, &slug, &user, &new.body, new.parent_id).await?;
    let message = posted.held.then(|| "Thanks! Your comment will appear once a moderator has looked at it.".to_owned());
    let location = format!("/api/v1/comments/{}", posted.comment.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(PostedComment { comment: posted.comment, held: posted.held, message }),
    ))
}

/// One comment, as the asker may see it.
#[utoipa::path(get, path = "/comments/{id}", operation_id = "show_comment", tag = "comments",
    params(IdParam),
    responses(
        (status = 200, description = "The comment", body = Comment),
        (status = 400, description = "A bad id", body = ErrorBody),
        (status = 404, description = "No such comment, or not visible to you", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    ApiPath(IdParam { id }): ApiPath<IdParam>,
    Viewer(viewer): Viewer,
) -> Result<Json<Comment>, ApiError> {
    Ok(Json(service::one(&state, id, viewer.as_ref()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct Edit {
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x00-\x1f\x7f-\x9f](?:(?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x00-\x1f\x7f-\x9f])?[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    body: String,
}

/// Edits a comment: its author within 15 minutes, or a moderator.
#[utoipa::path(patch, path = "/comments/{id}", operation_id = "edit_comment", tag = "comments", request_body = Edit,
    security(("session" = [])),
    params(IdParam),
    responses(
        (status = 200, description = "The edited comment", body = Comment),
        (status = 400, description = "Not JSON, or a bad id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not yours, too late, or banned", body = ErrorBody),
        (status = 404, description = "No such comment", body = ErrorBody),
        (status = 409, description = "The same text a moment ago", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    ))]
pub async fn edit(
    State(state): State<AppState>,
    ApiPath(IdParam { id }): ApiPath<IdParam>,
    SignedIn(user): SignedIn,
    ApiJson(edit): ApiJson<Edit>,
) -> Result<Json<Comment>, ApiError> {
    let (_, comment) = service::edit(&state, id, &user, &edit.body).await?;
    Ok(Json(comment))
}

/// Deletes a comment: its author or a moderator.
#[utoipa::path(delete, path = "/comments/{id}", operation_id = "delete_comment", tag = "comments",
    security(("session" = [])),
    params(IdParam),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "A bad id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not yours", body = ErrorBody),
        (status = 404, description = "No such comment", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    ApiPath(IdParam { id }): ApiPath<IdParam>,
    SignedIn(user): SignedIn,
) -> Result<StatusCode, ApiError> {
    service::delete(&state, id, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A comment's likes and whether the asker likes it.
#[derive(Serialize, ToSchema)]
pub struct LikeState {
    id: i64,
    likes: i64,
    liked: bool,
}

/// Likes a comment (idempotent: one like per reader).
#[utoipa::path(post, path = "/comments/{id}/like", operation_id = "like_comment", tag = "comments",
    security(("session" = [])),
    params(IdParam),
    responses(
        (status = 200, description = "Liked", body = LikeState),
        (status = 400, description = "A bad id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such comment", body = ErrorBody),
    ))]
pub async fn like(
    State(state): State<AppState>,
    ApiPath(IdParam { id }): ApiPath<IdParam>,
    SignedIn(user): SignedIn,
) -> Result<Json<LikeState>, ApiError> {
    let (_, likes, liked) = service::set_like(&state, id, &user, true).await?;
    Ok(Json(LikeState { id, likes, liked }))
}

/// Takes a like back (idempotent).
#[utoipa::path(delete, path = "/comments/{id}/like", operation_id = "unlike_comment", tag = "comments",
    security(("session" = [])),
    params(IdParam),
    responses(
        (status = 200, description = "Not liked", body = LikeState),
        (status = 400, description = "A bad id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such comment", body = ErrorBody),
    ))]
pub async fn unlike(
    State(state): State<AppState>,
    ApiPath(IdParam { id }): ApiPath<IdParam>,
    SignedIn(user): SignedIn,
) -> Result<Json<LikeState>, ApiError> {
    let (_, likes, liked) = service::set_like(&state, id, &user, false).await?;
    Ok(Json(LikeState { id, likes, liked }))
}

#[derive(Deserialize, ToSchema)]
pub struct Report {
    /// What is wrong, in a few words.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][\s\S]*$",
        example = "Spoils the finale without warning"
    )]
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct Reported {
    #[schema(example = "reported")]
    status: String,
}

/// Reports a comment to the moderators (once per reader per comment).
#[utoipa::path(post, path = "/comments/{id}/report", operation_id = "report_comment", tag = "comments", request_body = Report,
    security(("session" = [])),
    params(IdParam),
    responses(
        (status = 202, description = "In the moderation queue", body = Reported),
        (status = 400, description = "Not JSON, or a bad id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such visible comment", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "No reason, or too long", body = ErrorBody),
        (status = 429, description = "Too many reports", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<AppState>,
    ApiPath(IdParam { id }): ApiPath<IdParam>,
    SignedIn(user): SignedIn,
    ApiJson(r): ApiJson<Report>,
) -> Result<(StatusCode, Json<Reported>), ApiError> {
    service::report(&state, id, &user, &r.reason).await?;
    Ok((StatusCode::ACCEPTED, Json(Reported { status: "reported".into() })))
}
