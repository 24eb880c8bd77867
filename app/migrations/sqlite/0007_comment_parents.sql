-- Whether a comment has visible replies is asked for every live event about
-- comments and every "[deleted]" placeholder: without this index each answer
-- read the whole table.
CREATE INDEX comments_by_parent ON comments (parent_id, status);
