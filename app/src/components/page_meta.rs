use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// `<title>`, description and canonical link of a page. `canonical` is absolute
/// and comes from the server's data, so server and browser render the same.
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(into)] canonical: String,
) -> impl IntoView {
    // leptos_meta writes <title> text unescaped on the server: angle brackets from
    // reader input (a search query) must never reach it as markup.
    let title = title.replace('<', "‹").replace('>', "›");
    let full_title =
        if title.is_empty() { crate::SITE_NAME.to_owned() } else { format!("{title} | {}", crate::SITE_NAME) };
    view! {
        <Title text=full_title />
        <Meta name="description" content=description />
        <Link rel="canonical" href=canonical />
    }
}
