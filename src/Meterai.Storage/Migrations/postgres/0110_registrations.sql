-- Issue 10, item 3: each registration attempt is its own record, bound to its own code, so re-registering an address
-- that is still pending can no longer replace the password an earlier code activates. A registration becomes an
-- applicant (with the registration's id) only when its code is confirmed; the first confirmed wins.
CREATE TABLE registrations (
    id            uuid        PRIMARY KEY, -- the applicant's id once confirmed
    email         text,
    phone         text,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    CONSTRAINT registrations_one_address CHECK ((email IS NULL) <> (phone IS NULL))
);
CREATE INDEX registrations_expires ON registrations (expires_at);

-- A registration's challenge names the applicant its registration will become, which does not exist yet: the
-- foreign key to applicants goes. Registration challenges made before this migration would activate a pending
-- applicant with whatever password it last got, so they go too (they live five minutes; the person registers again).
ALTER TABLE code_challenges DROP CONSTRAINT code_challenges_applicant_id_fkey;
DELETE FROM code_challenges WHERE purpose = 1;
