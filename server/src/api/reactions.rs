//! `GET | PUT | DELETE /articles/{slug}/reactions`.

use super::{extract::ApiPath, params::SlugParam, ApiError, ApiJson, ErrorBody};
use app::{
    auth::{cookies, extract::ReactionReader},
    client_addr::ClientAddr,
    reactions::{guest, service, Reactions},
    state::AppState,
};
use axum::{
    extract::State,
    response::{IntoResponse, Response},
    Json,
};
use axum_extra::extract::cookie::SignedCookieJar;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// An article's reactions: every kind with its count, and the asker's own pick.
#[derive(Serialize, ToSchema)]
pub struct ReactionsBody {
    #[schema(example = json!({"love": 3, "haha": 0, "wow": 1, "sad": 0, "angry": 0, "excited": 2}))]
    counts: BTreeMap<String, i64>,
    total: i64,
    /// The asking reader's pick (`null` when none).
    mine: Option<String>,
}

impl From<Reactions> for ReactionsBody {
    fn from(r: Reactions) -> Self {
        Self { counts: r.counts.into_iter().collect(), total: r.total, mine: r.mine }
    }
}

/// The reader of a reaction write: who they are, or a new guest whose signed cookie goes in `jar`.
fn reader_or_new_guest(
    state: &AppState,
    reader: Option<guest::Reader>,
    jar: SignedCookieJar,
) -> (guest::Reader, SignedCookieJar) {
    match reader {
        Some(reader) => (reader, jar),
        None => {
            let id = guest::new_id();
            let jar = jar.add(cookies::guest(&state.site, &id));
            (guest::Reader::Guest(id), jar)
        }
    }
}

/// The counts, and the asker's pick (by account or guest cookie).
#[utoipa::path(get, path = "/articles/{slug}/reactions", operation_id = "get_reactions", tag = "reactions",
    params(SlugParam),
    responses(
        (status = 200, description = "The reactions", body = ReactionsBody),
        (status = 404, description = "No such article", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    ApiPath(SlugParam { slug }): ApiPath<SlugParam>,
    ReactionReader(reader): ReactionReader,
) -> Result<Json<ReactionsBody>, ApiError> {
    Ok(Json(service::get(&state, &slug, reader.as_ref()).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct Pick {
    #[schema(value_type = KindName)]
    reaction: String,
}

/// The name of a reaction kind, listed from `app::reactions::KINDS` (defined once).
pub struct KindName;

impl utoipa::PartialSchema for KindName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(app::reactions::KINDS.iter().map(|(name, _, _)| *name)))
            .into()
    }
}

impl ToSchema for KindName {}

/// Picks a reaction, or switches to it. Guests get a signed cookie.
#[utoipa::path(put, path = "/articles/{slug}/reactions", operation_id = "put_reaction", tag = "reactions", request_body = Pick,
    params(SlugParam),
    responses(
        (status = 200, description = "The reactions after the pick", body = ReactionsBody),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "No such article", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Not one of the kinds", body = ErrorBody),
        (status = 429, description = "Too many changes from this address", body = ErrorBody),
    ))]
pub async fn put(
    State(state): State<AppState>,
    ApiPath(SlugParam { slug }): ApiPath<SlugParam>,
    ClientAddr(ip): ClientAddr,
    ReactionReader(reader): ReactionReader,
    jar: SignedCookieJar,
    ApiJson(pick): ApiJson<Pick>,
) -> Result<Response, ApiError> {
    let (reader, jar) = reader_or_new_guest(&state, reader, jar);
    let r = service::set(&state, &slug, &reader, &pick.reaction, &ip).await?;
    Ok((jar, Json(ReactionsBody::from(r))).into_response())
}

/// Takes the asker's pick back.
#[utoipa::path(delete, path = "/articles/{slug}/reactions", operation_id = "delete_reaction", tag = "reactions",
    params(SlugParam),
    responses(
        (status = 200, description = "The reactions without the pick", body = ReactionsBody),
        (status = 404, description = "No such article", body = ErrorBody),
        (status = 429, description = "Too many changes from this address", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    ApiPath(SlugParam { slug }): ApiPath<SlugParam>,
    ClientAddr(ip): ClientAddr,
    ReactionReader(reader): ReactionReader,
    jar: SignedCookieJar,
) -> Result<Response, ApiError> {
    let (reader, jar) = reader_or_new_guest(&state, reader, jar);
    let r = service::remove(&state, &slug, &reader, &ip).await?;
    Ok((jar, Json(ReactionsBody::from(r))).into_response())
}
