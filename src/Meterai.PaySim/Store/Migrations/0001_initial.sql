-- The sandbox provider's own books. Times are Unix milliseconds (UTC); amounts are whole Rupiah.

CREATE TABLE merchants (
    merchant_id TEXT PRIMARY KEY,
    server_key  TEXT NOT NULL UNIQUE,
    notify_url  TEXT NOT NULL DEFAULT ''      -- '' holds notifications in the outbox until a URL is set
);

CREATE TABLE transactions (
    seq              INTEGER PRIMARY KEY,     -- also numbers virtual accounts
    order_id         TEXT NOT NULL UNIQUE,
    merchant_id      TEXT NOT NULL REFERENCES merchants (merchant_id),
    transaction_id   TEXT NOT NULL UNIQUE,
    payment_type     TEXT NOT NULL,
    bank             TEXT,
    va_number        TEXT UNIQUE,
    qr_string        TEXT,
    gross_amount     INTEGER NOT NULL CHECK (gross_amount > 0),
    status           TEXT NOT NULL,
    fraud_status     TEXT,
    refunded_amount  INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= gross_amount),
    events           INTEGER NOT NULL DEFAULT 0, -- notifications raised so far: numbers the next one
    transaction_time INTEGER NOT NULL,
    expiry_time      INTEGER NOT NULL,
    settlement_time  INTEGER,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX transactions_pending_expiry ON transactions (expiry_time) WHERE status = 'pending';
CREATE INDEX transactions_settled ON transactions (merchant_id, settlement_time) WHERE settlement_time IS NOT NULL;

CREATE TABLE refunds (
    order_id     TEXT NOT NULL REFERENCES transactions (order_id),
    refund_key   TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    total_after  INTEGER NOT NULL,
    status_after TEXT NOT NULL,
    reason       TEXT,
    refunded_at  INTEGER NOT NULL,
    PRIMARY KEY (order_id, refund_key)
);

-- The outbox: one row per copy of a notification to send. A row leaves the queue only by a 2xx from the merchant
-- (delivered) or by the drop fault (dropped, decided when the row is written); held rows wait for a later
-- notification of the same order (the reorder fault).
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    notification_id TEXT NOT NULL,            -- shared by the copies of a duplicated notification
    order_id        TEXT NOT NULL,
    event_seq       INTEGER NOT NULL,         -- 1 = first notification of the order
    copy            INTEGER NOT NULL,         -- 0 = the original, 1.. = duplicates
    merchant_id     TEXT NOT NULL,
    transaction_status TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'held', 'delivered', 'dropped')),
    due_at          INTEGER NOT NULL,
    hold_until      INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    UNIQUE (order_id, event_seq, copy)
);
CREATE INDEX notifications_due ON notifications (due_at) WHERE state = 'queued';
CREATE INDEX notifications_held ON notifications (hold_until) WHERE state = 'held';

-- What the seeded fault plan decided for each notification: two runs with the same seed and the same orders
-- write the same rows, which is how a replay is checked.
CREATE TABLE fault_decisions (
    order_id           TEXT NOT NULL,
    event_seq          INTEGER NOT NULL,
    transaction_status TEXT NOT NULL,
    copies             INTEGER NOT NULL,      -- 1 = sent once; more = duplicated
    reordered          INTEGER NOT NULL,
    delayed            INTEGER NOT NULL,
    dropped            INTEGER NOT NULL,
    PRIMARY KEY (order_id, event_seq)
);
