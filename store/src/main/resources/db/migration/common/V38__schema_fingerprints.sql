-- What the database was last migrated with (common/SchemaMigrations): a start with the same migrations and settings,
-- finding its fingerprint here and the history table as Flyway left it (its SHA-256), does not run Flyway.
CREATE TABLE schema_fingerprints (
    fingerprint VARCHAR(64) NOT NULL,
    history     VARCHAR(64) NOT NULL,
    recorded_at TIMESTAMP   NOT NULL
);
