use super::{auth::ClientIp, ApiError, ApiJson};
use app::{
    reactions::{guest, service, Reactions},
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

/// `{"counts":{"love":3,…},"total":N,"mine":"love"|null}`
fn body(r: &Reactions) -> Value {
    let counts: serde_json::Map<String, Value> = r.counts.iter().map(|(k, c)| (k.clone(), json!(c))).collect();
    json!({ "counts": counts, "total": r.total, "mine": r.mine })
}

fn respond(r: Reactions, cookie: Option<String>) -> Response {
    let mut res = Json(body(&r)).into_response();
    if let Some(value) = cookie.and_then(|c| c.parse().ok()) {
        res.headers_mut().insert(header::SET_COOKIE, value);
    }
    res
}

pub async fn get(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let reader = guest::resolve(&state, &headers).await?;
    Ok(Json(body(&service::get(&state, &slug, reader.as_ref()).await?)))
}

#[derive(Deserialize)]
pub struct Pick {
    reaction: String,
}

pub async fn put(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(pick): ApiJson<Pick>,
) -> Result<Response, ApiError> {
    let (reader, cookie) = guest::resolve_or_create(&state, &headers).await?;
    let r = service::set(&state, &slug, &reader, &pick.reaction, &ip).await?;
    Ok(respond(r, cookie))
}

pub async fn delete(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (reader, cookie) = guest::resolve_or_create(&state, &headers).await?;
    let r = service::remove(&state, &slug, &reader, &ip).await?;
    Ok(respond(r, cookie))
}
