use super::form_error::FieldError;
use crate::errors::AppError;
use leptos::prelude::*;

/// A labelled input with its error underneath.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<&'static str>,
    #[prop(optional, into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] maxlength: Option<u32>,
) -> impl IntoView {
    let invalid = move || error.get().is_some_and(|e| e.field() == Some(name)).to_string();
    let described = if hint.is_some() { format!("{name}-hint {name}-error") } else { format!("{name}-error") };
    view! {
        <div class="field">
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="field-hint" id=format!("{name}-hint")>{h}</p> })}
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                required=true
                value=value
                maxlength=maxlength
                aria-invalid=invalid
                aria-describedby=described
            />
            <FieldError field=name error />
        </div>
    }
}

/// A field for choosing a password, with the rules it must meet.
#[component]
pub fn NewPasswordField(
    #[prop(default = "password")] name: &'static str,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <TextField
            name
            label
            kind="password"
            autocomplete="new-password"
            hint="At least 10 characters. Common passwords are refused."
            error
            maxlength=128
        />
    }
}
