use crate::{
    auth::{FormFlash, Signup},
    components::{
        auth_card::AuthCard,
        form_error::FormError,
        text_field::{NewPasswordField, TextField},
    },
    errors::AppError,
};
use leptos::prelude::*;

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<Signup>::new();
    let outcome = Signal::derive(move || action.value().get());
    let form = move |flash: FormFlash, error: Signal<Option<AppError>>, next: Signal<String>| {
        view! {
            <ActionForm action attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="next" value=move || next.get() />
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
                <NewPasswordField label="Password" error />
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating your account…" } else { "Create account" }}
                </button>
            </ActionForm>
        }
    };
    view! {
        <AuthCard
            title="Create an account"
            description="Join Spotlight to react to stories and talk about them."
            lead="Join the conversation about the stories you love."
            outcome
            switch_prompt="Already have an account? "
            switch_label="Log in"
            switch_path="/login"
            form
        />
    }
}
