use crate::{
    auth::{FormFlash, Login},
    components::{auth_card::AuthCard, form_error::FormError, text_field::TextField},
    errors::AppError,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let outcome = Signal::derive(move || action.value().get());
    let query = use_query_map();
    let form = move |flash: FormFlash, error: Signal<Option<AppError>>, next: Signal<String>| {
        let reset = query.read().get("reset").is_some();
        view! {
            {reset
                .then(|| {
                    view! {
                        <p class="auth-card__notice" role="status">
                            "Your password is changed, and your account is logged out everywhere. Log in with the new password."
                        </p>
                    }
                })}
            <ActionForm action attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="next" value=move || next.get() />
                <TextField name="login" label="Username or email" autocomplete="username" value=flash.value("login") error maxlength=254 />
                <TextField name="password" label="Password" kind="password" autocomplete="current-password" error maxlength=128 />
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Logging in…" } else { "Log in" }}
                </button>
                <p class="auth-form__aside">
                    <a href="/forgot-password">"Forgot your password?"</a>
                </p>
            </ActionForm>
        }
    };
    view! {
        <AuthCard
            title="Log in"
            description="Log in to Spotlight to join the conversation."
            lead="Welcome back. Log in to join the conversation."
            outcome
            switch_prompt="New to Spotlight? "
            switch_label="Create an account"
            switch_path="/signup"
            form
        />
    }
}
