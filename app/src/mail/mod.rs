//! Mail to readers: verification and password-reset links. Sent through SMTP
//! (`lettre`) when `SMTP_URL` is set; otherwise kept in the outbox table, with
//! a log line saying a mail is waiting, and read with `server mail list` /
//! `server mail show ID`, so a site without a mail server still works.
//! Every mail is plain text, and its links are absolute (`SITE_URL`).

pub mod service;
pub mod store;

use lettre::{message::Mailbox, AsyncSmtpTransport, Tokio1Executor};

/// A mail to one reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// Extra headers, e.g. `List-Unsubscribe`.
    pub headers: Vec<(String, String)>,
}

/// How mail leaves the site.
#[derive(Clone)]
pub enum Mailer {
    /// Kept in the `mail_outbox` table (no SMTP server configured).
    Outbox,
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("invalid SMTP_URL: {0}")]
    Url(String),
    #[error("invalid MAIL_FROM {0:?}: use an address, e.g. \"Spotlight <news@spotlight.example>\"")]
    From(String),
}

/// How long one SMTP exchange may take before the mail is kept in the outbox instead.
const SMTP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

impl Mailer {
    /// Call it inside the Tokio runtime (the SMTP connection pool runs a task).
    /// SMTP when `smtp_url` is given (`smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://…`), else the outbox. `from` is the sender, e.g. `Spotlight <news@spotlight.example>`.
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Self, MailerError> {
        let Some(url) = smtp_url.filter(|u| !u.trim().is_empty()) else { return Ok(Self::Outbox) };
        let from: Mailbox = from.parse().map_err(|_| MailerError::From(from.to_owned()))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            // The error names the part at fault, never the password.
            .map_err(|e| MailerError::Url(e.to_string()))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self::Smtp { transport, from })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In a runtime, as in the server: the SMTP pool starts a task of its own.
    #[tokio::test]
    async fn no_smtp_url_means_the_outbox_and_a_bad_one_is_refused_by_name() {
        assert!(matches!(Mailer::new(None, "x@y.example").unwrap(), Mailer::Outbox));
        assert!(matches!(Mailer::new(Some(" "), "x@y.example").unwrap(), Mailer::Outbox));
        assert!(matches!(
            Mailer::new(Some("smtp://127.0.0.1:2525"), "Spotlight <x@y.example>"),
            Ok(Mailer::Smtp { .. })
        ));
        assert!(matches!(Mailer::new(Some("gopher://nowhere"), "x@y.example"), Err(MailerError::Url(_))));
        assert!(matches!(Mailer::new(Some("smtp://127.0.0.1:2525"), "not an address"), Err(MailerError::From(_))));
    }
}
