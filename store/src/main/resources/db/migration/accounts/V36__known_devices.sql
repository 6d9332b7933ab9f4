-- Browsers an account has logged in from: their log-in attempts are counted on their own, so someone else's wrong
-- passwords for the account do not lock its owner out there. Only a digest of the browser's token is kept.
CREATE TABLE known_devices (
    token_digest  VARCHAR(64)  PRIMARY KEY,
    account_id    BIGINT       NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at    TIMESTAMP    NOT NULL,
    last_used_at  TIMESTAMP    NOT NULL
);
CREATE INDEX known_devices_account ON known_devices (account_id, last_used_at);
