-- Channel deposits (money in Rupiah, recorded by the issuer admin) and allocations of stamps against them
-- (issuer stock -> channel deposit account, at the channel's price). Rules: Meterai.Core.Distribution.

CREATE TABLE channel_deposits (
    id          BLOB    PRIMARY KEY CHECK (length(id) = 16),
    channel_id  BLOB    NOT NULL REFERENCES channels (id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    reference   TEXT    NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    recorded_by BLOB    NOT NULL,
    recorded_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX channel_deposits_channel ON channel_deposits (channel_id, recorded_at);

CREATE TABLE channel_allocations (
    id              BLOB    PRIMARY KEY CHECK (length(id) = 16), -- also the ledger transfer's id
    channel_id      BLOB    NOT NULL REFERENCES channels (id),
    stamps          INTEGER NOT NULL CHECK (stamps > 0),
    price_per_stamp INTEGER NOT NULL CHECK (price_per_stamp > 0),
    amount          INTEGER NOT NULL CHECK (amount = stamps * price_per_stamp),
    state           INTEGER NOT NULL CHECK (state IN (1, 2, 3)), -- reserved, posted, failed
    recorded_by     BLOB    NOT NULL,
    recorded_at     INTEGER NOT NULL,
    failure_code    TEXT,
    CONSTRAINT channel_allocations_failed_has_code CHECK ((state = 3) = (failure_code IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX channel_allocations_channel ON channel_allocations (channel_id, recorded_at);
CREATE INDEX channel_allocations_reserved ON channel_allocations (recorded_at) WHERE state = 1;
