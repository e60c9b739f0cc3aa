-- Stamp requests (HTTP service): one row per (caller, Idempotency-Key), the current attempt's serial and ledger
-- reservation, the lease of the node working on it, the outcome, and the stamped file's retention.
-- Rules: Meterai.Core.Stamping; the flow: Meterai.Server.Stamping.StampProcessor.

CREATE TABLE stamps (
    id                  uuid        PRIMARY KEY,
    caller_id           uuid        NOT NULL,
    applicant_id        uuid        NOT NULL REFERENCES applicants (id),
    channel_id          uuid        NOT NULL REFERENCES channels (id),
    request_sha256      bytea       NOT NULL CHECK (octet_length(request_sha256) = 32),
    state               smallint    NOT NULL CHECK (state IN (1, 2, 3, 4)), -- queued, processing, completed, failed
    attempt             integer     NOT NULL CHECK (attempt >= 1),
    serial              text        NOT NULL CHECK (serial ~ '^[0-9A-Z]{22}$'),
    pending_transfer_id uuid        NOT NULL,
    lease_token         uuid,
    lease_until         timestamptz,
    document_type       text        NOT NULL,
    document_number     text,
    document_date       date,
    document_value      bigint      CHECK (document_value >= 0),
    page                integer     NOT NULL CHECK (page >= 1),
    rect_x1             double precision NOT NULL,
    rect_y1             double precision NOT NULL,
    rect_x2             double precision NOT NULL,
    rect_y2             double precision NOT NULL,
    file_name           text,
    input_bytes         bigint      NOT NULL CHECK (input_bytes > 0),
    input_sha256        bytea       NOT NULL CHECK (octet_length(input_sha256) = 32),
    is_job              boolean     NOT NULL,
    job_runs            integer     NOT NULL DEFAULT 0,
    next_run_at         timestamptz,
    output_sha256       bytea       CHECK (octet_length(output_sha256) = 32),
    output_bytes        bigint,
    stamped_at          timestamptz,
    created_at          timestamptz NOT NULL,
    completed_at        timestamptz,
    file_expires_at     timestamptz,
    file_purged_at      timestamptz,
    error_code          text,
    error_message       text,
    error_retryable     boolean     NOT NULL DEFAULT false,
    CONSTRAINT stamps_completed_has_output CHECK ((state = 3) = (output_sha256 IS NOT NULL AND completed_at IS NOT NULL AND file_expires_at IS NOT NULL)),
    CONSTRAINT stamps_failed_has_error CHECK ((state = 4) = (error_code IS NOT NULL)),
    CONSTRAINT stamps_processing_has_lease CHECK (state <> 2 OR (lease_token IS NOT NULL AND lease_until IS NOT NULL))
);

CREATE INDEX stamps_applicant ON stamps (applicant_id, created_at DESC);
CREATE INDEX stamps_channel ON stamps (channel_id, created_at DESC);
CREATE INDEX stamps_queued ON stamps (next_run_at) WHERE state = 1;
CREATE INDEX stamps_processing ON stamps (lease_until) WHERE state = 2;
CREATE INDEX stamps_files_due ON stamps (file_expires_at) WHERE state = 3 AND file_purged_at IS NULL;
