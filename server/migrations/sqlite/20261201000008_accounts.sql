-- Members (issue 14). A closed account keeps its row, detached from the person: e-mail, name,
-- phone and password are erased (NULL), so orders and invoices the law keeps still point here.
CREATE TABLE customers (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Lower-case; NULL once the account is closed (UNIQUE allows many NULLs).
    email                TEXT UNIQUE,
    name                 TEXT,
    phone                TEXT,
    password_hash        TEXT,
    locale               TEXT NOT NULL,
    email_verified_at    TEXT,
    -- Today's marketing choices; marketing_consents holds how they came to be.
    marketing_email      INTEGER NOT NULL DEFAULT 0 CHECK (marketing_email IN (0, 1)),
    marketing_sms        INTEGER NOT NULL DEFAULT 0 CHECK (marketing_sms IN (0, 1)),
    created_at           TEXT NOT NULL,
    created_ip           TEXT,
    password_changed_at  TEXT,
    closed_at            TEXT
);

-- Adreslerim: a member's address book (checkout offers it). One default per member.
CREATE TABLE customer_addresses (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    title          TEXT NOT NULL,
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    province_code  TEXT NOT NULL,
    district       TEXT NOT NULL,
    line           TEXT NOT NULL,
    postcode       TEXT NOT NULL,
    is_default     INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at     TEXT NOT NULL
);
CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id, id);

-- Single-use links sent by e-mail: confirming the address (dogrulama) and choosing a new
-- password (sifre). Only the SHA-256 of the token is kept, so the table reveals no usable link.
CREATE TABLE account_tokens (
    token_sha256  TEXT PRIMARY KEY CHECK (length(token_sha256) = 64),
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    purpose       TEXT NOT NULL CHECK (purpose IN ('dogrulama', 'sifre', 'eposta')),
    -- For 'eposta': the address the member asked to change to, taken only once it is confirmed.
    new_email     TEXT,
    expires_at    INTEGER NOT NULL,
    used_at       TEXT,
    created_at    TEXT NOT NULL,
    ip            TEXT
);
CREATE INDEX account_tokens_customer ON account_tokens (customer_id, purpose);

-- Every login attempt on an account, and attempts on unknown addresses (without the address):
-- the notice promises logins' IPs are recorded.
CREATE TABLE login_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER REFERENCES customers (id),
    outcome      TEXT NOT NULL CHECK (outcome IN ('basarili', 'hatali_sifre', 'bilinmeyen', 'dogrulanmamis')),
    ip           TEXT,
    user_agent   TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX login_events_customer ON login_events (customer_id, id);

-- The marketing consent ledger (e-posta, SMS): every grant and withdrawal, as proof. Rows are
-- never deleted, and what they prove (who, which channel, given or withdrawn, when, from where
-- in the shop) never changes; only the person's contact details in them may be erased when the
-- account is closed.
CREATE TABLE marketing_consents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    channel      TEXT NOT NULL CHECK (channel IN ('eposta', 'sms')),
    granted      INTEGER NOT NULL CHECK (granted IN (0, 1)),
    recipient    TEXT,
    source       TEXT NOT NULL CHECK (source IN ('uye-ol', 'hesabim', 'abonelik-iptali')),
    ip           TEXT,
    user_agent   TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX marketing_consents_customer ON marketing_consents (customer_id, id);
CREATE TRIGGER marketing_consents_no_delete BEFORE DELETE ON marketing_consents
BEGIN
    SELECT RAISE(ABORT, 'marketing_consents rows are never deleted');
END;
CREATE TRIGGER marketing_consents_fixed BEFORE UPDATE ON marketing_consents
WHEN NEW.customer_id IS NOT OLD.customer_id OR NEW.channel IS NOT OLD.channel
  OR NEW.granted IS NOT OLD.granted OR NEW.source IS NOT OLD.source
  OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'what a marketing_consents row proves never changes');
END;

