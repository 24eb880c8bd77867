//! The comment section on the page. Every action is a real form (it works
//! without JavaScript); with it, posting, replying and liking happen in place
//! and other readers' changes arrive live. New top-level comments wait behind
//! a "Show N new comments" button so the text being read never jumps.

#[cfg(feature = "hydrate")]
mod actions;
mod form;
#[cfg(feature = "ssr")]
pub mod kept;
mod live;
mod markup;
mod tree;

/// On the server the list's events are the browser's business.
#[cfg(not(feature = "hydrate"))]
mod actions {
    pub(super) fn click(_: super::Section) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        |_| {}
    }
    pub(super) fn submit(_: super::Section) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
        |_| {}
    }
    pub(super) fn show_likes(_: i64, _: i64, _: bool) {}
}

use crate::{
    auth::{CurrentUser, FormFlash},
    comments::{list_comments, Comment, CommentPage, Sort},
};
use form::CommentForm;
use leptos::{either::Either, prelude::*};
use std::collections::HashSet;
use tree::{contains, place, Section};

#[component]
pub fn CommentsSection(slug: String, page: CommentPage, user: Option<CurrentUser>, flash: FormFlash) -> impl IntoView {
    let CommentPage { threads, next_cursor, sort, total, now, thread } = page;
    let section = Section {
        slug: slug.clone(),
        user: user.clone(),
        now,
        sort,
        threads: RwSignal::new(threads),
        pending: RwSignal::new(Vec::new()),
        total: RwSignal::new(total),
        own: StoredValue::new(HashSet::new()),
        notice: RwSignal::new(String::new()),
    };
    let cursor = RwSignal::new(next_cursor);
    live::follow_live(section.clone());
    provide_context(section.clone());

    let s = section.clone();
    let show_new = move |_| {
        let mut fresh = s.pending.get_untracked();
        s.pending.set(Vec::new());
        s.threads.update(|threads| {
            fresh.reverse();
            for c in fresh {
                place(threads, c, s.sort);
            }
        });
    };
    let s = section.clone();
    let loading = RwSignal::new(false);
    let load_more = move |ev: leptos::ev::MouseEvent| {
        let Some(next) = cursor.get_untracked() else { return };
        ev.prevent_default();
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        let s = s.clone();
        leptos::task::spawn_local(async move {
            match list_comments(s.slug.clone(), Some(s.sort.as_str().to_owned()), Some(next)).await {
                Ok(more) => {
                    s.threads.update(|threads| {
                        for t in more.threads {
                            if !contains(threads, t.id) {
                                threads.push(t);
                            }
                        }
                    });
                    cursor.set(more.next_cursor);
                }
                Err(err) => s.notice.set(err.to_string()),
            }
            loading.set(false);
        });
    };
    let sort_link = move |to: Sort, label: &'static str| {
        let href = format!("/articles/{}?sort={}#comments", slug, to.as_str());
        view! {
            <a href=href aria-current=move || (sort == to).then_some("true") class="comments__sort-link">{label}</a>
        }
    };
    let (on_click, on_submit) = (actions::click(section.clone()), actions::submit(section.clone()));
    let for_threads = section.clone();
    let s = section.clone();
    let base = format!("/articles/{}?sort={}", section.slug, sort.as_str());
    view! {
        <section class="comments" id="comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading">
                "Comments " <span class="comments__count">{move || format!("({})", s.total.get())}</span>
            </h2>
            <nav class="comments__sort" aria-label="Sort comments">
                {sort_link(Sort::Newest, "Newest")}
                {sort_link(Sort::Oldest, "Oldest")}
                {sort_link(Sort::Top, "Top")}
            </nav>
            {match user {
                Some(_) => Either::Left(view! { <CommentForm parent_id=None flash=flash.clone() /> }),
                None => Either::Right(view! { <crate::components::join_prompt::JoinPrompt slug=section.slug.clone() /> }),
            }}
            // The live region stays on the page (so what it says is announced);
            // only its box is shown, when it has something to say.
            <p
                class=move || {
                    if section.notice.with(String::is_empty) { "comments__notice" } else { "comments__notice comments__notice--shown" }
                }
                role="status"
                aria-live="polite"
            >
                {move || section.notice.get()}
            </p>
            <div class="comments__new" aria-live="polite">
                {move || {
                    let n = section.pending.with(Vec::len);
                    (n > 0)
                        .then(|| {
                            let label = if n == 1 { "Show 1 new comment".to_owned() } else { format!("Show {n} new comments") };
                            view! { <button type="button" class="comments__show-new" on:click=show_new>{label}</button> }
                        })
                }}
            </div>
            {thread
                .map(|_| {
                    view! {
                        <p class="comments__thread-view">
                            <a href=format!("/articles/{}#comments", section.slug)>"← All comments"</a>
                        </p>
                    }
                })}
            // Each thread is HTML (`markup`), never hydrated: the list handles its buttons and forms.
            <ol class="comments__list" on:click=on_click on:submit=on_submit>
                <For
                    each=move || section.threads.get()
                    key=|c| (c.id, c.version())
                    children=move |comment| {
                        let html = thread_html(comment, &for_threads);
                        view! { <li inner_html=html></li> }
                    }
                />
            </ol>
            {move || {
                cursor
                    .get()
                    .map(|c| {
                        view! {
                            <a class="button button--ghost comments__more" href=format!("{base}&cursor={c}#comments") on:click=load_more.clone()>
                                {move || if loading.get() { "Loading…" } else { "Load more comments" }}
                            </a>
                        }
                    })
            }}
        </section>
    }
}

/// A thread's HTML: kept between the server's renders, written afresh in the browser.
fn thread_html(comment: Comment, s: &Section) -> String {
    #[cfg(feature = "ssr")]
    {
        kept::thread(comment, s)
    }
    #[cfg(not(feature = "ssr"))]
    {
        markup::thread(&comment, &markup::Reader { slug: &s.slug, me: s.user.as_ref(), now: s.now })
    }
}
