//! The reader's own account: address, password, sessions, their data, and
//! deleting the account. Every form works without JavaScript (a post and a
//! redirect back here with the outcome) and in place with it.

use crate::{
    auth::{
        account::{
            get_account_settings, ChangeEmail, ChangePassword, DeleteAccount, EndOtherSessions, ResendConfirmation,
            SETTINGS_PATH,
        },
        take_form_flash, AccountSettings, FormFlash, SessionInfo,
    },
    components::{
        error_panel::ErrorPanel,
        form_error::FormError,
        page_meta::PageMeta,
        sign_in_first::SignInFirst,
        text_field::{NewPasswordField, TextField},
    },
    errors::AppError,
    notifications::SetReplyEmails,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What a server action last answered: the path to load next, or why not.
type Outcome = Signal<Option<Result<String, AppError>>>;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_account_settings());
    let flash = Resource::new(|| (), |_| take_form_flash());
    view! {
        <PageMeta title="Your account" description="Your Spotlight account: address, password, sessions." canonical="" />
        <Suspense fallback=|| view! { <p class="loading">"Loading your account…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(settings) => {
                        let flash = flash.await.unwrap_or_default();
                        view! { <Settings settings flash /> }.into_any()
                    }
                    Err(AppError::Unauthorized) => {
                        view! {
                            <SignInFirst
                                title="Your account"
                                lead="Log in to see and change your account."
                                back_to=SETTINGS_PATH
                            />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The sentence for `?done=` after a change.
fn done_notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "password" => "Your password is changed. Every other session was logged out.",
        "email" => "Your address is changed. We sent a link to the new address: open it to confirm it.",
        "sent" => "A new confirmation link is on its way. It works for 48 hours.",
        "sessions" => "Every other session is logged out.",
        "reply-emails" => "Saved.",
        _ => return None,
    })
}

/// The error to show on one form: its action's, else what a post without
/// JavaScript left for that form.
fn form_error(outcome: Outcome, flash: &FormFlash, form: &'static str) -> Signal<Option<AppError>> {
    let flashed = (flash.value("form") == form).then(|| flash.error.clone()).flatten();
    Signal::derive(move || match outcome.get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => flashed.clone(),
    })
}

/// After a change, load the page it leads to, so everything on it is fresh.
fn follow(outcome: Outcome) {
    Effect::new(move |_| {
        if let Some(Ok(to)) = outcome.get() {
            let _ = window().location().set_href(&to);
        }
    });
}

#[component]
fn Settings(settings: AccountSettings, flash: FormFlash) -> impl IntoView {
    let query = use_query_map();
    let notice = move || query.read().get("done").and_then(|d| done_notice(&d));
    let AccountSettings { username, email, email_confirmed, reply_emails, sessions } = settings;
    view! {
        <section class="settings">
            <h1>"Your account"</h1>
            <p class="settings__lead">
                "Signed in as " <a href=format!("/u/{username}")>{username.clone()}</a> "."
            </p>
            {move || notice().map(|n| view! { <p class="auth-card__notice" role="status">{n}</p> })}
            <EmailSection email email_confirmed flash=flash.clone() />
            <PasswordSection username flash=flash.clone() />
            <MailSection reply_emails email_confirmed flash=flash.clone() />
            <SessionsSection sessions flash=flash.clone() />
            <section class="settings__section" aria-labelledby="settings-data">
                <h2 id="settings-data">"Your data"</h2>
                <p>"Everything Spotlight keeps about you: your account, comments, likes and reactions, as one JSON file."</p>
                <a class="button button--ghost" href="/api/v1/me/export" download="" rel="external">
                    "Download my data"
                </a>
            </section>
            <DeleteSection flash />
        </section>
    }
}

