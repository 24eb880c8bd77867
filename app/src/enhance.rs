//! Behaviour added to server-rendered HTML that Leptos does not own: the
//! article body is HTML from the importer, so its video facades are activated
//! by one delegated listener instead of components.

#[cfg(feature = "hydrate")]
pub fn install() {
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{Element, Event, KeyboardEvent};

    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };

    fn facade_of(event: &Event) -> Option<Element> {
        event.target()?.dyn_into::<Element>().ok()?.closest("a.video-facade").ok()?
    }

    fn activate(facade: &Element) {
        let (Some(player), Some(document)) = (facade.get_attribute("data-player"), facade.owner_document()) else {
            return;
        };
        let Ok(iframe) = document.create_element("iframe") else { return };
        let title = facade.get_attribute("data-title").unwrap_or_else(|| "Video".into());
        for (name, value) in [
            ("src", player.as_str()),
            ("title", title.as_str()),
            ("allow", "accelerometer; autoplay; encrypted-media; gyroscope; picture-in-picture; fullscreen"),
            ("allowfullscreen", ""),
            ("loading", "eager"),
            ("class", "video-player"),
        ] {
            let _ = iframe.set_attribute(name, value);
        }
        let _ = facade.replace_with_with_node_1(&iframe);
    }

    /// Warms up the connection to the player's host once the reader shows interest
    /// (pointer over, or focus on, a facade). Before that the page touches no third party.
    fn preconnect(facade: &Element) {
        let (Some(player), Some(document)) = (facade.get_attribute("data-player"), facade.owner_document()) else {
            return;
        };
        // "https://host/embed/…" -> "https://host"
        let origin = player.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        let selector = format!("link[rel=\"preconnect\"][href=\"{origin}\"]");
        if !origin.starts_with("https://") || document.query_selector(&selector).ok().flatten().is_some() {
            return;
        }
        let (Ok(link), Ok(Some(head))) = (document.create_element("link"), document.query_selector("head")) else {
            return;
        };
        let _ = link.set_attribute("rel", "preconnect");
        let _ = link.set_attribute("href", &origin);
        let _ = head.append_child(&link);
    }

    let on_interest = Closure::<dyn Fn(Event)>::new(|event: Event| {
        if let Some(facade) = facade_of(&event) {
            preconnect(&facade);
        }
    });
    let on_click = Closure::<dyn Fn(Event)>::new(|event: Event| {
        if let Some(facade) = facade_of(&event) {
            event.prevent_default();
            activate(&facade);
        }
    });
    // A link activates on Enter by itself; Space is what a button would also take.
    let on_key = Closure::<dyn Fn(KeyboardEvent)>::new(|event: KeyboardEvent| {
        if event.key() == " " {
            if let Some(facade) = facade_of(&event) {
                event.prevent_default();
                activate(&facade);
            }
        }
    });
    let _ = document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    let _ = document.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    for kind in ["pointerover", "focusin"] {
        let _ = document.add_event_listener_with_callback(kind, on_interest.as_ref().unchecked_ref());
    }
    on_interest.forget();
    on_click.forget();
    on_key.forget();
}

#[cfg(not(feature = "hydrate"))]
pub fn install() {}

/// Marks the page as hydrated (`<body data-hydrated="true">`), for tests and styles.
pub fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
