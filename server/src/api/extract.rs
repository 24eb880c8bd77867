//! axum's extractors with rejections a person can read, in the API's error
//! shape: a bad path value, query, JSON body or content type answers
//! `{"error":{"code","message"}}` with 400, 413 or 422 — never plain text.

use super::ApiError;
use app::errors::AppError;
use axum::{
    extract::{
        rejection::{JsonRejection, PathRejection, QueryRejection},
        FromRequest, FromRequestParts, Request,
    },
    http::{request::Parts, StatusCode},
};
use serde::de::DeserializeOwned;

/// `axum::Json` with readable rejections.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError(json_error(&rejection))),
        }
    }
}

/// `axum::extract::Path` with readable rejections.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError(path_error(&rejection))),
        }
    }
}

/// `axum::extract::Query` with readable rejections.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError(query_error(&rejection))),
        }
    }
}

/// The last part of serde's message ("invalid digit found in string").
fn detail(text: &str) -> &str {
    text.rsplit(": ").next().unwrap_or_default()
}

fn json_error(rejection: &JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            AppError::BadRequest("Send the request body as JSON (Content-Type: application/json).".into())
        }
        JsonRejection::JsonDataError(e) => AppError::invalid(
            "body",
            format!("The request body has a wrong or missing field: {}", detail(&e.body_text())),
        ),
        JsonRejection::JsonSyntaxError(_) => AppError::BadRequest("The request body is not valid JSON.".into()),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge("The request body is too large.".into())
        }
        _ => AppError::BadRequest("The request body could not be read.".into()),
    }
}

fn path_error(rejection: &PathRejection) -> AppError {
    match rejection {
        PathRejection::FailedToDeserializePathParams(e) => {
            AppError::BadRequest(format!("A value in the address is not valid: {}", detail(&e.body_text())))
        }
        _ => AppError::BadRequest("The address could not be read.".into()),
    }
}

fn query_error(rejection: &QueryRejection) -> AppError {
    AppError::BadRequest(format!("A query parameter is not valid: {}", detail(&rejection.body_text())))
}
