-- Identities and access (HTTP service): channels and their API keys, applicants, one-time code challenges,
-- operators, failed-login counters, access-token signing keys. Rules: Meterai.Core.Identity / Meterai.Core.Channels.

CREATE TABLE channels (
    id          uuid        PRIMARY KEY,
    code        text        NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    service_fee bigint      NOT NULL CHECK (service_fee BETWEEN 0 AND 1000000), -- Rupiah per stamp on top of the duty
    status      smallint    NOT NULL CHECK (status IN (1, 2)),                 -- 1 active, 2 suspended
    created_at  timestamptz NOT NULL
);

-- The issuer's own sales: every applicant and serial names a channel, self-registered applicants this one.
INSERT INTO channels (id, code, name, service_fee, status, created_at)
VALUES ('00000000-0000-0000-0000-000000000001', 'direct', 'Meterai (penjualan langsung)', 0, 1, '2024-01-01T00:00:00Z');

CREATE TABLE api_keys (
    id            uuid        PRIMARY KEY,
    channel_id    uuid        NOT NULL REFERENCES channels (id),
    prefix        text        NOT NULL UNIQUE CHECK (prefix ~ '^[a-z2-7]{12}$'),
    secret_sha256 bytea       NOT NULL CHECK (octet_length(secret_sha256) = 32), -- never the key itself
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at    timestamptz NOT NULL,
    revoked_at    timestamptz
);
CREATE INDEX api_keys_channel ON api_keys (channel_id);
CREATE INDEX api_keys_revoked ON api_keys (revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE applicants (
    id            uuid        PRIMARY KEY,
    channel_id    uuid        NOT NULL REFERENCES channels (id),
    external_ref  text        CHECK (length(external_ref) BETWEEN 1 AND 100),
    email         text        UNIQUE,
    phone         text        UNIQUE,
    password_hash text,
    status        smallint    NOT NULL CHECK (status IN (1, 2, 3)), -- 1 pending verification, 2 active, 3 disabled
    created_at    timestamptz NOT NULL,
    verified_at   timestamptz,
    -- Either a channel's customer (its reference, no login) or a self-registered person (a login address).
    CONSTRAINT applicants_one_identity CHECK ((external_ref IS NOT NULL) <> (email IS NOT NULL OR phone IS NOT NULL)),
    CONSTRAINT applicants_login_has_password CHECK (external_ref IS NOT NULL OR password_hash IS NOT NULL),
    CONSTRAINT applicants_external_ref_once UNIQUE (channel_id, external_ref)
);

CREATE TABLE code_challenges (
    id           uuid        PRIMARY KEY,
    applicant_id uuid        NOT NULL REFERENCES applicants (id),
    purpose      smallint    NOT NULL CHECK (purpose IN (1, 2)), -- 1 registration, 2 login
    code_hash    bytea       NOT NULL CHECK (octet_length(code_hash) = 32),
    attempts     integer     NOT NULL CHECK (attempts >= 0),
    max_attempts integer     NOT NULL CHECK (max_attempts > 0),
    expires_at   timestamptz NOT NULL,
    consumed_at  timestamptz,
    created_at   timestamptz NOT NULL,
    CONSTRAINT code_challenges_attempts_bounded CHECK (attempts <= max_attempts)
);
CREATE INDEX code_challenges_expires ON code_challenges (expires_at);

CREATE TABLE operators (
    id            uuid        PRIMARY KEY,
    email         text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    roles         text        NOT NULL, -- comma-separated OperatorRole names
    created_at    timestamptz NOT NULL,
    disabled_at   timestamptz
);

-- Failed logins per identifier (key = SHA-256 of scope and identifier: no addresses here).
CREATE TABLE login_failures (
    key          bytea       PRIMARY KEY CHECK (octet_length(key) = 32),
    failures     integer     NOT NULL CHECK (failures > 0),
    window_start timestamptz NOT NULL
);

CREATE TABLE token_signing_keys (
    key_id     text        PRIMARY KEY CHECK (key_id ~ '^[A-Za-z0-9_-]{1,32}$'),
    secret     bytea       NOT NULL CHECK (octet_length(secret) >= 32),
    created_at timestamptz NOT NULL
);
