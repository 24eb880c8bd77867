//! Search and similar-article rules.

use super::{query_words, store, Hit, Results, RESULTS_PER_PAGE};
use crate::{
    articles::{self, ArticleCard},
    errors::AppError,
    state::AppState,
};
use std::collections::HashMap;

/// Escapes a snippet, then turns the hit markers into `<mark>`.
fn snippet_html(raw: &str) -> String {
    crate::html::escape(raw).replace('\u{E000}', "<mark>").replace('\u{E001}', "</mark>")
}

pub async fn search(state: &AppState, q: &str, page: i64) -> Result<Results, AppError> {
    let site_url = state.site.url.clone();
    let words = query_words(q);
    if words.is_empty() {
        return Ok(Results { query: String::new(), page: 1, site_url, ..Results::default() });
    }
    let page = page.clamp(1, 1_000);
    let (rows, total) = store::search(&state.db, &words, RESULTS_PER_PAGE, (page - 1) * RESULTS_PER_PAGE).await?;
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let snippets: HashMap<i64, String> = rows.into_iter().collect();
    let cards = articles::service::cards_by_ids(&state.db, &ids).await?;
    let hits = cards
        .into_iter()
        .map(|(id, card)| {
            let snippet = snippets.get(&id).map(|s| snippet_html(s)).unwrap_or_default();
            Hit { card, snippet_html: snippet }
        })
        .collect();
    let query: String = q.chars().filter(|c| !c.is_control()).take(super::MAX_QUERY_CHARS).collect();
    Ok(Results {
        query: query.trim().to_owned(),
        hits,
        total,
        page,
        pages: (total + RESULTS_PER_PAGE - 1) / RESULTS_PER_PAGE,
        site_url,
    })
}

const STOPWORDS: &[&str] = &[
    "about", "after", "also", "before", "from", "have", "into", "more", "over", "that", "their", "there", "this",
    "what", "when", "where", "which", "while", "with", "will", "your", "they", "them", "were", "been", "than", "then",
];

/// Up to `limit` articles like `slug`: most shared tags first, then the closest
/// text (bm25 of its headline and summary words), then newest; never itself.
pub async fn similar(state: &AppState, slug: &str, limit: usize) -> Result<Vec<ArticleCard>, AppError> {
    let article_id = articles::service::id_of(state, slug).await?;
    let cards = state.reads.similar(article_id, limit, similar_to(state, article_id, limit)).await?;
    Ok(cards.to_vec())
}

async fn similar_to(state: &AppState, article_id: i64, limit: usize) -> Result<Vec<ArticleCard>, AppError> {
    let db = &state.db;
    let shared: HashMap<i64, i64> = store::shared_tags(db, article_id).await?.into_iter().collect();
    let (headline, summary) = store::headline_and_summary(db, article_id).await?;
    let mut words: Vec<String> = Vec::new();
    for w in format!("{headline} {summary}").split(|c: char| !c.is_alphanumeric()) {
        let w = w.to_lowercase();
        if w.chars().count() >= 4 && !STOPWORDS.contains(&w.as_str()) && !words.contains(&w) {
            words.push(w);
        }
    }
    let text: HashMap<i64, f64> = if words.is_empty() {
        HashMap::new()
    } else {
        words.truncate(24);
        store::text_scores(db, &words, article_id).await?.into_iter().collect()
    };
    let mut candidates: Vec<(i64, i64, f64)> = shared
        .keys()
        .chain(text.keys())
        .filter(|id| **id != article_id)
        .map(|id| (*id, shared.get(id).copied().unwrap_or(0), text.get(id).copied().unwrap_or(0.0)))
        .collect();
    candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.total_cmp(&b.2)).then(b.0.cmp(&a.0)));
    candidates.dedup_by_key(|c| c.0);
    let ids: Vec<i64> = candidates.into_iter().take(limit).map(|c| c.0).collect();
    Ok(articles::service::cards_by_ids(db, &ids).await?.into_iter().map(|(_, card)| card).collect())
}
