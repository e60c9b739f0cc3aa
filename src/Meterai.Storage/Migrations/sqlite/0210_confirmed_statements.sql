-- Issue 10, item 2: an order moves only on the provider's confirmed word (its status API, or the answer to our own call),
-- never on a notification's, because a notification's signature does not cover its transaction_status.
-- payment_inbox.confirmed: 1 when the row is such a confirmed statement. Every row written from now on is; rows written
-- before are backfilled by what the old intake did: it applied notifications on their word except the ones that
-- credited (it challenged those), so a notification's row is unconfirmed unless it is a paid settlement or capture
-- that was not stale. A later confirmed statement of the same status confirms such a row (the one update the inbox allows).
-- orders_forward gains the two moves a repair needs (OrderRules.CanRepair): a refunded order whose stamps were never
-- taken back returns to fulfilled, and an expired order that was never paid returns to awaiting payment, when the
-- provider's confirmed answer says so.

ALTER TABLE payment_inbox ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1));

DROP TRIGGER payment_inbox_no_update;

UPDATE payment_inbox SET confirmed = 1
WHERE NOT (source = 2 AND (verdict = 2 OR status NOT IN (1, 2) OR paid = 0));

CREATE TRIGGER payment_inbox_no_update BEFORE UPDATE ON payment_inbox
WHEN NOT (OLD.confirmed = 0 AND NEW.confirmed = 1
          AND NEW.provider IS OLD.provider AND NEW.order_id IS OLD.order_id AND NEW.status IS OLD.status AND NEW.paid IS OLD.paid
          AND NEW.source IS OLD.source AND NEW.verdict IS OLD.verdict AND NEW.transaction_id IS OLD.transaction_id
          AND NEW.notification_id IS OLD.notification_id AND NEW.received_at IS OLD.received_at AND NEW.note IS OLD.note)
BEGIN
    SELECT RAISE(ABORT, 'the payment inbox is append-only (a statement may only become confirmed)');
END;

DROP TRIGGER orders_forward;

CREATE TRIGGER orders_forward BEFORE UPDATE OF state ON orders
WHEN NOT (NEW.state = OLD.state
          OR (OLD.state = 1 AND NEW.state IN (2, 3, 4, 5, 6))
          OR (OLD.state = 2 AND NEW.state IN (3, 4, 5, 6))
          OR (OLD.state = 3 AND NEW.state IN (4, 6))
          OR (OLD.state = 4 AND NEW.state = 6)
          OR (OLD.state = 5 AND NEW.state IN (3, 4, 6))
          -- repairs
          OR (OLD.state = 6 AND NEW.state = 4 AND NEW.refunded_quantity < NEW.quantity AND NEW.fulfilled_at IS NOT NULL)
          OR (OLD.state = 5 AND NEW.state IN (1, 2) AND NEW.paid_at IS NULL))
BEGIN
    SELECT RAISE(ABORT, 'an order state only moves forward');
END;
