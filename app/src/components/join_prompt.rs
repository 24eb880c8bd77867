use leptos::prelude::*;

/// Under every article: guests are invited to log in and come back here.
#[component]
pub fn JoinPrompt(slug: String) -> impl IntoView {
    let next = crate::auth::urlencode(&format!("/articles/{slug}#comments"));
    view! {
        <p class="join-prompt">
            <a class="button" href=format!("/login?next={next}")>
                "Log in to join the conversation"
            </a>
            " or "
            <a href=format!("/signup?next={next}")>"create an account"</a>
        </p>
    }
}
