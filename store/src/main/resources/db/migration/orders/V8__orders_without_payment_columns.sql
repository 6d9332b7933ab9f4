-- The payments module now keeps the Stripe ids and amounts of each checkout attempt. An order keeps what it is:
-- its status, its lines, when it was placed, and which checkout attempt (if any) holds its cart locked.
ALTER TABLE orders ADD COLUMN live_attempt_id BIGINT;
ALTER TABLE orders ADD COLUMN placed_at TIMESTAMP;

UPDATE orders SET live_attempt_id = (SELECT a.id FROM checkout_attempts a WHERE a.live_order_id = orders.id);
UPDATE orders SET placed_at = COALESCE(
        (SELECT MIN(c.changed_at) FROM order_status_changes c WHERE c.order_id = orders.id AND c.from_status = 'cart' AND c.to_status <> 'cart'),
        updated_at)
    WHERE status <> 'cart';

ALTER TABLE orders DROP CONSTRAINT orders_checkout_session_unique;
ALTER TABLE orders DROP CONSTRAINT orders_payment_intent_unique;
ALTER TABLE orders DROP COLUMN total_minor;
ALTER TABLE orders DROP COLUMN checkout_attempt;
ALTER TABLE orders DROP COLUMN checkout_session_id;
ALTER TABLE orders DROP COLUMN checkout_url;
ALTER TABLE orders DROP COLUMN stock_reserved;
ALTER TABLE orders DROP COLUMN payment_intent_id;
ALTER TABLE orders DROP COLUMN charge_id;
ALTER TABLE orders DROP COLUMN payment_error;
ALTER TABLE orders DROP COLUMN paid_at;
