use crate::{
    components::{article_card::ArticleCardView, error_panel::ErrorPanel, page_meta::PageMeta},
    search::{search_articles, Results},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok());
    let results = Resource::new(move || (q(), page()), |(q, page)| search_articles(q, page));
    view! {
        <section class="search">
            <h1>"Search"</h1>
            <form method="get" action="/search" role="search" class="search__form">
                <label for="search-q" class="visually-hidden">"Search Spotlight"</label>
                <input id="search-q" type="search" name="q" value=q maxlength=200 placeholder="Dramas, idols, shows…" />
                <button type="submit">"Search"</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(results) => view! { <ResultList results /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ResultList(results: Results) -> impl IntoView {
    let Results { query, hits, total, page, pages, site_url } = results;
    let title = if query.is_empty() { "Search".to_owned() } else { format!("Search: {query}") };
    let summary = match (query.is_empty(), total) {
        (true, _) => "Type a word or two: a drama, an idol, a show.".to_owned(),
        (false, 0) => format!("Nothing matched “{query}”. Try fewer or different words."),
        (false, 1) => format!("1 story matches “{query}”."),
        (false, n) => format!("{n} stories match “{query}”."),
    };
    let link = {
        let query = query.clone();
        move |p: i64| format!("/search?q={}&page={p}", crate::auth::urlencode(&query))
    };
    view! {
        <PageMeta title description="Search Spotlight's stories." canonical=format!("{site_url}/search") />
        <p class="search__summary" role="status">{summary}</p>
        <ol class="search__results">
            {hits
                .into_iter()
                .map(|hit| {
                    view! {
                        <li class="search__hit">
                            <ArticleCardView card=hit.card />
                            <p class="search__snippet" inner_html=hit.snippet_html></p>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <nav class="pager" aria-label="More results">
            {(page > 1).then(|| view! { <a class="button button--ghost" rel="prev" href=link(page - 1)>"← Previous"</a> })}
            {(page < pages).then(|| view! { <a class="button" rel="next" href=link(page + 1)>"Next →"</a> })}
        </nav>
    }
}
