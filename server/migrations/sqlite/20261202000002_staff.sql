-- The back office (issue 15): staff, their roles and second factor, and the audit log of every
-- change they make. Staff are not customers: their own table, their own session cookie.

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    -- yonetici: everything; destek: orders, messages, KVKK (no catalogue, no staff).
    role            TEXT NOT NULL CHECK (role IN ('yonetici', 'destek')),
    password_hash   TEXT NOT NULL,
    -- The TOTP secret (base32) once enrolled; a yonetici cannot work without one.
    totp_secret     TEXT,
    -- The last 30-second step whose code was accepted: a code works once.
    totp_last_step  INTEGER,
    created_at      TEXT NOT NULL,
    disabled_at     TEXT
);

-- Who did what to which record, when and from where. Rows are only ever added.
CREATE TABLE staff_audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id    INTEGER REFERENCES staff (id),
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    details     TEXT NOT NULL,
    ip          TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX staff_audit_log_target ON staff_audit_log (target, id);
CREATE TRIGGER staff_audit_log_unchanged BEFORE UPDATE ON staff_audit_log BEGIN
    SELECT RAISE(ABORT, 'staff_audit_log rows are never changed'); END;
CREATE TRIGGER staff_audit_log_kept BEFORE DELETE ON staff_audit_log BEGIN
    SELECT RAISE(ABORT, 'staff_audit_log rows are never deleted'); END;

-- What happens to a confirmed order on its way to the shopper, set by staff on a fixed graph
-- (model::checkout::Fulfilment): hazırlanıyor → kargoda (carrier, tracking number) → teslim
-- edildi (orders.delivered_at).
ALTER TABLE orders ADD COLUMN fulfilment TEXT
    CHECK (fulfilment IS NULL OR fulfilment IN ('hazirlaniyor', 'kargoda', 'teslim_edildi'));
ALTER TABLE orders ADD COLUMN carrier TEXT;
ALTER TABLE orders ADD COLUMN tracking_number TEXT;

-- Money given back when staff cancel a paid order: to the card through the payment provider
-- (claimed, asked, recorded, as cayma refunds are: an answer lost stays claimed for staff to
-- check, never asked twice), or by a transfer staff record.
CREATE TABLE order_refunds (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id      INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    amount_kurus  INTEGER NOT NULL CHECK (amount_kurus > 0),
    method        TEXT NOT NULL CHECK (method IN ('kart', 'havale')),
    started_at    INTEGER,
    refunded_at   INTEGER,
    error         TEXT,
    created_at    TEXT NOT NULL
);

-- Staff's replies to contact messages, kept with the thread; each also goes out by e-mail
-- through the outbox (kind contact_reply).
CREATE TABLE contact_replies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id  INTEGER NOT NULL REFERENCES contact_messages (id),
    staff_id    INTEGER REFERENCES staff (id),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX contact_replies_message ON contact_replies (message_id, id);
