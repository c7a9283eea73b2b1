-- Checkout and orders (issue 13). Money is integer kuruş including KDV; instants the server
-- compares (reservations, deadlines, retries) are Unix seconds, the rest ISO-8601 text.

-- One guest's way through /odeme: its id is in an HttpOnly cookie, the cart it started with,
-- and each step's accepted answers (JSON of model::checkout types).
CREATE TABLE checkouts (
    id          TEXT PRIMARY KEY CHECK (length(id) = 32),
    locale      TEXT NOT NULL,
    items       TEXT NOT NULL,
    details     TEXT,
    methods     TEXT,
    ip          TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- The last sequence number given per year (LM-2026-000123).
CREATE TABLE order_number_counters (
    year  INTEGER PRIMARY KEY,
    last  INTEGER NOT NULL
);

CREATE TABLE orders (
    id                   INTEGER PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,
    checkout_id          TEXT NOT NULL REFERENCES checkouts (id),
    -- One order per checkout attempt: the checkout and the documents the shopper accepted.
    -- A double click, a reload or a retry finds the same order.
    attempt_key          TEXT NOT NULL UNIQUE,
    status               TEXT NOT NULL CHECK (status IN ('awaiting_payment', 'on_hold', 'confirmed', 'cancelled')),
    payment_method       TEXT NOT NULL CHECK (payment_method IN ('kart', 'havale', 'kapida')),
    payment_status       TEXT NOT NULL CHECK (payment_status IN ('pending', 'paid', 'failed', 'due_on_delivery', 'refunded')),
    hold_reason          TEXT CHECK (hold_reason IN ('first_order', 'bank_transfer', 'cash_on_delivery', 'fraud_review')),
    cancel_reason        TEXT,
    shipping_method      TEXT NOT NULL,
    locale               TEXT NOT NULL,
    email                TEXT NOT NULL,
    phone                TEXT NOT NULL,
    details              TEXT NOT NULL,
    subtotal_kurus       INTEGER NOT NULL,
    shipping_kurus       INTEGER NOT NULL,
    payment_fee_kurus    INTEGER NOT NULL,
    kdv_kurus            INTEGER NOT NULL,
    total_kurus          INTEGER NOT NULL CHECK (total_kurus >= 0),
    -- What the provider charged: above the total when an instalment with interest was chosen.
    paid_kurus           INTEGER,
    installments         INTEGER,
    -- Whether the order's lines are still taken out of stock, and until when an unpaid order
    -- may keep them (the release job gives them back after).
    stock_held           INTEGER NOT NULL CHECK (stock_held IN (0, 1)),
    reserved_until       INTEGER,
    provider_payment_id  TEXT,
    payment_error        TEXT,
    card_family          TEXT,
    card_last4           TEXT CHECK (card_last4 IS NULL OR length(card_last4) = 4),
    ip                   TEXT NOT NULL,
    user_agent           TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX orders_checkout ON orders (checkout_id, id);
CREATE INDEX orders_reserved ON orders (stock_held, reserved_until);
CREATE INDEX orders_email ON orders (email);
CREATE INDEX orders_phone ON orders (phone);

-- What was bought, as it was when bought (the catalogue may change later).
CREATE TABLE order_lines (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders (id),
    variant_id        INTEGER NOT NULL,
    sku               TEXT NOT NULL,
    product_name      TEXT NOT NULL,
    colour            TEXT NOT NULL,
    size              TEXT NOT NULL,
    unit_price_kurus  INTEGER NOT NULL,
    kdv_rate          INTEGER NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0)
);
CREATE INDEX order_lines_order ON order_lines (order_id);

-- The Ön Bilgilendirme Formu and Mesafeli Satış Sözleşmesi exactly as accepted, with their
-- SHA-256, for the order's life (Mesafeli Sözleşmeler Yönetmeliği m.20). Never changed.
CREATE TABLE order_documents (
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    kind         TEXT NOT NULL CHECK (kind IN ('on_bilgilendirme', 'mesafeli_satis')),
    html         TEXT NOT NULL,
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
    accepted_at  TEXT NOT NULL,
    PRIMARY KEY (order_id, kind)
);
CREATE TRIGGER order_documents_unchanged BEFORE UPDATE ON order_documents BEGIN
    SELECT RAISE(ABORT, 'order_documents rows are never changed'); END;
CREATE TRIGGER order_documents_kept BEFORE DELETE ON order_documents BEGIN
    SELECT RAISE(ABORT, 'order_documents rows are never deleted'); END;

-- Every change of an order's state, with why: what staff and disputes read.
CREATE TABLE order_events (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    status          TEXT NOT NULL,
    payment_status  TEXT NOT NULL,
    note            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- Every hosted payment started for an order, by the provider's token: the browser's return and
-- the webhook find the order through it, and a second payment for an order already paid is
-- recognised (and given back) instead of lost.
CREATE TABLE payment_attempts (
    token       TEXT PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    provider    TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    outcome     TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX payment_attempts_order ON payment_attempts (order_id);

-- The embedded sandbox payment provider's own records (what iyzico would hold on its side).
CREATE TABLE sandbox_payments (
    token            TEXT PRIMARY KEY,
    conversation_id  TEXT NOT NULL,
    basket_id        TEXT NOT NULL,
    price_kurus      INTEGER NOT NULL,
    paid_kurus       INTEGER,
    installment      INTEGER,
    callback_url     TEXT NOT NULL,
    locale           TEXT NOT NULL,
    expires_at       INTEGER NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'challenge', 'success', 'failure')),
    payment_id       TEXT,
    error_code       TEXT,
    error_message    TEXT,
    error_group      TEXT,
    fraud_status     INTEGER,
    card_family      TEXT,
    card_last4       TEXT,
    created_at       TEXT NOT NULL
);
