-- Issue 10, item 3: each registration attempt is its own record, bound to its own code, so re-registering an address
-- that is still pending can no longer replace the password an earlier code activates. A registration becomes an
-- applicant (with the registration's id) only when its code is confirmed; the first confirmed wins.
CREATE TABLE registrations (
    id            BLOB    PRIMARY KEY CHECK (length(id) = 16), -- the applicant's id once confirmed
    email         TEXT,
    phone         TEXT,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    CONSTRAINT registrations_one_address CHECK ((email IS NULL) <> (phone IS NULL))
) WITHOUT ROWID;
CREATE INDEX registrations_expires ON registrations (expires_at);

-- A registration's challenge names the applicant its registration will become, which does not exist yet: the
-- foreign key to applicants goes (SQLite drops a constraint by rebuilding the table). Registration challenges made
-- before this migration would activate a pending applicant with whatever password it last got, so they go too
-- (they live five minutes; the person registers again).
CREATE TABLE code_challenges_0110 (
    id           BLOB    PRIMARY KEY CHECK (length(id) = 16),
    applicant_id BLOB    NOT NULL CHECK (length(applicant_id) = 16), -- a registration's challenge: the registration's id
    purpose      INTEGER NOT NULL CHECK (purpose IN (1, 2)),           -- 1 registration, 2 login
    code_hash    BLOB    NOT NULL CHECK (length(code_hash) = 32),
    attempts     INTEGER NOT NULL CHECK (attempts >= 0),
    max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
    expires_at   INTEGER NOT NULL,
    consumed_at  INTEGER,
    created_at   INTEGER NOT NULL,
    CONSTRAINT code_challenges_attempts_bounded CHECK (attempts <= max_attempts)
) WITHOUT ROWID;
INSERT INTO code_challenges_0110 (id, applicant_id, purpose, code_hash, attempts, max_attempts, expires_at, consumed_at, created_at)
SELECT id, applicant_id, purpose, code_hash, attempts, max_attempts, expires_at, consumed_at, created_at FROM code_challenges WHERE purpose = 2;
DROP TABLE code_challenges;
ALTER TABLE code_challenges_0110 RENAME TO code_challenges;
CREATE INDEX code_challenges_expires ON code_challenges (expires_at);
