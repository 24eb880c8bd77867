//! Notification rules, shared by the comment service (which tells), the
//! notifications page, the header and the JSON API (which read).
//!
//! Telling never fails the comment, like or edit that caused it: the comment
//! is already stored, so a failure here is logged and the reader is told less.

use super::{store, Kind, Notification, NotificationsPage};
use crate::{
    articles::service::stamp,
    auth::CurrentUser,
    comments::{store::CommentRow, CommentStatus},
    db::now,
    errors::AppError,
    mail::{service as mail, Mail},
    state::AppState,
};

const PAGE: i64 = 30;
const EXCERPT_CHARS: usize = 160;

/// The permalink of a comment: the article, opened at it.
pub fn permalink(comment_id: i64) -> String {
    format!("/comments/{comment_id}")
}

/// A new comment: its parent's author hears of the reply (`replied_to`), and
/// each reader it mentions of the mention, once each, never the writer.
pub async fn comment_posted(state: &AppState, row: &CommentRow, replied_to: Option<i64>, mentioned: &[i64]) {
    if let Err(error) = tell_posted(state, row, replied_to, mentioned).await {
        tracing::error!(%error, comment_id = row.id, "readers could not be told of a comment");
    }
}

async fn tell_posted(
    state: &AppState,
    row: &CommentRow,
    replied_to: Option<i64>,
    mentioned: &[i64],
) -> Result<(), AppError> {
    let now = now();
    let parent_author = replied_to.filter(|a| *a != row.author_id);
    if let Some(author) = parent_author {
        let told = store::insert_once(&state.db, &[author], Kind::Reply, row.id, row.author_id, now).await?;
        if !told.is_empty() {
            state.bell.ring(&state.db, author).await;
            if row.status == CommentStatus::Visible {
                mail_reply(state, author, row).await?;
            }
        }
    }
    // Whoever hears of the reply does not also hear of the mention in it.
    let others: Vec<i64> =
        mentioned.iter().copied().filter(|id| *id != row.author_id && Some(*id) != parent_author).collect();
    tell_mentions(state, row, &others, now).await
}

/// A held comment a moderator let through: a reply mails its parent's author
/// now, as it would have when posted (held comments mail nobody).
pub async fn comment_approved(state: &AppState, row: &CommentRow) {
    let told = async {
        match store::replied_to(&state.db, row.id).await? {
            Some(author) => mail_reply(state, author, row).await,
            None => Ok(()),
        }
    };
    if let Err(error) = told.await {
        tracing::error!(%error, comment_id = row.id, "the reply mail of an approved comment failed");
    }
}

/// An edited comment: readers it mentions now, and did not before, are told.
pub async fn comment_edited(state: &AppState, row: &CommentRow, mentioned: &[i64]) {
    let others: Vec<i64> = mentioned.iter().copied().filter(|id| *id != row.author_id).collect();
    if let Err(error) = tell_mentions(state, row, &others, now()).await {
        tracing::error!(%error, comment_id = row.id, "readers could not be told of a mention");
    }
}

async fn tell_mentions(state: &AppState, row: &CommentRow, users: &[i64], now: i64) -> Result<(), AppError> {
    if users.is_empty() {
        return Ok(());
    }
    for user in store::insert_once(&state.db, users, Kind::Mention, row.id, row.author_id, now).await? {
        state.bell.ring(&state.db, user).await;
    }
    Ok(())
}

/// A new like: the comment's author hears of its likes (one notification per
/// comment, unread again with each like), never of their own.
pub async fn comment_liked(state: &AppState, row: &CommentRow, liker_id: i64) {
    if row.author_id == liker_id {
        return;
    }
    match store::liked(&state.db, row.author_id, row.id, liker_id, now()).await {
        Ok(()) => state.bell.ring(&state.db, row.author_id).await,
        Err(error) => tracing::error!(%error, comment_id = row.id, "the author could not be told of a like"),
    }
}

/// The optional mail on a reply, with a one-click unsubscribe.
async fn mail_reply(state: &AppState, user_id: i64, reply: &CommentRow) -> Result<(), AppError> {
    let Some((username, email)) = store::reply_mail_address(&state.db, user_id).await? else { return Ok(()) };
    let headline = crate::articles::service::headline_of(state, reply.article_id).await?;
    let one_click = super::unsubscribe::one_click_link(state, user_id);
    let text = format!(
        "Hello {username},\n\n{actor} replied to your comment on “{headline}”:\n\n{excerpt}\n\n\
         Read it and answer here:\n{link}\n\n\
         You get this mail because you asked for mail on replies in your settings. To stop it, open:\n{stop}\n",
        actor = reply.author,
        excerpt = excerpt(&reply.body_html),
        link = state.site.absolute(&permalink(reply.id)),
        stop = super::unsubscribe::page_link(state, user_id),
    );
    let subject = format!("{} replied to your comment", reply.author);
    let headers = vec![
        ("List-Unsubscribe".to_owned(), format!("<{one_click}>")),
        ("List-Unsubscribe-Post".to_owned(), "List-Unsubscribe=One-Click".to_owned()),
    ];
    mail::send(state, Mail { to: email, subject, text, headers }).await
}

