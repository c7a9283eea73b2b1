import { test, expect } from "./fixtures";

const legalPages = [
  ["Gizlilik ve Çerez Politikası", "/gizlilik-ve-cerez-politikasi"],
  ["KVKK Aydınlatma Metni", "/kvkk-aydinlatma-metni"],
  ["Mesafeli Satış Sözleşmesi", "/mesafeli-satis-sozlesmesi"],
  ["Ön Bilgilendirme Formu", "/on-bilgilendirme-formu"],
  ["İade ve Cayma", "/iade-ve-cayma"],
  ["İletişim", "/iletisim"],
] as const;

// Mobile first: the shop is checked on a phone-sized screen.
test.use({ viewport: { width: 390, height: 844 } });

test("the home page is a complete Turkish page with header and footer", async ({
  page,
  consoleErrors,
}) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.locator("html")).toHaveAttribute("lang", "tr");
  await expect(page).toHaveTitle("Les Minoria");
  const header = page.locator("header.site-header");
  await expect(header.getByRole("link", { name: "Les Minoria ana sayfa" })).toBeVisible();
  await expect(header.getByText("LES MENÜ")).toBeVisible();
  await expect(header.getByRole("link", { name: /Alışveriş Sepetim/ })).toBeVisible();
  const footer = page.locator("footer");
  await expect(footer.getByRole("link", { name: "hello@lesminoria.com" })).toHaveAttribute(
    "href",
    "mailto:hello@lesminoria.com",
  );
  for (const [name, href] of legalPages) {
    await expect(footer.getByRole("link", { name })).toHaveAttribute("href", href);
  }
});

test("every legal page in the footer opens inside the shell", async ({ page, consoleErrors }) => {
  for (const [name, href] of legalPages) {
    await page.goto("/");
    await page.locator("footer").getByRole("link", { name }).click();
    await expect(page).toHaveURL(href);
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page).toHaveTitle(`${name} | Les Minoria`);
    await expect(page.locator("footer")).toContainText("hello@lesminoria.com");
  }
});

test("an unknown address answers 404 with a page that leads back", async ({
  page,
  consoleErrors,
}) => {
  const response = await page.goto("/boyle-bir-sayfa-yok");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Aradığınız sayfa bulunamadı",
  );
  await page.getByRole("link", { name: "Ana sayfaya dön" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1, name: "Les Minoria" })).toBeVisible();
});

test("every response carries the security headers", async ({ page, consoleErrors }) => {
  const response = await page.goto("/");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  // The inline scripts Leptos writes (the WASM loader, the resource tables) are allowed by
  // their hashes; nothing else inline.
  expect(headers["content-security-policy"]).toMatch(/script-src 'self'( 'sha256-[\w+/=]+')+ 'wasm-unsafe-eval'/);
  expect(headers["content-security-policy"]).not.toContain("unsafe-inline");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
});

test("the WASM and CSS have hashed names, are precompressed and cached for a year", async ({
  page,
  request,
}) => {
  await page.goto("/");
  const wasm = await page.locator('link[rel="preload"][type="application/wasm"]').getAttribute("href");
  const css = await page.locator('link[rel="stylesheet"]').getAttribute("href");
  for (const href of [wasm!, css!]) {
    expect(href).toMatch(/^\/pkg\/lesminoria\.[\w-]{10,}\.(wasm|css)$/);
    const response = await request.get(href, { headers: { "Accept-Encoding": "br" } });
    expect(response.status(), href).toBe(200);
    expect(response.headers()["content-encoding"], href).toBe("br");
    expect(response.headers()["cache-control"], href).toBe("public, max-age=31536000, immutable");
    expect(response.headers()["x-content-type-options"], href).toBe("nosniff");
  }
});