#[component]
fn EmailSection(email: String, email_confirmed: bool, flash: FormFlash) -> impl IntoView {
    let change = ServerAction::<ChangeEmail>::new();
    let changed: Outcome = change.value().into();
    follow(changed);
    let resend = ServerAction::<ResendConfirmation>::new();
    let resent: Outcome = resend.value().into();
    follow(resent);
    let error = form_error(changed, &flash, "email");
    let resend_error = form_error(resent, &flash, "resend");
    let status = if email_confirmed { "confirmed" } else { "not confirmed yet" };
    view! {
        <section class="settings__section" aria-labelledby="settings-email">
            <h2 id="settings-email">"Email address"</h2>
            <p>
                "Your address is " <strong class="settings__email">{email}</strong> ", "
                <span class="settings__status" data-confirmed=email_confirmed.to_string()>{status}</span> "."
            </p>
            {(!email_confirmed)
                .then(|| {
                    view! {
                        <p class="field-hint">
                            "Until you confirm it, comments of yours with links wait for a moderator."
                        </p>
                        <ActionForm action=resend attr:class="settings__inline">
                            <FormError error=resend_error />
                            <button type="submit" class="ghost" disabled=move || resend.pending().get()>
                                "Send the confirmation link again"
                            </button>
                        </ActionForm>
                    }
                })}
            <ActionForm action=change attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                <TextField
                    name="email"
                    label="New email address"
                    kind="email"
                    autocomplete="email"
                    value=flash.value("email")
                    error
                    maxlength=254
                />
                <TextField
                    name="email_password"
                    label="Your current password"
                    kind="password"
                    autocomplete="current-password"
                    error
                    maxlength=1024
                />
                <button type="submit" disabled=move || change.pending().get()>
                    {move || if change.pending().get() { "Changing…" } else { "Change my address" }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordSection(username: String, flash: FormFlash) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let changed: Outcome = change.value().into();
    follow(changed);
    let error = form_error(changed, &flash, "password");
    view! {
        <section class="settings__section" aria-labelledby="settings-password">
            <h2 id="settings-password">"Password"</h2>
            <ActionForm action=change attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                // For password managers: whose password this is.
                <input type="text" name="username" value=username autocomplete="username" hidden=true readonly=true />
                <TextField
                    name="current_password"
                    label="Current password"
                    kind="password"
                    autocomplete="current-password"
                    error
                    maxlength=1024
                />
                <NewPasswordField name="new_password" label="New password" error />
                <p class="field-hint">"Changing it logs out every other session of your account."</p>
                <button type="submit" disabled=move || change.pending().get()>
                    {move || if change.pending().get() { "Changing…" } else { "Change my password" }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn MailSection(reply_emails: bool, email_confirmed: bool, flash: FormFlash) -> impl IntoView {
    let save = ServerAction::<SetReplyEmails>::new();
    let saved: Outcome = save.value().into();
    follow(saved);
    let error = form_error(saved, &flash, "reply-emails");
    view! {
        <section class="settings__section" aria-labelledby="settings-mail">
            <h2 id="settings-mail">"Mail about replies"</h2>
            <ActionForm action=save attr:class="auth-form">
                <FormError error />
                <label class="settings__check">
                    <input type="checkbox" name="on" value="1" checked=reply_emails />
                    "Email me when someone replies to my comments"
                </label>
                {(!email_confirmed)
                    .then(|| view! { <p class="field-hint">"Mail goes out once your address is confirmed."</p> })}
                <button type="submit" class="ghost" disabled=move || save.pending().get()>
                    "Save"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SessionsSection(sessions: Vec<SessionInfo>, flash: FormFlash) -> impl IntoView {
    let end = ServerAction::<EndOtherSessions>::new();
    let ended: Outcome = end.value().into();
    follow(ended);
    let error = form_error(ended, &flash, "sessions");
    let others = sessions.iter().filter(|s| !s.current).count();
    view! {
        <section class="settings__section" aria-labelledby="settings-sessions">
            <h2 id="settings-sessions">"Where you are logged in"</h2>
            <ul class="settings__sessions">
                {sessions.into_iter().map(|s| view! { <li><Session session=s /></li> }).collect_view()}
            </ul>
            {if others == 0 {
                view! { <p class="field-hint">"You are not logged in anywhere else."</p> }.into_any()
            } else {
                view! {
                    <ActionForm action=end attr:class="settings__inline">
                        <FormError error />
                        <button type="submit" class="ghost" disabled=move || end.pending().get()>
                            {if others == 1 {
                                "Log out of the other session".to_owned()
                            } else {
                                format!("Log out of the {others} other sessions")
                            }}
                        </button>
                    </ActionForm>
                }
                    .into_any()
            }}
        </section>
    }
}

/// "14:05 UTC" from an RFC 3339 stamp.
fn clock(iso: &str) -> String {
    iso.get(11..16).map(|t| format!("{t} UTC")).unwrap_or_default()
}

#[component]
fn Session(session: SessionInfo) -> impl IntoView {
    let SessionInfo { current, device, started, last_used } = session;
    view! {
        <div class="settings__session" data-current=current.to_string()>
            <strong>{device}</strong>
            {current.then(|| view! { <span class="settings__this">"This browser"</span> })}
            <span class="settings__when">
                "Logged in " <time datetime=started.iso.clone()>{started.display}</time>
                " · last used " <time datetime=last_used.iso.clone()>{last_used.display} ", " {clock(&last_used.iso)}</time>
            </span>
        </div>
    }
}

#[component]
fn DeleteSection(flash: FormFlash) -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    let deleted: Outcome = delete.value().into();
    follow(deleted);
    let error = form_error(deleted, &flash, "delete");
    view! {
        <section class="settings__section settings__section--danger" aria-labelledby="settings-delete">
            <h2 id="settings-delete">"Delete your account"</h2>
            <p>
                "Your comments are replaced by “[deleted]” (replies to them stay), your likes and reactions are taken back, "
                "and you are logged out everywhere. Nobody else can take your name for 30 days. This cannot be undone."
            </p>
            <ActionForm action=delete attr:class="auth-form" attr:novalidate=true>
                <FormError error />
                <TextField
                    name="delete_password"
                    label="Your password, to confirm"
                    kind="password"
                    autocomplete="current-password"
                    error
                    maxlength=1024
                />
                <button type="submit" class="danger" disabled=move || delete.pending().get()>
                    {move || if delete.pending().get() { "Deleting…" } else { "Delete my account" }}
                </button>
            </ActionForm>
        </section>
    }
}

/// Where a reader lands once their account is deleted.
#[component]
pub fn AccountDeletedPage() -> impl IntoView {
    view! {
        <PageMeta title="Account deleted" description="Your Spotlight account is deleted." canonical="" />
        <section class="auth-card">
            <h1>"Your account is deleted"</h1>
            <p>"Your comments now read “[deleted]” and your reactions are gone. Thank you for reading with us."</p>
            <a class="button" href="/">"Back to the stories"</a>
        </section>
    }
}
