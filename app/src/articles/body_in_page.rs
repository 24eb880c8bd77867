//! An article page's hydration data carries the article without its body,
//! which the page holds once already as HTML (see `crate::in_page`).

use super::Article;
use crate::in_page::{html_of, BodiesInPage};

/// Where the rendered body stands in the page.
pub const BODY_SELECTOR: &str = ".article__body";

impl BodiesInPage for Article {
    fn without_bodies(&self) -> Article {
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

    fn bodies_from_page(&mut self) {
        if self.body_html.is_empty() {
            self.body_html = html_of(BODY_SELECTOR);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::articles::{Article, ArticleCard, Image, Stamp};
    use crate::errors::AppError;
    use crate::in_page::InPage;
    use leptos::server::codee::{Decoder, Encoder};

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
        let encoded = InPage::encode(&Ok(article())).unwrap();
        assert!(!encoded.contains("told once"), "{encoded}");
        let decoded: Result<Article, AppError> = InPage::decode(&encoded).unwrap();
        assert_eq!(decoded, Ok(Article { body_html: String::new(), ..article() }));
        let missing: Result<Article, AppError> = Err(AppError::NotFound("No such article.".into()));
        assert_eq!(InPage::decode(&InPage::encode(&missing).unwrap()).unwrap(), missing);
    }
}
