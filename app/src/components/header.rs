use leptos::prelude::*;

/// The sections in the header, by tag.
pub const SECTIONS: &[(&str, &str)] = &[
    ("k-drama", "K-Drama"),
    ("k-pop", "K-Pop"),
    ("variety", "Variety"),
    ("behind-the-scenes", "Behind the Scenes"),
];

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="site-logo" href="/" aria-label="Spotlight home">
                    <span class="site-logo__mark" aria-hidden="true">"★"</span>
                    "Spotlight"
                </a>
                <nav class="site-nav" aria-label="Sections">
                    <ul>
                        {SECTIONS
                            .iter()
                            .map(|(tag, label)| {
                                view! {
                                    <li>
                                        <a href=format!("/tags/{tag}")>{*label}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
            </div>
        </header>
    }
}
