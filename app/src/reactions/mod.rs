//! "How does this article make you feel?" — six reactions, one pick per reader.

#[cfg(feature = "ssr")]
pub mod guest;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod widget;

use crate::errors::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The reactions, in display order: (kind, emoji, label). Defined only here.
pub const KINDS: [(&str, &str, &str); 6] = [
    ("love", "😍", "Love"),
    ("haha", "😂", "Haha"),
    ("wow", "😮", "Wow"),
    ("sad", "😢", "Sad"),
    ("angry", "😡", "Angry"),
    ("excited", "🤩", "Excited"),
];

/// A valid reaction kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kind(&'static str);

impl Kind {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        KINDS
            .iter()
            .find(|(k, _, _)| *k == s)
            .map(|(k, _, _)| Self(k))
            .ok_or_else(|| AppError::invalid("reaction", "Pick one of love, haha, wow, sad, angry or excited."))
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

/// Stored as its name; a name outside `KINDS` read back from the database is an error.
#[cfg(feature = "ssr")]
mod sql {
    use super::Kind;
    use sqlx::{encode::IsNull, error::BoxDynError, Database, Decode, Encode, Type};

    impl<DB: Database> Type<DB> for Kind
    where
        str: Type<DB>,
    {
        fn type_info() -> DB::TypeInfo {
            <str as Type<DB>>::type_info()
        }

        fn compatible(ty: &DB::TypeInfo) -> bool {
            <str as Type<DB>>::compatible(ty)
        }
    }

    impl<'q, DB: Database> Encode<'q, DB> for Kind
    where
        &'q str: Encode<'q, DB>,
    {
        fn encode_by_ref(&self, buf: &mut <DB as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
            <&'q str as Encode<'q, DB>>::encode_by_ref(&self.0, buf)
        }
    }

    impl<'r, DB: Database> Decode<'r, DB> for Kind
    where
        &'r str: Decode<'r, DB>,
    {
        fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
            let name = <&'r str as Decode<'r, DB>>::decode(value)?;
            Kind::parse(name).map_err(|_| format!("{name:?} is not a reaction kind").into())
        }
    }
}

/// The counts of one article and the asking reader's own pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Reactions {
    /// Every kind, in `KINDS` order, with its count.
    pub counts: Vec<(String, i64)>,
    pub total: i64,
    pub mine: Option<String>,
}

impl Reactions {
    pub fn from_counts(found: &[(String, i64)], mine: Option<String>) -> Self {
        let counts: Vec<(String, i64)> = KINDS
            .iter()
            .map(|(k, _, _)| ((*k).to_owned(), found.iter().find(|(f, _)| f == k).map_or(0, |(_, c)| *c)))
            .collect();
        let total = counts.iter().map(|(_, c)| c).sum();
        Self { counts, total, mine }
    }

    pub fn count(&self, kind: &str) -> i64 {
        self.counts.iter().find(|(k, _)| k == kind).map_or(0, |(_, c)| *c)
    }

    /// Whole-percent share of all responses.
    pub fn share(&self, kind: &str) -> i64 {
        if self.total == 0 {
            0
        } else {
            (self.count(kind) * 100 + self.total / 2) / self.total
        }
    }

    /// What the page shows at once when the reader clicks `kind` (pick, switch or take back).
    pub fn optimistic_toggle(&self, kind: &str) -> Self {
        let mut next = self.clone();
        let bump = |counts: &mut Vec<(String, i64)>, k: &str, by: i64| {
            if let Some((_, c)) = counts.iter_mut().find(|(x, _)| x == k) {
                *c = (*c + by).max(0);
            }
        };
        match self.mine.as_deref() {
            Some(m) if m == kind => {
                bump(&mut next.counts, kind, -1);
                next.mine = None;
            }
            Some(m) => {
                bump(&mut next.counts, m, -1);
                bump(&mut next.counts, kind, 1);
                next.mine = Some(kind.to_owned());
            }
            None => {
                bump(&mut next.counts, kind, 1);
                next.mine = Some(kind.to_owned());
            }
        }
        next.total = next.counts.iter().map(|(_, c)| c).sum();
        next
    }
}

/// The leading reaction and the total, for article cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReactionSummary {
    pub top: Option<String>,
    pub total: i64,
}

pub fn emoji(kind: &str) -> &'static str {
    KINDS.iter().find(|(k, _, _)| *k == kind).map_or("", |(_, e, _)| e)
}

pub fn label(kind: &str) -> &'static str {
    KINDS.iter().find(|(k, _, _)| *k == kind).map_or("", |(_, _, l)| l)
}

#[server(prefix = "/_fn")]
pub async fn get_reactions(slug: String) -> Result<Reactions, AppError> {
    let state = crate::state::app_state()?;
    let reader = crate::auth::request::reader(&state).await?;
    service::get(&state, &slug, reader.as_ref()).await
}

/// Pick `reaction`, or take it back when it is already the reader's pick.
#[server(prefix = "/_fn", output = crate::wire::Json)]
pub async fn toggle_reaction(slug: String, reaction: String) -> Result<Reactions, AppError> {
    let state = crate::state::app_state()?;
    let reader = crate::auth::request::reader_or_new_guest(&state).await?;
    let ip = crate::auth::request::client_addr();
    let result = service::toggle(&state, &slug, &reader, &reaction, &ip.0).await;
    crate::auth::request::redirect_plain_form(&format!("/articles/{slug}#reactions"));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, i64)], mine: Option<&str>) -> Reactions {
        Reactions::from_counts(
            &pairs.iter().map(|(k, c)| ((*k).to_owned(), *c)).collect::<Vec<_>>(),
            mine.map(str::to_owned),
        )
    }

    #[test]
    fn every_kind_is_listed_in_order_with_shares() {
        let r = counts(&[("wow", 1), ("love", 3)], None);
        assert_eq!(r.counts.len(), 6);
        assert_eq!(r.counts[0], ("love".to_owned(), 3));
        assert_eq!(r.total, 4);
        assert_eq!(r.share("love"), 75);
        assert_eq!(Reactions::default().share("love"), 0);
    }

    #[test]
    fn optimistic_toggle_picks_switches_and_takes_back() {
        let r = counts(&[("love", 2)], None);
        let picked = r.optimistic_toggle("wow");
        assert_eq!((picked.count("wow"), picked.mine.as_deref(), picked.total), (1, Some("wow"), 3));
        let switched = picked.optimistic_toggle("love");
        assert_eq!((switched.count("wow"), switched.count("love"), switched.total), (0, 3, 3));
        let back = switched.optimistic_toggle("love");
        assert_eq!((back.count("love"), back.mine, back.total), (2, None, 2));
    }

    #[test]
    fn unknown_kinds_are_refused() {
        assert!(Kind::parse("love").is_ok());
        assert_eq!(Kind::parse("meh").unwrap_err().status(), 422);
    }
}
