//! Everything the server and the browser share: routes, pages, components, the
//! data types that cross the wire and the server functions. Server-only code
//! (database, services, content import) sits behind the `ssr` feature.

#![recursion_limit = "512"]

pub mod articles;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod client_addr;
pub mod comments;
pub mod components;
pub mod csp;
pub mod errors;
pub mod html;
pub mod hydration;
pub mod in_page;
pub mod islands;
pub mod live;
pub mod notifications;
pub mod pages;
pub mod reactions;
pub mod routes;
pub mod search;
pub mod wire;

#[cfg(feature = "ssr")]
pub mod content;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod read_cache;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod throttle;

pub use routes::{shell, App};

/// The site's name, shown in the header, titles and feeds.
pub const SITE_NAME: &str = "Spotlight";
