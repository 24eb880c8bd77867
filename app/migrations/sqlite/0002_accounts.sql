-- Reader accounts and their server-side sessions.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL,
    -- lower-cased: usernames and emails are unique regardless of case
    username_key   TEXT NOT NULL UNIQUE,
    email          TEXT NOT NULL,
    email_key      TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL DEFAULT 'reader' CHECK (role IN ('reader', 'moderator', 'admin')),
    -- set when a moderator bans the user from commenting
    banned_at      INTEGER,
    created_at     INTEGER NOT NULL
);

-- Only the SHA-256 of the session token is stored: a leaked table opens no sessions.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Events counted by the rate limits (failed logins, sign-ups, comments, reactions).
-- Kept in the database so several server instances share one count.
CREATE TABLE rate_events (
    id      INTEGER PRIMARY KEY,
    bucket  TEXT NOT NULL,
    key     TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX rate_events_by_key ON rate_events (bucket, key, at);
