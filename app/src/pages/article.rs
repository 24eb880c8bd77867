use crate::{
    articles::ArticleCard,
    articles::{conversation::Conversation, get_article, tag_label, Article},
    auth::{take_form_flash, FormFlash},
    comments::{list_comments, thread_comments, CommentPage},
    components::article_card::ArticleCardView,
    components::{error_panel::ErrorPanel, header::UserResource, page_meta::PageMeta},
    errors::AppError,
    in_page::{InPage, InPageProp},
    pages::not_found::NotFound,
    reactions::{get_reactions, Reactions},
    search::similar_articles,
};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Which of an article's comments its page shows: the URL's `sort`, `cursor`,
/// `thread` and `after`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentsQuery {
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub thread: Option<i64>,
    pub after: i64,
}

impl CommentsQuery {
    /// Read from a URL's query parameters (`param` gives one by name), the
    /// same way for a whole page and for a reader's parts of a kept one.
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> Self {
        let number = |name: &str| param(name).and_then(|t| t.parse::<i64>().ok());
        Self {
            sort: param("sort"),
            cursor: param("cursor"),
            thread: number("thread"),
            after: number("after").unwrap_or(0),
        }
    }
}

/// The comments an article page shows, for whoever is reading.
pub async fn comments_for(slug: String, q: CommentsQuery) -> Result<CommentPage, AppError> {
    match q.thread {
        // "Show N more replies" without JavaScript: that thread's next replies.
        Some(thread) => thread_comments(slug, thread, q.after).await,
        None => list_comments(slug, q.sort, q.cursor).await,
    }
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // Bodies travel once, in the HTML (see `in_page`).
    let article = Resource::<_, InPage>::new_with_options(slug, get_article, false);
    let reactions = Resource::new(slug, get_reactions);
    let query = use_query_map();
    let comments = Resource::<_, InPage>::new_with_options(
        move || (slug(), CommentsQuery::from_params(|name| query.read().get(name))),
        |(slug, q)| comments_for(slug, q),
        false,
    );
    let flash = Resource::new(|| (), |_| take_form_flash());
    let similar = Resource::new(slug, similar_articles);
    let user = expect_context::<UserResource>().0;
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the article…"</p> }>
            {move || Suspend::new(async move {
                match article.await {
                    Ok(article) => {
                        let reactions = reactions.await.unwrap_or_default();
                        let comments = comments.await.unwrap_or_default();
                        let flash = flash.await.unwrap_or_default();
                        let user = user.await.ok().flatten();
                        let similar = similar.await.unwrap_or_default();
                        view! { <ArticleView article reactions comments flash user similar /> }.into_any()
                    }
                    Err(AppError::NotFound(_)) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ArticleView(
    article: Article,
    reactions: Reactions,
    comments: CommentPage,
    flash: FormFlash,
    user: Option<crate::auth::CurrentUser>,
    similar: Vec<ArticleCard>,
) -> impl IntoView {
    let Article { card, updated, body_html, promo, url, live_cursor, .. } = article;
    let image = card.image.clone();
    let base = url.trim_end_matches(&format!("/articles/{}", card.slug)).to_owned();
    let image_url = format!("{base}{}", image.src);
    let json_ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": card.headline,
        "description": card.summary,
        "image": [image_url],
        "datePublished": card.published.iso,
        "dateModified": updated.as_ref().map_or(card.published.iso.clone(), |u| u.iso.clone()),
        "author": [{ "@type": "Person", "name": card.author }],
        "publisher": { "@type": "Organization", "name": crate::SITE_NAME, "logo": { "@type": "ImageObject", "url": format!("{base}/favicon.svg") } },
        "mainEntityOfPage": url,
        "keywords": card.tags.join(", "),
    })
    .to_string()
    .replace("</", "<\\/");
    view! {
        <PageMeta title=card.headline.clone() description=card.summary.clone() canonical=url.clone() />
        <Meta property="og:type" content="article" />
        <Meta property="og:site_name" content=crate::SITE_NAME />
        <Meta property="og:title" content=card.headline.clone() />
        <Meta property="og:description" content=card.summary.clone() />
        <Meta property="og:url" content=url.clone() />
        <Meta property="og:image" content=image_url.clone() />
        <Meta property="og:image:alt" content=image.alt.clone() />
        <Meta property="article:published_time" content=card.published.iso.clone() />
        <Meta name="twitter:card" content="summary_large_image" />
        <Meta name="twitter:title" content=card.headline.clone() />
        <Meta name="twitter:description" content=card.summary.clone() />
        <Meta name="twitter:image" content=image_url />
        <script type="application/ld+json" nonce=leptos::nonce::use_nonce() inner_html=json_ld></script>
        <article class="article">
            <header class="article__header">
                <ul class="article__tags" aria-label="Tags">
                    {card
                        .tags
                        .iter()
                        .map(|tag| {
                            view! {
                                <li>
                                    <a href=format!("/tags/{tag}")>{tag_label(tag)}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <h1 class="article__headline">{card.headline}</h1>
                <p class="article__standfirst">{card.summary}</p>
                <p class="article__byline">
                    "By " <span class="article__author">{card.author}</span> " · "
                    <time datetime=card.published.iso>{card.published.display}</time>
                    " · "
                    <a href="#comments">
                        {if card.comments == 1 { "1 comment".to_owned() } else { format!("{} comments", card.comments) }}
                    </a>
                    {updated
                        .map(|u| {
                            view! {
                                " · Updated "
                                <time datetime=u.iso>{u.display}</time>
                            }
                        })}
                </p>
            </header>
            <figure class="article__lead">
                <img
                    src=image.src
                    alt=image.alt
                    width=image.width
                    height=image.height
                    fetchpriority="high"
                    decoding="async"
                />
                <figcaption>
                    {image.caption}
                    {(!image.credit.is_empty())
                        .then(|| view! { <span class="credit">{image.credit}</span> })}
                </figcaption>
            </figure>
            <div class="article__body" inner_html=body_html></div>
            {promo
                .map(|p| {
                    view! {
                        <aside class="promo" aria-label="Watch next">
                            <p class="promo__text">
                                "Also check out " <strong>{p.person}</strong> " in " <em>{p.show}</em> ":"
                            </p>
                            <a class="button" href=p.link rel="noopener">
                                "Watch Now"
                            </a>
                        </aside>
                    }
                })}
            <Conversation slug=card.slug.clone() live_cursor reactions comments=InPageProp(comments) user flash />
            {(!similar.is_empty())
                .then(|| {
                    view! {
                        <section class="similar" aria-labelledby="similar-heading">
                            <h2 id="similar-heading">"Similar Articles"</h2>
                            <div class="similar__grid">
                                {similar.into_iter().map(|card| view! { <ArticleCardView card /> }).collect_view()}
                            </div>
                        </section>
                    }
                })}
        </article>
    }
}
