-- An order taking (or giving back) stock is not a catalogue change unless a page would show it
-- differently: the snapshot every page renders from (and the page cache keyed by its version)
-- then stays valid. Pages and the cart show a variant's stock only up to 10 (the most one line
-- may hold, model::cart::MAX_QUANTITY_PER_LINE; "son 3" from model::catalogue::StockState's
-- threshold below it), so a stock move above 10 changes nothing anyone sees. Every other change
-- of a variant still bumps the version. Placing an order never trusts the snapshot's stock: it
-- takes stock with a conditional update. Updates are judged per row; inserts and deletes stay
-- per statement.
DROP TRIGGER variants_changed ON variants;
CREATE TRIGGER variants_added_or_removed AFTER INSERT OR DELETE ON variants
    FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_version();
CREATE TRIGGER variants_updated AFTER UPDATE ON variants
    FOR EACH ROW
    WHEN (NOT (
        NEW.stock <> OLD.stock
        AND LEAST(NEW.stock, 10) = LEAST(OLD.stock, 10)
        AND NEW.product_id = OLD.product_id
        AND NEW.sku = OLD.sku
        AND NEW.size = OLD.size
        AND NEW.colour_tr = OLD.colour_tr
        AND NEW.colour_en = OLD.colour_en
        AND NEW.colour_hex = OLD.colour_hex
        AND NEW.price_kurus = OLD.price_kurus
        AND NEW.compare_at_kurus IS NOT DISTINCT FROM OLD.compare_at_kurus
        AND NEW.position = OLD.position
    ))
    EXECUTE FUNCTION bump_catalogue_version();
