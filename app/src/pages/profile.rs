use crate::{
    auth::get_profile,
    components::{error_panel::ErrorPanel, page_meta::PageMeta},
    errors::AppError,
    pages::not_found::NotFound,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let params = use_params_map();
    let username = move || params.read().get("username").unwrap_or_default();
    let profile = Resource::new(username, get_profile);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => {
                        let role = match p.role {
                            crate::auth::Role::Reader => None,
                            other => Some(other.as_str()),
                        };
                        view! {
                            <PageMeta title=p.username.clone() description=format!("{} on Spotlight", p.username) canonical="" />
                            <section class="profile">
                                <h1>{p.username.clone()}</h1>
                                {role.map(|r| view! { <p class="profile__role">{r}</p> })}
                                <p>"Joined " <time datetime=p.joined.iso>{p.joined.display}</time></p>
                                <h2>"Latest comments"</h2>
                                {p.comments.is_empty().then(|| view! { <p class="listing__empty">"No comments yet."</p> })}
                                <ol class="profile__comments">
                                    {p
                                        .comments
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <li class="comment">
                                                    <p class="comment__meta">
                                                        "On "
                                                        <a href=format!("/articles/{}#comment-{}", c.article_slug, c.id)>{c.article_headline}</a>
                                                        " · " <time datetime=c.created.iso>{c.created.display}</time>
                                                    </p>
                                                    <div class="comment__body" inner_html=c.body_html></div>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ol>
                            </section>
                        }
                            .into_any()
                    }
                    Err(AppError::NotFound(_)) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
