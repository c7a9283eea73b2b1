import AxeBuilder from "@axe-core/playwright";
import { Page } from "@playwright/test";
import { test, expect, sql, changeCatalogue } from "./fixtures";

// Phones first.
test.use({ viewport: { width: 390, height: 844 } });

/** Variant ids of a product, in the order they were entered, with every stock set to `stock`. */
function variantsOf(slug: string, stock = 8): number[] {
  changeCatalogue(`UPDATE variants SET stock = ${stock} WHERE product_id = (SELECT id FROM products WHERE slug = '${slug}')`);
  return sql(
    `SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = '${slug}' ORDER BY v.position, v.id`,
  )
    .split("\n")
    .map(Number);
}

/** "1.399,80 TL" → 139980 */
function kurus(text: string | null): number {
  return Number((text ?? "").replace(/[^\d]/g, ""));
}

async function openProduct(page: Page, slug: string) {
  await page.goto(`/urun/${slug}`);
  await expect(page.locator(".buy-island[data-live]")).toHaveCount(1);
}

async function addVariant(page: Page, variantId: number) {
  await page.locator(`label[for="varyant-${variantId}"]`).click();
  await page.getByRole("button", { name: "Sepete ekle" }).click();
}

const count = (page: Page) => page.locator(".cart-link__count[data-live]");

