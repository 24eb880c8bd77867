use super::ApiError;
use app::errors::AppError;
use axum::{
    extract::{rejection::JsonRejection, FromRequest, Request},
    http::StatusCode,
};
use serde::de::DeserializeOwned;

/// `axum::Json` whose rejections are API errors a person can read.
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
            Err(rejection) => Err(ApiError(rejection_error(&rejection))),
        }
    }
}

fn rejection_error(rejection: &JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            AppError::BadRequest("Send the request body as JSON (Content-Type: application/json).".into())
        }
        JsonRejection::JsonDataError(e) => AppError::invalid(
            "body",
            format!(
                "The request body has a wrong or missing field: {}",
                e.body_text().rsplit(": ").next().unwrap_or_default()
            ),
        ),
        JsonRejection::JsonSyntaxError(_) => AppError::BadRequest("The request body is not valid JSON.".into()),
        JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge("The request body is too large.".into())
        }
        _ => AppError::BadRequest("The request body could not be read.".into()),
    }
}
