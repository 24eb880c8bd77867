//! How the browser's islands end.
//!
//! Pages are rendered on the server; only islands (`#[island]`) run in the
//! browser, each from its own props. In-site navigation replaces the page
//! under them: an island whose element has left the page is disposed, so its
//! effects stop and its streams close.

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::{
        html::ElementType,
        prelude::*,
        wasm_bindgen::{JsCast, JsValue},
    };
    use std::cell::RefCell;

    type OnPage = Box<dyn Fn() -> bool>;

    thread_local! {
        static AWAKE: RefCell<Vec<(Owner, OnPage)>> = const { RefCell::new(Vec::new()) };
    }

    /// Disposes the calling island once `element` has left the page.
    pub fn dispose_when_gone<E>(element: NodeRef<E>)
    where
        E: ElementType,
        E::Output: JsCast + Clone + 'static,
    {
        let Some(owner) = Owner::current() else { return };
        let on_page = move || {
            element.get_untracked().is_none_or(|el| {
                let value: &JsValue = el.unchecked_ref();
                value.unchecked_ref::<web_sys::Node>().is_connected()
            })
        };
        AWAKE.with_borrow_mut(|awake| awake.push((owner, Box::new(on_page))));
    }

    /// Disposes every island that is no longer on the page.
    pub fn dispose_gone() {
        let gone: Vec<Owner> = AWAKE.with_borrow_mut(|awake| {
            let (stay, gone): (Vec<_>, Vec<_>) = std::mem::take(awake).into_iter().partition(|(_, on_page)| on_page());
            *awake = stay;
            gone.into_iter().map(|(owner, _)| owner).collect()
        });
        for owner in gone {
            owner.cleanup();
        }
    }
}

#[cfg(feature = "hydrate")]
pub use browser::dispose_gone;

/// Disposes the calling island once `element` has left the page (a no-op on the server).
#[cfg(feature = "hydrate")]
pub use browser::dispose_when_gone;

#[cfg(not(feature = "hydrate"))]
pub fn dispose_when_gone<E>(_element: leptos::prelude::NodeRef<E>)
where
    E: leptos::html::ElementType,
{
}
