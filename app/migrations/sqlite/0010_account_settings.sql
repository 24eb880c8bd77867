-- The settings page: sessions listed by device, accounts that can be deleted.

-- A deleted account keeps its row, because its comments (now "[deleted]") point
-- at it, but loses its address and password; its name stays reserved for 30
-- days after `deleted_at`, then is released.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
CREATE INDEX users_deleted ON users (deleted_at) WHERE deleted_at IS NOT NULL;

-- What a session was opened with ("Firefox on Android"), for the list of sessions.
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';

-- A reader's reactions, for their export and when they delete their account.
CREATE INDEX reactions_by_reader ON reactions (reader);
