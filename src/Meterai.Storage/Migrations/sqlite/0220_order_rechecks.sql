-- A notification about an order that could not be confirmed now (the provider's status API did not answer the
-- challenge, or challenges of the order or its sender were limited) leaves the order due for reconciliation, which asks
-- the provider instead. next_check_at serves only orders awaiting payment or credit; recheck_at serves any order, so a
-- fulfilled or expired one (a refund made at the provider, a late payment) is confirmed too once the provider answers.
-- NULL: nothing awaits the provider's word. Reconciliation claims it like next_check_at (a lease) and clears it only
-- while it still holds its own claim, so a deferral recorded meanwhile is never lost.

ALTER TABLE orders ADD COLUMN recheck_at INTEGER;

CREATE INDEX orders_recheck ON orders (recheck_at) WHERE recheck_at IS NOT NULL;
