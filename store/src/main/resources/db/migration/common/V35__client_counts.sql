-- What one client did within a window: these began as failed log-ins; registrations and new guest carts are counted
-- here too now, so the table and its count are named for what they hold.
ALTER TABLE login_failures RENAME TO client_counts;
ALTER TABLE client_counts RENAME COLUMN failures TO counted;
