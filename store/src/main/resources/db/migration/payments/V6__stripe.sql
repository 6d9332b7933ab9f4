-- Each Stripe event is handled once: by its id, and by the object and type it is about (Stripe can send the
-- same change twice under two event ids).
CREATE TABLE stripe_events (
    event_id     VARCHAR(255) PRIMARY KEY,
    event_type   VARCHAR(100) NOT NULL,
    object_id    VARCHAR(255) NOT NULL,
    received_at  TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT stripe_events_once_per_object UNIQUE (object_id, event_type)
);

-- A buyer's Stripe Customer, created once per account.
CREATE TABLE stripe_customers (
    account_id   BIGINT       PRIMARY KEY REFERENCES accounts (id),
    customer_id  VARCHAR(255) NOT NULL,
    CONSTRAINT stripe_customers_customer_unique UNIQUE (customer_id)
);
