//! The server functions behind the pages that mailed links lead to: asking for
//! a password reset, choosing the new password, confirming an address. Each
//! works as a plain form post without JavaScript (a redirect with the outcome)
//! and in place with it. The rules are in `email_links`.

use crate::errors::AppError;
use leptos::prelude::*;

/// Shown after a reset request, whether or not an account uses the address.
pub const RESET_SENT: &str =
    "If an account uses that address, a link to choose a new password is on its way. It works for 30 minutes.";

#[server(prefix = "/_fn")]
pub async fn request_password_reset(email: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let ip = super::request::client_addr().0;
    match super::email_links::request_reset(&state, &email, &ip).await {
        Ok(_) => {
            let to = "/forgot-password?sent=1";
            super::request::redirect_plain_form(to);
            Ok(to.to_owned())
        }
        Err(err) => Err(super::request::fail_form(err, "/forgot-password", &[("email", &email)])),
    }
}

#[server(prefix = "/_fn")]
pub async fn reset_password(token: String, password: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    match super::email_links::reset(&state, &token, &password).await {
        Ok(()) => {
            // Every session ended, this browser's too: its cookie goes with it.
            super::request::send(
                axum_extra::extract::cookie::CookieJar::new().add(super::cookies::session_cleared(&state.site)),
            );
            let to = "/login?reset=1";
            super::request::redirect_plain_form(to);
            Ok(to.to_owned())
        }
        Err(err) => {
            Err(super::request::fail_form(err, &format!("/reset-password?token={}", super::urlencode(&token)), &[]))
        }
    }
}

#[server(prefix = "/_fn")]
pub async fn verify_email(token: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    match super::email_links::verify(&state, &token).await {
        Ok(()) => {
            let to = "/verify-email?done=1";
            super::request::redirect_plain_form(to);
            Ok(to.to_owned())
        }
        Err(err) => {
            Err(super::request::fail_form(err, &format!("/verify-email?token={}", super::urlencode(&token)), &[]))
        }
    }
}
