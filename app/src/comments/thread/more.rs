//! "Show N more replies" under a long thread.

use super::tree::{find_mut, place, Section};
use leptos::prelude::*;

/// "Show N more replies": a link to the next page of the thread (without
/// JavaScript), or the replies fetched and put in place (with it).
#[component]
pub(super) fn MoreReplies(thread_id: i64, more: i64, after: i64) -> impl IntoView {
    let s = expect_context::<Section>();
    let href = format!("/articles/{}?thread={thread_id}&after={after}#comment-{thread_id}", s.slug);
    let loading = RwSignal::new(false);
    let load = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        let s = s.clone();
        leptos::task::spawn_local(async move {
            match crate::comments::more_replies(s.slug.clone(), thread_id, after).await {
                Ok(page) => s.threads.update(|threads| {
                    for reply in page.replies {
                        place(threads, reply, s.sort);
                    }
                    if let Some(t) = find_mut(threads, thread_id) {
                        t.more_replies = page.more;
                    }
                }),
                Err(err) => s.notice.set(err.to_string()),
            }
            loading.set(false);
        });
    };
    let label = if more == 1 { "Show 1 more reply".to_owned() } else { format!("Show {more} more replies") };
    view! {
        <a class="button button--ghost comment__more-replies" href=href on:click=load>
            {move || if loading.get() { "Loading…".to_owned() } else { label.clone() }}
        </a>
    }
}
