-- Quota ledger: accounts and transfers (TigerBeetle's model). Amounts are whole stamps; ids are 16-byte big-endian
-- BLOBs; times are microseconds since the Unix epoch. The rules live in Meterai.Core.Ledger.LedgerStateMachine;
-- the constraints here are the last line of defence.

CREATE TABLE accounts (
    id               BLOB    PRIMARY KEY CHECK (length(id) = 16),
    owner_kind       INTEGER NOT NULL CHECK (owner_kind BETWEEN 1 AND 4),
    owner_id         BLOB    NOT NULL CHECK (length(owner_id) = 16),
    code             INTEGER NOT NULL CHECK (code <> 0),
    flags            INTEGER NOT NULL CHECK (flags & ~7 = 0 AND flags & 3 <> 3),
    debits_pending   INTEGER NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    debits_posted    INTEGER NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_pending  INTEGER NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    credits_posted   INTEGER NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    created_at       INTEGER NOT NULL,
    -- flag 1: debits_must_not_exceed_credits; flag 2: credits_must_not_exceed_debits
    CONSTRAINT accounts_debits_must_not_exceed_credits CHECK (flags & 1 = 0 OR debits_posted + debits_pending <= credits_posted),
    CONSTRAINT accounts_credits_must_not_exceed_debits CHECK (flags & 2 = 0 OR credits_posted + credits_pending <= debits_posted)
) WITHOUT ROWID;

CREATE TABLE transfers (
    id                BLOB    PRIMARY KEY CHECK (length(id) = 16),
    debit_account_id  BLOB    NOT NULL,
    credit_account_id BLOB    NOT NULL,
    amount            INTEGER NOT NULL CHECK (amount > 0),
    pending_id        BLOB,
    timeout_seconds   INTEGER NOT NULL DEFAULT 0 CHECK (timeout_seconds >= 0),
    code              INTEGER NOT NULL CHECK (code <> 0),
    -- flags: 1 linked, 2 pending, 4 post_pending_transfer, 8 void_pending_transfer
    flags             INTEGER NOT NULL CHECK (flags & ~15 = 0),
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER,
    -- pending transfers only: 1 pending, 2 posted, 3 voided, 4 expired; 0 for every other transfer
    pending_state     INTEGER NOT NULL,
    CONSTRAINT transfers_accounts_differ CHECK (debit_account_id <> credit_account_id),
    CONSTRAINT transfers_pending_state CHECK ((flags & 2 <> 0 AND pending_state BETWEEN 1 AND 4) OR (flags & 2 = 0 AND pending_state = 0)),
    CONSTRAINT transfers_pending_id CHECK ((flags & 12 <> 0) = (pending_id IS NOT NULL))
) WITHOUT ROWID;

-- A pending transfer is resolved at most once: a second post/void cannot be inserted.
CREATE UNIQUE INDEX transfers_resolve_once ON transfers (pending_id) WHERE pending_id IS NOT NULL;

-- The sweeper's work list: only unresolved reservations with a timeout are in it.
CREATE INDEX transfers_due ON transfers (expires_at) WHERE pending_state = 1 AND expires_at IS NOT NULL;

-- Transfers are immutable, except a pending transfer's single move out of state 1 (pending).
CREATE TRIGGER transfers_no_delete BEFORE DELETE ON transfers
BEGIN
    SELECT RAISE(ABORT, 'transfers are never deleted');
END;

CREATE TRIGGER transfers_immutable BEFORE UPDATE ON transfers
WHEN NEW.id IS NOT OLD.id OR NEW.debit_account_id IS NOT OLD.debit_account_id
  OR NEW.credit_account_id IS NOT OLD.credit_account_id OR NEW.amount IS NOT OLD.amount
  OR NEW.pending_id IS NOT OLD.pending_id OR NEW.timeout_seconds IS NOT OLD.timeout_seconds
  OR NEW.code IS NOT OLD.code OR NEW.flags IS NOT OLD.flags OR NEW.created_at IS NOT OLD.created_at
  OR NEW.expires_at IS NOT OLD.expires_at
  OR NOT (OLD.pending_state = 1 AND NEW.pending_state IN (2, 3, 4))
BEGIN
    SELECT RAISE(ABORT, 'transfers are immutable (only a pending transfer may be resolved, once)');
END;
