-- Discount codes (issue 15, item 9): staff create them, shoppers enter them in the cart or at
-- checkout, the order keeps the discount per line (so a cayma refund gives back what was paid
-- for the goods withdrawn, and the invoice's KDV is on what was charged).

CREATE TABLE coupons (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Upper-case letters, digits and dashes, as staff typed it (model::coupon::normalise_code).
    code                TEXT NOT NULL UNIQUE,
    description         TEXT NOT NULL DEFAULT '',
    -- yuzde: `amount` per cent of the goods it applies to; tutar: `amount` kuruş off them.
    kind                TEXT NOT NULL CHECK (kind IN ('yuzde', 'tutar')),
    amount              INTEGER NOT NULL CHECK (amount > 0 AND (kind <> 'yuzde' OR amount <= 100)),
    -- The goods in the cart (before the discount) must come to at least this.
    min_basket_kurus    INTEGER NOT NULL DEFAULT 0 CHECK (min_basket_kurus >= 0),
    -- Unix seconds; either may be open.
    starts_at           INTEGER,
    ends_at             INTEGER,
    -- How many orders may use it in all, and per shopper (their e-mail or account).
    usage_limit         INTEGER CHECK (usage_limit IS NULL OR usage_limit > 0),
    per_customer_limit  INTEGER CHECK (per_customer_limit IS NULL OR per_customer_limit > 0),
    -- Orders using it now (a cancelled order gives its use back). The check is the last line of
    -- defence: placing an order raises it with a conditional update.
    used_count          INTEGER NOT NULL DEFAULT 0
        CHECK (used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit)),
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

-- The categories a code applies to (a parent category covers its children); none: every product.
CREATE TABLE coupon_categories (
    coupon_id    INTEGER NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    category_id  INTEGER NOT NULL REFERENCES categories (id),
    PRIMARY KEY (coupon_id, category_id)
);

-- Each order that used a code. Who used it is the order's e-mail and account: nothing personal
-- is copied here.
CREATE TABLE coupon_redemptions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    coupon_id       INTEGER NOT NULL REFERENCES coupons (id),
    order_id        INTEGER NOT NULL UNIQUE REFERENCES orders (id),
    discount_kurus  INTEGER NOT NULL CHECK (discount_kurus > 0),
    created_at      TEXT NOT NULL,
    -- Set when the order is cancelled: the use is given back.
    released_at     TEXT
);
CREATE INDEX coupon_redemptions_coupon ON coupon_redemptions (coupon_id);

-- The code the shopper entered for this checkout (checked again at every step and at placing).
ALTER TABLE checkouts ADD COLUMN coupon_code TEXT;

-- The discount as charged: the order's total and each line's share of it.
ALTER TABLE orders ADD COLUMN coupon_code TEXT;
ALTER TABLE orders ADD COLUMN discount_kurus INTEGER NOT NULL DEFAULT 0 CHECK (discount_kurus >= 0);
ALTER TABLE order_lines ADD COLUMN discount_kurus INTEGER NOT NULL DEFAULT 0 CHECK (discount_kurus >= 0);