/// Plain text of rendered comment HTML, shortened to a line or two.
pub fn excerpt(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open + 1..open + close];
        let name = tag.trim_start_matches('/').split([' ', '/']).next().unwrap_or_default();
        // Blocks end a line; inline tags (a link, emphasis) sit inside a sentence.
        if ["p", "br", "li", "blockquote", "pre", "ul", "ol"].contains(&name) {
            text.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.contains('<') {
        text.push_str(rest);
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() <= EXCERPT_CHARS {
        return joined;
    }
    let cut: String = joined.chars().take(EXCERPT_CHARS).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).to_owned();
    format!("{cut}…")
}

fn sentence(kind: Kind, actor: &str, likes: i64) -> String {
    match kind {
        Kind::Reply => format!("{actor} replied to your comment"),
        Kind::Mention => format!("{actor} mentioned you"),
        Kind::Likes if likes == 1 => "1 reader liked your comment".to_owned(),
        Kind::Likes => format!("{likes} readers liked your comment"),
    }
}

fn parse_before(before: Option<&str>) -> Result<Option<(i64, i64)>, AppError> {
    let Some(raw) = before.filter(|b| !b.is_empty()) else { return Ok(None) };
    let bad = || AppError::BadRequest("That page of notifications is not valid. Open the first page.".into());
    if raw.len() > 40 {
        return Err(bad());
    }
    let (at, id) = raw.split_once('_').ok_or_else(bad)?;
    Ok(Some((at.parse().map_err(|_| bad())?, id.parse().map_err(|_| bad())?)))
}

/// A page of the reader's notifications, newest first.
pub async fn page(state: &AppState, user: &CurrentUser, before: Option<&str>) -> Result<NotificationsPage, AppError> {
    let before = parse_before(before)?;
    let mut rows = store::list(&state.db, user.id, before, PAGE + 1).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next_before = more.then(|| rows.last().map(|r| format!("{}_{}", r.updated_at, r.id))).flatten();
    let seen_up_to = rows.first().map_or(0, |r| r.updated_at);
    let items = rows
        .into_iter()
        .filter_map(|r| {
            let kind = Kind::parse(&r.kind)?;
            Some(Notification {
                id: r.id,
                kind,
                text: sentence(kind, &r.actor, r.like_count),
                excerpt: excerpt(&r.body_html),
                article_headline: r.headline,
                comment_id: r.comment_id,
                link: permalink(r.comment_id),
                when: stamp(r.updated_at),
                unread: r.read_at.is_none(),
            })
        })
        .collect();
    Ok(NotificationsPage { items, unread: store::unread(&state.db, user.id).await?, next_before, seen_up_to })
}

pub async fn unread(state: &AppState, user_id: i64) -> Result<i64, AppError> {
    Ok(store::unread(&state.db, user_id).await?)
}

/// Marks read what the reader saw (up to `up_to`); returns what stays unread.
/// The reader's other pages hear of it.
pub async fn mark_read(state: &AppState, user: &CurrentUser, up_to: i64) -> Result<i64, AppError> {
    if up_to < 0 {
        return Err(AppError::invalid("up_to", "Give the time of the newest notification you saw."));
    }
    if store::mark_read(&state.db, user.id, up_to, now()).await? > 0 {
        state.bell.ring(&state.db, user.id).await;
    }
    unread(state, user.id).await
}

pub async fn reply_emails(state: &AppState, user_id: i64) -> Result<bool, AppError> {
    Ok(store::reply_emails(&state.db, user_id).await?)
}

pub async fn set_reply_emails(state: &AppState, user: &CurrentUser, on: bool) -> Result<(), AppError> {
    if !store::set_reply_emails(&state.db, user.id, on).await? {
        return Err(AppError::Unauthorized);
    }
    tracing::info!(user_id = user.id, on, "reply emails changed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_plain_text_cut_at_a_word() {
        assert_eq!(excerpt("<p>Hello <strong>there</strong> &amp; you</p>"), "Hello there & you");
        let long = format!("<p>{}</p>", "word ".repeat(100));
        let out = excerpt(&long);
        assert!(out.ends_with("word…") && out.chars().count() <= EXCERPT_CHARS + 1, "{out}");
    }

    #[test]
    fn likes_are_told_together() {
        assert_eq!(sentence(Kind::Likes, "x", 1), "1 reader liked your comment");
        assert_eq!(sentence(Kind::Likes, "x", 5), "5 readers liked your comment");
        assert_eq!(sentence(Kind::Reply, "mina_k", 0), "mina_k replied to your comment");
    }
}
