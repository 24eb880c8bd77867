//! Pieces of pages, one per file.

pub mod article_card;
pub mod auth_card;
pub mod error_panel;
pub mod footer;
pub mod form_error;
pub mod header;
pub mod join_prompt;
pub mod page_meta;
pub mod sign_in_first;
pub mod text_field;
