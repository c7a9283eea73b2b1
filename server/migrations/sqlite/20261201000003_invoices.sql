-- Invoices: one per order, issued when the order is confirmed for fulfilment, numbered by the
-- invoice provider (the built-in one: LMA, the year and nine digits, the e-Arşiv shape).
CREATE TABLE invoice_number_counters (
    year  INTEGER PRIMARY KEY,
    last  INTEGER NOT NULL
);

CREATE TABLE invoices (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    number     TEXT NOT NULL UNIQUE,
    provider   TEXT NOT NULL,
    issued_at  TEXT NOT NULL
);
