-- An order taking (or giving back) stock is not a catalogue change unless a page would show it
-- differently: the snapshot every page renders from (and the page cache keyed by its version)
-- then stays valid. Pages and the cart show a variant's stock only up to 10 (the most one line
-- may hold, model::cart::MAX_QUANTITY_PER_LINE; "son 3" from model::catalogue::StockState's
-- threshold below it), so a stock move above 10 changes nothing anyone sees. Every other change
-- of a variant still bumps the version. Placing an order never trusts the snapshot's stock: it
-- takes stock with a conditional update.
DROP TRIGGER variants_updated;
CREATE TRIGGER variants_updated AFTER UPDATE ON variants
WHEN NOT (
    NEW.stock <> OLD.stock
    AND MIN(NEW.stock, 10) = MIN(OLD.stock, 10)
    AND NEW.product_id = OLD.product_id
    AND NEW.sku = OLD.sku
    AND NEW.size = OLD.size
    AND NEW.colour_tr = OLD.colour_tr
    AND NEW.colour_en = OLD.colour_en
    AND NEW.colour_hex = OLD.colour_hex
    AND NEW.price_kurus = OLD.price_kurus
    AND NEW.compare_at_kurus IS OLD.compare_at_kurus
    AND NEW.position = OLD.position
)
BEGIN
    UPDATE shop_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalogue_version'; END;
