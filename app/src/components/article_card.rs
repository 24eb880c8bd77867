use crate::articles::{tag_label, ArticleCard};
use leptos::prelude::*;

#[component]
pub fn ArticleCardView(card: ArticleCard, #[prop(optional)] lead: bool) -> impl IntoView {
    let href = format!("/articles/{}", card.slug);
    let first_tag = card.tags.first().cloned();
    view! {
        <article class="card" class:card--lead=lead>
            <a class="card__image" href=href.clone() tabindex="-1" aria-hidden="true">
                <img
                    src=card.image.src
                    alt=""
                    width=card.image.width
                    height=card.image.height
                    loading=if lead { "eager" } else { "lazy" }
                    decoding="async"
                />
            </a>
            <div class="card__body">
                {first_tag
                    .map(|tag| {
                        view! {
                            <a class="card__tag" href=format!("/tags/{tag}")>
                                {tag_label(&tag)}
                            </a>
                        }
                    })}
                <h2 class="card__headline">
                    <a href=href>{card.headline}</a>
                </h2>
                <p class="card__summary">{card.summary}</p>
                <p class="card__meta">
                    <span>{card.author}</span>
                    " · "
                    <time datetime=card.published.iso>{card.published.display}</time>
                    {(card.comments > 0)
                        .then(|| {
                            let n = card.comments;
                            view! {
                                " · "
                                <a class="card__comments" href=format!("/articles/{}#comments", card.slug)>
                                    {if n == 1 { "1 comment".to_owned() } else { format!("{n} comments") }}
                                </a>
                            }
                        })}
                    {card
                        .reactions
                        .top
                        .clone()
                        .map(|top| {
                            let total = card.reactions.total;
                            view! {
                                " · "
                                <span
                                    class="card__reactions"
                                    title=format!("Most readers felt: {}", crate::reactions::label(&top))
                                >
                                    <span aria-hidden="true">{crate::reactions::emoji(&top)}</span>
                                    <span class="visually-hidden">
                                        {format!("Most felt {}; ", crate::reactions::label(&top))}
                                    </span>
                                    {format!("{total} reactions")}
                                </span>
                            }
                        })}
                </p>
            </div>
        </article>
    }
}
