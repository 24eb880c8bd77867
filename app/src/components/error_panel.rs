use crate::errors::AppError;
use leptos::prelude::*;

/// A reader-facing error message, in place of the content that failed.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response
            .set_status(http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    view! {
        <section class="error-panel" role="alert">
            <h1>"Sorry"</h1>
            <p>{error.to_string()}</p>
            <p>
                <a href="/">"Back to the front page"</a>
            </p>
        </section>
    }
}
