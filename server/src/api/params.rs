//! Path parameters, described once with their constraints.

use serde::Deserialize;
use utoipa::IntoParams;

/// An article's slug: lower-case words joined by single hyphens.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SlugParam {
    #[param(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120, example = "kitefall-debut-showcase")]
    pub slug: String,
}

/// A comment's id.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IdParam {
    #[param(minimum = 1)]
    pub id: i64,
}

/// A thread (its top-level comment) of an article.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ThreadParam {
    #[param(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 120)]
    pub slug: String,
    /// The thread's top-level comment.
    #[param(minimum = 1)]
    pub id: i64,
}
