//! "Export my data": everything Spotlight keeps about a reader, as one JSON
//! document they can download. Each area hands over its part through its service.

use crate::{articles::service::stamp, comments::CommentStatus, errors::AppError, state::AppState};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DataExport {
    /// RFC 3339.
    pub exported_at: String,
    pub account: ExportedAccount,
    /// Every comment the reader wrote, oldest first (a deleted one keeps its place, not its words).
    pub comments: Vec<ExportedComment>,
    pub likes: Vec<ExportedLike>,
    pub reactions: Vec<ExportedReaction>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedAccount {
    pub username: String,
    pub email: String,
    pub email_confirmed: bool,
    pub role: super::Role,
    pub joined: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedComment {
    pub id: i64,
    /// The article's slug.
    pub article: String,
    pub parent_id: Option<i64>,
    pub status: CommentStatus,
    /// As written (Markdown); empty once deleted.
    pub body: String,
    pub written: String,
    pub edited: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedLike {
    pub comment_id: i64,
    pub liked: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedReaction {
    /// The article's slug.
    pub article: String,
    pub reaction: String,
    pub picked: String,
}

/// The whole export of account `user_id`.
pub async fn of(state: &AppState, user_id: i64) -> Result<DataExport, AppError> {
    let (username, email, verified_at, role, created_at) =
        super::store::account(&state.db, user_id).await?.ok_or(AppError::Unauthorized)?;
    let (comments, likes) = crate::comments::service::export_for(state, user_id).await?;
    let reactions = crate::reactions::service::export_for(state, user_id).await?;
    Ok(DataExport {
        exported_at: stamp(crate::db::now()).iso,
        account: ExportedAccount {
            username,
            email,
            email_confirmed: verified_at.is_some(),
            role,
            joined: stamp(created_at).iso,
        },
        comments,
        likes,
        reactions,
    })
}
