//! The server functions behind the settings page. Each works as a plain form
//! post without JavaScript (a redirect back to the page, with the outcome or
//! the error) and in place with it. The rules are in `settings`.
//!
//! The page holds several forms: the flash left for a reader without
//! JavaScript names its form (`form`), and the password fields have names of
//! their own per form (`email_password`, `delete_password`; the service and
//! the API call it `password`), so each error shows beside its field.

use super::AccountSettings;
use crate::errors::AppError;
use leptos::prelude::*;

/// Where the settings page lives.
pub const SETTINGS_PATH: &str = "/settings";

#[server(prefix = "/_fn")]
pub async fn get_account_settings() -> Result<AccountSettings, AppError> {
    let state = crate::state::app_state()?;
    let user = super::request::require_viewer(&state).await?;
    let token = super::request::token(&state).await?;
    super::settings::overview(&state, &user, token.as_deref()).await
}

/// The outcome for both kinds of client: a redirect for a plain form post, the
/// path to load for JavaScript.
#[cfg(feature = "ssr")]
fn done(what: &str) -> String {
    let to = format!("{SETTINGS_PATH}?done={what}");
    super::request::redirect_plain_form(&to);
    to
}

/// Back to the settings page with the error, the form it belongs to and the
/// values to put back (never a password).
#[cfg(feature = "ssr")]
fn failed(err: AppError, form: &str, values: &[(&str, &str)]) -> AppError {
    let mut kept = vec![("form", form)];
    kept.extend_from_slice(values);
    super::request::fail_form(err, SETTINGS_PATH, &kept)
}

#[server(prefix = "/_fn")]
pub async fn change_password(current_password: String, new_password: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = super::request::require_viewer(&state).await?;
    let token = super::request::token(&state).await?;
    match super::settings::change_password(&state, &user, token.as_deref(), &current_password, &new_password).await {
        Ok(()) => Ok(done("password")),
        Err(err) => Err(failed(err, "password", &[])),
    }
}

#[server(prefix = "/_fn")]
pub async fn change_email(email: String, email_password: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = super::request::require_viewer(&state).await?;
    match super::settings::change_email(&state, &user, &email_password, &email).await {
        Ok(()) => Ok(done("email")),
        Err(err) => Err(failed(err.on_field("password", "email_password"), "email", &[("email", &email)])),
    }
}

#[server(prefix = "/_fn")]
pub async fn resend_confirmation() -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = super::request::require_viewer(&state).await?;
    match super::settings::resend_confirmation(&state, &user).await {
        Ok(()) => Ok(done("sent")),
        Err(err) => Err(failed(err, "resend", &[])),
    }
}

#[server(prefix = "/_fn")]
pub async fn end_other_sessions() -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = super::request::require_viewer(&state).await?;
    let token = super::request::token(&state).await?;
    match super::settings::end_other_sessions(&state, &user, token.as_deref()).await {
        Ok(_) => Ok(done("sessions")),
        Err(err) => Err(failed(err, "sessions", &[])),
    }
}

/// Where a reader lands once their account is deleted.
pub const DELETED_PATH: &str = "/account-deleted";

#[server(prefix = "/_fn")]
pub async fn delete_account(delete_password: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = super::request::require_viewer(&state).await?;
    match super::settings::delete_account(&state, &user, &delete_password).await {
        Ok(()) => {
            super::request::send(
                axum_extra::extract::cookie::CookieJar::new().add(super::cookies::session_cleared(&state.site)),
            );
            super::request::redirect_plain_form(DELETED_PATH);
            Ok(DELETED_PATH.to_owned())
        }
        Err(err) => Err(failed(err.on_field("password", "delete_password"), "delete", &[])),
    }
}
