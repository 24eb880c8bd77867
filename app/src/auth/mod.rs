//! Reader accounts: sign-up, log-in, log-out and sessions, and the reader's
//! own settings.

pub mod account;
#[cfg(feature = "ssr")]
pub mod cookies;
#[cfg(feature = "ssr")]
pub mod device;
#[cfg(feature = "ssr")]
pub mod email_links;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod extract;
pub mod links;
pub mod names;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
pub mod store;

use crate::{articles::Stamp, errors::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What an account may do. Stored as lower-case text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Role {
    Reader,
    Moderator,
    Admin,
}

#[cfg(feature = "ssr")]
crate::text_column!(Role, Role::parse, Role::as_str);

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "reader" => Some(Self::Reader),
            "moderator" => Some(Self::Moderator),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Moderator => "moderator",
            Self::Admin => "admin",
        }
    }

    pub fn moderates(&self) -> bool {
        matches!(self, Self::Moderator | Self::Admin)
    }
}

/// The logged-in reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// Banned from commenting by a moderator.
    pub banned: bool,
    /// Has confirmed their email address (until then, comments with links wait for a moderator).
    pub verified: bool,
    pub joined: Stamp,
    pub joined_unix: i64,
    /// Unread notifications, as of this request.
    #[serde(default)]
    pub unread: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub username: String,
    pub role: Role,
    pub joined: Stamp,
    /// Their latest visible comments.
    pub comments: Vec<ProfileComment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileComment {
    pub id: i64,
    pub article_slug: String,
    pub article_headline: String,
    pub body_html: String,
    pub created: Stamp,
}

/// What the settings page shows a reader about their own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AccountSettings {
    pub username: String,
    pub email: String,
    pub email_confirmed: bool,
    /// Mail me when someone replies to my comments.
    pub reply_emails: bool,
    /// Open sessions, most recently used first.
    pub sessions: Vec<SessionInfo>,
}

/// One signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// The browser this request came from.
    pub current: bool,
    /// "Firefox on Android".
    pub device: String,
    pub started: Stamp,
    /// Within five minutes.
    pub last_used: Stamp,
}

/// A form error carried across a redirect for readers without JavaScript,
/// with the non-secret values to put back in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FormFlash {
    pub error: Option<AppError>,
    pub values: Vec<(String, String)>,
}

impl FormFlash {
    pub fn value(&self, name: &str) -> String {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

#[server(prefix = "/_fn")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    let state = crate::state::app_state()?;
    request::viewer(&state).await
}

/// The error of the last form post without JavaScript, once.
#[server(prefix = "/_fn")]
pub async fn take_form_flash() -> Result<FormFlash, AppError> {
    Ok(request::take_flash())
}

#[server(prefix = "/_fn")]
pub async fn login(login: String, password: String, next: Option<String>) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let next = names::safe_next(next.as_deref());
    match service::login(&state, &login, &password, &request::client(&state).await?).await {
        Ok(done) => {
            request::send(
                axum_extra::extract::cookie::CookieJar::new().add(cookies::session(&state.site, &done.token)),
            );
            request::redirect_plain_form(&next);
            Ok(next)
        }
        Err(err) => Err(request::fail_form(err, &format!("/login?next={}", urlencode(&next)), &[("login", &login)])),
    }
}

#[server(prefix = "/_fn")]
pub async fn signup(
    username: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let next = names::safe_next(next.as_deref());
    let input = service::SignupInput { username: &username, email: &email, password: &password };
    match service::signup(&state, input, &request::client(&state).await?).await {
        Ok(done) => {
            request::send(
                axum_extra::extract::cookie::CookieJar::new().add(cookies::session(&state.site, &done.token)),
            );
            request::redirect_plain_form(&next);
            Ok(next)
        }
        Err(err) => Err(request::fail_form(
            err,
            &format!("/signup?next={}", urlencode(&next)),
            &[("username", &username), ("email", &email)],
        )),
    }
}

#[server(prefix = "/_fn")]
pub async fn logout() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    service::logout(&state, request::token(&state).await?.as_deref()).await?;
    request::send(axum_extra::extract::cookie::CookieJar::new().add(cookies::session_cleared(&state.site)));
    request::redirect_plain_form("/");
    Ok(())
}

#[server(prefix = "/_fn")]
pub async fn get_profile(username: String) -> Result<Profile, AppError> {
    let state = crate::state::app_state()?;
    service::profile(&state, &username).await
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
