//! The signed-in reader's own account: `/me/settings`, `/me/password`,
//! `/me/email`, `/me/sessions/others`, `/me/delete`. The rules are in
//! `app::auth::settings`, shared with the settings page.

use super::{
    auth::{notice, Notice},
    ApiError, ApiJson, ErrorBody,
};
use app::{
    auth::{
        cookies,
        extract::{SessionToken, SignedIn},
        settings, AccountSettings,
    },
    state::AppState,
};
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The reader's address, whether it is confirmed, and their open sessions.
#[utoipa::path(get, path = "/me/settings", operation_id = "account_settings", tag = "accounts",
    security(("session" = [])), responses(
    (status = 200, description = "The account as its reader sees it", body = AccountSettings),
    (status = 401, description = "Not signed in", body = ErrorBody),
))]
pub async fn overview(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    SessionToken(token): SessionToken,
) -> Result<Json<AccountSettings>, ApiError> {
    Ok(Json(settings::overview(&state, &user, token.as_deref()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordBody {
    #[schema(min_length = 1, max_length = 1024, example = "not-my-password-1")]
    current_password: String,
    /// 10 to 128 characters, not among the 10,000 most common passwords.
    #[schema(min_length = 10, max_length = 128, example = "harbour-lantern-93")]
    new_password: String,
}

/// Changes the password. Every other session of the account ends; this one stays.
#[utoipa::path(post, path = "/me/password", operation_id = "change_password", tag = "accounts",
    security(("session" = [])), request_body = PasswordBody, responses(
    (status = 200, description = "Changed; every other session ended", body = Notice),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 401, description = "Not signed in", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 403, description = "The current password is wrong (`wrong_password`)", body = ErrorBody),
    (status = 422, description = "The new password breaks a rule", body = ErrorBody),
    (status = 429, description = "Too many wrong passwords; wait for Retry-After", body = ErrorBody),
    (status = 503, description = "Too busy; try again after Retry-After", body = ErrorBody),
))]
pub async fn change_password(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    SessionToken(token): SessionToken,
    ApiJson(body): ApiJson<PasswordBody>,
) -> Result<Response, ApiError> {
    settings::change_password(&state, &user, token.as_deref(), &body.current_password, &body.new_password).await?;
    Ok(notice(StatusCode::OK, "Your password is changed. Every other session was logged out."))
}

#[derive(Deserialize, ToSchema)]
pub struct EmailBody {
    #[schema(max_length = 254, format = "email", example = "new-address@example.com")]
    email: String,
    /// The current password.
    #[schema(min_length = 1, max_length = 1024, example = "not-my-password-1")]
    password: String,
}

/// Moves the account to a new address, which must then be confirmed (a link
/// goes to it; a notice goes to the old one).
#[utoipa::path(post, path = "/me/email", operation_id = "change_email", tag = "accounts",
    security(("session" = [])), request_body = EmailBody, responses(
    (status = 200, description = "Changed; a confirmation link is on its way to the new address", body = Notice),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 401, description = "Not signed in", body = ErrorBody),
    (status = 409, description = "Another account uses that address, or it is already yours", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 403, description = "The password is wrong (`wrong_password`)", body = ErrorBody),
    (status = 422, description = "Not an address", body = ErrorBody),
    (status = 429, description = "Too many wrong passwords; wait for Retry-After", body = ErrorBody),
    (status = 503, description = "Too busy; try again after Retry-After", body = ErrorBody),
))]
pub async fn change_email(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    ApiJson(body): ApiJson<EmailBody>,
) -> Result<Response, ApiError> {
    settings::change_email(&state, &user, &body.password, &body.email).await?;
    Ok(notice(StatusCode::OK, "Your address is changed. Open the link we sent to it to confirm it."))
}

/// Mails a new confirmation link to the account's address (at most 3 an hour).
#[utoipa::path(post, path = "/me/email/confirmation", operation_id = "resend_confirmation", tag = "accounts",
    security(("session" = [])), responses(
    (status = 202, description = "A link is on its way", body = Notice),
    (status = 401, description = "Not signed in", body = ErrorBody),
    (status = 409, description = "The address is already confirmed", body = ErrorBody),
    (status = 429, description = "Several links were sent in the last hour; wait for Retry-After", body = ErrorBody),
))]
pub async fn resend_confirmation(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Response, ApiError> {
    settings::resend_confirmation(&state, &user).await?;
    Ok(notice(StatusCode::ACCEPTED, "A new confirmation link is on its way. It works for 48 hours."))
}

/// How many sessions ended.
#[derive(Serialize, ToSchema)]
pub struct Ended {
    ended: u64,
}

/// Logs out every other session of the account.
#[utoipa::path(delete, path = "/me/sessions/others", operation_id = "end_other_sessions", tag = "accounts",
    security(("session" = [])), responses(
    (status = 200, description = "The other sessions ended; this one stays", body = Ended),
    (status = 401, description = "Not signed in", body = ErrorBody),
))]
pub async fn end_other_sessions(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    SessionToken(token): SessionToken,
) -> Result<Json<Ended>, ApiError> {
    Ok(Json(Ended { ended: settings::end_other_sessions(&state, &user, token.as_deref()).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct DeleteBody {
    /// The current password, to confirm.
    #[schema(min_length = 1, max_length = 1024, example = "not-my-password-1")]
    password: String,
}

/// Deletes the account: its comments become "[deleted]" (replies stay), its
/// likes and reactions are taken back, every session ends, and its name stays
/// reserved for 30 days.
#[utoipa::path(post, path = "/me/delete", operation_id = "delete_account", tag = "accounts",
    security(("session" = [])), request_body = DeleteBody, responses(
    (status = 200, description = "Deleted; the session cookie is cleared", body = Notice),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 401, description = "Not signed in", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 403, description = "The password is wrong (`wrong_password`)", body = ErrorBody),
    (status = 422, description = "The password is missing", body = ErrorBody),
    (status = 429, description = "Too many wrong passwords; wait for Retry-After", body = ErrorBody),
    (status = 503, description = "Too busy; try again after Retry-After", body = ErrorBody),
))]
pub async fn delete_account(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    ApiJson(body): ApiJson<DeleteBody>,
) -> Result<Response, ApiError> {
    settings::delete_account(&state, &user, &body.password).await?;
    let jar = CookieJar::new().add(cookies::session_cleared(&state.site));
    Ok((jar, notice(StatusCode::OK, "Your account is deleted.")).into_response())
}