test.describe("with JavaScript", () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "the cart lives in the browser");

  test("add two variants, reload, a second tab, change and remove lines", async ({
    page,
    context,
    consoleErrors,
  }) => {
    const [first, second] = variantsOf("supima-pamuk-tisort");
    await openProduct(page, "supima-pamuk-tisort");
    await expect(count(page)).toHaveText("");

    // Nothing chosen: a clear message, nothing added.
    await page.getByRole("button", { name: "Sepete ekle" }).click();
    await expect(page.getByRole("alert")).toHaveText("Lütfen önce renk ve beden seçin.");
    await expect(count(page)).toHaveText("");

    await addVariant(page, first);
    await expect(count(page)).toHaveText("1");
    const miniCart = page.getByRole("dialog", { name: "Sepete eklendi" });
    await expect(miniCart).toBeVisible();
    await expect(miniCart).toContainText("Supima Pamuk Tişört");
    await expect(miniCart).toContainText("699,90 TL");
    await expect(miniCart).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(miniCart).toBeHidden();

    await addVariant(page, second);
    await expect(count(page)).toHaveText("2");

    await page.reload();
    await expect(count(page)).toHaveText("2");

    // A second tab shows the same cart, and changes there reach the first tab.
    const other = await context.newPage();
    await other.goto("/sepet");
    const lines = other.locator(".cart-line");
    await expect(lines).toHaveCount(2);
    await expect(other.locator('[data-total="subtotal"]')).toHaveText("1.399,80 TL");
    await expect(other.locator('[data-total="shipping"]')).toHaveText("79,90 TL");
    await expect(other.locator('[data-total="total"]')).toHaveText("1.479,70 TL");
    await expect(other.getByText("Ücretsiz kargo için 100,20 TL daha ekleyin.")).toBeVisible();

    await lines.first().getByRole("button", { name: "Bir artır" }).click();
    await expect(lines.first().locator(".cart-line__count")).toHaveText("2");
    await expect(other.locator('[data-total="subtotal"]')).toHaveText("2.099,70 TL");
    await expect(other.locator('[data-total="shipping"]')).toHaveText("Ücretsiz");
    await expect(other.getByText("Kargonuz ücretsiz.")).toBeVisible();
    // The KDV share: 2.099,70 TL at 10 % holds 190,88 TL.
    await expect(other.locator('[data-total="kdv"]')).toHaveText("190,88 TL");
    await expect(count(page)).toHaveText("3");

    await lines.nth(1).getByRole("button", { name: "Kaldır" }).click();
    await expect(lines).toHaveCount(1);
    await expect(count(page)).toHaveText("2");
    await lines.first().getByRole("button", { name: "Bir azalt" }).click();
    await lines.first().getByRole("button", { name: "Bir azalt" }).click();
    await expect(other.getByText("Sepetiniz şu anda boş.")).toBeVisible();
    await expect(count(page)).toHaveText("");
    await other.getByRole("link", { name: "Alışverişe başlayın" }).click();
    await expect(other).toHaveURL("/");
  });

  test("the header count appears without shifting the layout or disturbing hydration", async ({
    page,
    consoleErrors,
  }) => {
    const [variant] = variantsOf("fitilli-balikci-yaka-kazak");
    await page.addInitScript((item) => {
      localStorage.setItem("lesminoria.sepet", item);
      // Every layout shift from the first paint on, as the browser scores it.
      (window as any).__shifts = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) (window as any).__shifts.push((entry as any).value);
      }).observe({ type: "layout-shift", buffered: true });
    }, `1|${variant}x2`);
    await page.goto("/urun/fitilli-balikci-yaka-kazak");
    await expect(count(page)).toHaveText("2");
    const shifts: number[] = await page.evaluate(() => (window as any).__shifts);
    expect(shifts.reduce((a, b) => a + b, 0)).toBeLessThan(0.001);
  });

  test("the mini-cart works from the keyboard", async ({ page, consoleErrors }) => {
    const [variant] = variantsOf("kemerli-havuc-pantolon");
    await openProduct(page, "kemerli-havuc-pantolon");
    await page.locator(`#varyant-${variant}`).focus();
    await page.keyboard.press("Space");
    await expect(page.locator(`#varyant-${variant}`)).toBeChecked();
    await page.getByRole("button", { name: "Sepete ekle" }).focus();
    await page.keyboard.press("Enter");
    const miniCart = page.getByRole("dialog", { name: "Sepete eklendi" });
    await expect(miniCart).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(miniCart.getByRole("link", { name: "Sepete git" })).toBeFocused();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter"); // "Alışverişe devam et"
    await expect(miniCart).toBeHidden();
    await expect(page.getByRole("button", { name: "Sepete ekle" })).toBeFocused();
    await expect(count(page)).toHaveText("1");
  });

  test("a price changed in the database shows as a correction", async ({ page, consoleErrors }) => {
    const [variant] = variantsOf("oversize-poplin-gomlek");
    changeCatalogue(`UPDATE variants SET price_kurus = 149990 WHERE id = ${variant}`);
    await openProduct(page, "oversize-poplin-gomlek");
    await addVariant(page, variant);
    await expect(count(page)).toHaveText("1");

    changeCatalogue(`UPDATE variants SET price_kurus = 129990 WHERE id = ${variant}`);
    await page.goto("/sepet");
    await expect(page.getByRole("status").filter({ hasText: "Sepetinizde değişiklik var" })).toContainText(
      "fiyatı 1.499,90 TL iken 1.299,90 TL oldu.",
    );
    await expect(page.locator(".cart-line__unit")).toHaveText("1.299,90 TL");
    await expect(page.locator('[data-total="subtotal"]')).toHaveText("1.299,90 TL");
    // Told once: the cart now holds the new price.
    await page.reload();
    await expect(page.locator(".cart-line")).toHaveCount(1);
    await expect(page.getByText("Sepetinizde değişiklik var")).toHaveCount(0);
  });

  test("an out-of-stock variant cannot be added", async ({ page, consoleErrors }) => {
    const [soldOut, lastOne] = variantsOf("oxford-pamuk-gomlek");
    changeCatalogue(`UPDATE variants SET stock = 0 WHERE id = ${soldOut}`);
    await openProduct(page, "oxford-pamuk-gomlek");
    await expect(page.locator(`#varyant-${soldOut}`)).toBeDisabled();

    // Sold out while the page was open: the server refuses and the cart rolls back.
    changeCatalogue(`UPDATE variants SET stock = 0 WHERE id = ${lastOne}`);
    await addVariant(page, lastOne);
    await expect(page.getByRole("alert")).toContainText("tükendi ve sepetinizden çıkarıldı.");
    await expect(count(page)).toHaveText("");
    await expect(page.getByRole("dialog", { name: "Sepete eklendi" })).toBeHidden();
  });

  test("a damaged saved cart is dropped with a notice, never a crash", async ({ page, consoleErrors }) => {
    await page.addInitScript(() => {
      if (!sessionStorage.getItem("seeded")) {
        localStorage.setItem("lesminoria.sepet", '{"version":0,"lines":"eski biçim"}');
        sessionStorage.setItem("seeded", "1");
      }
    });
    await page.goto("/sepet");
    await expect(page.getByText("Kaydedilmiş sepetiniz okunamadı ve boşaltıldı.")).toBeVisible();
    await expect(page.getByText("Sepetiniz şu anda boş.")).toBeVisible();
    expect(await page.evaluate(() => localStorage.getItem("lesminoria.sepet"))).toBeNull();
  });

  test("'Sepete ekle' pressed before the scripts ran still adds, once", async ({ page, consoleErrors }) => {
    const [variant] = variantsOf("merino-yun-dugmeli-hirka");
    await page.goto(`/sepet?varyant=${variant}`);
    await expect(page.locator(".cart-line")).toHaveCount(1);
    await expect(page).toHaveURL("/sepet");
    await expect(page.locator(".cart-line__name")).toHaveText("Merino Yün Düğmeli Hırka");
    await page.reload();
    await expect(page.locator(".cart-line__count")).toHaveText("1");
  });

  test("an answer that arrives late never replaces what a newer one shows", async ({ page, consoleErrors }) => {
    const [variant] = variantsOf("supima-pamuk-tisort");
    await page.addInitScript((item) => {
      if (!sessionStorage.getItem("seeded")) {
        localStorage.setItem("lesminoria.sepet", item);
        sessionStorage.setItem("seeded", "1");
      }
    }, `1|${variant}x1`);
    await page.goto("/sepet");
    const quantity = page.locator(".cart-line__count");
    await expect(quantity).toHaveText("1");

    // The answer for 2 is held back until the answer for 3 has been shown.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    await page.route("**/api/sepet/gorunum**", async (route) => {
      if (first) {
        first = false;
        await held;
      }
      await route.continue();
    });
    const increase = page.getByRole("button", { name: "Bir artır" });
    await increase.click();
    await increase.click();
    await expect(quantity).toHaveText("3");

    const late = page.waitForResponse((response) => response.url().includes("/api/sepet/gorunum"));
    release();
    await (await late).finished();
    // The page has had the late answer; give its handler a moment, then the newer cart stands.
    await page.waitForTimeout(300);
    await expect(quantity).toHaveText("3");
    await expect(count(page)).toHaveText("3");
  });

  test("the cart page in English, accessible with lines in it", async ({ page, consoleErrors }) => {
    const [variant] = variantsOf("keten-hakim-yaka-gomlek");
    await page.goto(`/en/cart?varyant=${variant}`);
    await expect(page.locator(".cart-line")).toHaveCount(1);
    await expect(page.locator('[data-total="subtotal"]')).toHaveText("TRY 1,799.90");
    await expect(page.getByRole("button", { name: "Proceed to checkout" })).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations).toEqual([]);
  });
});

test.describe("without JavaScript", () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled, "what a browser without scripts sees");

  test("the cart page says how the cart is kept, and the product form still leads there", async ({
    page,
  }) => {
    await page.goto("/urun/supima-pamuk-tisort");
    await page.locator(".size-option:not(.size-option--out)").first().click();
    await page.getByRole("button", { name: "Sepete ekle" }).click();
    await expect(page).toHaveURL(/\/sepet\?varyant=\d+$/);
    await expect(page.getByText("Sepetiniz bu tarayıcıda saklanır.")).toBeVisible();
    await expect(page.locator(".cart-link__count")).toHaveText("");
  });
});
