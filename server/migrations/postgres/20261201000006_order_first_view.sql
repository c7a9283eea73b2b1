-- When the order page was first shown right after placing (`?yeni=1`): only that view tells the
-- browser's cart store that its cart became this order. A reload of the same address later
-- (after new things went into the cart) must not empty the cart again.
ALTER TABLE orders ADD COLUMN placed_shown_at TEXT;
