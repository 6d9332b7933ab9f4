-- A book with orders is archived, never deleted: it leaves the homepage but keeps its page for past orders.
ALTER TABLE books ADD COLUMN archived_at TIMESTAMP;
ALTER TABLE books ADD COLUMN updated_at TIMESTAMP;

-- An uploaded cover (PNG, JPEG or WebP, checked by content); without one the generated cover is shown.
CREATE TABLE book_covers (
    book_id       BIGINT       NOT NULL PRIMARY KEY REFERENCES books (id),
    content_type  VARCHAR(40)  NOT NULL,
    image         BYTEA        NOT NULL,
    digest        VARCHAR(64)  NOT NULL,
    uploaded_at   TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP
);
