//! The frame shared by the log-in and sign-up pages: heading, the form (drawn by the
//! page), the error to show, where to go afterwards, and the link to the other page.

use crate::{
    auth::{names::safe_next, take_form_flash, urlencode, FormFlash},
    components::page_meta::PageMeta,
    errors::AppError,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the page's server action last answered: where to go next, or why not.
pub type Outcome = Signal<Option<Result<String, AppError>>>;

/// The card around an account form. `form` draws the fields from what a post without
/// JavaScript left behind (`FormFlash`), the error to show and the same-site `next` path.
#[component]
pub fn AuthCard<F, V>(
    title: &'static str,
    description: &'static str,
    lead: &'static str,
    outcome: Outcome,
    /// The line under the form, e.g. "New to Spotlight? ".
    switch_prompt: &'static str,
    switch_label: &'static str,
    switch_path: &'static str,
    form: F,
) -> impl IntoView
where
    F: Fn(FormFlash, Signal<Option<AppError>>, Signal<String>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let query = use_query_map();
    let next = Signal::derive(move || safe_next(query.read().get("next").as_deref()));
    let flash = Resource::new(|| (), |_| take_form_flash());
    // A full load after success, so the header and every resource see the new session.
    Effect::new(move |_| {
        if let Some(Ok(to)) = outcome.get() {
            let _ = window().location().set_href(&to);
        }
    });
    view! {
        <PageMeta title description canonical="" />
        <section class="auth-card">
            <h1>{title}</h1>
            <p class="auth-card__lead">{lead}</p>
            <Suspense fallback=|| ()>
                {move || {
                    let form = form.clone();
                    Suspend::new(async move {
                        let flash = flash.await.unwrap_or_default();
                        let flashed = flash.error.clone();
                        let error = Signal::derive(move || match outcome.get() {
                            Some(Err(e)) => Some(e),
                            Some(Ok(_)) => None,
                            None => flashed.clone(),
                        });
                        form(flash, error, next)
                    })
                }}
            </Suspense>
            <p class="auth-card__switch">
                {switch_prompt}
                <a href=move || format!("{switch_path}?next={}", urlencode(&next.get()))>{switch_label}</a>
            </p>
        </section>
    }
}
