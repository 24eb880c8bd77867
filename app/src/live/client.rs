//! The browser's side of an article's live stream: one EventSource, resumed
//! from the last event id after any disconnect, with backoff between attempts.

use super::{LiveEvent, LiveFeed, EVENT_KINDS};
use futures::{channel::oneshot, future::Either, StreamExt};
use gloo_net::eventsource::{futures::EventSource, State};
use leptos::prelude::*;

/// Connects this page to `/api/v1/articles/{slug}/live`, starting after `cursor`.
/// The connection closes when the calling component is cleaned up.
pub fn connect(slug: String, cursor: i64, feed: LiveFeed) {
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let stop_tx = std::sync::Mutex::new(Some(stop_tx));
    on_cleanup(move || {
        if let Some(tx) = stop_tx.lock().ok().and_then(|mut s| s.take()) {
            let _ = tx.send(());
        }
    });
    leptos::task::spawn_local(run(slug, cursor, feed, stop_rx));
}

/// A signed-in reader's stream also brings their unread count (`unread`
/// events, without an id), passed on to the header's bell (`hydration/bell.js`)
/// as a `spotlight:unread` event: the bell needs no stream of its own.
fn tell_bell(data: &str) {
    let Ok(crate::notifications::Unread { unread }) = serde_json::from_str(data) else { return };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&wasm_bindgen::JsValue::from_f64(unread as f64));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("spotlight:unread", &init) {
        let _ = window().dispatch_event(&event);
    }
}

async fn run(slug: String, mut cursor: i64, feed: LiveFeed, mut stop: oneshot::Receiver<()>) {
    let mut backoff_ms = 1_000u32;
    loop {
        let url = format!("/api/v1/articles/{slug}/live?last_event_id={cursor}");
        if let Ok(mut source) = EventSource::new(&url) {
            let kinds = EVENT_KINDS.iter().chain(std::iter::once(&"unread"));
            let streams: Vec<_> = kinds.filter_map(|kind| source.subscribe(*kind).ok()).collect();
            let mut events = futures::stream::select_all(streams);
            loop {
                let next = events.next();
                futures::pin_mut!(next);
                match futures::future::select(next, &mut stop).await {
                    Either::Right(_) => {
                        source.close();
                        return;
                    }
                    Either::Left((Some(Ok((kind, message))), _)) if kind == "unread" => {
                        tell_bell(&message.data().as_string().unwrap_or_default());
                    }
                    Either::Left((Some(Ok((kind, message))), _)) => {
                        backoff_ms = 1_000;
                        feed.connected.set(true);
                        let id = message.last_event_id().parse::<i64>().unwrap_or(cursor);
                        if id <= cursor {
                            continue;
                        }
                        cursor = id;
                        let data = message.data().as_string().unwrap_or_default();
                        feed.events.update(|list| list.push(LiveEvent { id, article_id: 0, kind, data }));
                    }
                    Either::Left((Some(Err(_)), _)) => {
                        // The browser retries by itself unless the stream is closed for good.
                        if source.state() == State::Closed {
                            break;
                        }
                        feed.connected.set(false);
                    }
                    Either::Left((None, _)) => break,
                }
            }
            source.close();
        }
        feed.connected.set(false);
        let wait = gloo_timers::future::TimeoutFuture::new(backoff_ms);
        futures::pin_mut!(wait);
        if let Either::Right(_) = futures::future::select(wait, &mut stop).await {
            return;
        }
        backoff_ms = (backoff_ms * 2).min(30_000);
    }
}
