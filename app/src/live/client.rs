//! The browser's side of an article's live stream: one EventSource, which
//! the browser resumes by itself (sending the last event id) after a dropped
//! connection; when the stream is closed for good it is opened again, from
//! the last event seen, with backoff between attempts.

use super::{LiveEvent, LiveFeed, EVENT_KINDS};
use leptos::prelude::*;
use std::{
    cell::{Cell, RefCell},
    rc::Rc,
    time::Duration,
};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{EventSource, MessageEvent};

const FIRST_BACKOFF_MS: u32 = 1_000;
const MAX_BACKOFF_MS: u32 = 30_000;

/// One open stream and the listeners it calls (dropped with it).
struct Open {
    source: EventSource,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

struct Stream {
    slug: String,
    cursor: Cell<i64>,
    backoff_ms: Cell<u32>,
    stopped: Cell<bool>,
    open: RefCell<Option<Open>>,
    feed: LiveFeed,
}

/// Connects this page to `/api/v1/articles/{slug}/live`, starting after `cursor`.
/// The connection closes when the calling component is cleaned up.
pub fn connect(slug: String, cursor: i64, feed: LiveFeed) {
    let stream = Rc::new(Stream {
        slug,
        cursor: Cell::new(cursor),
        backoff_ms: Cell::new(FIRST_BACKOFF_MS),
        stopped: Cell::new(false),
        open: RefCell::new(None),
        feed,
    });
    open(&stream);
    let held = StoredValue::new_local(Some(stream));
    on_cleanup(move || {
        if let Some(stream) = held.try_update_value(Option::take).flatten() {
            stream.stopped.set(true);
            if let Some(open) = stream.open.take() {
                open.source.close();
            }
        }
    });
}

fn open(stream: &Rc<Stream>) {
    if stream.stopped.get() {
        return;
    }
    let url = format!("/api/v1/articles/{}/live?last_event_id={}", stream.slug, stream.cursor.get());
    let Ok(source) = EventSource::new(&url) else { return retry(stream, None) };
    let on_message = {
        let stream = Rc::clone(stream);
        Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| receive(&stream, &message))
    };
    for kind in EVENT_KINDS.iter().chain(std::iter::once(&"unread")) {
        let _ = source.add_event_listener_with_callback(kind, on_message.as_ref().unchecked_ref());
    }
    let on_error = {
        let stream = Rc::clone(stream);
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            stream.feed.connected.set(false);
            // The browser retries by itself unless the stream is closed for good.
            let closed = stream.open.borrow().as_ref().is_some_and(|o| o.source.ready_state() == EventSource::CLOSED);
            if closed {
                retry(&stream, stream.open.take());
            }
        })
    };
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    *stream.open.borrow_mut() = Some(Open { source, _on_message: on_message, _on_error: on_error });
}

/// Opens the stream again after a wait. The closed one is dropped then, not
/// now: its error listener may be what is running.
fn retry(stream: &Rc<Stream>, closed: Option<Open>) {
    if let Some(old) = &closed {
        old.source.close();
    }
    let wait = stream.backoff_ms.get();
    stream.backoff_ms.set((wait * 2).min(MAX_BACKOFF_MS));
    let stream = Rc::clone(stream);
    set_timeout(
        move || {
            drop(closed);
            open(&stream);
        },
        Duration::from_millis(wait.into()),
    );
}

fn receive(stream: &Stream, message: &MessageEvent) {
    let kind = message.type_();
    let data = message.data().as_string().unwrap_or_default();
    if kind == "unread" {
        return tell_bell(&data);
    }
    stream.backoff_ms.set(FIRST_BACKOFF_MS);
    stream.feed.connected.set(true);
    let cursor = stream.cursor.get();
    let id = message.last_event_id().parse::<i64>().unwrap_or(cursor);
    if id <= cursor {
        return;
    }
    stream.cursor.set(id);
    stream.feed.events.update(|list| list.push(LiveEvent { id, article_id: 0, kind, data }));
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
