//! The browser's side of the bell: one EventSource on
//! `/api/v1/me/notifications/live`, whose `unread` events set the header's
//! count; reconnected with backoff, closed when the header goes.

use super::Unread;
use futures::{channel::oneshot, future::Either, StreamExt};
use gloo_net::eventsource::{futures::EventSource, State};
use leptos::prelude::*;

pub fn follow(unread: RwSignal<Option<i64>>) {
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let stop_tx = std::sync::Mutex::new(Some(stop_tx));
    on_cleanup(move || {
        if let Some(tx) = stop_tx.lock().ok().and_then(|mut s| s.take()) {
            let _ = tx.send(());
        }
    });
    leptos::task::spawn_local(run(unread, stop_rx));
}

async fn run(unread: RwSignal<Option<i64>>, mut stop: oneshot::Receiver<()>) {
    let mut backoff_ms = 2_000u32;
    loop {
        if let Ok(mut source) = EventSource::new("/api/v1/me/notifications/live") {
            if let Ok(mut events) = source.subscribe("unread") {
                loop {
                    let next = events.next();
                    futures::pin_mut!(next);
                    match futures::future::select(next, &mut stop).await {
                        Either::Right(_) => {
                            source.close();
                            return;
                        }
                        Either::Left((Some(Ok((_, message))), _)) => {
                            backoff_ms = 2_000;
                            let data = message.data().as_string().unwrap_or_default();
                            if let Ok(Unread { unread: n }) = serde_json::from_str::<Unread>(&data) {
                                unread.set(Some(n));
                            }
                        }
                        Either::Left((Some(Err(_)), _)) if source.state() != State::Closed => {}
                        Either::Left(_) => break,
                    }
                }
            }
            source.close();
        }
        let wait = gloo_timers::future::TimeoutFuture::new(backoff_ms);
        futures::pin_mut!(wait);
        if let Either::Right(_) = futures::future::select(wait, &mut stop).await {
            return;
        }
        backoff_ms = (backoff_ms * 2).min(60_000);
    }
}
