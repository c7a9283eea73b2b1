-- E-mails the shop owes a customer, written in the same transaction as the change they tell
-- about (an order placed, a payment taken) and delivered by a background task over SMTP when
-- SMTP is configured, retried with backoff. Without SMTP they wait here, readable by staff.
CREATE TABLE outbox_emails (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER REFERENCES orders (id),
    kind             TEXT NOT NULL CHECK (kind IN ('order_confirmation')),
    recipient        TEXT NOT NULL,
    locale           TEXT NOT NULL,
    -- Written when the message is composed (first delivery attempt or first pass of the task).
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
CREATE INDEX outbox_emails_due ON outbox_emails (status, next_attempt_at);
