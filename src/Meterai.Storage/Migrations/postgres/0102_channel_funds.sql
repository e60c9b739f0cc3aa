-- Channel deposits (money in Rupiah, recorded by the issuer admin) and allocations of stamps against them
-- (issuer stock -> channel deposit account, at the channel's price). Rules: Meterai.Core.Distribution.

CREATE TABLE channel_deposits (
    id          uuid        PRIMARY KEY,
    channel_id  uuid        NOT NULL REFERENCES channels (id),
    amount      bigint      NOT NULL CHECK (amount > 0),
    reference   text        NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
    recorded_by uuid        NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX channel_deposits_channel ON channel_deposits (channel_id, recorded_at);

CREATE TABLE channel_allocations (
    id              uuid        PRIMARY KEY, -- also the ledger transfer's id
    channel_id      uuid        NOT NULL REFERENCES channels (id),
    stamps          bigint      NOT NULL CHECK (stamps > 0),
    price_per_stamp bigint      NOT NULL CHECK (price_per_stamp > 0),
    amount          bigint      NOT NULL CHECK (amount = stamps * price_per_stamp),
    state           smallint    NOT NULL CHECK (state IN (1, 2, 3)), -- reserved, posted, failed
    recorded_by     uuid        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    failure_code    text,
    CONSTRAINT channel_allocations_failed_has_code CHECK ((state = 3) = (failure_code IS NOT NULL))
);
CREATE INDEX channel_allocations_channel ON channel_allocations (channel_id, recorded_at);
CREATE INDEX channel_allocations_reserved ON channel_allocations (recorded_at) WHERE state = 1;
