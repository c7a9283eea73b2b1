-- The sandbox provider keeps a member's card when they ask it to ("Kartımı kaydet" on its page),
-- as iyzico's card storage does: the shop is only ever told the card's token, family, last four
-- digits and expiry (the privacy notice's "hızlı alışveriş"; the CVV is never kept anywhere).
-- Refunds are counted per payment, so that several never add up to more than was paid.
ALTER TABLE sandbox_payments ADD COLUMN card_user_key TEXT;
ALTER TABLE sandbox_payments ADD COLUMN keep_card INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sandbox_payments ADD COLUMN card_expiry TEXT;
ALTER TABLE sandbox_payments ADD COLUMN card_token TEXT;
ALTER TABLE sandbox_payments ADD COLUMN refunded_kurus INTEGER NOT NULL DEFAULT 0;

CREATE TABLE sandbox_saved_cards (
    card_token     TEXT PRIMARY KEY,
    card_user_key  TEXT NOT NULL,
    card_family    TEXT,
    last4          TEXT NOT NULL,
    expiry_month   INTEGER NOT NULL,
    expiry_year    INTEGER NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX sandbox_saved_cards_of_member ON sandbox_saved_cards (card_user_key);

-- The webhooks the sandbox provider owes the shop, as iyzico sends them: each decided payment is
-- announced twice, at once and again a minute later (a webhook that arrives twice and late); a
-- payment the bank never decides is never announced. A delivery the shop does not accept is
-- tried again, a few times.
CREATE TABLE sandbox_webhooks (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    token            TEXT NOT NULL,
    due_at           INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    delivered_at     TEXT
);
CREATE INDEX sandbox_webhooks_due ON sandbox_webhooks (due_at) WHERE delivered_at IS NULL;
