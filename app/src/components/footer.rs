use leptos::prelude::*;

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"Spotlight — entertainment news, told with care."</p>
            <p>
                <a href="/feed.xml">"Feed"</a>
                " · "
                <a href="/sitemap.xml">"Sitemap"</a>
            </p>
        </footer>
    }
}
