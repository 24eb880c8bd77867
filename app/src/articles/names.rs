//! Validated names: a value of these types can only hold a well-formed slug or tag.

use serde::{Deserialize, Serialize};

fn is_slug_like(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An article's URL name: `a-z`, `0-9` and single inner `-`, at most 120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Self, String> {
        if is_slug_like(s, 120) {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!("{s:?} is not a valid slug (lowercase letters, digits and single hyphens)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tag: same alphabet as a slug, at most 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TagName(String);

impl TagName {
    pub fn parse(s: &str) -> Result<Self, String> {
        if is_slug_like(s, 40) {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!("{s:?} is not a valid tag (lowercase letters, digits and single hyphens)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// "behind-the-scenes" -> "Behind The Scenes"; "k-drama" -> "K-Drama".
    pub fn label(tag: &str) -> String {
        tag_label(tag)
    }
}

pub fn tag_label(tag: &str) -> String {
    let known = match tag {
        "k-drama" => Some("K-Drama"),
        "k-pop" => Some("K-Pop"),
        "ost" => Some("OST"),
        "behind-the-scenes" => Some("Behind the Scenes"),
        _ => None,
    };
    if let Some(label) = known {
        return label.to_owned();
    }
    tag.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_lowercase_words_and_refuse_the_rest() {
        assert!(Slug::parse("moonlit-harbor-2").is_ok());
        for bad in ["", "-a", "a-", "a--b", "Upper", "with space", "ünï", "a/b", "../etc", &"a".repeat(121)] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tags_have_readable_labels() {
        assert_eq!(tag_label("k-drama"), "K-Drama");
        assert_eq!(tag_label("fan-meeting"), "Fan Meeting");
    }
}
