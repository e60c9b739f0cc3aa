-- Selling quota (issue 5): orders, the payment inbox, refunds of unused stamps, payment events and worker leases.
-- The rules live in Meterai.Core.Orders (OrderRules); the constraints and triggers here are the last line of defence.
-- Enumerations are small integers whose values never change:
--   orders.state 1 created, 2 pending_payment, 3 paid, 4 fulfilled, 5 expired, 6 refunded
--   method 0 qris, 1 va; buyer_kind 1 applicant, 2 channel
--   provider status (TransactionStatus) 0 pending, 1 capture, 2 settlement, 3 deny, 4 cancel, 5 expire, 6 partial_refund, 7 refund
--   inbox source 1 charge, 2 notification, 3 reconciliation, 4 settlement_report, 5 recheck; verdict 0 applied, 2 stale
--   order_refunds.state 1 reversed, 2 completed, 3 failed

CREATE TABLE orders (
    id                 text        PRIMARY KEY CHECK (id ~ '^MTR-[0-7][0-9A-HJKMNP-TV-Z]{25}$'),
    buyer_kind         smallint    NOT NULL CHECK (buyer_kind IN (1, 2)),
    buyer_id           uuid        NOT NULL,
    channel_id         uuid,
    quantity           integer     NOT NULL CHECK (quantity > 0),
    face_value         bigint      NOT NULL CHECK (face_value > 0),
    service_fee        bigint      NOT NULL CHECK (service_fee >= 0),
    total              bigint      NOT NULL,
    method             smallint    NOT NULL CHECK (method IN (0, 1)),
    bank               text,
    state              smallint    NOT NULL CHECK (state BETWEEN 1 AND 6),
    provider_status    smallint    CHECK (provider_status BETWEEN 0 AND 7),
    idempotency_key    text,
    stock_account_id   uuid        NOT NULL,
    quota_account_id   uuid        NOT NULL,
    credit_transfer_id uuid        NOT NULL UNIQUE,  -- derived from the id: one credit per order, ever
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    paid_at            timestamptz,
    settled_at         timestamptz,
    fulfilled_at       timestamptz,
    expired_at         timestamptz,
    refunded_at        timestamptz,
    refunded_quantity  integer     NOT NULL DEFAULT 0,
    late_payment       boolean     NOT NULL DEFAULT false,
    credit_error       text,
    transaction_id     text,
    qr_string          text,
    va_number          text,
    charge_bank        text,
    pay_url            text,
    charge_expires_at  timestamptz,
    next_check_at      timestamptz NOT NULL,
    checks             integer     NOT NULL DEFAULT 0,
    CONSTRAINT orders_total CHECK (total = (face_value + service_fee) * quantity),
    CONSTRAINT orders_refunded_quantity CHECK (refunded_quantity BETWEEN 0 AND quantity),
    CONSTRAINT orders_fulfilled_time CHECK (state <> 4 OR fulfilled_at IS NOT NULL),
    CONSTRAINT orders_paid_time CHECK (state NOT IN (3, 4) OR paid_at IS NOT NULL),
    CONSTRAINT orders_expired_time CHECK (state <> 5 OR expired_at IS NOT NULL)
);

CREATE UNIQUE INDEX orders_idempotency ON orders (buyer_kind, buyer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX orders_buyer ON orders (buyer_kind, buyer_id, created_at DESC);
CREATE INDEX orders_state ON orders (state, created_at DESC);
-- The reconciliation worker's work list: only orders awaiting payment or credit.
CREATE INDEX orders_due ON orders (next_check_at) WHERE state IN (1, 2, 3);
CREATE INDEX orders_settled ON orders (settled_at) WHERE settled_at IS NOT NULL;

-- States only move forward (Meterai.Core.Orders.OrderRules.CanMove, the late-payment exception included), and what
-- was bought (buyer, quantity, price, accounts, credit id) never changes.
CREATE FUNCTION orders_forward() RETURNS trigger LANGUAGE plpgsql AS $$
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
            OR (OLD.state = 5 AND NEW.state IN (3, 4, 6))) THEN
        RAISE EXCEPTION 'order % cannot move from state % to %', OLD.id, OLD.state, NEW.state USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.refunded_quantity < OLD.refunded_quantity THEN
        RAISE EXCEPTION 'order % cannot take back a refund', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER orders_forward BEFORE UPDATE OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION orders_forward();

-- One row per provider, order and status: a duplicated, replayed or concurrently processed notification cannot be
-- recorded (and so cannot credit) twice. paid: the status says the provider took the money (for the audit).
CREATE TABLE payment_inbox (
    provider        text        NOT NULL,
    order_id        text        NOT NULL REFERENCES orders (id),
    status          smallint    NOT NULL CHECK (status BETWEEN 0 AND 7),
    paid            smallint    NOT NULL CHECK (paid IN (0, 1)),
    source          smallint    NOT NULL CHECK (source BETWEEN 1 AND 5),
    verdict         smallint    NOT NULL CHECK (verdict IN (0, 2)),
    transaction_id  text,
    notification_id text,
    received_at     timestamptz NOT NULL,
    note            text,
    PRIMARY KEY (provider, order_id, status)
);

CREATE INDEX payment_inbox_order ON payment_inbox (order_id);

CREATE FUNCTION payment_inbox_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the payment inbox is append-only' USING ERRCODE = 'check_violation';
END $$;

CREATE TRIGGER payment_inbox_append_only BEFORE UPDATE OR DELETE ON payment_inbox
    FOR EACH ROW EXECUTE FUNCTION payment_inbox_append_only();

-- Refunds of unused stamps: the reversing transfer commits with the row; the provider's refund completes it.
CREATE TABLE order_refunds (
    id              text        PRIMARY KEY CHECK (id ~ '^RF-[0-7][0-9A-HJKMNP-TV-Z]{25}$'),
    order_id        text        NOT NULL REFERENCES orders (id),
    quantity        integer     NOT NULL CHECK (quantity > 0),
    amount          bigint      NOT NULL CHECK (amount > 0),
    state           smallint    NOT NULL CHECK (state IN (1, 2, 3)),
    transfer_id     uuid        NOT NULL UNIQUE REFERENCES transfers (id),
    reason          text,
    requested_by    text,
    created_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    error           text,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    CONSTRAINT order_refunds_completed_time CHECK ((state = 2) = (completed_at IS NOT NULL))
);

CREATE INDEX order_refunds_order ON order_refunds (order_id);
CREATE INDEX order_refunds_due ON order_refunds (next_attempt_at) WHERE state = 1;

-- What operators need to see: every refused notification with its reason, unconfirmed challenges, settlement mismatches.
CREATE TABLE payment_events (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL,
    source          text        NOT NULL,
    code            text        NOT NULL,
    message         text        NOT NULL,
    order_id        text,
    status          text,
    notification_id text,
    dedupe_key      text        UNIQUE
);

CREATE INDEX payment_events_order ON payment_events (order_id, id) WHERE order_id IS NOT NULL;
CREATE INDEX payment_events_at ON payment_events (at);

-- Work only one node should do at a time (the settlement report): whoever holds an unexpired lease.
CREATE TABLE payment_leases (
    name              text        PRIMARY KEY,
    holder            text        NOT NULL,
    until             timestamptz NOT NULL,
    last_completed_at timestamptz
);
