use crate::{
    comments::{moderation_queue, BanUser, ModerateComment, QueueItem, QueuePage},
    components::{error_panel::ErrorPanel, page_meta::PageMeta},
};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::use_query_map;

#[component]
pub fn ModerationPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()));
    let queue = Resource::new(page, moderation_queue);
    view! {
        <PageMeta title="Moderation" description="Reported and held comments." canonical="" />
        <Suspense fallback=|| view! { <p class="loading">"Loading the queue…"</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(page) => view! { <Queue page /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Queue(page: QueuePage) -> impl IntoView {
    let QueuePage { items, page, has_more } = page;
    let empty = items.is_empty();
    view! {
        <section class="moderation">
            <h1>"Moderation"</h1>
            <p>"Comments held for review first, then reported ones, oldest first."</p>
            {empty.then(|| view! { <p class="listing__empty">"Nothing to review. Well done, everyone."</p> })}
            <ol class="moderation__list">
                {items.into_iter().map(|item| view! { <li><Item item /></li> }).collect_view()}
            </ol>
            <nav class="pager" aria-label="Queue pages">
                {(page > 1).then(|| view! { <a href=format!("/moderation?page={}", page - 1)>"Previous page"</a> })}
                {has_more.then(|| view! { <a href=format!("/moderation?page={}", page + 1)>"Next page"</a> })}
            </nav>
        </section>
    }
}

#[component]
fn Item(item: QueueItem) -> impl IntoView {
    let id = item.comment.id;
    let action = |value: &'static str, label: &'static str| {
        view! {
            <form method="post" action=ModerateComment::PATH class="inline-form">
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="action" value=value />
                <button type="submit" class="ghost">{label}</button>
            </form>
        }
    };
    view! {
        <article class="moderation__item">
            <p class="moderation__where">
                <strong>{item.author.clone()}</strong>
                " on "
                <a href=format!("/articles/{}#comment-{id}", item.article_slug)>{item.article_headline}</a>
                " · " {item.comment.status.as_str()}
                {(item.reports > 0).then(|| format!(" · {} report(s)", item.reports))}
            </p>
            <div class="comment__body" inner_html=item.comment.body_html></div>
            {(!item.reasons.is_empty())
                .then(|| {
                    view! {
                        <ul class="moderation__reasons">
                            {item.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                        </ul>
                    }
                })}
            <div class="moderation__actions">
                {action("hide", "Hide")}
                {action("restore", "Restore / approve")}
                {action("delete", "Delete")}
                {action("dismiss", "Dismiss reports")}
                <form method="post" action=BanUser::PATH class="inline-form">
                    <input type="hidden" name="username" value=item.author />
                    <input type="hidden" name="banned" value="true" />
                    <button type="submit" class="ghost">"Ban from commenting"</button>
                </form>
            </div>
        </article>
    }
}
