//! Sending mail: SMTP in the background (a reader never waits on a mail
//! server, and a request's timing says nothing about whether a mail went out),
//! or the outbox.

use super::{store, Mail, Mailer};
use crate::{db::now, errors::AppError, state::AppState};
use lettre::{
    message::{
        header::{ContentType, HeaderName, HeaderValue},
        Mailbox,
    },
    AsyncTransport, Message,
};

/// Hands `mail` to the site's mailer. With SMTP it returns at once and the
/// mail is sent by a task of its own; a mail the server refuses is kept in the
/// outbox and logged, never lost.
pub async fn send(state: &AppState, mail: Mail) -> Result<(), AppError> {
    match &state.mailer {
        Mailer::Outbox => {
            let id = keep(state, &mail).await?;
            tracing::info!(mail_id = id, subject = %mail.subject, "a mail is waiting in the outbox: `server mail show {id}`");
        }
        Mailer::Smtp { transport, from } => {
            let (transport, from, state) = (transport.clone(), from.clone(), state.clone());
            tokio::spawn(async move {
                let sent = match message(&from, &mail) {
                    Ok(message) => transport.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
                    Err(e) => Err(e),
                };
                if let Err(error) = sent {
                    match keep(&state, &mail).await {
                        Ok(id) => {
                            tracing::error!(%error, mail_id = id, "the SMTP server did not take a mail; it is kept in the outbox")
                        }
                        Err(_) => {
                            tracing::error!(%error, "the SMTP server did not take a mail, and the outbox could not keep it")
                        }
                    }
                }
            });
        }
    }
    Ok(())
}

async fn keep(state: &AppState, mail: &Mail) -> Result<i64, AppError> {
    let headers = serde_json::to_string(&mail.headers).unwrap_or_else(|_| "[]".into());
    Ok(store::insert(&state.db, &mail.to, &mail.subject, &mail.text, &headers, now()).await?)
}

/// The message on the wire: plain text (UTF-8), with the mail's own headers.
fn message(from: &Mailbox, mail: &Mail) -> Result<Message, String> {
    let to: Mailbox = mail.to.parse().map_err(|e| format!("recipient: {e}"))?;
    let mut builder = Message::builder().from(from.clone()).to(to).subject(mail.subject.clone());
    for (name, value) in &mail.headers {
        let name = HeaderName::new_from_ascii(name.clone()).map_err(|e| format!("header {name}: {e}"))?;
        builder = builder.raw_header(HeaderValue::new(name, value.clone()));
    }
    builder.header(ContentType::TEXT_PLAIN).body(mail.text.clone()).map_err(|e| e.to_string())
}

/// What `server mail list` prints: one line per mail, newest first.
pub async fn list(state: &AppState, limit: i64) -> Result<Vec<store::OutboxRow>, AppError> {
    Ok(store::newest(&state.db, limit).await?)
}

pub async fn show(state: &AppState, id: i64) -> Result<store::OutboxRow, AppError> {
    store::get(&state.db, id).await?.ok_or_else(|| AppError::NotFound(format!("There is no mail {id} in the outbox.")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_plain_text_with_its_own_headers() {
        let from: Mailbox = "Spotlight <news@spotlight.example>".parse().unwrap();
        let mail = Mail {
            to: "reader@example.com".into(),
            subject: "Reset your password".into(),
            text: "Open https://spotlight.example/reset-password?token=abc".into(),
            headers: vec![("List-Unsubscribe".into(), "<https://spotlight.example/u>".into())],
        };
        let raw = String::from_utf8(message(&from, &mail).unwrap().formatted()).unwrap();
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"), "{raw}");
        assert!(raw.contains("List-Unsubscribe: <https://spotlight.example/u>"), "{raw}");
        assert!(raw.contains("To: reader@example.com"), "{raw}");
        assert!(raw.contains("reset-password?token=abc"), "{raw}");
        let bad = Mail { to: "not an address".into(), ..mail };
        assert!(message(&from, &bad).is_err());
    }
}
