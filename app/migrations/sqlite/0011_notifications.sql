-- Telling readers when someone replies to them, mentions them or likes their comment.

-- One row per thing to tell: a reply (comment_id is the reply), a mention
-- (comment_id is the comment that mentions), or the likes of one comment
-- (comment_id is the liked comment; one row per comment, made unread again by
-- each new like). The words are never copied here: a notification shows the
-- comment as it is now, and none at all once it is no longer visible.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('reply', 'mention', 'likes')),
    comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    -- who replied, mentioned, or liked last
    actor_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    read_at     INTEGER,
    UNIQUE (user_id, kind, comment_id)
);
CREATE INDEX notifications_by_user ON notifications (user_id, updated_at, id);

-- Mail me when someone replies (off until the reader turns it on).
ALTER TABLE users ADD COLUMN reply_emails INTEGER NOT NULL DEFAULT 0;
