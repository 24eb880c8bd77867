use super::{ApiError, ApiJson, ErrorBody};
use app::{
    auth::{service, session, CurrentUser},
    errors::AppError,
    state::AppState,
};
use axum::{
    extract::{FromRequestParts, State},
    http::{header, request::Parts, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use utoipa::ToSchema;

/// The session token of the request, if any.
pub struct SessionToken(pub Option<String>);

impl FromRequestParts<AppState> for SessionToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(session::token_from_headers(&state.site, &parts.headers)))
    }
}

/// The logged-in user; 401 for guests.
pub struct User(pub CurrentUser);

impl FromRequestParts<AppState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session::token_from_headers(&state.site, &parts.headers);
        Ok(Self(service::require_user(state, token.as_deref()).await?))
    }
}

/// The logged-in user, or `None` for guests.
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session::token_from_headers(&state.site, &parts.headers);
        Ok(Self(service::user_for_token(state, token.as_deref()).await?))
    }
}

/// The client's address, the key of per-address rate limits.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<app::client_addr::ClientAddr>().map(|c| c.0.clone());
        Ok(Self(ip.unwrap_or_else(|| "unknown".into())))
    }
}

fn with_cookie(status: StatusCode, cookie: &str, user: CurrentUser) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(v) = cookie.parse() {
        headers.insert(header::SET_COOKIE, v);
    }
    (status, headers, Json(user)).into_response()
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
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignupBody>,
) -> Result<Response, ApiError> {
    let input = service::SignupInput { username: &body.username, email: &body.email, password: &body.password };
    let client = service::Client::from_headers(&state, &headers, ip);
    let done = service::signup(&state, input, &client).await?;
    Ok(with_cookie(StatusCode::CREATED, &done.set_cookie, done.user))
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
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    let client = service::Client::from_headers(&state, &headers, ip);
    let done = service::login(&state, &body.login, &body.password, &client).await?;
    Ok(with_cookie(StatusCode::OK, &done.set_cookie, done.user))
}

/// Ends the session on the server and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", operation_id = "logout", tag = "accounts", responses(
    (status = 204, description = "Signed out (also when there was no session)"),
))]
pub async fn logout(State(state): State<AppState>, SessionToken(token): SessionToken) -> Result<Response, ApiError> {
    let clear = service::logout(&state, token.as_deref()).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

/// The signed-in reader.
#[utoipa::path(get, path = "/me", operation_id = "me", tag = "accounts", security(("session" = [])), responses(
    (status = 200, description = "The reader", body = CurrentUser),
    (status = 401, description = "Not signed in", body = ErrorBody),
))]
pub async fn me(MaybeUser(user): MaybeUser) -> Result<Json<CurrentUser>, ApiError> {
    user.map(Json).ok_or(ApiError(AppError::Unauthorized))
}
