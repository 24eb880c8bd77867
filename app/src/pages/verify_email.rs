use crate::{
    auth::{links::VerifyEmail, FormFlash},
    components::{auth_card::AuthCard, form_error::FormError},
    errors::AppError,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where a confirmation link leads. Opening a link changes nothing (mail
/// scanners open links too): the button does.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    let outcome = Signal::derive(move || action.value().get());
    let query = use_query_map();
    let form = move |_flash: FormFlash, error: Signal<Option<AppError>>, _next: Signal<String>| {
        if query.read().get("done").is_some() {
            return view! {
                <p class="auth-card__notice" role="status">
                    "Thank you: your email address is confirmed. Your comments with links now appear at once."
                </p>
            }
            .into_any();
        }
        let token = query.read().get("token").unwrap_or_default();
        view! {
            <ActionForm action attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="token" value=token />
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Confirming…" } else { "Confirm my email address" }}
                </button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <AuthCard
            title="Confirm your email address"
            description="Confirm the email address of your Spotlight account."
            lead="One click confirms that the address belongs to your account."
            outcome
            switch_prompt="Back to "
            switch_label="the stories"
            switch_path="/"
            form
        />
    }
}
