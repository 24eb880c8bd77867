use super::{ApiError, ApiJson, ErrorBody};
use app::{
    auth::{
        cookies, email_links,
        extract::{SessionToken, SignedIn},
        service, CurrentUser,
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

fn signed_in(status: StatusCode, state: &AppState, done: service::LoggedIn) -> Response {
    let jar = CookieJar::new().add(cookies::session(&state.site, &done.token));
    (status, jar, Json(done.user)).into_response()
}

/// A new account.
#[derive(Deserialize, ToSchema)]
pub struct SignupBody {
    /// 3 to 30 letters, digits or underscores; unique regardless of case.
    #[schema(min_length = 3, max_length = 30, pattern = r"^[A-Za-z0-9_]{3,30}$", example = "lantern_fan")]
    username: String,
    #[schema(max_length = 254, format = "email", example = "fan@example.com")]
    email: String,
    /// 10 to 128 characters, not among the 10,000 most common passwords.
    #[schema(min_length = 10, max_length = 128, example = "harbour-lantern-92")]
    password: String,
}

/// Creates an account and signs it in.
#[utoipa::path(post, path = "/auth/signup", operation_id = "signup", tag = "accounts", request_body = SignupBody, responses(
    (status = 201, description = "Signed up; the session cookie is set", body = CurrentUser,
        headers(("set-cookie" = String, description = "The session cookie"))),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 409, description = "The username or email is taken", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 422, description = "A field breaks a rule", body = ErrorBody),
    (status = 429, description = "Too many sign-ups from this address", body = ErrorBody),
    (status = 503, description = "Too busy; try again after Retry-After", body = ErrorBody),
))]
pub async fn signup(
    State(state): State<AppState>,
    client: service::Client,
    ApiJson(body): ApiJson<SignupBody>,
) -> Result<Response, ApiError> {
    let input = service::SignupInput { username: &body.username, email: &body.email, password: &body.password };
    let done = service::signup(&state, input, &client).await?;
    Ok(signed_in(StatusCode::CREATED, &state, done))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    /// Username or email.
    #[schema(min_length = 1, max_length = 254, example = "lantern_fan")]
    login: String,
    #[schema(min_length = 1, max_length = 1024, example = "harbour-lantern-92")]
    password: String,
}

/// Signs in with a username or email and a password.
#[utoipa::path(post, path = "/auth/login", operation_id = "login", tag = "accounts", request_body = LoginBody, responses(
    (status = 200, description = "Signed in; a new session cookie is set", body = CurrentUser,
        headers(("set-cookie" = String, description = "The session cookie"))),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 401, description = "Wrong login or password", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 422, description = "A field is empty or missing", body = ErrorBody),
    (status = 429, description = "Too many attempts; wait for Retry-After", body = ErrorBody),
    (status = 503, description = "Too busy; try again after Retry-After", body = ErrorBody),
))]
pub async fn login(
    State(state): State<AppState>,
    client: service::Client,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    let done = service::login(&state, &body.login, &body.password, &client).await?;
    Ok(signed_in(StatusCode::OK, &state, done))
}

/// Ends the session on the server and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", operation_id = "logout", tag = "accounts", responses(
    (status = 204, description = "Signed out (also when there was no session)"),
))]
pub async fn logout(State(state): State<AppState>, SessionToken(token): SessionToken) -> Result<Response, ApiError> {
    service::logout(&state, token.as_deref()).await?;
    Ok((StatusCode::NO_CONTENT, CookieJar::new().add(cookies::session_cleared(&state.site))).into_response())
}

/// The signed-in reader.
#[utoipa::path(get, path = "/me", operation_id = "me", tag = "accounts", security(("session" = [])), responses(
    (status = 200, description = "The reader", body = CurrentUser),
    (status = 401, description = "Not signed in", body = ErrorBody),
))]
pub async fn me(SignedIn(user): SignedIn) -> Json<CurrentUser> {
    Json(user)
}

/// A sentence for the reader.
#[derive(Serialize, ToSchema)]
pub struct Notice {
    message: String,
}

