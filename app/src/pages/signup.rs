use crate::{
    auth::{take_form_flash, Signup},
    components::{form_error::FormError, page_meta::PageMeta, text_field::TextField},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignupPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || crate::auth::names::safe_next(query.read().get("next").as_deref());
    let flash = Resource::new(|| (), |_| take_form_flash());
    let action = ServerAction::<Signup>::new();
    Effect::new(move |_| {
        if let Some(Ok(to)) = action.value().get() {
            let _ = window().location().set_href(&to);
        }
    });
    view! {
        <PageMeta title="Create an account" description="Join Spotlight to react to stories and talk about them." canonical="" />
        <section class="auth-card">
            <h1>"Create an account"</h1>
            <p class="auth-card__lead">"Join the conversation about the stories you love."</p>
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
                            <TextField
                                name="username"
                                label="Username"
                                autocomplete="username"
                                hint="3–30 letters, digits or underscores. Shown with your comments."
                                value=flash.value("username")
                                error
                                maxlength=30
                            />
                            <TextField name="email" label="Email" kind="email" autocomplete="email" value=flash.value("email") error maxlength=254 />
                            <TextField
                                name="password"
                                label="Password"
                                kind="password"
                                autocomplete="new-password"
                                hint="At least 10 characters. Common passwords are refused."
                                error
                                maxlength=128
                            />
                            <button type="submit" disabled=move || action.pending().get()>
                                {move || if action.pending().get() { "Creating your account…" } else { "Create account" }}
                            </button>
                        </ActionForm>
                    }
                })}
            </Suspense>
            <p class="auth-card__switch">
                "Already have an account? "
                <a href=move || format!("/login?next={}", crate::auth::urlencode(&next()))>"Log in"</a>
            </p>
        </section>
    }
}
