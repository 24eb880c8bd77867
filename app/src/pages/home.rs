use crate::{
    articles::{list_articles, CardPage},
    components::{article_card::ArticleCardView, error_panel::ErrorPanel, page_meta::PageMeta},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move || query.read().get("cursor");
    let page = Resource::new(cursor, |cursor| list_articles(None, cursor));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the latest stories…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let first = cursor().is_none();
                        view! { <Listing page first heading=None base="/".to_owned() /> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A page of cards with a link to older stories. Shared by home and tag pages.
#[component]
pub fn Listing(page: CardPage, first: bool, heading: Option<String>, base: String) -> impl IntoView {
    let CardPage { items, next_cursor, site_url } = page;
    let title = heading.clone().unwrap_or_default();
    let description = match &heading {
        Some(h) => format!("The latest {h} news on Spotlight."),
        None => {
            "Spotlight: K-drama and K-pop news, behind-the-scenes reports and the conversation around them.".to_owned()
        }
    };
    let canonical = format!("{site_url}{base}");
    let empty = items.is_empty();
    view! {
        <PageMeta title description canonical />
        <section class="listing">
            {match heading {
                Some(h) => view! { <h1 class="listing__heading">{h}</h1> }.into_any(),
                None => view! { <h1 class="visually-hidden">"Latest stories"</h1> }.into_any(),
            }}
            {empty.then(|| view! { <p class="listing__empty">"No stories here yet."</p> })}
            <div class="listing__grid">
                {items
                    .into_iter()
                    .enumerate()
                    .map(|(i, card)| view! { <ArticleCardView card lead=first && i == 0 /> })
                    .collect_view()}
            </div>
            <nav class="pager" aria-label="More stories">
                {(!first).then(|| view! { <a class="button button--ghost" href=base.clone()>"← Latest"</a> })}
                {next_cursor
                    .map(|c| {
                        view! {
                            <a class="button" rel="next" href=format!("{base}?cursor={c}")>
                                "Older stories →"
                            </a>
                        }
                    })}
            </nav>
        </section>
    }
}
