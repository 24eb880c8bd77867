use crate::auth::{CurrentUser, Logout};
use crate::errors::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The sections in the header, by tag.
pub const SECTIONS: &[(&str, &str)] =
    &[("k-drama", "K-Drama"), ("k-pop", "K-Pop"), ("variety", "Variety"), ("behind-the-scenes", "Behind the Scenes")];

/// Who is reading, loaded once per page for the header and the comment box.
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Result<Option<CurrentUser>, AppError>>);

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="site-logo" href="/" aria-label="Spotlight home">
                    <span class="site-logo__mark" aria-hidden="true">"★"</span>
                    "Spotlight"
                </a>
                <form class="site-search" method="get" action="/search" role="search">
                    <label for="site-search-q" class="visually-hidden">"Search Spotlight"</label>
                    <input id="site-search-q" type="search" name="q" maxlength=200 placeholder="Search" />
                </form>
                <Account />
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

#[component]
fn Account() -> impl IntoView {
    let user = expect_context::<UserResource>().0;
    let location = use_location();
    view! {
        <div class="site-account">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => view! { <SignedIn user /> }.into_any(),
                        _ => {
                            let here = location.pathname.get_untracked();
                            let next = if here.starts_with("/login") || here.starts_with("/signup") {
                                "/".to_owned()
                            } else {
                                here
                            };
                            let next = crate::auth::urlencode(&next);
                            view! {
                                <a href=format!("/login?next={next}")>"Log in"</a>
                                <a class="button" href=format!("/signup?next={next}")>
                                    "Sign up"
                                </a>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

/// A signed-in reader's part of the header: their name, the bell, settings
/// and the way out. Also written on its own into a kept page (see
/// `pages::reader_parts`).
#[component]
pub fn SignedIn(user: CurrentUser) -> impl IntoView {
    // A plain form: in-site navigation posts it and shows the home page it answers with.
    let logout = ServerAction::<Logout>::new();
    view! {
        <a class="site-account__name" href=format!("/u/{}", user.username)>
            {user.username.clone()}
        </a>
        <Bell initial=user.unread />
        <a class="site-account__settings" href="/settings">
            "Settings"
        </a>
        <ActionForm action=logout>
            <button type="submit" class="ghost">
                "Log out"
            </button>
        </ActionForm>
    }
}

/// The link to the notifications, with the unread count. While the page is
/// open, the count follows the reader's bell stream (`hydration/bell.js`).
#[component]
fn Bell(initial: i64) -> impl IntoView {
    let label = match initial {
        0 => "Notifications: none unread".to_owned(),
        1 => "Notifications: 1 unread".to_owned(),
        n => format!("Notifications: {n} unread"),
    };
    view! {
        <a class="site-account__bell" href="/notifications" aria-label=label>
            <svg
                aria-hidden="true"
                width="22"
                height="22"
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linecap="round"
                stroke-linejoin="round"
            >
                <path d="M6 9a6 6 0 0 1 12 0c0 6 2.5 8 2.5 8h-17S6 15 6 9" />
                <path d="M10 20.5a2.2 2.2 0 0 0 4 0" />
            </svg>
            <span class="site-account__unread" hidden=initial == 0>
                {if initial > 99 { "99+".to_owned() } else { initial.to_string() }}
            </span>
        </a>
    }
}
