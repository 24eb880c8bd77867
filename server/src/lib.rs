//! The Spotlight web server: configuration, start-up, HTTP middleware, the
//! JSON API, feeds and the command line. Pages and services live in `app`.

#![recursion_limit = "512"]

pub mod api;
pub mod cli;
pub mod config;
pub mod encoding;
pub mod feeds;
pub mod health;
pub mod middleware;
pub mod page_cache;
pub mod reader_pages;
pub mod script_hashes;
pub mod security;
pub mod startup;
pub mod telemetry;
