//! Telling readers when someone replies to their comment, mentions them
//! (`@name`) or likes their comment (likes of one comment told together). The
//! header shows the unread count, kept live by the bell; `/notifications`
//! lists them, each leading to the comment's permalink.

#[cfg(feature = "ssr")]
pub mod bell;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod unsubscribe;

use crate::{articles::Stamp, errors::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Kind {
    /// Someone replied to the reader's comment (the comment is the reply).
    Reply,
    /// Someone wrote `@name` (the comment is theirs).
    Mention,
    /// Readers liked the reader's comment (the comment is the liked one).
    Likes,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reply => "reply",
            Self::Mention => "mention",
            Self::Likes => "likes",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "reply" => Some(Self::Reply),
            "mention" => Some(Self::Mention),
            "likes" => Some(Self::Likes),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub kind: Kind,
    /// "mina_k replied to your comment", "5 readers liked your comment".
    pub text: String,
    /// The comment it is about, as plain text, shortened.
    pub excerpt: String,
    pub article_headline: String,
    pub comment_id: i64,
    /// The comment's permalink (`/comments/{id}`): the article, scrolled to it.
    pub link: String,
    pub when: Stamp,
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationsPage {
    pub items: Vec<Notification>,
    pub unread: i64,
    /// The cursor of the next (older) page, if there is one.
    pub next_before: Option<String>,
    /// Mark read up to here (seconds): what this page showed.
    pub seen_up_to: i64,
}

/// The payload of the bell's `unread` events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Unread {
    pub unread: i64,
}

#[server(prefix = "/_fn")]
pub async fn get_notifications(before: Option<String>) -> Result<NotificationsPage, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    service::page(&state, &user, before.as_deref()).await
}

/// Marks what the page showed as read: posted by the page once it is on
/// screen (with JavaScript), or by its button (without).
#[server(prefix = "/_fn")]
pub async fn mark_notifications_read(up_to: i64) -> Result<i64, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    let unread = service::mark_read(&state, &user, up_to).await?;
    crate::auth::request::redirect_plain_form("/notifications");
    Ok(unread)
}

/// Turns the mail on replies on or off (a checkbox: present means on).
#[server(prefix = "/_fn")]
pub async fn set_reply_emails(on: Option<String>) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::request::require_viewer(&state).await?;
    service::set_reply_emails(&state, &user, on.is_some()).await?;
    let to = format!("{}?done=reply-emails", crate::auth::account::SETTINGS_PATH);
    crate::auth::request::redirect_plain_form(&to);
    Ok(to)
}

/// The one-click unsubscribe link of a reply mail.
#[server(prefix = "/_fn")]
pub async fn unsubscribe_reply_emails(user: i64, token: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    match unsubscribe::apply(&state, user, &token).await {
        Ok(()) => {
            let to = "/unsubscribe?done=1";
            crate::auth::request::redirect_plain_form(to);
            Ok(to.to_owned())
        }
        Err(err) => {
            let back = format!("/unsubscribe?user={user}&token={}", crate::auth::urlencode(&token));
            Err(crate::auth::request::fail_form(err, &back, &[]))
        }
    }
}
