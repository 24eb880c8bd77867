-- Articles and what hangs off them. Timestamps are Unix seconds (BIGINT in
-- PostgreSQL); ids are integer keys so PostgreSQL can use BIGSERIAL/IDENTITY.

CREATE TABLE authors (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE articles (
    id                  INTEGER PRIMARY KEY,
    slug                TEXT NOT NULL UNIQUE,
    headline            TEXT NOT NULL,
    summary             TEXT NOT NULL,
    author_id           INTEGER NOT NULL REFERENCES authors (id),
    lead_image_src      TEXT NOT NULL,
    lead_image_alt      TEXT NOT NULL,
    lead_image_caption  TEXT NOT NULL DEFAULT '',
    lead_image_credit   TEXT NOT NULL DEFAULT '',
    lead_image_width    INTEGER NOT NULL,
    lead_image_height   INTEGER NOT NULL,
    body_markdown       TEXT NOT NULL,
    body_html           TEXT NOT NULL,
    body_text           TEXT NOT NULL,
    published_at        INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    -- sha-256 of the source file plus the renderer version: an unchanged file is skipped.
    source_hash         TEXT NOT NULL,
    imported_at         INTEGER NOT NULL
);

-- Newest first, with the id as tie-breaker for keyset pagination.
CREATE INDEX articles_by_published ON articles (published_at DESC, id DESC);

CREATE TABLE tags (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tags (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag_id, article_id);

-- Videos embedded in the body, in order of appearance.
CREATE TABLE article_media (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    provider    TEXT NOT NULL CHECK (provider IN ('youtube', 'vimeo', 'file')),
    source      TEXT NOT NULL,
    title       TEXT NOT NULL,
    UNIQUE (article_id, position)
);

-- "Also check out {person} in {show}: Watch Now".
CREATE TABLE promos (
    article_id  INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    person      TEXT NOT NULL,
    show_title  TEXT NOT NULL,
    link        TEXT NOT NULL
);
