//! In place of a page that is only for signed-in readers: a 401 and the way in.

use crate::auth::urlencode;
use leptos::prelude::*;

#[component]
pub fn SignInFirst(title: &'static str, lead: &'static str, back_to: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::UNAUTHORIZED);
    }
    view! {
        <section class="auth-card">
            <h1>{title}</h1>
            <p>{lead}</p>
            <a class="button" href=format!("/login?next={}", urlencode(back_to))>"Log in"</a>
        </section>
    }
}
