-- Comment threads. Replies nest to depth 3; a deeper reply attaches to its
-- depth-3 ancestor and names the reader it answers (reply_to_user).
CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    parent_id      INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    -- the top-level comment of the thread (its own id for a top-level comment)
    thread_id      INTEGER NOT NULL,
    depth          INTEGER NOT NULL CHECK (depth BETWEEN 1 AND 3),
    reply_to_user  TEXT,
    body_source    TEXT NOT NULL,
    body_html      TEXT NOT NULL,
    -- sha-256 of the normalised source, to refuse the same text twice
    body_hash      TEXT NOT NULL,
    -- visible | held (awaiting a moderator) | hidden (by a moderator) | deleted
    status         TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'held', 'hidden', 'deleted')),
    like_count     INTEGER NOT NULL DEFAULT 0 CHECK (like_count >= 0),
    created_at     INTEGER NOT NULL,
    edited_at      INTEGER
);
-- Top-level threads of an article, newest or oldest first, and by likes.
CREATE INDEX comments_threads ON comments (article_id, depth, id);
CREATE INDEX comments_threads_top ON comments (article_id, depth, like_count, id);
CREATE INDEX comments_by_thread ON comments (thread_id, id);
CREATE INDEX comments_by_author ON comments (author_id, created_at);
CREATE INDEX comments_by_status ON comments (status, created_at);

CREATE TABLE comment_likes (
    comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE comment_reports (
    id           INTEGER PRIMARY KEY,
    comment_id   INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reporter_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    resolved_at  INTEGER,
    UNIQUE (comment_id, reporter_id)
);
CREATE INDEX comment_reports_open ON comment_reports (resolved_at, created_at);

-- Visible comments per article, kept in the transactions that change them.
ALTER TABLE articles ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
