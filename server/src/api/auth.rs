use super::{ApiError, ApiJson};
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

#[derive(Deserialize)]
pub struct SignupBody {
    username: String,
    email: String,
    password: String,
}

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

#[derive(Deserialize)]
pub struct LoginBody {
    login: String,
    password: String,
}

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

pub async fn logout(State(state): State<AppState>, SessionToken(token): SessionToken) -> Result<Response, ApiError> {
    let clear = service::logout(&state, token.as_deref()).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

pub async fn me(MaybeUser(user): MaybeUser) -> Result<Json<CurrentUser>, ApiError> {
    user.map(Json).ok_or(ApiError(AppError::Unauthorized))
}
