use crate::{
    auth::{take_form_flash, Login},
    components::{form_error::FormError, page_meta::PageMeta, text_field::TextField},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || crate::auth::names::safe_next(query.read().get("next").as_deref());
    let flash = Resource::new(|| (), |_| take_form_flash());
    let action = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if let Some(Ok(to)) = action.value().get() {
            let _ = window().location().set_href(&to);
        }
    });
    view! {
        <PageMeta title="Log in" description="Log in to Spotlight to join the conversation." canonical="" />
        <section class="auth-card">
            <h1>"Log in"</h1>
            <p class="auth-card__lead">"Welcome back. Log in to join the conversation."</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let flash = flash.await.unwrap_or_default();
                    let flashed = flash.error.clone();
                    let error = Signal::derive(move || match action.value().get() {
                        Some(Err(e)) => Some(e),
                        Some(Ok(_)) => None,
                        None => flashed.clone(),
                    });
                    view! {
                        <ActionForm action attr:class="auth-form" attr:novalidate=true>
                            <FormError error />
                            <input type="hidden" name="next" value=next />
                            <TextField name="login" label="Username or email" autocomplete="username" value=flash.value("login") error maxlength=254 />
                            <TextField name="password" label="Password" kind="password" autocomplete="current-password" error maxlength=128 />
                            <button type="submit" disabled=move || action.pending().get()>
                                {move || if action.pending().get() { "Logging in…" } else { "Log in" }}
                            </button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <p class="auth-card__switch">
                "New to Spotlight? "
                <a href=move || format!("/signup?next={}", crate::auth::urlencode(&next()))>"Create an account"</a>
            </p>
        </section>
    }
}
