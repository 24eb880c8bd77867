-- The live log records what happened (kind and ids), never a comment's words:
-- what is sent is built from the comment as it is at sending time, so text that
-- was edited away, deleted or hidden cannot be replayed. Reaction counts carry
-- no reader's words and stay in `payload`.
ALTER TABLE live_events ADD COLUMN comment_id INTEGER;
UPDATE live_events SET comment_id = CAST(json_extract(payload, '$.id') AS INTEGER), payload = ''
    WHERE kind LIKE 'comment.%';

-- How far each article's log has been pruned: a reader resuming from before
-- this id is told to reload instead of getting a partial replay.
CREATE TABLE live_floors (
    article_id      INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    pruned_through  INTEGER NOT NULL
);
CREATE INDEX live_events_by_time ON live_events (created_at);