pub(super) fn notice(status: StatusCode, message: &str) -> Response {
    (status, Json(Notice { message: message.to_owned() })).into_response()
}

#[derive(Deserialize, ToSchema)]
pub struct ResetRequestBody {
    #[schema(max_length = 254, format = "email", example = "fan@example.com")]
    email: String,
}

/// "Forgot your password?": mails a single-use link (30 minutes) to the account
/// using this address. The answer is the same whether or not there is one.
#[utoipa::path(post, path = "/auth/password-reset", operation_id = "request_password_reset", tag = "accounts",
    request_body = ResetRequestBody, responses(
    (status = 202, description = "If an account uses the address, a link is on its way", body = Notice),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 422, description = "Not an email address", body = ErrorBody),
    (status = 429, description = "Too many resets from this address; wait for Retry-After", body = ErrorBody),
))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    client: service::Client,
    ApiJson(body): ApiJson<ResetRequestBody>,
) -> Result<Response, ApiError> {
    let message = email_links::request_reset(&state, &body.email, &client.ip).await?;
    Ok(notice(StatusCode::ACCEPTED, message))
}

#[derive(Deserialize, ToSchema)]
pub struct ResetBody {
    /// The token from the mailed link.
    #[schema(max_length = 128, example = "3f9a…")]
    token: String,
    /// 10 to 128 characters, not among the 10,000 most common passwords.
    #[schema(min_length = 10, max_length = 128, example = "harbour-lantern-93")]
    password: String,
}

/// Chooses a new password with a reset link's token. Every session of the
/// account ends; the reader logs in with the new password.
#[utoipa::path(post, path = "/auth/password-reset/confirm", operation_id = "reset_password", tag = "accounts",
    request_body = ResetBody, responses(
    (status = 200, description = "The password is changed; every session ended", body = Notice),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 404, description = "No such link: used, expired or copied incompletely", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 422, description = "The new password breaks a rule", body = ErrorBody),
    (status = 503, description = "Too busy; try again after Retry-After", body = ErrorBody),
))]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ResetBody>,
) -> Result<Response, ApiError> {
    email_links::reset(&state, &body.token, &body.password).await?;
    Ok(notice(StatusCode::OK, "Your password is changed. Log in with the new one."))
}

#[derive(Deserialize, ToSchema)]
pub struct VerifyBody {
    /// The token from the mailed link.
    #[schema(max_length = 128, example = "3f9a…")]
    token: String,
}

/// Confirms an account's email address with the mailed link's token.
#[utoipa::path(post, path = "/auth/verify-email", operation_id = "verify_email", tag = "accounts",
    request_body = VerifyBody, responses(
    (status = 200, description = "The address is confirmed", body = Notice),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 404, description = "No such link: used, expired or copied incompletely", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 422, description = "A field is missing", body = ErrorBody),
))]
pub async fn verify_email(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<VerifyBody>,
) -> Result<Response, ApiError> {
    email_links::verify(&state, &body.token).await?;
    Ok(notice(StatusCode::OK, "Thank you: your email address is confirmed."))
}

/// "Export my data": the reader's account, comments, likes and reactions, as a
/// JSON file to download.
#[utoipa::path(get, path = "/me/export", operation_id = "export_my_data", tag = "accounts", security(("session" = [])),
    responses(
    (status = 200, description = "Everything kept about the reader", body = app::auth::export::DataExport,
        headers(("content-disposition" = String, description = "attachment; filename=\"spotlight-<username>.json\""))),
    (status = 401, description = "Not signed in", body = ErrorBody),
))]
pub async fn export_my_data(State(state): State<AppState>, SignedIn(user): SignedIn) -> Result<Response, ApiError> {
    let export = app::auth::export::of(&state, user.id).await?;
    let disposition = format!("attachment; filename=\"spotlight-{}.json\"", user.username);
    Ok(([(axum::http::header::CONTENT_DISPOSITION, disposition)], Json(export)).into_response())
}
