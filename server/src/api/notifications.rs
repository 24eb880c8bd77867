//! The signed-in reader's notifications: `/me/notifications` (the list, newest
//! first), `/me/notifications/read`, `/me/notifications/live` (the unread count
//! as Server-Sent Events), `/me/reply-emails`, and `/unsubscribe` (a reply
//! mail's one-click unsubscribe). The rules are in `app::notifications`.

use super::{
    auth::{notice, Notice},
    extract::ApiQuery,
    live::StreamSlots,
    ApiError, ApiJson, ErrorBody,
};
use app::{
    auth::extract::SignedIn,
    client_addr::ClientAddr,
    notifications::{self, service, NotificationsPage, Unread},
    state::AppState,
};
use axum::{
    body::Body,
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Extension, Json,
};
use bytes::Bytes;
use serde::Deserialize;
use std::{convert::Infallible, sync::Arc, time::Duration};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// The `next_before` of the previous page.
    #[param(max_length = 40, pattern = r"^([0-9]{1,18}_[0-9]{1,18})?$")]
    before: Option<String>,
}

/// The reader's notifications, newest first, 30 a page. Each points at a
/// comment as it is now; one no longer visible is left out.
#[utoipa::path(get, path = "/me/notifications", operation_id = "list_notifications", tag = "notifications",
    security(("session" = [])), params(ListQuery), responses(
    (status = 200, description = "A page of notifications", body = NotificationsPage),
    (status = 400, description = "Not a cursor this API gave", body = ErrorBody),
    (status = 401, description = "Not signed in", body = ErrorBody),
))]
pub async fn list(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<NotificationsPage>, ApiError> {
    Ok(Json(service::page(&state, &user, query.before.as_deref()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct ReadBody {
    /// Everything updated up to this time (seconds; a page's `seen_up_to`) is read.
    #[schema(minimum = 0)]
    #[serde(deserialize_with = "super::whole::number")]
    up_to: i64,
}

/// Marks notifications read, up to what the reader saw; answers what stays unread.
#[utoipa::path(post, path = "/me/notifications/read", operation_id = "mark_notifications_read", tag = "notifications",
    security(("session" = [])), request_body = ReadBody, responses(
    (status = 200, description = "What stays unread", body = Unread),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 401, description = "Not signed in", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 422, description = "A field is missing", body = ErrorBody),
))]
pub async fn read(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    ApiJson(body): ApiJson<ReadBody>,
) -> Result<Json<Unread>, ApiError> {
    Ok(Json(Unread { unread: service::mark_read(&state, &user, body.up_to).await? }))
}

#[derive(Deserialize, ToSchema)]
pub struct ReplyEmailsBody {
    /// Mail me when someone replies to my comments.
    on: bool,
}

/// Turns the mail on replies on or off (off by default; sent to a confirmed address only).
#[utoipa::path(post, path = "/me/reply-emails", operation_id = "set_reply_emails", tag = "notifications",
    security(("session" = [])), request_body = ReplyEmailsBody, responses(
    (status = 200, description = "Saved", body = Notice),
    (status = 400, description = "Not JSON", body = ErrorBody),
    (status = 401, description = "Not signed in", body = ErrorBody),
    (status = 413, description = "Body too large", body = ErrorBody),
    (status = 422, description = "A field is missing", body = ErrorBody),
))]
pub async fn reply_emails(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    ApiJson(body): ApiJson<ReplyEmailsBody>,
) -> Result<Response, ApiError> {
    service::set_reply_emails(&state, &user, body.on).await?;
    let message = if body.on { "You will get mail when someone replies." } else { "No more mail about replies." };
    Ok(notice(StatusCode::OK, message))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeQuery {
    /// The account, as in the mail's link.
    user: i64,
    /// The mail link's token.
    #[param(max_length = 128)]
    token: String,
}

/// A reply mail's one-click unsubscribe (RFC 8058, `List-Unsubscribe-Post`):
/// no log-in, the link's token is the proof.
#[utoipa::path(post, path = "/unsubscribe", operation_id = "unsubscribe_reply_emails", tag = "notifications",
    params(UnsubscribeQuery), responses(
    (status = 200, description = "No more mail about replies", body = Notice),
    (status = 400, description = "A parameter is missing or malformed", body = ErrorBody),
    (status = 404, description = "Not a valid unsubscribe link", body = ErrorBody),
))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<UnsubscribeQuery>,
) -> Result<Response, ApiError> {
    notifications::unsubscribe::apply(&state, query.user, &query.token).await?;
    Ok(notice(StatusCode::OK, "No more mail about replies."))
}

