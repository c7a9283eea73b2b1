-- Cayma hakkı (Mesafeli Sözleşmeler Yönetmeliği m.9–15; issue 14): withdrawal per order line
-- within 14 days of delivery, the exempt goods of m.15, and the refund within 14 days of the
-- notice, tracked to the provider's answer. Kept with the order for its legal life (m.20).

-- Why a product cannot be withdrawn from, set by staff: made to order (m.15/1-b) or a hygiene
-- item once its seal is opened (m.15/1-ç). The order line keeps what held when it was ordered.
ALTER TABLE products ADD COLUMN cayma_exempt TEXT
    CHECK (cayma_exempt IS NULL OR cayma_exempt IN ('kisiye_ozel', 'hijyen'));
ALTER TABLE order_lines ADD COLUMN cayma_exempt TEXT
    CHECK (cayma_exempt IS NULL OR cayma_exempt IN ('kisiye_ozel', 'hijyen'));

-- When the courier delivered the order (Unix seconds): the 14 days run from the day after.
ALTER TABLE orders ADD COLUMN delivered_at INTEGER;

-- One notice of withdrawal: which lines, how much goes back, how and by when, and what the
-- provider answered. `refund_started_at` without `refunded_at` is a refund whose answer was
-- not recorded (a crash, a lost connection): it is never sent again by itself, staff check it.
CREATE TABLE cayma_requests (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    reference          TEXT NOT NULL UNIQUE,
    order_id           INTEGER NOT NULL REFERENCES orders (id),
    reason             TEXT NOT NULL,
    refund_method      TEXT NOT NULL CHECK (refund_method IN ('kart', 'havale')),
    iban               TEXT,
    account_holder     TEXT,
    refund_kurus       INTEGER NOT NULL CHECK (refund_kurus >= 0),
    refund_due_at      INTEGER NOT NULL,
    refund_started_at  INTEGER,
    refunded_at        INTEGER,
    refund_error       TEXT,
    -- When staff received and checked the goods sent back (they go back on sale then).
    goods_received_at  INTEGER,
    goods_note         TEXT,
    locale             TEXT NOT NULL,
    ip                 TEXT,
    user_agent         TEXT,
    created_at         INTEGER NOT NULL
);
CREATE INDEX cayma_requests_order ON cayma_requests (order_id, id);
CREATE INDEX cayma_requests_due ON cayma_requests (refunded_at, refund_due_at);

CREATE TABLE cayma_request_lines (
    request_id     INTEGER NOT NULL REFERENCES cayma_requests (id),
    order_line_id  INTEGER NOT NULL REFERENCES order_lines (id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (request_id, order_line_id)
);
CREATE INDEX cayma_request_lines_line ON cayma_request_lines (order_line_id);

-- The outbox also tells of cayma requests (received, refunded) and of what staff do with an
-- order (released, shipped, delivered): several per order, so the one-per-order rule now holds
-- for the order confirmation alone.
CREATE TABLE outbox_emails_new (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER REFERENCES orders (id),
    customer_id       INTEGER REFERENCES customers (id),
    cayma_request_id  INTEGER REFERENCES cayma_requests (id),
    kind              TEXT NOT NULL CHECK (kind IN ('order_confirmation', 'account_verify', 'account_exists', 'password_reset', 'password_changed', 'account_closed', 'email_change', 'cayma_received', 'cayma_refunded', 'order_update', 'contact_reply', 'kvkk_answer')),
    recipient         TEXT NOT NULL,
    locale            TEXT NOT NULL,
    subject           TEXT,
    body_text         TEXT,
    body_html         TEXT,
    status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   INTEGER NOT NULL,
    last_error        TEXT,
    created_at        TEXT NOT NULL,
    sent_at           TEXT
);
INSERT INTO outbox_emails_new (id, order_id, customer_id, kind, recipient, locale, subject,
    body_text, body_html, status, attempts, next_attempt_at, last_error, created_at, sent_at)
SELECT id, order_id, customer_id, kind, recipient, locale, subject, body_text, body_html,
    status, attempts, next_attempt_at, last_error, created_at, sent_at FROM outbox_emails;
DROP TABLE outbox_emails;
ALTER TABLE outbox_emails_new RENAME TO outbox_emails;
CREATE INDEX outbox_emails_due ON outbox_emails (status, next_attempt_at);
CREATE INDEX outbox_emails_customer ON outbox_emails (customer_id);
CREATE UNIQUE INDEX outbox_emails_order_confirmation ON outbox_emails (order_id)
    WHERE kind = 'order_confirmation';
CREATE UNIQUE INDEX outbox_emails_cayma ON outbox_emails (cayma_request_id, kind);
