use crate::{
    auth::{FormFlash, Login},
    components::{auth_card::AuthCard, form_error::FormError, text_field::TextField},
    errors::AppError,
};
use leptos::prelude::*;

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let outcome = Signal::derive(move || action.value().get());
    let form = move |flash: FormFlash, error: Signal<Option<AppError>>, next: Signal<String>| {
        view! {
            <ActionForm action attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="next" value=move || next.get() />
                <TextField name="login" label="Username or email" autocomplete="username" value=flash.value("login") error maxlength=254 />
                <TextField name="password" label="Password" kind="password" autocomplete="current-password" error maxlength=128 />
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Logging in…" } else { "Log in" }}
                </button>
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
