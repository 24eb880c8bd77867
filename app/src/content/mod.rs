//! The demo and editorial content: Markdown files with TOML front matter,
//! parsed, rendered to HTML and imported into the database.

pub mod embeds;
pub mod front_matter;
pub mod import;
pub mod markdown;

pub use import::{import_dir, ImportFailure, ImportReport};

/// A problem with one content file, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ContentError {
    pub field: String,
    pub message: String,
}

impl ContentError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), message: message.into() }
    }
}
