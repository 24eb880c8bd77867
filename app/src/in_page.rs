//! Hydration data without what the page's HTML already carries.
//!
//! A page's resources travel to the hydrating browser as JSON inside a
//! script, escaped twice over (as JSON, then as a script string). The largest
//! of them, an article's body and its comments' bodies, are in the page once
//! already as HTML, which hydration never rewrites (`inner_html` is left as
//! the server wrote it). So those resources use the `InPage` codec: the server
//! sends them without their bodies, and the hydrating browser takes each body
//! from the element the server rendered it into. The same values fetched
//! later (in-site navigation, "load more") come from their server functions,
//! bodies and all.

use crate::errors::AppError;
use leptos::server::codee::{Decoder, Encoder};
use serde::{de::DeserializeOwned, Serialize};

/// A value with HTML bodies the page renders where `bodies_from_page` finds them.
pub trait BodiesInPage: Serialize + DeserializeOwned {
    /// The value with every body emptied.
    fn without_bodies(&self) -> Self;
    /// Puts back the bodies from the page being hydrated.
    fn bodies_from_page(&mut self);
}

/// The resource codec for such values.
pub struct InPage;

impl<T: BodiesInPage> Encoder<Result<T, AppError>> for InPage {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &Result<T, AppError>) -> Result<String, Self::Error> {
        match val {
            Ok(value) => serde_json::to_string(&Ok::<_, &AppError>(value.without_bodies())),
            Err(error) => serde_json::to_string(&Err::<&T, _>(error)),
        }
    }
}

impl<T: BodiesInPage> Decoder<Result<T, AppError>> for InPage {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<Result<T, AppError>, Self::Error> {
        let mut value: Result<T, AppError> = serde_json::from_str(val)?;
        if let Ok(value) = &mut value {
            value.bodies_from_page();
        }
        Ok(value)
    }
}

/// The inner HTML of the first element matching `selector` in the page being
/// hydrated (empty on the server, and where there is none).
pub fn html_of(selector: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::document()
            .query_selector(selector)
            .ok()
            .flatten()
            .map(|element| element.inner_html())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = selector;
        String::new()
    }
}

/// An island's prop with HTML bodies: its `data-props` JSON carries it
/// without them, and the browser takes them from the HTML the island wakes on.
#[derive(Debug, Clone, PartialEq)]
pub struct InPageProp<T>(pub T);

impl<T: BodiesInPage> Serialize for InPageProp<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.without_bodies().serialize(serializer)
    }
}

impl<'de, T: BodiesInPage> serde::Deserialize<'de> for InPageProp<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut value = T::deserialize(deserializer)?;
        value.bodies_from_page();
        Ok(Self(value))
    }
}
