//! Account inputs, parsed: a value of these types can only hold a valid one.

use crate::errors::AppError;

/// 3–30 characters of letters, digits and `_`; unique regardless of case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        let s = s.trim();
        let len = s.chars().count();
        if !(3..=30).contains(&len) {
            return Err(AppError::invalid("username", "Choose a username of 3 to 30 characters."));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(AppError::invalid("username", "Use only letters a–z, digits 0–9 and underscores (_)."));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-folded form that must be unique.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// An email address of plausible form: one `@`, a dotted domain, no spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        let s = s.trim();
        let bad = || AppError::invalid("email", "Enter an email address like name@example.com.");
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.rsplit_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(bad());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A new password: 10–128 characters, not one of the 10,000 most common.
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

pub fn is_common_password(candidate: &str) -> bool {
    let lower = candidate.to_lowercase();
    COMMON_PASSWORDS.lines().filter(|l| !l.starts_with('#')).any(|common| common == lower)
}

impl NewPassword {
    pub fn parse(s: &str) -> Result<Self, AppError> {
        let len = s.chars().count();
        if len < 10 {
            return Err(AppError::invalid("password", "Use at least 10 characters for your password."));
        }
        if len > 128 {
            return Err(AppError::invalid("password", "Use at most 128 characters for your password."));
        }
        if is_common_password(s) {
            return Err(AppError::invalid(
                "password",
                "That password is one of the most common ones and easy to guess. Please choose another.",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Where to go after logging in: only a path on this site, otherwise home.
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.contains("://")
                && !n.chars().any(|c| c.is_control() || c == '\\')
                && n.len() <= 512 =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_the_rules() {
        assert_eq!(Username::parse("Mina_Park").unwrap().key(), "mina_park");
        for bad in ["ab", &"a".repeat(31), "with space", "émile", "💖💖💖", "a;DROP", "robert'); --"] {
            assert_eq!(Username::parse(bad).unwrap_err().field(), Some("username"), "{bad}");
        }
    }

    #[test]
    fn emails_are_checked_for_form() {
        assert!(Email::parse("reader@example.com").is_ok());
        for bad in ["", "no-at", "a@b", "a@.com", "a b@example.com", "@example.com", "a@example..com"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_length_and_must_not_be_common() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
        assert!(NewPassword::parse("1234567890").is_err(), "in the common list");
        assert!(NewPassword::parse("QWERTYUIOP").is_err(), "case does not hide it");
        assert!(NewPassword::parse("harbour-lantern-92").is_ok());
        assert_eq!(COMMON_PASSWORDS.lines().filter(|l| !l.starts_with('#')).count(), 10_000);
    }

    #[test]
    fn next_accepts_only_same_site_paths() {
        assert_eq!(safe_next(Some("/articles/x?y=1#c")), "/articles/x?y=1#c");
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", "/a\nb"] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
