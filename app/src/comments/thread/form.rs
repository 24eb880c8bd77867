//! The form for a new comment or a reply: a real form without JavaScript,
//! posted in place with it.

use super::tree::{posted, Section};
use crate::{
    auth::FormFlash,
    comments::{post_comment, PostComment, Sort},
};
use leptos::{html, prelude::*, server_fn::ServerFn};

/// The form for a new comment (`parent_id = None`) or a reply.
#[component]
pub(super) fn CommentForm(
    parent_id: Option<i64>,
    #[prop(optional)] flash: FormFlash,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let s = expect_context::<Section>();
    let text = NodeRef::<html::Textarea>::new();
    let error = RwSignal::new(flash.error.as_ref().filter(|_| parent_id.is_none()).map(|e| e.to_string()));
    let busy = RwSignal::new(false);
    let field_id = match parent_id {
        Some(p) => format!("reply-{p}"),
        None => "comment-body".to_owned(),
    };
    let form_id = if parent_id.is_none() { Some("comment-form") } else { None };
    let s2 = s.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(area) = text.get_untracked() else { return };
        let body = area.value();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let s = s2.clone();
        leptos::task::spawn_local(async move {
            match post_comment(s.slug.clone(), body, parent_id).await {
                Ok(done) => {
                    area.set_value("");
                    // A new comment goes first, whatever the order, where its writer sees it.
                    posted(&s, done, if parent_id.is_none() { Sort::Newest } else { s.sort });
                    if let Some(done) = on_done {
                        done.run(());
                    }
                }
                Err(err) => error.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    };
    let label = if parent_id.is_some() { "Your reply" } else { "Join the conversation" };
    view! {
        <form method="post" action=PostComment::PATH class="comment-form" id=form_id on:submit=submit>
            <input type="hidden" name="slug" value=s.slug.clone() />
            {parent_id.map(|p| view! { <input type="hidden" name="parent_id" value=p /> })}
            <label for=field_id.clone()>{label}</label>
            <textarea
                id=field_id
                name="body"
                rows=if parent_id.is_some() { 3 } else { 4 }
                maxlength=5000
                required=true
                node_ref=text
                aria-invalid=move || error.get().is_some().to_string()
                placeholder="Be kind. Markdown works: *emphasis*, [links](https://…), > quotes."
            >
                {flash.value("body")}
            </textarea>
            <p class="field-error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</p>
            <button type="submit" disabled=move || busy.get()>
                {move || if busy.get() { "Posting…" } else if parent_id.is_some() { "Reply" } else { "Post comment" }}
            </button>
        </form>
    }
}
