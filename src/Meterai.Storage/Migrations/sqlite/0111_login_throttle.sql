-- Issue 10, items 3 and 7. Fixed-window event counters shared by every node (one-time-code challenges per address
-- and per client address), and failed logins per (account, client address) with growing delays instead of a lock
-- per account. Keys are SHA-256 hashes: no addresses here.
CREATE TABLE window_counters (
    key          BLOB    PRIMARY KEY CHECK (length(key) = 32),
    events       INTEGER NOT NULL CHECK (events > 0),
    window_start INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX window_counters_start ON window_counters (window_start);

CREATE TABLE login_throttle (
    key        BLOB    PRIMARY KEY CHECK (length(key) = 32),     -- scope, identifier and client address
    account    BLOB    NOT NULL CHECK (length(account) = 32),     -- scope and identifier: an unlock clears every client
    failures   INTEGER NOT NULL CHECK (failures >= 0),
    not_before INTEGER NOT NULL,                                   -- the client's next attempt waits until then
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_throttle_account ON login_throttle (account);
CREATE INDEX login_throttle_updated ON login_throttle (updated_at);

-- The per-identifier lock it replaces: five failures from anyone refused the right password for 15 minutes.
DROP TABLE login_failures;
