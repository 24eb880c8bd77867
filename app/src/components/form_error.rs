use crate::errors::AppError;
use leptos::prelude::*;

/// The error for one field, shown under it (and announced).
#[component]
pub fn FieldError(field: &'static str, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || error.get().filter(|e| e.field() == Some(field)).map(|e| e.to_string());
    view! {
        <p class="field-error" id=format!("{field}-error") role="alert" hidden=move || message().is_none()>
            {message}
        </p>
    }
}

/// An error that belongs to no single field, shown above the form.
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || error.get().filter(|e| e.field().is_none()).map(|e| e.to_string());
    view! {
        <p class="form-error" role="alert" hidden=move || message().is_none()>
            {message}
        </p>
    }
}
