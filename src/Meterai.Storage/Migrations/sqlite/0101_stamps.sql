-- Stamp requests (HTTP service): one row per (caller, Idempotency-Key), the current attempt's serial and ledger
-- reservation, the lease of the node working on it, the outcome, and the stamped file's retention.
-- Rules: Meterai.Core.Stamping; the flow: Meterai.Server.Stamping.StampProcessor.

CREATE TABLE stamps (
    id                  BLOB    PRIMARY KEY CHECK (length(id) = 16),
    caller_id           BLOB    NOT NULL,
    applicant_id        BLOB    NOT NULL REFERENCES applicants (id),
    channel_id          BLOB    NOT NULL REFERENCES channels (id),
    request_sha256      BLOB    NOT NULL CHECK (length(request_sha256) = 32),
    state               INTEGER NOT NULL CHECK (state IN (1, 2, 3, 4)), -- queued, processing, completed, failed
    attempt             INTEGER NOT NULL CHECK (attempt >= 1),
    serial              TEXT    NOT NULL CHECK (length(serial) = 22 AND serial NOT GLOB '*[^0-9A-Z]*'),
    pending_transfer_id BLOB    NOT NULL,
    lease_token         BLOB,
    lease_until         INTEGER,
    document_type       TEXT    NOT NULL,
    document_number     TEXT,
    document_date       TEXT,
    document_value      INTEGER CHECK (document_value >= 0),
    page                INTEGER NOT NULL CHECK (page >= 1),
    rect_x1             REAL    NOT NULL,
    rect_y1             REAL    NOT NULL,
    rect_x2             REAL    NOT NULL,
    rect_y2             REAL    NOT NULL,
    file_name           TEXT,
    input_bytes         INTEGER NOT NULL CHECK (input_bytes > 0),
    input_sha256        BLOB    NOT NULL CHECK (length(input_sha256) = 32),
    is_job              INTEGER NOT NULL CHECK (is_job IN (0, 1)),
    job_runs            INTEGER NOT NULL DEFAULT 0,
    next_run_at         INTEGER,
    output_sha256       BLOB    CHECK (length(output_sha256) = 32),
    output_bytes        INTEGER,
    stamped_at          INTEGER,
    created_at          INTEGER NOT NULL,
    completed_at        INTEGER,
    file_expires_at     INTEGER,
    file_purged_at      INTEGER,
    error_code          TEXT,
    error_message       TEXT,
    error_retryable     INTEGER NOT NULL DEFAULT 0 CHECK (error_retryable IN (0, 1)),
    CONSTRAINT stamps_completed_has_output CHECK ((state = 3) = (output_sha256 IS NOT NULL AND completed_at IS NOT NULL AND file_expires_at IS NOT NULL)),
    CONSTRAINT stamps_failed_has_error CHECK ((state = 4) = (error_code IS NOT NULL)),
    CONSTRAINT stamps_processing_has_lease CHECK (state <> 2 OR (lease_token IS NOT NULL AND lease_until IS NOT NULL))
) WITHOUT ROWID;

CREATE INDEX stamps_applicant ON stamps (applicant_id, created_at DESC);
CREATE INDEX stamps_channel ON stamps (channel_id, created_at DESC);
CREATE INDEX stamps_queued ON stamps (next_run_at) WHERE state = 1;
CREATE INDEX stamps_processing ON stamps (lease_until) WHERE state = 2;
CREATE INDEX stamps_files_due ON stamps (file_expires_at) WHERE state = 3 AND file_purged_at IS NULL;
