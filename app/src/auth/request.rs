//! What server functions read from and write to the HTTP exchange: the
//! session cookie, the client address, redirects and form flashes.

use super::{session, FormFlash};
use crate::{errors::AppError, state::AppState};
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// Carries a no-JavaScript form's error and values across its redirect (60 s).
pub const FLASH_COOKIE: &str = "spotlight_flash";

pub fn token(state: &AppState) -> Option<String> {
    use_context::<Parts>().and_then(|parts| session::token_from_headers(&state.site, &parts.headers))
}

/// The signed-in reader of the current server-function request: what server
/// functions hand to the services, which never read the request themselves.
pub async fn viewer(state: &AppState) -> Result<Option<super::CurrentUser>, AppError> {
    super::service::user_for_token(state, token(state).as_deref()).await
}

pub async fn require_viewer(state: &AppState) -> Result<super::CurrentUser, AppError> {
    viewer(state).await?.ok_or(AppError::Unauthorized)
}

/// The reactions reader of the current request (account or guest cookie).
pub async fn reader(state: &AppState) -> Result<Option<crate::reactions::guest::Reader>, AppError> {
    crate::reactions::guest::resolve(state, &headers()).await
}

/// Like `reader`, but a new guest (with its cookie set) when there is none.
pub async fn reader_or_new_guest(state: &AppState) -> Result<crate::reactions::guest::Reader, AppError> {
    let (reader, cookie) = crate::reactions::guest::resolve_or_create(state, &headers()).await?;
    if let Some(cookie) = cookie {
        set_cookie(&cookie);
    }
    Ok(reader)
}

fn headers() -> http::HeaderMap {
    use_context::<Parts>().map(|p| p.headers).unwrap_or_default()
}

/// The client of the current request, for the account service.
pub fn client(state: &AppState) -> super::service::Client {
    let headers = use_context::<Parts>().map(|p| p.headers).unwrap_or_default();
    super::service::Client::from_headers(state, &headers, client_ip())
}

/// The client's address as the HTTP layer resolved it (see `client_addr`).
pub fn client_ip() -> String {
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<crate::client_addr::ClientAddr>().map(|c| c.0.clone()))
        .unwrap_or_else(|| "unknown".to_owned())
}

pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        res.append_header(header::SET_COOKIE, value);
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
        set_cookie(&format!("{FLASH_COOKIE}={encoded}; HttpOnly; SameSite=Lax; Path=/; Max-Age=60{}", secure()));
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

/// `; Secure` when the site is served over https, like the session cookie.
fn secure() -> &'static str {
    if crate::state::app_state().is_ok_and(|s| s.site.is_https()) {
        "; Secure"
    } else {
        ""
    }
}

/// Reads and clears the flash cookie.
pub fn take_flash() -> FormFlash {
    let Some(parts) = use_context::<Parts>() else { return FormFlash::default() };
    let raw = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| session::cookie_value(h, FLASH_COOKIE).map(str::to_owned));
    let Some(raw) = raw else { return FormFlash::default() };
    set_cookie(&format!("{FLASH_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{}", secure()));
    hex::decode(raw).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
}
