-- When a book's price changes while it sits in an open cart, the cart takes the new price and remembers the old one
-- to tell the buyer before they check out.
ALTER TABLE order_lines ADD COLUMN previous_unit_price_minor BIGINT;

CREATE INDEX orders_placed_idx ON orders (placed_at, id);
CREATE INDEX orders_status_idx ON orders (status, placed_at);

-- Timeline entries for the shop owner only (disputes): the buyer's order page leaves them out.
ALTER TABLE order_status_changes ADD COLUMN internal BOOLEAN NOT NULL DEFAULT FALSE;
