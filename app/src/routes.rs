//! The HTML shell and the route table.

use crate::{
    auth::whoami,
    components::{
        footer::SiteFooter,
        header::{SiteHeader, UserResource},
    },
    pages::{
        article::ArticlePage,
        forgot_password::ForgotPasswordPage,
        home::HomePage,
        login::LoginPage,
        moderation::ModerationPage,
        not_found::NotFound,
        notifications::NotificationsPage,
        permalink::PermalinkPage,
        profile::ProfilePage,
        reset_password::ResetPasswordPage,
        search::SearchPage,
        settings::{AccountDeletedPage, SettingsPage},
        signup::SignupPage,
        tag::TagPage,
        unsubscribe::UnsubscribePage,
        verify_email::VerifyEmailPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::csp::send_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="theme-color" content="#c2185b" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="alternate" type="application/atom+xml" title="Spotlight" href="/feed.xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <crate::hydration::DeferredHydration options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(UserResource(Resource::new(|| (), |_| whoami())));
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <SiteHeader />
            <main id="main" class="site-main" tabindex="-1">
                // Async: the whole page (and its status code) is ready before the first byte,
                // so readers without JavaScript and search engines get complete HTML.
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/articles/:slug") view=ArticlePage ssr=SsrMode::Async />
                    <Route path=path!("/tags/:tag") view=TagPage ssr=SsrMode::Async />
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=SignupPage ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/verify-email") view=VerifyEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/u/:username") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/moderation") view=ModerationPage ssr=SsrMode::Async />
                    <Route path=path!("/settings") view=SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/account-deleted") view=AccountDeletedPage ssr=SsrMode::Async />
                    <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                    <Route path=path!("/comments/:id") view=PermalinkPage ssr=SsrMode::Async />
                    <Route path=path!("/unsubscribe") view=UnsubscribePage ssr=SsrMode::Async />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
