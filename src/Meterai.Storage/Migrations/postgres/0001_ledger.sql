-- Quota ledger: accounts and transfers (TigerBeetle's model). Amounts are whole stamps.
-- The rules live in Meterai.Core.Ledger.LedgerStateMachine; the constraints here are the last line of defence,
-- so that even a bug or a hand-written statement cannot break an invariant.

CREATE TABLE accounts (
    id               uuid        PRIMARY KEY,
    owner_kind       smallint    NOT NULL CHECK (owner_kind BETWEEN 1 AND 4),
    owner_id         uuid        NOT NULL,
    code             integer     NOT NULL CHECK (code <> 0),
    flags            integer     NOT NULL CHECK (flags & ~7 = 0 AND flags & 3 <> 3),
    debits_pending   bigint      NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    debits_posted    bigint      NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_pending  bigint      NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    credits_posted   bigint      NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    created_at       timestamptz NOT NULL,
    -- flag 1: debits_must_not_exceed_credits; flag 2: credits_must_not_exceed_debits
    CONSTRAINT accounts_debits_must_not_exceed_credits CHECK (flags & 1 = 0 OR debits_posted + debits_pending <= credits_posted),
    CONSTRAINT accounts_credits_must_not_exceed_debits CHECK (flags & 2 = 0 OR credits_posted + credits_pending <= debits_posted)
) WITH (fillfactor = 70); -- room on each page, so that balance updates stay HOT (no index write per update)

CREATE TABLE transfers (
    id                uuid        PRIMARY KEY,          -- client-chosen: a replay hits this key, never a second row
    debit_account_id  uuid        NOT NULL,
    credit_account_id uuid        NOT NULL,
    amount            bigint      NOT NULL CHECK (amount > 0),
    pending_id        uuid,                             -- post/void: the pending transfer resolved
    timeout_seconds   bigint      NOT NULL DEFAULT 0 CHECK (timeout_seconds >= 0),
    code              integer     NOT NULL CHECK (code <> 0),
    -- flags: 1 linked, 2 pending, 4 post_pending_transfer, 8 void_pending_transfer
    flags             integer     NOT NULL CHECK (flags & ~15 = 0),
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz,
    -- pending transfers only: 1 pending, 2 posted, 3 voided, 4 expired; 0 for every other transfer
    pending_state     smallint    NOT NULL,
    CONSTRAINT transfers_accounts_differ CHECK (debit_account_id <> credit_account_id),
    CONSTRAINT transfers_pending_state CHECK ((flags & 2 <> 0 AND pending_state BETWEEN 1 AND 4) OR (flags & 2 = 0 AND pending_state = 0)),
    CONSTRAINT transfers_pending_id CHECK ((flags & 12 <> 0) = (pending_id IS NOT NULL))
);

-- A pending transfer is resolved at most once, even by two nodes racing: the second post/void cannot be inserted.
CREATE UNIQUE INDEX transfers_resolve_once ON transfers (pending_id) WHERE pending_id IS NOT NULL;

-- The sweeper's work list: only unresolved reservations with a timeout are in it.
CREATE INDEX transfers_due ON transfers (expires_at) WHERE pending_state = 1 AND expires_at IS NOT NULL;

-- Transfers are immutable, except a pending transfer's single move out of state 1 (pending).
CREATE FUNCTION transfers_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'transfers are never deleted' USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.id, NEW.debit_account_id, NEW.credit_account_id, NEW.amount, NEW.pending_id, NEW.timeout_seconds,
        NEW.code, NEW.flags, NEW.created_at, NEW.expires_at)
       IS DISTINCT FROM
       (OLD.id, OLD.debit_account_id, OLD.credit_account_id, OLD.amount, OLD.pending_id, OLD.timeout_seconds,
        OLD.code, OLD.flags, OLD.created_at, OLD.expires_at)
       OR NOT (OLD.pending_state = 1 AND NEW.pending_state IN (2, 3, 4)) THEN
        RAISE EXCEPTION 'transfer % is immutable (only a pending transfer may be resolved, once)', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER transfers_immutable BEFORE UPDATE OR DELETE ON transfers
    FOR EACH ROW EXECUTE FUNCTION transfers_immutable();
