use crate::components::page_meta::PageMeta;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageMeta title="Page not found" description="This page does not exist on Spotlight." canonical="" />
        <section class="not-found">
            <h1>"Page not found"</h1>
            <p>"We looked everywhere, but this page is not here. It may have moved, or the link may be mistyped."</p>
            <p>
                <a class="button" href="/">"Go to the front page"</a>
            </p>
        </section>
    }
}
