-- Email verification and password resets, and the outbox for mail when no SMTP
-- server is configured.

-- Accounts made before verification existed count as verified.
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
UPDATE users SET email_verified_at = created_at;

-- Single-use links. Only the SHA-256 of the token is stored; `email` is the
-- address a verification link confirms (it may have changed since).
CREATE TABLE account_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verify', 'reset')),
    email       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX account_tokens_by_user ON account_tokens (user_id, purpose);

-- Mail kept for `server mail list` / `server mail show` when SMTP_URL is unset.
CREATE TABLE mail_outbox (
    id          INTEGER PRIMARY KEY,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    headers     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
