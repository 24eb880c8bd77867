-- "How does this article make you feel?": one pick per reader per article.
-- `reader` is 'u:<user id>' for accounts or 'g:<guest id>' for the signed guest cookie.
CREATE TABLE reactions (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    reader      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('love', 'haha', 'wow', 'sad', 'angry', 'excited')),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (article_id, reader)
);

-- Kept in the same transaction as `reactions`, so reading a count is one row.
CREATE TABLE reaction_counts (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    count       INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (article_id, kind)
);

-- The live stream's log: every event an article's readers should see, with a
-- monotonically increasing id, so a reconnecting client resumes from Last-Event-ID.
CREATE TABLE live_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX live_events_by_article ON live_events (article_id, id);

-- Server-side settings, such as the key that signs guest cookies.
CREATE TABLE settings (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
