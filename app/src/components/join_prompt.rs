use super::header::UserResource;
use leptos::prelude::*;

/// Under every article: guests are invited to log in and come back here.
#[component]
pub fn JoinPrompt(slug: String) -> impl IntoView {
    let user = expect_context::<UserResource>().0;
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(_)) => None,
                        _ => {
                            let next = crate::auth::urlencode(&format!("/articles/{slug}#comments"));
                            Some(view! {
                                <p class="join-prompt">
                                    <a class="button" href=format!("/login?next={next}")>
                                        "Log in to join the conversation"
                                    </a>
                                    " or "
                                    <a href=format!("/signup?next={next}")>"create an account"</a>
                                </p>
                            })
                        }
                    }
                })
            }}
        </Suspense>
    }
}
