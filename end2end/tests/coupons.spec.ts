import { test, expect, sql } from "./fixtures";
import { staffLogIn } from "./members";
import { firstVariant, fillDetails, chooseAndConfirm, startCheckout } from "./checkout-steps";

test("Discount code: a yonetici creates it, a shopper enters it and the order is charged less", async ({
  page,
  browser,
  baseURL,
  javaScriptEnabled,
}) => {
  // The runs with and without JavaScript go side by side: each has a code and a product.
  const code = `KIS${javaScriptEnabled ? "JS" : "HTML"}${Date.now() % 1_000_000}`;
  const product = javaScriptEnabled ? "ipek-krep-bluz" : "keten-kisa-kollu-gomlek";

  const staffContext = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "198.19.0.11" } });
  const staff = await staffContext.newPage();
  await staffLogIn(staff, `kampanya-${code.toLowerCase()}@lesminoria.com`, "yonetici");
  await staff.getByRole("link", { name: "Kampanyalar ve indirim kodları" }).click();
  await staff.getByLabel("İndirim kodu").fill(code.toLowerCase());
  await staff.getByLabel("İndirim türü").selectOption({ label: "Yüzde (%)" });
  // A percentage above 100 is refused beside its field, and what was typed stays.
  await staff.getByLabel("İndirim (yüzde veya TL)").fill("120");
  await staff.getByLabel("Toplam kullanım sınırı (boş: sınırsız)").fill("50");
  await staff.getByRole("button", { name: "Kaydet", exact: true }).click();
  await expect(staff.getByText("Yüzde 1 ile 100 arasında, tutar sıfırdan büyük olmalı.")).toBeVisible();
  await expect(staff.getByLabel("Toplam kullanım sınırı (boş: sınırsız)")).toHaveValue("50");
  await staff.getByLabel("İndirim (yüzde veya TL)").fill("10");
  await staff.getByRole("button", { name: "Kaydet", exact: true }).click();
  await expect(staff.getByRole("status")).toHaveText("İndirim kodu oluşturuldu; alışverişte hemen kullanılabilir.");
  await expect(staff.locator("tr", { hasText: code })).toContainText("0 / 50");

  const variant = firstVariant(product);
  const unit = Number(sql(`SELECT price_kurus FROM variants WHERE id = ${variant}`));
  const discount = Math.round((unit * 10) / 100);
  const lira = (kurus: number) =>
    `${Math.floor(kurus / 100).toLocaleString("tr-TR")},${String(kurus % 100).padStart(2, "0")} TL`;

  if (javaScriptEnabled) {
    // Typed in the cart, on the way to checkout.
    await page.goto(`/urun/${product}`);
    await expect(page.locator(".buy-island[data-live]")).toHaveCount(1);
    await page.locator(`label[for="varyant-${variant}"]`).click();
    await page.getByRole("button", { name: "Sepete ekle" }).click();
    await expect(page.locator(".cart-link__count[data-live]")).toHaveText("1");
    await page.goto("/sepet");
    await page.getByLabel("İndirim kodu").fill(code.toLowerCase());
    await page.getByRole("button", { name: "Ödemeye geç" }).click();
    await expect(page).toHaveURL(/\/odeme/);
  } else {
    // Typed at checkout: a wrong code first is refused with the reason, the typing kept.
    await startCheckout(page, `1|${variant}x1`);
    await page.getByLabel("İndirim kodu").fill("YOKBOYLE1");
    await page.getByRole("button", { name: "Uygula" }).click();
    await expect(page.getByText("Bu indirim kodunu bulamadık. Yazılışını kontrol edin.")).toBeVisible();
    await expect(page.getByLabel("İndirim kodu")).toHaveValue("YOKBOYLE1");
    await page.getByLabel("İndirim kodu").fill(code);
    await page.getByRole("button", { name: "Uygula" }).click();
  }
  const summary = page.locator(".checkout__summary");
  await expect(summary.getByText(`${code} kodu uygulandı.`)).toBeVisible();
  await expect(summary.locator("[data-toplamlar] [data-total=discount]")).toHaveText(`−${lira(discount)}`);

  await fillDetails(page, `indirim-${code.toLowerCase()}@example.com`);
  await chooseAndConfirm(page, /Havale \/ EFT/);
  await expect(page).toHaveURL(/\/siparis\/LM-/);
  await expect(page.locator("[data-total=discount]")).toHaveText(`−${lira(discount)}`);
  const number = (page.url().match(/LM-\d{4}-\d{6}/) ?? [""])[0];
  expect(sql(`SELECT discount_kurus || ' ' || coupon_code FROM orders WHERE number = '${number}'`)).toBe(
    `${discount} ${code}`,
  );

  await staff.reload();
  await expect(staff.locator("tr", { hasText: code })).toContainText("1 / 50");
  await staffContext.close();
});
