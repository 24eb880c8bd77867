use crate::{
    auth::{
        links::{RequestPasswordReset, RESET_SENT},
        FormFlash,
    },
    components::{auth_card::AuthCard, form_error::FormError, text_field::TextField},
    errors::AppError,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "Forgot your password?": an address in, a link out by mail.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let outcome = Signal::derive(move || action.value().get());
    let query = use_query_map();
    let form = move |flash: FormFlash, error: Signal<Option<AppError>>, _next: Signal<String>| {
        if query.read().get("sent").is_some() {
            return view! { <p class="auth-card__notice" role="status">{RESET_SENT}</p> }.into_any();
        }
        view! {
            <ActionForm action attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                <TextField name="email" label="Email" kind="email" autocomplete="email" value=flash.value("email") error maxlength=254 />
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Sending…" } else { "Send me a link" }}
                </button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <AuthCard
            title="Forgot your password?"
            description="Get a link to choose a new Spotlight password."
            lead="Enter the email address of your account and we will mail you a link to choose a new password."
            outcome
            switch_prompt="Remembered it? "
            switch_label="Log in"
            switch_path="/login"
            form
        />
    }
}
