-- A signed-in reader's page asks for everything they liked on the article in
-- one query (the threads themselves come from memory): by reader, not by comment.
CREATE INDEX comment_likes_by_reader ON comment_likes (user_id, comment_id);
