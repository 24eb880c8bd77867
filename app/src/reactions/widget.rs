//! The reactions widget under an article: real buttons in a real form, so it
//! works without JavaScript; with it, clicks update at once (optimistic),
//! reconcile with the server's answer, and other readers' picks arrive live.

use super::{emoji, label, toggle_reaction, Reactions, ToggleReaction, KINDS};
use crate::live::LiveFeed;
use leptos::{prelude::*, server_fn::ServerFn};

#[component]
pub fn ReactionsWidget(slug: String, initial: Reactions) -> impl IntoView {
    let state = RwSignal::new(initial);
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    if let Some(feed) = use_context::<LiveFeed>() {
        let seen = StoredValue::new(feed.events.with_untracked(Vec::len));
        Effect::new(move |_| {
            feed.events.with(|events| {
                for event in events.iter().skip(seen.get_value()) {
                    if event.kind == "reactions.updated" {
                        if let Ok(update) = serde_json::from_str::<CountsUpdate>(&event.data) {
                            state.update(|s| {
                                let counts: Vec<(String, i64)> = update.counts.into_iter().collect();
                                *s = Reactions::from_counts(&counts, s.mine.clone());
                            });
                        }
                    }
                }
                seen.set_value(events.len());
            });
        });
    }

    let slug_for_click = slug.clone();
    let click = move |kind: &'static str, ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let before = state.get_untracked();
        state.set(before.optimistic_toggle(kind));
        status.set(String::new());
        busy.set(true);
        let slug = slug_for_click.clone();
        leptos::task::spawn_local(async move {
            match toggle_reaction(slug, kind.to_owned()).await {
                Ok(server) => state.set(server),
                Err(err) => {
                    state.set(before);
                    status.set(format!("Your reaction was not saved: {err}"));
                }
            }
            busy.set(false);
        });
    };

    view! {
        <section class="reactions" id="reactions" aria-labelledby="reactions-heading">
            <h2 id="reactions-heading">"How does this article make you feel?"</h2>
            <p class="reactions__total" aria-live="polite">
                {move || {
                    let total = state.with(|s| s.total);
                    if total == 1 { "1 response".to_owned() } else { format!("{total} responses") }
                }}
            </p>
            <form method="post" action=ToggleReaction::PATH class="reactions__form">
                <input type="hidden" name="slug" value=slug.clone() />
                <ul class="reactions__list">
                    {KINDS
                        .iter()
                        .map(|(kind, _, _)| {
                            let kind: &'static str = kind;
                            let click = click.clone();
                            let count = move || state.with(|s| s.count(kind));
                            let share = move || state.with(|s| s.share(kind));
                            let pressed = move || state.with(|s| s.mine.as_deref() == Some(kind));
                            view! {
                                <li>
                                    <button
                                        type="submit"
                                        name="reaction"
                                        value=kind
                                        class="reaction"
                                        aria-pressed=move || pressed().to_string()
                                        on:click=move |ev| click(kind, ev)
                                    >
                                        // The accessible name is the visible text plus what only a
                                        // screen reader needs, so it starts with what is on screen (WCAG 2.5.3).
                                        <span class="reaction__emoji" aria-hidden="true">{emoji(kind)}</span>
                                        <span class="reaction__label">{label(kind)}</span>
                                        " "
                                        <span class="reaction__count">{count}</span>
                                        <span class="visually-hidden">
                                            {move || {
                                                let noun = if count() == 1 { " response" } else { " responses" };
                                                format!("{noun}, {}%", share())
                                            }}
                                        </span>
                                        <span class="reaction__bar" aria-hidden="true">
                                            <span style=move || format!("width: {}%", share())></span>
                                        </span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </form>
            <p class="reactions__status" role="status" aria-live="polite">{move || status.get()}</p>
        </section>
    }
}

#[derive(serde::Deserialize)]
struct CountsUpdate {
    counts: std::collections::BTreeMap<String, i64>,
}
