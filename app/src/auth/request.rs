//! What server functions read from and write to the HTTP exchange: the
//! session cookie, the client address, redirects and form flashes.

use super::{
    cookies,
    extract::{ReactionReader, SessionToken, SignedIn, Viewer},
    service::Client,
    FormFlash,
};
use crate::{
    client_addr::ClientAddr,
    errors::AppError,
    reactions::guest::Reader,
    state::{app_state, AppState},
};
use axum::{extract::FromRequestParts, response::IntoResponseParts};
use axum_extra::extract::cookie::{CookieJar, SignedCookieJar};
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// Runs one of the shared extractors (`super::extract`) on the current
/// server-function request, keeping its typed error (`leptos_axum::extract`
/// would flatten it to a string).
pub async fn extract<T>(state: &AppState) -> Result<T, AppError>
where
    T: FromRequestParts<AppState, Rejection = AppError>,
{
    let mut parts = use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request Parts missing from the Leptos context");
        AppError::Internal
    })?;
    T::from_request_parts(&mut parts, state).await
}

pub async fn token(state: &AppState) -> Result<Option<String>, AppError> {
    Ok(extract::<SessionToken>(state).await?.0)
}

/// The signed-in reader of the current server-function request: what server
/// functions hand to the services, which never read the request themselves.
pub async fn viewer(state: &AppState) -> Result<Option<super::CurrentUser>, AppError> {
    Ok(extract::<Viewer>(state).await?.0)
}

pub async fn require_viewer(state: &AppState) -> Result<super::CurrentUser, AppError> {
    Ok(extract::<SignedIn>(state).await?.0)
}

/// The reactions reader of the current request (account or guest cookie).
pub async fn reader(state: &AppState) -> Result<Option<Reader>, AppError> {
    Ok(extract::<ReactionReader>(state).await?.0)
}

/// Like `reader`, but a new guest (with its signed cookie set) when there is none.
pub async fn reader_or_new_guest(state: &AppState) -> Result<Reader, AppError> {
    if let Some(reader) = reader(state).await? {
        return Ok(reader);
    }
    let id = crate::reactions::guest::new_id();
    send(SignedCookieJar::new(state.cookie_key.clone()).add(cookies::guest(&state.site, &id)));
    Ok(Reader::Guest(id))
}

/// The client of the current request, for the account service.
pub async fn client(state: &AppState) -> Result<Client, AppError> {
    extract::<Client>(state).await
}

/// The client's address as the HTTP layer resolved it (see `client_addr`).
pub fn client_addr() -> ClientAddr {
    use_context::<Parts>().map_or_else(|| ClientAddr("unknown".to_owned()), |parts| ClientAddr::of(&parts))
}

/// Sends what a cookie jar changed with the server function's response.
pub fn send(jar: impl IntoResponseParts) {
    if let Some(res) = use_context::<ResponseOptions>() {
        for value in cookies::set_cookie_values(jar) {
            res.append_header(header::SET_COOKIE, value);
        }
    }
}

/// A form posted by a browser without JavaScript (it asks for HTML back).
pub fn is_plain_form() -> bool {
    use_context::<Parts>()
        .and_then(|p| p.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// Sends a browser without JavaScript on to `to` (303, so it GETs it).
pub fn redirect_plain_form(to: &str) {
    if !is_plain_form() {
        return;
    }
    if let (Some(res), Ok(location)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(to)) {
        res.insert_header(header::LOCATION, location);
        res.set_status(StatusCode::SEE_OTHER);
    }
}

/// For a form without JavaScript: keep the error (and the values to refill)
/// in a short-lived cookie and go back to the form. Returns the error.
pub fn fail_form(err: AppError, back_to: &str, values: &[(&str, &str)]) -> AppError {
    if is_plain_form() {
        let flash = FormFlash {
            error: Some(err.clone()),
            values: values.iter().map(|(k, v)| ((*k).to_owned(), v.chars().take(254).collect())).collect(),
        };
        let encoded = hex::encode(serde_json::to_vec(&flash).unwrap_or_default());
        if let Ok(state) = app_state() {
            send(CookieJar::new().add(cookies::flash(&state.site, encoded)));
        }
        redirect_plain_form(back_to);
    } else if let (Some(retry_after_secs), Some(res)) = (err.retry_after(), use_context::<ResponseOptions>()) {
        if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            res.insert_header(header::RETRY_AFTER, v);
        }
    }
    if let Some(res) = use_context::<ResponseOptions>() {
        if !is_plain_form() {
            res.set_status(StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST));
        }
    }
    err
}

/// Reads and clears the flash cookie.
pub fn take_flash() -> FormFlash {
    let Some(parts) = use_context::<Parts>() else { return FormFlash::default() };
    let Some(raw) = cookies::flash_value(&parts.headers) else { return FormFlash::default() };
    if let Ok(state) = app_state() {
        send(CookieJar::new().add(cookies::flash_cleared(&state.site)));
    }
    hex::decode(raw).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
}
