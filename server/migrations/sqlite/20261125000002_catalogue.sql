-- The catalogue: a shallow category tree, products, their variants (what is actually bought:
-- a size and colour with its own SKU, price and stock) and images.
-- Money is integer kuruş including KDV; rates are whole percents; timestamps are ISO-8601 text.

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES categories (id) ON DELETE RESTRICT,
    slug        TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    name_tr     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    intro_tr    TEXT NOT NULL DEFAULT '',
    intro_en    TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id, position);

CREATE TABLE products (
    id              INTEGER PRIMARY KEY,
    category_id     INTEGER NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    slug            TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    name_tr         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    description_tr  TEXT NOT NULL,
    description_en  TEXT NOT NULL,
    material_tr     TEXT NOT NULL,
    material_en     TEXT NOT NULL,
    care_tr         TEXT NOT NULL,
    care_en         TEXT NOT NULL,
    kdv_rate        INTEGER NOT NULL CHECK (kdv_rate >= 0 AND kdv_rate <= 100),
    published       INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),
    featured        INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    -- Name, category and description folded for search (lower case, Turkish letters to ASCII).
    search_text     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX products_category ON products (category_id, published);
CREATE INDEX products_created ON products (published, created_at);

CREATE TABLE variants (
    id                INTEGER PRIMARY KEY,
    product_id        INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku               TEXT NOT NULL UNIQUE CHECK (sku <> ''),
    size              TEXT NOT NULL,
    colour_tr         TEXT NOT NULL,
    colour_en         TEXT NOT NULL,
    colour_hex        TEXT NOT NULL,
    price_kurus       INTEGER NOT NULL CHECK (price_kurus >= 0),
    compare_at_kurus  INTEGER CHECK (compare_at_kurus IS NULL OR compare_at_kurus > price_kurus),
    stock             INTEGER NOT NULL CHECK (stock >= 0),
    position          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX variants_product ON variants (product_id, position);

CREATE TABLE product_images (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    path        TEXT NOT NULL,
    alt_tr      TEXT NOT NULL,
    alt_en      TEXT NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (product_id, position)
);

-- Every write to the catalogue bumps this number; servers compare it with the snapshot they
-- hold in memory and reload when it moved (app/src/backend/catalogue/snapshot.rs).
INSERT INTO shop_meta (key, value) VALUES ('catalogue_version', '0');

CREATE TRIGGER categories_inserted AFTER INSERT ON categories BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER categories_updated AFTER UPDATE ON categories BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER categories_deleted AFTER DELETE ON categories BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER products_inserted AFTER INSERT ON products BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER products_updated AFTER UPDATE ON products BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER products_deleted AFTER DELETE ON products BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER variants_inserted AFTER INSERT ON variants BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER variants_updated AFTER UPDATE ON variants BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER variants_deleted AFTER DELETE ON variants BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER product_images_inserted AFTER INSERT ON product_images BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER product_images_updated AFTER UPDATE ON product_images BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
CREATE TRIGGER product_images_deleted AFTER DELETE ON product_images BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
