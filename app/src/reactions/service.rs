//! Reaction rules, shared by the widget's server functions and the JSON API.

use super::{guest::Reader, store, Kind, Reactions};
use crate::{articles, db::now, errors::AppError, live, state::AppState, throttle};

fn payload(counts: &[(String, i64)]) -> String {
    let r = Reactions::from_counts(counts, None);
    let counts = r.counts.into_iter().collect();
    live::LiveMessage::ReactionsUpdated(live::ReactionCounts { counts, total: r.total }).data()
}

/// Reaction counts are no one's words: they are sent as logged.
fn live_event(logged: live::Logged) -> live::LiveEvent {
    live::LiveEvent { id: logged.id, article_id: logged.article_id, kind: logged.kind, data: logged.payload }
}

pub async fn get(state: &AppState, slug: &str, reader: Option<&Reader>) -> Result<Reactions, AppError> {
    let article_id = articles::service::id_of(state, slug).await?;
    let counts =
        state.reads.reaction_counts(article_id, async { Ok(store::counts(&state.db, article_id).await?) }).await?;
    let mine = match reader {
        Some(r) => store::mine(&state.db, article_id, &r.key()).await?,
        None => None,
    };
    Ok(Reactions::from_counts(&counts, mine.map(|k| k.as_str().to_owned())))
}

async fn change(
    state: &AppState,
    article_id: i64,
    reader: &Reader,
    pick: Option<Kind>,
    ip: &str,
) -> Result<Reactions, AppError> {
    let limit = state.limits.reactions_per_ip;
    let _counted = throttle::acquire(&state.db, limit, ip, "You are changing reactions very quickly.").await?;
    apply(state, article_id, reader, pick).await
}

async fn apply(state: &AppState, article_id: i64, reader: &Reader, pick: Option<Kind>) -> Result<Reactions, AppError> {
    let order = state.hub.order().await;
    let applied = store::apply(&state.db, article_id, &reader.key(), pick, now(), payload).await?;
    state.reads.forget(article_id);
    if let Some(event) = applied.event {
        state.hub.publish(live_event(event));
    }
    drop(order);
    Ok(Reactions::from_counts(&applied.counts, applied.mine.map(|k| k.as_str().to_owned())))
}

/// Pick (or switch to) `kind`.
pub async fn set(state: &AppState, slug: &str, reader: &Reader, kind: &str, ip: &str) -> Result<Reactions, AppError> {
    let kind = Kind::parse(kind)?;
    let article_id = articles::service::id_of(state, slug).await?;
    change(state, article_id, reader, Some(kind), ip).await
}

/// Take back the reader's pick.
pub async fn remove(state: &AppState, slug: &str, reader: &Reader, ip: &str) -> Result<Reactions, AppError> {
    let article_id = articles::service::id_of(state, slug).await?;
    change(state, article_id, reader, None, ip).await
}

/// The form's button: pick `kind`, or take it back when it is already the pick.
pub async fn toggle(
    state: &AppState,
    slug: &str,
    reader: &Reader,
    kind: &str,
    ip: &str,
) -> Result<Reactions, AppError> {
    let kind = Kind::parse(kind)?;
    let article_id = articles::service::id_of(state, slug).await?;
    let mine = store::mine(&state.db, article_id, &reader.key()).await?;
    let pick = if mine == Some(kind) { None } else { Some(kind) };
    change(state, article_id, reader, pick, ip).await
}

pub async fn merge_guest(state: &AppState, guest: &str, user_id: i64) -> Result<(), AppError> {
    let guest = Reader::Guest(guest.to_owned()).key();
    let user = Reader::User(user_id).key();
    for article_id in store::merge(&state.db, &guest, &user).await? {
        let _order = state.hub.order().await;
        let event = store::log_counts(&state.db, article_id, payload).await?;
        state.reads.forget(article_id);
        state.hub.publish(live_event(event));
    }
    Ok(())
}

/// When an account is deleted: its picks are taken back, and every reader of
/// those articles sees the counts change live.
pub async fn remove_all_of(state: &AppState, user_id: i64) -> Result<(), AppError> {
    let reader = Reader::User(user_id);
    for article_id in store::articles_of(&state.db, &reader.key()).await? {
        apply(state, article_id, &reader, None).await?;
    }
    Ok(())
}

/// A signed-in reader's picks, for their data export.
pub async fn export_for(
    state: &AppState,
    user_id: i64,
) -> Result<Vec<crate::auth::export::ExportedReaction>, AppError> {
    let picks = store::picks_of(&state.db, &Reader::User(user_id).key()).await?;
    Ok(picks
        .into_iter()
        .map(|(article, reaction, at)| crate::auth::export::ExportedReaction {
            article,
            reaction,
            picked: crate::articles::service::stamp(at).iso,
        })
        .collect())
}
