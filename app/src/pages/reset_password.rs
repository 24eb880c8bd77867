use crate::{
    auth::{links::ResetPassword, FormFlash},
    components::{auth_card::AuthCard, form_error::FormError, text_field::NewPasswordField},
    errors::AppError,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Where a reset link leads: the new password (the link's token rides along in the form).
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let outcome = Signal::derive(move || action.value().get());
    let query = use_query_map();
    let form = move |_flash: FormFlash, error: Signal<Option<AppError>>, _next: Signal<String>| {
        let token = query.read().get("token").unwrap_or_default();
        view! {
            <ActionForm action attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="token" value=token />
                <NewPasswordField label="New password" error />
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Saving…" } else { "Save the new password" }}
                </button>
            </ActionForm>
        }
    };
    view! {
        <AuthCard
            title="Choose a new password"
            description="Choose a new Spotlight password."
            lead="Saving it logs your account out everywhere; then log in with the new password."
            outcome
            switch_prompt="Need a new link? "
            switch_label="Ask again"
            switch_path="/forgot-password"
            form
        />
    }
}
