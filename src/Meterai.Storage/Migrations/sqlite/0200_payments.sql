-- Selling quota (issue 5): orders, the payment inbox, refunds of unused stamps, payment events and worker leases.
-- The rules live in Meterai.Core.Orders (OrderRules); the constraints and triggers here are the last line of defence.
-- Enumerations as in the PostgreSQL migration of the same number.

CREATE TABLE orders (
    id                 TEXT    PRIMARY KEY
                               CHECK (length(id) = 30 AND substr(id, 1, 4) = 'MTR-' AND substr(id, 5, 1) BETWEEN '0' AND '7'
                                      AND substr(id, 5) NOT GLOB '*[^0-9A-HJKMNP-TV-Z]*'),
    buyer_kind         INTEGER NOT NULL CHECK (buyer_kind IN (1, 2)),
    buyer_id           BLOB    NOT NULL,
    channel_id         BLOB,
    quantity           INTEGER NOT NULL CHECK (quantity > 0),
    face_value         INTEGER NOT NULL CHECK (face_value > 0),
    service_fee        INTEGER NOT NULL CHECK (service_fee >= 0),
    total              INTEGER NOT NULL,
    method             INTEGER NOT NULL CHECK (method IN (0, 1)),
    bank               TEXT,
    state              INTEGER NOT NULL CHECK (state BETWEEN 1 AND 6),
    provider_status    INTEGER CHECK (provider_status BETWEEN 0 AND 7),
    idempotency_key    TEXT,
    stock_account_id   BLOB    NOT NULL,
    quota_account_id   BLOB    NOT NULL,
    credit_transfer_id BLOB    NOT NULL UNIQUE,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    paid_at            INTEGER,
    settled_at         INTEGER,
    fulfilled_at       INTEGER,
    expired_at         INTEGER,
    refunded_at        INTEGER,
    refunded_quantity  INTEGER NOT NULL DEFAULT 0,
    late_payment       INTEGER NOT NULL DEFAULT 0 CHECK (late_payment IN (0, 1)),
    credit_error       TEXT,
    transaction_id     TEXT,
    qr_string          TEXT,
    va_number          TEXT,
    charge_bank        TEXT,
    pay_url            TEXT,
    charge_expires_at  INTEGER,
    next_check_at      INTEGER NOT NULL,
    checks             INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT orders_total CHECK (total = (face_value + service_fee) * quantity),
    CONSTRAINT orders_refunded_quantity CHECK (refunded_quantity BETWEEN 0 AND quantity),
    CONSTRAINT orders_fulfilled_time CHECK (state <> 4 OR fulfilled_at IS NOT NULL),
    CONSTRAINT orders_paid_time CHECK (state NOT IN (3, 4) OR paid_at IS NOT NULL),
    CONSTRAINT orders_expired_time CHECK (state <> 5 OR expired_at IS NOT NULL)
) WITHOUT ROWID;

