//! Integration tests: the real server on port 0, a fresh database per test.

mod accounts;
mod cli;
mod comments;
mod discovery;
mod email_links;
mod hardening;
mod helpers;
mod layers;
mod limits;
mod notifications;
mod pages;
mod platform;
mod reactions;
mod removed;
mod scale_out;
mod settings;
mod smtp_sink;
