//! `/comments/{id}`: a comment's permalink. It sends the reader on to the
//! article, opened at the comment's thread and scrolled to it (a redirect from
//! the server).

use crate::{comments::comment_location, components::error_panel::ErrorPanel};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PermalinkPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let target = Resource::new(id, comment_location);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Finding the comment…"</p> }>
            {move || Suspend::new(async move {
                match target.await {
                    Ok(to) => {
                        #[cfg(feature = "ssr")]
                        leptos_axum::redirect(&to);
                        view! {
                            <p class="loading">
                                <a href=to rel="external">"Open the comment"</a>
                            </p>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
