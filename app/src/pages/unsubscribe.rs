//! Where a reply mail's unsubscribe link leads: one button, no change on
//! opening (mail scanners open links too).

use crate::{
    auth::FormFlash,
    components::{auth_card::AuthCard, form_error::FormError},
    errors::AppError,
    notifications::UnsubscribeReplyEmails,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let action = ServerAction::<UnsubscribeReplyEmails>::new();
    let outcome = Signal::derive(move || action.value().get());
    let query = use_query_map();
    let form = move |_flash: FormFlash, error: Signal<Option<AppError>>, _next: Signal<String>| {
        if query.read().get("done").is_some() {
            return view! {
                <p class="auth-card__notice" role="status">
                    "Done: you will get no more mail about replies. You can turn it on again in your settings."
                </p>
            }
            .into_any();
        }
        let user = query.read().get("user").unwrap_or_default();
        let token = query.read().get("token").unwrap_or_default();
        view! {
            <ActionForm action attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                <input type="hidden" name="user" value=user />
                <input type="hidden" name="token" value=token />
                <button type="submit" disabled=move || action.pending().get()>
                    "Stop mail about replies"
                </button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <AuthCard
            title="Mail about replies"
            description="Stop the mail Spotlight sends when someone replies to your comments."
            lead="One click stops the mail we send when someone replies to your comments."
            outcome
            switch_prompt="Back to "
            switch_label="the stories"
            switch_path="/"
            form
        />
    }
}
