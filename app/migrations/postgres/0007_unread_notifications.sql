-- Every signed-in request counts the reader's unread notifications (in the
-- session lookup). Indexed over the unread ones only, that count costs what
-- is unread, not everything a long-time reader was ever told.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
