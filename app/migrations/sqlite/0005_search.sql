-- Full-text search over headlines, summaries and bodies (SQLite FTS5; in
-- PostgreSQL a tsvector column with a GIN index plays this part).
CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline, summary, body_text,
    content = 'articles', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, headline, summary, body_text) VALUES (new.id, new.headline, new.summary, new.body_text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, summary, body_text) VALUES ('delete', old.id, old.headline, old.summary, old.body_text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF headline, summary, body_text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, headline, summary, body_text) VALUES ('delete', old.id, old.headline, old.summary, old.body_text);
    INSERT INTO articles_fts (rowid, headline, summary, body_text) VALUES (new.id, new.headline, new.summary, new.body_text);
END;

INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
