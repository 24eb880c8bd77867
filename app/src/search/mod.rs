//! Search over headlines and bodies, and the "Similar articles" ranking.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use crate::{articles::ArticleCard, errors::AppError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const RESULTS_PER_PAGE: i64 = 10;
/// Longer queries are cut to this many characters.
pub const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub card: ArticleCard,
    /// Escaped text with the matched words in `<mark>`.
    pub snippet_html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Results {
    /// The query as searched (cleaned).
    pub query: String,
    pub hits: Vec<Hit>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub site_url: String,
}

/// Turns what a reader typed into the words to search for: letters and digits
/// only (so quotes, operators and column filters are plain text), lower-cased,
/// at most 12. The store makes each backend's query of them, all required.
pub fn query_words(input: &str) -> Vec<String> {
    let cleaned: String =
        input.chars().take(MAX_QUERY_CHARS).map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    cleaned.split_whitespace().take(12).map(str::to_lowercase).collect()
}

#[server(prefix = "/_fn")]
pub async fn search_articles(q: String, page: Option<i64>) -> Result<Results, AppError> {
    let state = crate::state::app_state()?;
    service::search(&state, &q, page.unwrap_or(1)).await
}

#[server(prefix = "/_fn")]
pub async fn similar_articles(slug: String) -> Result<Vec<ArticleCard>, AppError> {
    let state = crate::state::app_state()?;
    service::similar(&state, &slug, 4).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_become_plain_lower_case_words() {
        assert_eq!(query_words("Moonlit harbor"), ["moonlit", "harbor"]);
        assert_eq!(
            query_words("\"quoted\" AND NOT -x OR headline:y*"),
            ["quoted", "and", "not", "x", "or", "headline", "y"]
        );
        assert!(query_words("  \u{0}\u{7}\t").is_empty());
        assert!(query_words("").is_empty());
        assert_eq!(query_words(&"word ".repeat(1000)).len(), 12, "at most 12 words");
        assert_eq!(query_words("강지우 팬미팅"), ["강지우", "팬미팅"]);
    }
}
