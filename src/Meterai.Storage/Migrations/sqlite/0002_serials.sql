-- Serial registry: reserved (bound to a pending quota transfer) -> stamped (bound forever to one document page)
-- or released (never used, never reused). Rules: Meterai.Core.Serials.SerialRules; guarantees: here.

CREATE TABLE serials (
    serial              TEXT    PRIMARY KEY
                                CHECK (length(serial) = 22 AND serial NOT GLOB '*[^0-9A-Z]*'),
    state               INTEGER NOT NULL CHECK (state IN (1, 2, 3)), -- 1 reserved, 2 stamped, 3 released
    pending_transfer_id BLOB    NOT NULL REFERENCES transfers (id),
    channel_id          BLOB    NOT NULL,
    owner_id            BLOB    NOT NULL,
    reserved_at         INTEGER NOT NULL,
    document_sha256     BLOB    CHECK (length(document_sha256) = 32),
    page                INTEGER CHECK (page >= 1),
    stamped_at          INTEGER,
    released_at         INTEGER,
    CONSTRAINT serials_stamped_has_document CHECK (
        (state = 2) = (document_sha256 IS NOT NULL AND page IS NOT NULL AND stamped_at IS NOT NULL)),
    CONSTRAINT serials_released_has_time CHECK ((state = 3) = (released_at IS NOT NULL))
) WITHOUT ROWID;

-- A document is stamped with one serial, ever.
CREATE UNIQUE INDEX serials_document_once ON serials (document_sha256) WHERE document_sha256 IS NOT NULL;
CREATE INDEX serials_pending_transfer ON serials (pending_transfer_id);

-- A stamped serial never changes and never disappears; a released one never comes back; the binding of a
-- reservation (serial, transfer, channel, owner, time) never changes.
CREATE TRIGGER serials_no_delete BEFORE DELETE ON serials
BEGIN
    SELECT RAISE(ABORT, 'serials are never deleted');
END;

CREATE TRIGGER serials_stamped_forever BEFORE UPDATE ON serials WHEN OLD.state = 2
BEGIN
    SELECT RAISE(ABORT, 'a stamped serial is bound forever');
END;

CREATE TRIGGER serials_released_forever BEFORE UPDATE ON serials WHEN OLD.state = 3
BEGIN
    SELECT RAISE(ABORT, 'a released serial is never used again');
END;

CREATE TRIGGER serials_binding_fixed BEFORE UPDATE ON serials
WHEN NEW.serial IS NOT OLD.serial OR NEW.pending_transfer_id IS NOT OLD.pending_transfer_id
  OR NEW.channel_id IS NOT OLD.channel_id OR NEW.owner_id IS NOT OLD.owner_id OR NEW.reserved_at IS NOT OLD.reserved_at
BEGIN
    SELECT RAISE(ABORT, 'a serial keeps its reservation binding');
END;
