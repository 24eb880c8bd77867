//! The extractors that turn a request into what services take: the signed-in
//! reader, the reactions reader (account or guest), the client. The JSON API
//! uses them as axum extractors (a rejection is an `AppError`, answered in the
//! API's error shape); server functions run the same ones through
//! `request::extract`.

use super::{cookies, service::Client, CurrentUser};
use crate::{client_addr::ClientAddr, errors::AppError, reactions::guest::Reader, state::AppState};
use axum::extract::{FromRef, FromRequestParts};
use http::request::Parts;

/// The session token a request carries, if any (whether or not it is still valid).
#[derive(Debug, Clone)]
pub struct SessionToken(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for SessionToken
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let state = AppState::from_ref(state);
        Ok(Self(cookies::session_token(&state.site, &parts.headers)))
    }
}

/// The signed-in reader, or `None` (expired and idle sessions end here).
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for Viewer
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let state = AppState::from_ref(state);
        let token = cookies::session_token(&state.site, &parts.headers);
        let find = || super::service::user_for_token(&state, token.as_deref());
        let user = match parts.extensions.get::<ViewerOnce>() {
            Some(once) => once.0.get_or_try_init(find).await?.clone(),
            None => find().await?,
        };
        Ok(Self(user))
    }
}

/// Put in a request's extensions (by the server's middleware), it makes the
/// session lookup happen once per request, however many parts of a page ask
/// who is reading (the header, the reactions, the comments). Copies of the
/// request's parts share it.
#[derive(Clone, Default)]
pub struct ViewerOnce(std::sync::Arc<tokio::sync::OnceCell<Option<CurrentUser>>>);

/// The signed-in reader; `AppError::Unauthorized` (401) for anyone else.
#[derive(Debug, Clone)]
pub struct SignedIn(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Viewer(user) = Viewer::from_request_parts(parts, state).await?;
        user.map(Self).ok_or(AppError::Unauthorized)
    }
}

/// Who reacts: the account when signed in, else the verified guest id, else nobody yet.
#[derive(Debug, Clone)]
pub struct ReactionReader(pub Option<Reader>);

impl<S: Send + Sync> FromRequestParts<S> for ReactionReader
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        if let Viewer(Some(user)) = Viewer::from_request_parts(parts, state).await? {
            return Ok(Self(Some(Reader::User(user.id))));
        }
        let state = AppState::from_ref(state);
        Ok(Self(cookies::guest_id(&state.cookie_key, &parts.headers).map(Reader::Guest)))
    }
}

/// Who is knocking at the account doors: address, any current session, any guest id.
impl<S: Send + Sync> FromRequestParts<S> for Client
where
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let state = AppState::from_ref(state);
        Ok(Self {
            ip: ClientAddr::of(parts).0,
            session: cookies::session_token(&state.site, &parts.headers),
            guest: cookies::guest_id(&state.cookie_key, &parts.headers),
            device: super::device::describe(parts.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok())),
        })
    }
}
