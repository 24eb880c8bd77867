//! A position in a newest-first listing of articles.

use crate::errors::AppError;

/// The last card's publication time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub published_at: i64,
    pub id: i64,
}

impl Cursor {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        let bad = || AppError::BadRequest("That page link is not valid. Go back to the first page.".into());
        let (t, id) = s.split_once('_').ok_or_else(bad)?;
        Ok(Self { published_at: t.parse().map_err(|_| bad())?, id: id.parse().map_err(|_| bad())? })
    }

    pub fn encode(&self) -> String {
        format!("{}_{}", self.published_at, self.id)
    }
}