CREATE UNIQUE INDEX orders_idempotency ON orders (buyer_kind, buyer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX orders_buyer ON orders (buyer_kind, buyer_id, created_at DESC);
CREATE INDEX orders_state ON orders (state, created_at DESC);
CREATE INDEX orders_due ON orders (next_check_at) WHERE state IN (1, 2, 3);
CREATE INDEX orders_settled ON orders (settled_at) WHERE settled_at IS NOT NULL;

CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders
BEGIN
    SELECT RAISE(ABORT, 'orders are never deleted');
END;

CREATE TRIGGER orders_keep_purchase BEFORE UPDATE ON orders
WHEN NEW.id IS NOT OLD.id OR NEW.buyer_kind IS NOT OLD.buyer_kind OR NEW.buyer_id IS NOT OLD.buyer_id
  OR NEW.channel_id IS NOT OLD.channel_id OR NEW.quantity IS NOT OLD.quantity OR NEW.face_value IS NOT OLD.face_value
  OR NEW.service_fee IS NOT OLD.service_fee OR NEW.total IS NOT OLD.total OR NEW.method IS NOT OLD.method
  OR NEW.idempotency_key IS NOT OLD.idempotency_key OR NEW.stock_account_id IS NOT OLD.stock_account_id
  OR NEW.quota_account_id IS NOT OLD.quota_account_id OR NEW.credit_transfer_id IS NOT OLD.credit_transfer_id
  OR NEW.created_at IS NOT OLD.created_at OR NEW.expires_at IS NOT OLD.expires_at
BEGIN
    SELECT RAISE(ABORT, 'an order keeps what was bought');
END;

CREATE TRIGGER orders_forward BEFORE UPDATE OF state ON orders
WHEN NOT (NEW.state = OLD.state
          OR (OLD.state = 1 AND NEW.state IN (2, 3, 4, 5, 6))
          OR (OLD.state = 2 AND NEW.state IN (3, 4, 5, 6))
          OR (OLD.state = 3 AND NEW.state IN (4, 6))
          OR (OLD.state = 4 AND NEW.state = 6)
          OR (OLD.state = 5 AND NEW.state IN (3, 4, 6)))
BEGIN
    SELECT RAISE(ABORT, 'an order state only moves forward');
END;

CREATE TRIGGER orders_refunds_stay BEFORE UPDATE OF refunded_quantity ON orders
WHEN NEW.refunded_quantity < OLD.refunded_quantity
BEGIN
    SELECT RAISE(ABORT, 'a refund is never taken back');
END;

CREATE TABLE payment_inbox (
    provider        TEXT    NOT NULL,
    order_id        TEXT    NOT NULL REFERENCES orders (id),
    status          INTEGER NOT NULL CHECK (status BETWEEN 0 AND 7),
    paid            INTEGER NOT NULL CHECK (paid IN (0, 1)),
    source          INTEGER NOT NULL CHECK (source BETWEEN 1 AND 5),
    verdict         INTEGER NOT NULL CHECK (verdict IN (0, 2)),
    transaction_id  TEXT,
    notification_id TEXT,
    received_at     INTEGER NOT NULL,
    note            TEXT,
    PRIMARY KEY (provider, order_id, status)
) WITHOUT ROWID;

CREATE INDEX payment_inbox_order ON payment_inbox (order_id);

CREATE TRIGGER payment_inbox_no_update BEFORE UPDATE ON payment_inbox
BEGIN
    SELECT RAISE(ABORT, 'the payment inbox is append-only');
END;

CREATE TRIGGER payment_inbox_no_delete BEFORE DELETE ON payment_inbox
BEGIN
    SELECT RAISE(ABORT, 'the payment inbox is append-only');
END;

CREATE TABLE order_refunds (
    id              TEXT    PRIMARY KEY
                            CHECK (length(id) = 29 AND substr(id, 1, 3) = 'RF-' AND substr(id, 4, 1) BETWEEN '0' AND '7'
                                   AND substr(id, 4) NOT GLOB '*[^0-9A-HJKMNP-TV-Z]*'),
    order_id        TEXT    NOT NULL REFERENCES orders (id),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    amount          INTEGER NOT NULL CHECK (amount > 0),
    state           INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
    transfer_id     BLOB    NOT NULL UNIQUE REFERENCES transfers (id),
    reason          TEXT,
    requested_by    TEXT,
    created_at      INTEGER NOT NULL,
    completed_at    INTEGER,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    CONSTRAINT order_refunds_completed_time CHECK ((state = 2) = (completed_at IS NOT NULL))
) WITHOUT ROWID;

CREATE INDEX order_refunds_order ON order_refunds (order_id);
CREATE INDEX order_refunds_due ON order_refunds (next_attempt_at) WHERE state = 1;

CREATE TABLE payment_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              INTEGER NOT NULL,
    source          TEXT    NOT NULL,
    code            TEXT    NOT NULL,
    message         TEXT    NOT NULL,
    order_id        TEXT,
    status          TEXT,
    notification_id TEXT,
    dedupe_key      TEXT    UNIQUE
);

CREATE INDEX payment_events_order ON payment_events (order_id, id) WHERE order_id IS NOT NULL;
CREATE INDEX payment_events_at ON payment_events (at);

CREATE TABLE payment_leases (
    name              TEXT    PRIMARY KEY,
    holder            TEXT    NOT NULL,
    until             INTEGER NOT NULL,
    last_completed_at INTEGER
) WITHOUT ROWID;
