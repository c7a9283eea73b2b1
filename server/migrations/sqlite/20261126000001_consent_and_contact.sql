-- The consent ledger: every cookie choice, as proof of what each visitor chose under which policy
-- text. Rows are only ever added: the triggers below refuse updates and deletions.
CREATE TABLE consent_ledger (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    visitor_id      TEXT NOT NULL CHECK (length(visitor_id) = 32),
    customer_id     INTEGER,
    action          TEXT NOT NULL CHECK (action IN ('kabul', 'red', 'tercih')),
    functional      INTEGER NOT NULL CHECK (functional IN (0, 1)),
    analytics       INTEGER NOT NULL CHECK (analytics IN (0, 1)),
    marketing       INTEGER NOT NULL CHECK (marketing IN (0, 1)),
    policy_version  TEXT NOT NULL,
    policy_sha256   TEXT NOT NULL CHECK (length(policy_sha256) = 64),
    locale          TEXT NOT NULL,
    ip              TEXT NOT NULL,
    user_agent      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX consent_ledger_visitor ON consent_ledger (visitor_id, id);

CREATE TRIGGER consent_ledger_no_update BEFORE UPDATE ON consent_ledger
BEGIN
    SELECT RAISE(ABORT, 'consent_ledger rows are never updated');
END;
CREATE TRIGGER consent_ledger_no_delete BEFORE DELETE ON consent_ledger
BEGIN
    SELECT RAISE(ABORT, 'consent_ledger rows are never deleted');
END;

-- Messages from the contact form (complaints, suggestions, questions, order questions), for the
-- back office's inbox.
CREATE TABLE contact_messages (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    reference     TEXT NOT NULL UNIQUE,
    topic         TEXT NOT NULL CHECK (topic IN ('sikayet', 'oneri', 'soru', 'siparis')),
    name          TEXT NOT NULL,
    email         TEXT NOT NULL,
    order_number  TEXT,
    message       TEXT NOT NULL,
    locale        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'yeni' CHECK (status IN ('yeni', 'inceleniyor', 'yanitlandi', 'kapandi')),
    ip            TEXT NOT NULL,
    user_agent    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX contact_messages_ip_time ON contact_messages (ip, created_at);
CREATE INDEX contact_messages_status ON contact_messages (status, id);
