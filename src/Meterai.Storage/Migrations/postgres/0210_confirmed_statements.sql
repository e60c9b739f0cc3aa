-- Issue 10, item 2: an order moves only on the provider's confirmed word (its status API, or the answer to our own call),
-- never on a notification's, because a notification's signature does not cover its transaction_status.
-- payment_inbox.confirmed: 1 when the row is such a confirmed statement. Every row written from now on is; rows written
-- before are backfilled by what the old intake did: it applied notifications on their word except the ones that
-- credited (it challenged those), so a notification's row is unconfirmed unless it is a paid settlement or capture
-- that was not stale. A later confirmed statement of the same status confirms such a row (the one update the inbox allows).
-- orders_forward gains the two moves a repair needs (OrderRules.CanRepair): a refunded order whose stamps were never
-- taken back returns to fulfilled, and an expired order that was never paid returns to awaiting payment, when the
-- provider's confirmed answer says so.

ALTER TABLE payment_inbox ADD COLUMN confirmed smallint NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1));

DROP TRIGGER payment_inbox_append_only ON payment_inbox;

UPDATE payment_inbox SET confirmed = 1
WHERE NOT (source = 2 AND (verdict = 2 OR status NOT IN (1, 2) OR paid = 0));

CREATE FUNCTION payment_inbox_confirm_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.confirmed = 0 AND NEW.confirmed = 1
       AND (NEW.provider, NEW.order_id, NEW.status, NEW.paid, NEW.source, NEW.verdict, NEW.transaction_id, NEW.notification_id, NEW.received_at, NEW.note)
           IS NOT DISTINCT FROM
           (OLD.provider, OLD.order_id, OLD.status, OLD.paid, OLD.source, OLD.verdict, OLD.transaction_id, OLD.notification_id, OLD.received_at, OLD.note) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the payment inbox is append-only (a statement may only become confirmed)' USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER payment_inbox_append_only BEFORE UPDATE OR DELETE ON payment_inbox
    FOR EACH ROW EXECUTE FUNCTION payment_inbox_confirm_only();

DROP FUNCTION payment_inbox_append_only();

CREATE OR REPLACE FUNCTION orders_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'orders are never deleted' USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.id, NEW.buyer_kind, NEW.buyer_id, NEW.channel_id, NEW.quantity, NEW.face_value, NEW.service_fee, NEW.total,
        NEW.method, NEW.idempotency_key, NEW.stock_account_id, NEW.quota_account_id, NEW.credit_transfer_id, NEW.created_at, NEW.expires_at)
       IS DISTINCT FROM
       (OLD.id, OLD.buyer_kind, OLD.buyer_id, OLD.channel_id, OLD.quantity, OLD.face_value, OLD.service_fee, OLD.total,
        OLD.method, OLD.idempotency_key, OLD.stock_account_id, OLD.quota_account_id, OLD.credit_transfer_id, OLD.created_at, OLD.expires_at) THEN
        RAISE EXCEPTION 'order % keeps what was bought', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF NOT (NEW.state = OLD.state
            OR (OLD.state = 1 AND NEW.state IN (2, 3, 4, 5, 6))
            OR (OLD.state = 2 AND NEW.state IN (3, 4, 5, 6))
            OR (OLD.state = 3 AND NEW.state IN (4, 6))
            OR (OLD.state = 4 AND NEW.state = 6)
            OR (OLD.state = 5 AND NEW.state IN (3, 4, 6))
            -- repairs
            OR (OLD.state = 6 AND NEW.state = 4 AND NEW.refunded_quantity < NEW.quantity AND NEW.fulfilled_at IS NOT NULL)
            OR (OLD.state = 5 AND NEW.state IN (1, 2) AND NEW.paid_at IS NULL)) THEN
        RAISE EXCEPTION 'order % cannot move from state % to %', OLD.id, OLD.state, NEW.state USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.refunded_quantity < OLD.refunded_quantity THEN
        RAISE EXCEPTION 'order % cannot take back a refund', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
