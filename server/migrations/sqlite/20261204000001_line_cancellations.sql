-- Staff cancel some pieces of an order's lines before it ships (issue 15, item 2: "whole or per
-- line"). Each cancellation gives its pieces back to stock and, on a paid order, owes back what
-- they cost through `order_refunds`; an order may now owe several refunds, one per
-- cancellation, so `order_refunds.order_id` is no longer unique (SQLite rebuilds the table to
-- drop the constraint; nothing references it yet).
CREATE TABLE order_refunds_rebuilt (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id      INTEGER NOT NULL REFERENCES orders (id),
    amount_kurus  INTEGER NOT NULL CHECK (amount_kurus > 0),
    method        TEXT NOT NULL CHECK (method IN ('kart', 'havale')),
    started_at    INTEGER,
    refunded_at   INTEGER,
    error         TEXT,
    created_at    TEXT NOT NULL
);
INSERT INTO order_refunds_rebuilt
    SELECT id, order_id, amount_kurus, method, started_at, refunded_at, error, created_at
    FROM order_refunds;
DROP TABLE order_refunds;
ALTER TABLE order_refunds_rebuilt RENAME TO order_refunds;
CREATE INDEX order_refunds_by_order ON order_refunds (order_id);

-- Invoice returns (iade faturası): when pieces leave an order after its invoice was issued,
-- the provider documents them against that invoice. Numbered per year in their own series.
CREATE TABLE invoice_return_counters (
    year  INTEGER PRIMARY KEY,
    last  INTEGER NOT NULL
);
CREATE TABLE invoice_returns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    number      TEXT NOT NULL UNIQUE,
    provider    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    issued_at   TEXT NOT NULL
);
CREATE INDEX invoice_returns_by_order ON invoice_returns (order_id);
-- What a return takes back: an order line's pieces (`order_line_id`), or a service (delivery,
-- the kapıda ödeme fee: `order_line_id` NULL, `label` names it). Amounts include KDV.
CREATE TABLE invoice_return_lines (
    return_id      INTEGER NOT NULL REFERENCES invoice_returns (id),
    order_line_id  INTEGER REFERENCES order_lines (id),
    label          TEXT NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    amount_kurus   INTEGER NOT NULL CHECK (amount_kurus >= 0),
    kdv_rate       INTEGER NOT NULL
);

CREATE TABLE order_line_cancellations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id       INTEGER NOT NULL REFERENCES orders (id),
    order_line_id  INTEGER NOT NULL REFERENCES order_lines (id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    -- What the pieces cost: their price less their part of the line's discount.
    amount_kurus   INTEGER NOT NULL CHECK (amount_kurus >= 0),
    -- The refund that gives it back (NULL: nothing was paid yet, kapıda ödeme collects less).
    refund_id      INTEGER REFERENCES order_refunds (id),
    -- The invoice return that documents it (NULL: cancelled before the invoice was issued,
    -- which then never listed the pieces).
    return_id      INTEGER REFERENCES invoice_returns (id),
    reason         TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX order_line_cancellations_by_order ON order_line_cancellations (order_id);
