//! Pieces of pages, one per file.

pub mod article_card;
pub mod error_panel;
pub mod footer;
pub mod header;
pub mod page_meta;
