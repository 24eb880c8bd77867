use crate::{
    articles::{list_articles, tag_label},
    components::error_panel::ErrorPanel,
    errors::AppError,
    pages::{home::Listing, not_found::NotFound},
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TagPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let tag = move || params.read().get("tag").unwrap_or_default();
    let cursor = move || query.read().get("cursor");
    let page = Resource::new(move || (tag(), cursor()), |(tag, cursor)| list_articles(Some(tag), cursor));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let tag = tag();
                match page.await {
                    Ok(page) if page.items.is_empty() && cursor().is_none() => view! { <NotFound /> }.into_any(),
                    Ok(page) => {
                        let first = cursor().is_none();
                        let heading = Some(tag_label(&tag));
                        view! { <Listing page first heading base=format!("/tags/{tag}") /> }.into_any()
                    }
                    Err(AppError::NotFound(_)) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
