//! How an article travels from the server's render to the hydrating browser.
//!
//! The article body is in the page once already, as HTML (`.article__body`).
//! Shipping it again inside the hydration data would double the largest part
//! of the page (escaped twice over: as JSON, then as a script string), and
//! make every render serialize it. So the article resource carries everything
//! but the body, and the hydrating browser takes the body from the page it is
//! hydrating: exactly the HTML the server rendered. An article fetched later
//! (in-site navigation) comes from its server function, body and all.

use super::Article;
use crate::errors::AppError;
use leptos::server::codee::{Decoder, Encoder};

/// The resource codec for an article page's article.
pub struct BodyInPage;

/// Where the rendered body stands in the page.
pub const BODY_SELECTOR: &str = ".article__body";

impl Encoder<Result<Article, AppError>> for BodyInPage {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &Result<Article, AppError>) -> Result<String, Self::Error> {
        match val {
            Ok(article) => serde_json::to_string(&Ok::<_, &AppError>(article.without_body())),
            Err(error) => serde_json::to_string(&Err::<&Article, _>(error)),
        }
    }
}

impl Decoder<Result<Article, AppError>> for BodyInPage {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(val: &str) -> Result<Result<Article, AppError>, Self::Error> {
        let mut article: Result<Article, AppError> = serde_json::from_str(val)?;
        if let Ok(article) = &mut article {
            if article.body_html.is_empty() {
                article.body_html = body_from_page();
            }
        }
        Ok(article)
    }
}

#[cfg(feature = "hydrate")]
fn body_from_page() -> String {
    leptos::prelude::document()
        .query_selector(BODY_SELECTOR)
        .ok()
        .flatten()
        .map(|body| body.inner_html())
        .unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
fn body_from_page() -> String {
    String::new()
}

impl Article {
    /// The article without its body, which the page carries as HTML.
    fn without_body(&self) -> Article {
        Article {
            card: self.card.clone(),
            updated: self.updated.clone(),
            body_html: String::new(),
            videos: self.videos.clone(),
            promo: self.promo.clone(),
            url: self.url.clone(),
            live_cursor: self.live_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::articles::{ArticleCard, Image, Stamp};

    fn article() -> Article {
        let stamp = Stamp { iso: "2026-11-26T10:00:00Z".into(), display: "November 26, 2026".into() };
        Article {
            card: ArticleCard {
                slug: "a-finale".into(),
                headline: "A finale".into(),
                summary: "It ended.".into(),
                author: "Staff".into(),
                published: stamp,
                tags: vec!["k-drama".into()],
                image: Image {
                    src: "/images/finale.jpg".into(),
                    alt: "The cast".into(),
                    width: 1200,
                    height: 675,
                    caption: "The last scene".into(),
                    credit: String::new(),
                },
                reactions: Default::default(),
                comments: 3,
            },
            updated: None,
            body_html: "<p>The whole story, told once.</p>".into(),
            videos: Vec::new(),
            promo: None,
            url: "http://127.0.0.1:3000/articles/a-finale".into(),
            live_cursor: 42,
        }
    }

    #[test]
    fn the_hydration_data_carries_the_article_but_not_its_body() {
        let encoded = BodyInPage::encode(&Ok(article())).unwrap();
        assert!(!encoded.contains("told once"), "{encoded}");
        let decoded = BodyInPage::decode(&encoded).unwrap().unwrap();
        assert_eq!(decoded, Article { body_html: String::new(), ..article() });
        let missing = Err(AppError::NotFound("No such article.".into()));
        assert_eq!(BodyInPage::decode(&BodyInPage::encode(&missing).unwrap()).unwrap(), missing);
    }
}