-- Consent changes owed to İYS (İleti Yönetim Sistemi), written with the ledger row, in the
-- shape İYS takes (recipient, type, source, status, consent date); an adapter delivers them.
CREATE TABLE iys_queue (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    consent_id  INTEGER NOT NULL UNIQUE REFERENCES marketing_consents (id),
    payload     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'bekliyor' CHECK (status IN ('bekliyor', 'iletildi')),
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX iys_queue_status ON iys_queue (status, id);

-- The outbox now also carries account e-mails (no order; composed when written). SQLite cannot
-- change a CHECK, so the table is rebuilt with its rows.
CREATE TABLE outbox_emails_new (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER REFERENCES orders (id),
    customer_id      INTEGER REFERENCES customers (id),
    kind             TEXT NOT NULL CHECK (kind IN ('order_confirmation', 'account_verify', 'account_exists', 'password_reset', 'password_changed', 'account_closed', 'email_change')),
    recipient        TEXT NOT NULL,
    locale           TEXT NOT NULL,
    subject          TEXT,
    body_text        TEXT,
    body_html        TEXT,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    UNIQUE (order_id, kind)
);
INSERT INTO outbox_emails_new (id, order_id, kind, recipient, locale, subject, body_text, body_html,
    status, attempts, next_attempt_at, last_error, created_at, sent_at)
SELECT id, order_id, kind, recipient, locale, subject, body_text, body_html,
    status, attempts, next_attempt_at, last_error, created_at, sent_at FROM outbox_emails;
DROP TABLE outbox_emails;
ALTER TABLE outbox_emails_new RENAME TO outbox_emails;
CREATE INDEX outbox_emails_due ON outbox_emails (status, next_attempt_at);
CREATE INDEX outbox_emails_customer ON outbox_emails (customer_id);

-- Orders placed by a member while logged in, or claimed by them later (a guest order with their
-- confirmed address), belong to them: Siparişlerim lists these.
ALTER TABLE orders ADD COLUMN customer_id INTEGER REFERENCES customers (id);
CREATE INDEX orders_customer ON orders (customer_id, id);

-- KVKK m.11 applications made from Hesabım › Kişisel verilerim: each with a reference and the
-- date it must be answered by (30 days, KVKK m.13), tracked by staff in the back office.
CREATE TABLE kvkk_applications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    reference    TEXT NOT NULL UNIQUE,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    right_code   TEXT NOT NULL,
    details      TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'alindi' CHECK (status IN ('alindi', 'inceleniyor', 'yanitlandi')),
    due_at       TEXT NOT NULL,
    answer       TEXT,
    answered_at  TEXT,
    ip           TEXT,
    user_agent   TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX kvkk_applications_customer ON kvkk_applications (customer_id, id);

-- "Hızlı alışveriş": a card kept at the payment provider is a consent, and deleting it is its
-- withdrawal. Only what identifies the card to its owner is written (family, last four digits);
-- the provider's token stays at the provider. Rows are only added.
CREATE TABLE card_consents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    action       TEXT NOT NULL CHECK (action IN ('kaydet', 'sil')),
    card_family  TEXT,
    last4        TEXT,
    source       TEXT NOT NULL CHECK (source IN ('odeme', 'hesabim', 'uyelik-sonu')),
    ip           TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX card_consents_customer ON card_consents (customer_id, id);
CREATE TRIGGER card_consents_no_delete BEFORE DELETE ON card_consents
BEGIN
    SELECT RAISE(ABORT, 'card_consents rows are never deleted');
END;
CREATE TRIGGER card_consents_fixed BEFORE UPDATE ON card_consents
WHEN NEW.customer_id IS NOT OLD.customer_id OR NEW.action IS NOT OLD.action
  OR NEW.source IS NOT OLD.source OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'what a card_consents row proves never changes');
END;

-- A member's cart, kept so that it follows them: merged with the browser's at login and
-- replaced by the browser whenever the member changes it (the browser's cart is the editor).
CREATE TABLE customer_carts (
    customer_id  INTEGER PRIMARY KEY REFERENCES customers (id),
    items        TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
