//! `/notifications`: replies, mentions and likes, newest first, each leading to
//! the comment. With JavaScript, what the page shows counts as read once it is
//! on screen (a POST, never the GET); without, its button marks it read.

use crate::{
    components::{error_panel::ErrorPanel, page_meta::PageMeta, sign_in_first::SignInFirst},
    errors::AppError,
    notifications::{get_notifications, MarkNotificationsRead, Notification, NotificationsPage},
};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let query = use_query_map();
    let before = move || query.read().get("before");
    let page = Resource::new(before, get_notifications);
    view! {
        <PageMeta title="Notifications" description="Replies, mentions and likes of your comments." canonical="" />
        <Suspense fallback=|| view! { <p class="loading">"Loading your notifications…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <List page /> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! {
                            <SignInFirst
                                title="Notifications"
                                lead="Log in to see who replied to you, mentioned you or liked your comments."
                                back_to="/notifications"
                            />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn List(page: NotificationsPage) -> impl IntoView {
    let NotificationsPage { items, unread, next_before, seen_up_to } = page;
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let empty = items.is_empty();
    let to_mark = (unread > 0 && seen_up_to > 0).then_some(seen_up_to);
    view! {
        // In the browser, what the page shows counts as read once it is on screen
        // (`hydration/bell.js` posts it, never the GET); without, the button does.
        <section
            class="notifications"
            data-seen-up-to=to_mark
            data-mark-read=to_mark.map(|_| MarkNotificationsRead::PATH)
        >
            <h1>"Notifications"</h1>
            {(unread > 0)
                .then(|| {
                    view! {
                        <ActionForm action=mark attr:class="notifications__mark">
                            <input type="hidden" name="up_to" value=seen_up_to />
                            <button type="submit" class="ghost">
                                "Mark all as read"
                            </button>
                        </ActionForm>
                    }
                })}
            {empty
                .then(|| {
                    view! {
                        <p class="listing__empty">
                            "Nothing yet. When someone replies to you, mentions you or likes your comment, you will see it here."
                        </p>
                    }
                })}
            <ol class="notifications__list">
                {items.into_iter().map(|item| view! { <Item item /> }).collect_view()}
            </ol>
            {next_before
                .map(|before| {
                    view! {
                        <nav class="pager" aria-label="Older notifications">
                            <a href=format!("/notifications?before={before}")>"Older notifications"</a>
                        </nav>
                    }
                })}
        </section>
    }
}

#[component]
fn Item(item: Notification) -> impl IntoView {
    let Notification { kind, text, excerpt, article_headline, link, when, unread, .. } = item;
    view! {
        <li class="notification" data-unread=unread.to_string() data-kind=kind.as_str()>
            {unread.then(|| view! { <span class="notification__new">"New"</span> })}
            // A full load: the server sends the permalink on to the article, scrolled to the comment.
            <a class="notification__link" href=link rel="external">
                <strong>{text}</strong>
                " on “"
                {article_headline}
                "”"
            </a>
            <p class="notification__excerpt">{excerpt}</p>
            <time class="notification__when" datetime=when.iso>
                {when.display}
            </time>
        </li>
    }
}
