-- The rule of V7's checkout_attempts_live_matches, written without an IN list: a paid or closed attempt is no order's
-- live attempt, any other is its own order's. H2 2.4.240 keeps, inside a CHECK constraint holding an IN list (or ORs
-- of equalities on one column, which it turns into one), the session that made it; once that connection was closed
-- (the pool renews its connections every 30 minutes), every row the constraint checked was refused as "Check
-- constraint invalid" and Pay stopped working until a restart. A CASE on the status is checked the same way on H2 and
-- PostgreSQL and holds no session.
ALTER TABLE checkout_attempts DROP CONSTRAINT checkout_attempts_live_matches;
ALTER TABLE checkout_attempts ADD CONSTRAINT checkout_attempts_live_matches CHECK (
    CASE status WHEN 'paid' THEN live_order_id IS NULL WHEN 'closed' THEN live_order_id IS NULL ELSE live_order_id = order_id END);
