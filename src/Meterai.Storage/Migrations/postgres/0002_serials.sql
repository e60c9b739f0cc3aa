-- Serial registry: reserved (bound to a pending quota transfer) -> stamped (bound forever to one document page)
-- or released (never used, never reused). Rules: Meterai.Core.Serials.SerialRules; guarantees: here.

CREATE TABLE serials (
    serial              text        PRIMARY KEY CHECK (serial ~ '^[0-9A-Z]{22}$'),
    state               smallint    NOT NULL CHECK (state IN (1, 2, 3)), -- 1 reserved, 2 stamped, 3 released
    pending_transfer_id uuid        NOT NULL REFERENCES transfers (id),
    channel_id          uuid        NOT NULL,
    owner_id            uuid        NOT NULL,
    reserved_at         timestamptz NOT NULL,
    document_sha256     bytea       CHECK (octet_length(document_sha256) = 32),
    page                integer     CHECK (page >= 1),
    stamped_at          timestamptz,
    released_at         timestamptz,
    CONSTRAINT serials_stamped_has_document CHECK (
        (state = 2) = (document_sha256 IS NOT NULL AND page IS NOT NULL AND stamped_at IS NOT NULL)),
    CONSTRAINT serials_released_has_time CHECK ((state = 3) = (released_at IS NOT NULL))
);

-- A document is stamped with one serial, ever.
CREATE UNIQUE INDEX serials_document_once ON serials (document_sha256) WHERE document_sha256 IS NOT NULL;
CREATE INDEX serials_pending_transfer ON serials (pending_transfer_id);

-- A stamped serial never changes and never disappears; a released one never comes back; the binding of a
-- reservation (serial, transfer, channel, owner, time) never changes.
CREATE FUNCTION serials_lifecycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'serial % is never deleted', OLD.serial USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.state = 2 THEN
        RAISE EXCEPTION 'serial % is stamped: bound forever', OLD.serial USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.state = 3 THEN
        RAISE EXCEPTION 'serial % is released: never used again', OLD.serial USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.serial, NEW.pending_transfer_id, NEW.channel_id, NEW.owner_id, NEW.reserved_at)
       IS DISTINCT FROM (OLD.serial, OLD.pending_transfer_id, OLD.channel_id, OLD.owner_id, OLD.reserved_at) THEN
        RAISE EXCEPTION 'serial % keeps its reservation binding', OLD.serial USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER serials_lifecycle BEFORE UPDATE OR DELETE ON serials
    FOR EACH ROW EXECUTE FUNCTION serials_lifecycle();