/// Proxies close idle connections; a comment line this often keeps them open.
const HEARTBEAT: Duration = Duration::from_secs(20);
/// A ring lost between instances is made good this often.
const RECOUNT: Duration = Duration::from_secs(60);

/// A reader's unread count on a stream (this one, or their article's): sent
/// at once, then whenever the bell rings or a minute passed, if it changed.
pub(super) struct Bell {
    state: AppState,
    user_id: i64,
    listener: notifications::bell::Listener,
    /// The count last sent (`None` before the first).
    sent: Option<i64>,
    /// A count is due.
    due: bool,
    recount_at: tokio::time::Instant,
}

impl Bell {
    /// Listens before the first count, so no ring falls between the two.
    pub(super) fn new(state: &AppState, user_id: i64) -> Self {
        Self {
            state: state.clone(),
            user_id,
            listener: state.bell.listen(user_id),
            sent: None,
            due: true,
            recount_at: tokio::time::Instant::now() + RECOUNT,
        }
    }

    /// When a count is due, counting: the frame to send if the count changed
    /// (a count that fails is logged and skipped; the next ring tries again).
    pub(super) fn due(&mut self) -> Option<impl std::future::Future<Output = Option<Bytes>> + '_> {
        if !self.due {
            return None;
        }
        self.due = false;
        self.recount_at = tokio::time::Instant::now() + RECOUNT;
        Some(async move {
            let unread = match service::unread(&self.state, self.user_id).await {
                Ok(n) => n,
                Err(error) => {
                    tracing::warn!(%error, "an unread count for a stream failed");
                    return None;
                }
            };
            (self.sent != Some(unread)).then(|| {
                self.sent = Some(unread);
                let data = serde_json::to_string(&Unread { unread }).unwrap_or_default();
                Bytes::from(format!("event: unread\ndata: {data}\n\n"))
            })
        })
    }

    /// Resolves when a count is due; never without a bell (a guest's stream).
    pub(super) async fn rung(bell: Option<&mut Self>) {
        let Some(bell) = bell else { return std::future::pending().await };
        tokio::select! {
            changed = bell.listener.rx.changed() => {
                if changed.is_err() {
                    return std::future::pending().await;
                }
            }
            _ = tokio::time::sleep_until(bell.recount_at) => {}
        }
        bell.due = true;
    }
}

struct Watch {
    bell: Bell,
    closing: tokio::sync::watch::Receiver<bool>,
    _slot: super::live::Slot,
}

impl Watch {
    /// The next frame: the count when it changed, or a heartbeat. `None` ends the stream.
    async fn next(mut self) -> Option<(Bytes, Self)> {
        loop {
            let counted = match self.bell.due() {
                Some(counting) => Some(counting.await),
                None => None,
            };
            if let Some(frame) = counted {
                if let Some(frame) = frame {
                    return Some((frame, self));
                }
                continue;
            }
            let heartbeat = tokio::select! {
                _ = Bell::rung(Some(&mut self.bell)) => false,
                _ = tokio::time::sleep(HEARTBEAT) => true,
                _ = self.closing.wait_for(|closed| *closed) => return None,
            };
            if heartbeat {
                return Some((Bytes::from_static(b":heartbeat\n\n"), self));
            }
        }
    }
}

/// The reader's unread count as Server-Sent Events: one `unread` event
/// (`{"unread": n}`) at once, then one each time it changes. Never ends by itself.
#[utoipa::path(get, path = "/me/notifications/live", operation_id = "notifications_live", tag = "notifications",
    security(("session" = [])), responses(
    (status = 200, description = "The stream", content_type = "text/event-stream", body = String),
    (status = 401, description = "Not signed in", body = ErrorBody),
    (status = 429, description = "Too many open streams from this address", body = ErrorBody),
))]
pub async fn live(
    State(state): State<AppState>,
    Extension(slots): Extension<Arc<StreamSlots>>,
    Extension(ClientAddr(addr)): Extension<ClientAddr>,
    SignedIn(user): SignedIn,
) -> Result<Response, ApiError> {
    let slot = slots.take(&addr)?;
    let watch = Watch { bell: Bell::new(&state, user.id), closing: state.hub.closing(), _slot: slot };
    let frames = futures::stream::unfold(watch, |watch| async move {
        watch.next().await.map(|(frame, watch)| (Ok::<_, Infallible>(frame), watch))
    });
    Ok(([(header::CONTENT_TYPE, "text/event-stream"), (header::CACHE_CONTROL, "no-cache")], Body::from_stream(frames))
        .into_response())
}
