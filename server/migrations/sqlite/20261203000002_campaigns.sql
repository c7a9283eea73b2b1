-- Automatic campaigns (issue 15, item 9): between two instants, the products of the chosen
-- categories (every product when none) sell for `percent` less, and the shop shows their own
-- price struck through as the compare-at price. Nothing is written to the prices themselves:
-- the catalogue snapshot applies a campaign while it runs (backend::catalogue::campaigns).

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    percent     INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 90),
    -- Unix seconds: the first second of the first day and the first second after the last day.
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);

CREATE TABLE campaign_categories (
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    category_id  INTEGER NOT NULL REFERENCES categories (id),
    PRIMARY KEY (campaign_id, category_id)
);

-- A campaign is part of the catalogue pages show: changing one changes them.
CREATE TRIGGER campaigns_inserted AFTER INSERT ON campaigns BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER campaigns_updated AFTER UPDATE ON campaigns BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER campaigns_deleted AFTER DELETE ON campaigns BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER campaign_categories_inserted AFTER INSERT ON campaign_categories BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER campaign_categories_deleted AFTER DELETE ON campaign_categories BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;

-- The instant up to which campaign starts and ends have been applied: a background job bumps
-- the catalogue version when one passes (once, whichever process gets there first).
INSERT INTO shop_meta (key, value) VALUES ('campaign_clock', '0');
