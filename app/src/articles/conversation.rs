//! The part of an article page that runs in the browser: its reactions and
//! its comment thread, kept live by one stream. An island: the rest of the
//! page is HTML from the server, and this wakes on it from its props.

use crate::{
    auth::{CurrentUser, FormFlash},
    comments::{thread::CommentsSection, CommentPage},
    in_page::InPageProp,
    live::LiveFeed,
    reactions::{widget::ReactionsWidget, Reactions},
};
use leptos::prelude::*;

#[island]
pub fn Conversation(
    slug: String,
    /// The last live event the page includes: the stream resumes after it.
    live_cursor: i64,
    reactions: Reactions,
    comments: InPageProp<CommentPage>,
    user: Option<CurrentUser>,
    flash: FormFlash,
) -> impl IntoView {
    let feed = LiveFeed { events: RwSignal::new(Vec::new()), connected: RwSignal::new(false) };
    provide_context(feed);
    let root = NodeRef::<leptos::html::Div>::new();
    crate::islands::dispose_when_gone(root);
    #[cfg(feature = "hydrate")]
    {
        let slug = slug.clone();
        Effect::new(move |_| crate::live::client::connect(slug.clone(), live_cursor, feed));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = live_cursor;
    view! {
        <div class="conversation" node_ref=root>
            <ReactionsWidget slug=slug.clone() initial=reactions />
            <CommentsSection slug page=comments.0 user flash />
        </div>
    }
}
