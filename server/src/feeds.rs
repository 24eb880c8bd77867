//! Machine-readable views of the site: robots.txt, the sitemap and the Atom feed.

use app::{articles::service, state::AppState};
use axum::{extract::State, http::header, response::IntoResponse};

fn iso(unix: i64) -> String {
    service::stamp(unix).iso
}

pub async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /moderation\n\nSitemap: {}/sitemap.xml\n",
        state.site.url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

pub async fn sitemap(State(state): State<AppState>) -> Result<impl IntoResponse, crate::api::ApiError> {
    let articles = app::articles::service::all_slugs(&state.db).await?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    xml.push_str(&format!("<url><loc>{}/</loc></url>\n", app::html::escape(&state.site.url)));
    for (slug, updated) in articles {
        xml.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            app::html::escape(&state.site.absolute(&format!("/articles/{slug}"))),
            iso(updated)
        ));
    }
    xml.push_str("</urlset>\n");
    Ok(([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml))
}

pub async fn feed(State(state): State<AppState>) -> Result<impl IntoResponse, crate::api::ApiError> {
    let page = service::list(&state.db, &state.site, None, None, 20).await?;
    let site = app::html::escape(&state.site.url);
    let updated = page.items.first().map(|c| c.published.iso.clone()).unwrap_or_else(|| iso(0));
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>Spotlight</title>\n<subtitle>K-drama and K-pop news</subtitle>\n\
         <link href=\"{site}/\"/>\n<link rel=\"self\" href=\"{site}/feed.xml\"/>\n\
         <id>{site}/</id>\n<updated>{updated}</updated>\n"
    );
    for card in page.items {
        let url = app::html::escape(&state.site.absolute(&format!("/articles/{}", card.slug)));
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<link href=\"{url}\"/>\n<id>{url}</id>\n\
             <published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n\
             <summary>{}</summary>\n{}</entry>\n",
            app::html::escape(&card.headline),
            card.published.iso,
            card.published.iso,
            app::html::escape(&card.author),
            app::html::escape(&card.summary),
            card.tags.iter().map(|t| format!("<category term=\"{}\"/>\n", app::html::escape(t))).collect::<String>(),
        ));
    }
    xml.push_str("</feed>\n");
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml))
}
