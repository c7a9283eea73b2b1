import AxeBuilder from "@axe-core/playwright";
import { test, expect } from "./fixtures";

// Phones first.
test.use({ viewport: { width: 390, height: 844 } });

/** Prices of the cards on the page, in kuruş. */
async function cardPrices(page: import("@playwright/test").Page) {
  const texts = await page.locator(".card .price__now").allTextContents();
  return texts.map((t) => Number(t.replace(/[^\d]/g, "")));
}

test("from the home page to a category, filtered and sorted as a plain form", async ({
  page,
  consoleErrors,
}) => {
  await page.goto("/");
  await page.locator(".category-tiles").getByRole("link", { name: /^Kadın/ }).click();
  await expect(page).toHaveURL("/kategori/kadin");
  await expect(page.getByRole("heading", { level: 1, name: "Kadın" })).toBeVisible();
  const total = Number((await page.locator(".result-count").textContent())!.replace(/\D/g, ""));
  expect(total).toBeGreaterThan(24);
  await expect(page.locator(".card")).toHaveCount(24);

  await page.getByText("Filtrele").click();
  await page.getByRole("group", { name: "Beden" }).getByLabel("XS", { exact: true }).check();
  await page.getByLabel("Yalnızca stokta olanlar").check();
  await page.getByLabel("Sırala").selectOption({ label: "Fiyat: artan" });
  await page.getByRole("button", { name: "Uygula" }).click();
  await expect(page).toHaveURL(/beden=XS/);
  await expect(page).toHaveURL(/stok=1/);
  await expect(page).toHaveURL(/sirala=fiyat-artan/);
  const filtered = Number((await page.locator(".result-count").textContent())!.replace(/\D/g, ""));
  expect(filtered).toBeLessThan(total);
  const prices = await cardPrices(page);
  expect(prices).toEqual([...prices].sort((a, b) => a - b));
  // The choices survive the round trip: the form shows what is applied.
  await expect(page.getByRole("group", { name: "Beden" }).getByLabel("XS", { exact: true })).toBeChecked();

  await page.getByRole("link", { name: "Filtreleri temizle" }).click();
  await expect(page).toHaveURL("/kategori/kadin");
});

test("pages of a long category link to each other", async ({ page, consoleErrors }) => {
  await page.goto("/kategori/kadin");
  await page.getByRole("link", { name: "Sonraki sayfa" }).click();
  await expect(page).toHaveURL("/kategori/kadin?sayfa=2");
  await expect(page.getByText("Sayfa 2 / 2")).toBeVisible();
  await page.getByRole("link", { name: "Önceki sayfa" }).click();
  await expect(page).toHaveURL("/kategori/kadin");
});

test("a product page shows price with KDV, sizes, stock and details", async ({
  page,
  consoleErrors,
}) => {
  await page.goto("/kategori/kadin-elbise");
  await page.getByRole("link", { name: /Keten Gömlek Elbise/ }).first().click();
  await expect(page).toHaveURL("/urun/keten-gomlek-elbise");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Keten Gömlek Elbise");
  await expect(page.locator(".product__price")).toContainText("KDV dahil");
  await expect(page.locator(".product__price")).toContainText(/\d{1,3}(\.\d{3})*,\d{2} TL/);
  const breadcrumbs = page.getByRole("navigation", { name: "Konum" });
  await expect(breadcrumbs.getByRole("link", { name: "Elbise" })).toHaveAttribute("href", "/kategori/kadin-elbise");
  // Unavailable variants are visible but cannot be chosen.
  const sizes = page.getByRole("radio");
  expect(await sizes.count()).toBeGreaterThan(4);
  const disabled = page.locator('input[type="radio"]:disabled');
  expect(await disabled.count()).toBeGreaterThan(0);
  await expect(page.getByRole("button", { name: "Sepete ekle" })).toBeEnabled();
  await expect(page.getByRole("heading", { name: "Malzeme" })).toBeVisible();
  const jsonLd = await page.locator('script[type="application/ld+json"]').allTextContents();
  const product = jsonLd.map((t) => JSON.parse(t)).find((d) => d["@type"] === "Product");
  expect(product.offers[0].priceCurrency).toBe("TRY");
});

test("a sold-out product says so and cannot be added", async ({ page, consoleErrors }) => {
  await page.goto("/urun/suet-hobo-canta");
  await expect(page.getByText("Bu ürün şu anda tükendi.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Sepete ekle" })).toBeDisabled();
});

test("discounted products show the old price struck through", async ({ page, consoleErrors }) => {
  await page.goto("/kategori/kadin?sirala=fiyat-azalan");
  const sale = page.locator(".card .price--sale").first();
  await expect(sale.locator("s")).toContainText("TL");
});

test("search finds products regardless of case and Turkish letters", async ({
  page,
  consoleErrors,
}) => {
  await page.goto("/arama?q=gomlek");
  await expect(page.locator(".card__name").first()).toContainText(/Gömlek/);
  await page.getByLabel("Ürün ara").last().fill("İPEK");
  await page.getByRole("button", { name: "Ara" }).last().click();
  await expect(page).toHaveURL(/q=%C4%B0PEK/);
  await expect(page.locator(".card__name").filter({ hasText: "İpek" }).first()).toBeVisible();
});

test("a search with no result suggests categories", async ({ page, consoleErrors }) => {
  await page.goto("/arama?q=" + encodeURIComponent("'; DROP TABLE products; --"));
  await expect(page.getByText("eşleşen ürün bulamadık")).toBeVisible();
  await page.locator(".empty-state").getByRole("link", { name: "Aksesuar" }).click();
  await expect(page).toHaveURL("/kategori/aksesuar");
});

test("an unknown product is a 404 page", async ({ page, consoleErrors }) => {
  const response = await page.goto("/urun/boyle-bir-urun-yok");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Aradığınız sayfa bulunamadı");
});

test("English mirrors the shop under /en", async ({ page, consoleErrors }) => {
  await page.goto("/en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "New in" })).toBeVisible();
  await page.goto("/en/product/keten-gomlek-elbise");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Linen Shirt Dress");
  await expect(page.locator(".product__price")).toContainText(/TRY \d{1,3}(,\d{3})*\.\d{2}/);
  const turkish = await page.locator('link[hreflang="tr"]').getAttribute("href");
  expect(turkish).toMatch(/\/urun\/keten-gomlek-elbise$/);
});

for (const path of ["/", "/kategori/kadin", "/urun/keten-gomlek-elbise", "/en", "/en/category/kadin", "/en/product/keten-gomlek-elbise"]) {
  test(`no WCAG 2.1 AA violations on ${path}`, async ({ page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "axe-core runs as a script in the page");
    await page.goto(path);
    const results = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    expect(
      results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    ).toEqual([]);
  });
}
