-- What the database was last migrated with (common/SchemaMigrations): a start with the same migrations and settings,
-- finding its fingerprint here and the history table's last rank unchanged, does not run Flyway.
CREATE TABLE schema_fingerprints (
    fingerprint  VARCHAR(64) NOT NULL,
    history_rank INT         NOT NULL,
    recorded_at  TIMESTAMP   NOT NULL
);
