-- Identities and access (HTTP service): channels and their API keys, applicants, one-time code challenges,
-- operators, failed-login counters, access-token signing keys. Rules: Meterai.Core.Identity / Meterai.Core.Channels.

CREATE TABLE channels (
    id          BLOB    PRIMARY KEY CHECK (length(id) = 16),
    code        TEXT    NOT NULL UNIQUE CHECK (length(code) BETWEEN 3 AND 40 AND code NOT GLOB '*[^a-z0-9-]*'),
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    service_fee INTEGER NOT NULL CHECK (service_fee BETWEEN 0 AND 1000000), -- Rupiah per stamp on top of the duty
    status      INTEGER NOT NULL CHECK (status IN (1, 2)),                 -- 1 active, 2 suspended
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- The issuer's own sales: every applicant and serial names a channel, self-registered applicants this one.
INSERT INTO channels (id, code, name, service_fee, status, created_at)
VALUES (X'00000000000000000000000000000001', 'direct', 'Meterai (penjualan langsung)', 0, 1, 1704067200000000);

CREATE TABLE api_keys (
    id            BLOB    PRIMARY KEY CHECK (length(id) = 16),
    channel_id    BLOB    NOT NULL REFERENCES channels (id),
    prefix        TEXT    NOT NULL UNIQUE CHECK (length(prefix) = 12 AND prefix NOT GLOB '*[^a-z2-7]*'),
    secret_sha256 BLOB    NOT NULL CHECK (length(secret_sha256) = 32), -- never the key itself
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX api_keys_channel ON api_keys (channel_id);
CREATE INDEX api_keys_revoked ON api_keys (revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE applicants (
    id            BLOB    PRIMARY KEY CHECK (length(id) = 16),
    channel_id    BLOB    NOT NULL REFERENCES channels (id),
    external_ref  TEXT    CHECK (length(external_ref) BETWEEN 1 AND 100),
    email         TEXT    UNIQUE,
    phone         TEXT    UNIQUE,
    password_hash TEXT,
    status        INTEGER NOT NULL CHECK (status IN (1, 2, 3)), -- 1 pending verification, 2 active, 3 disabled
    created_at    INTEGER NOT NULL,
    verified_at   INTEGER,
    -- Either a channel's customer (its reference, no login) or a self-registered person (a login address).
    CONSTRAINT applicants_one_identity CHECK ((external_ref IS NOT NULL) <> (email IS NOT NULL OR phone IS NOT NULL)),
    CONSTRAINT applicants_login_has_password CHECK (external_ref IS NOT NULL OR password_hash IS NOT NULL),
    CONSTRAINT applicants_external_ref_once UNIQUE (channel_id, external_ref)
) WITHOUT ROWID;

CREATE TABLE code_challenges (
    id           BLOB    PRIMARY KEY CHECK (length(id) = 16),
    applicant_id BLOB    NOT NULL REFERENCES applicants (id),
    purpose      INTEGER NOT NULL CHECK (purpose IN (1, 2)), -- 1 registration, 2 login
    code_hash    BLOB    NOT NULL CHECK (length(code_hash) = 32),
    attempts     INTEGER NOT NULL CHECK (attempts >= 0),
    max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
    expires_at   INTEGER NOT NULL,
    consumed_at  INTEGER,
    created_at   INTEGER NOT NULL,
    CONSTRAINT code_challenges_attempts_bounded CHECK (attempts <= max_attempts)
) WITHOUT ROWID;
CREATE INDEX code_challenges_expires ON code_challenges (expires_at);

CREATE TABLE operators (
    id            BLOB    PRIMARY KEY CHECK (length(id) = 16),
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    roles         TEXT    NOT NULL, -- comma-separated OperatorRole names
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER
) WITHOUT ROWID;

-- Failed logins per identifier (key = SHA-256 of scope and identifier: no addresses here).
CREATE TABLE login_failures (
    key          BLOB    PRIMARY KEY CHECK (length(key) = 32),
    failures     INTEGER NOT NULL CHECK (failures > 0),
    window_start INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE token_signing_keys (
    key_id     TEXT    PRIMARY KEY CHECK (length(key_id) BETWEEN 1 AND 32 AND key_id NOT GLOB '*[^A-Za-z0-9_-]*'),
    secret     BLOB    NOT NULL CHECK (length(secret) >= 32),
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
