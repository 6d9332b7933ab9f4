-- Verified Stripe events the store has acknowledged but not acted on yet. A delivery is answered as soon as its
-- event is kept here, and the event is acted on afterwards, on a worker of the instance that received it or, if
-- that fails or the instance dies, on any instance once try_after has passed. The row is deleted once the event
-- was acted on (and recorded in stripe_events), so what is here is exactly what is still to be done.
CREATE TABLE stripe_inbox (
    event_id     VARCHAR(255)    PRIMARY KEY,
    event_type   VARCHAR(100)    NOT NULL,
    payload      VARCHAR(524288) NOT NULL,
    received_at  TIMESTAMP       NOT NULL,
    -- Nobody else takes the event before this: the receiving instance's own turn, then each retry's lease or wait.
    try_after    TIMESTAMP       NOT NULL,
    tries        INTEGER         NOT NULL DEFAULT 0,
    last_error   VARCHAR(1000)
);
CREATE INDEX stripe_inbox_due ON stripe_inbox (try_after);
