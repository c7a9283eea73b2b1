import AxeBuilder from "@axe-core/playwright";
import { Page } from "@playwright/test";
import { test, expect, sql } from "./fixtures";
import { firstVariant, stockOf, fillDetails, chooseAndConfirm, payByCard, startCheckout } from "./checkout-steps";

// Phones first.
test.use({ viewport: { width: 390, height: 844 } });

test.describe("with JavaScript", () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "the cart lives in the browser");

  async function cartToCheckout(page: Page, product: string) {
    const variant = firstVariant(product);
    await page.goto(`/urun/${product}`);
    await expect(page.locator(".buy-island[data-live]")).toHaveCount(1);
    await page.locator(`label[for="varyant-${variant}"]`).click();
    await page.getByRole("button", { name: "Sepete ekle" }).click();
    await expect(page.locator(".cart-link__count[data-live]")).toHaveText("1");
    await page.goto("/sepet");
    await page.getByRole("button", { name: "Ödemeye geç" }).click();
    await expect(page).toHaveURL(/\/odeme(\?adim=bilgiler)?$/);
    return variant;
  }

  test("product → cart → guest checkout → card with 3-D Secure → the order, held as a first order", async ({
    page,
    consoleErrors,
  }) => {
    const variant = await cartToCheckout(page, "modal-karisimli-sal");
    await fillDetails(page, "ilk.siparis@example.com");
    await page.getByRole("radio", { name: /Kredi \/ banka kartı/ }).check();
    await page.getByRole("button", { name: "Devam et" }).click();

    // The documents the shopper reads are the ones stored with the order. (The step is swapped
    // in by the checkout island: wait for it before reading.)
    await expect(page.getByRole("heading", { name: "Ödemeden önce" })).toBeVisible();
    const shown = await page.locator("[data-document]").allTextContents();
    expect(shown[0]).toContain("Ayşe Yılmaz");
    await page.getByLabel(/okudum, onaylıyorum/).check();
    await page.getByRole("button", { name: "Siparişi onayla ve öde" }).click();
    expect(stockOf(variant)).toBe(8);

    await payByCard(page, "4000 9900 0000 0004");
    await expect(page.getByRole("heading", { name: /3-D Secure/ })).toBeVisible();
    await page.getByLabel("Doğrulama kodu").fill("283126");
    await page.getByRole("button", { name: "Onayla" }).click();

    await expect(page).toHaveURL(/\/siparis\/LM-\d{4}-\d{6}\?erisim=/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Sipariş LM-");
    await expect(page.locator(".order__status")).toHaveText("Onay bekliyor");
    await expect(page.getByRole("status")).toContainText("İlk siparişiniz");
    const number = (page.url().match(/LM-\d{4}-\d{6}/) ?? [""])[0];
    const stored = sql(
      `SELECT html FROM order_documents d JOIN orders o ON o.id = d.order_id WHERE o.number = '${number}' ORDER BY kind DESC`,
    );
    const storedText = await page.evaluate((html) => {
      const div = document.createElement("div");
      div.innerHTML = html;
      return div.textContent ?? "";
    }, stored);
    expect(storedText.replace(/\s+/g, "")).toBe(shown.join("").replace(/\s+/g, ""));
    expect(sql(`SELECT status || ' ' || payment_status || ' ' || hold_reason FROM orders WHERE number = '${number}'`)).toBe(
      "on_hold paid first_order",
    );
  });

  test("paid, and the browser never comes back: the provider's webhook settles the order", async ({ page }) => {
    await cartToCheckout(page, "kasmir-sal");
    await fillDetails(page, "webhook@example.com");
    await chooseAndConfirm(page, /Kredi \/ banka kartı/);
    // The tab is closed as the bank redirects: the shop never sees the browser's return.
    await page.route("**/odeme/sonuc**", (route) => route.abort());
    await payByCard(page, "5528 7900 0000 0008");
    await expect
      .poll(() => sql("SELECT payment_status FROM orders WHERE email = 'webhook@example.com'"), { timeout: 15_000 })
      .toBe("paid");
  });

  test("a declined card says why and keeps the cart and everything typed", async ({ page, consoleErrors }) => {
    const variant = await cartToCheckout(page, "fitilli-yun-atki");
    await fillDetails(page, "red.kart@example.com");
    await chooseAndConfirm(page, /Kredi \/ banka kartı/);
    await payByCard(page, "4111 1111 1111 1129");
    await expect(page).toHaveURL(/\/odeme\?adim=onay$/);
    await expect(page.getByRole("alert")).toContainText("Kart limiti yetersiz");
    await expect(page.locator(".cart-link__count[data-live]")).toHaveText("1");
    expect(stockOf(variant)).toBe(8);
    await page.getByRole("link", { name: "Bilgileri değiştir" }).click();
    await expect(page.getByLabel("E-posta")).toHaveValue("red.kart@example.com");
  });

  test("havale/EFT and kapıda ödeme orders show as awaiting approval, with what to do", async ({
    page,
    consoleErrors,
  }) => {
    await cartToCheckout(page, "sacakli-keten-fular");
    await fillDetails(page, "havale@example.com");
    await chooseAndConfirm(page, /Havale \/ EFT/);
    await expect(page.locator(".order__status")).toHaveText("Onay bekliyor");
    await expect(page.locator(".order__next")).toContainText("TR33 0006 1005 1978 6457 8413 26");
    // What was in the cart is now an order: the cart is empty, and so is the header's count.
    await expect(page.locator(".cart-link__count[data-live]")).toHaveText("");
    await page.goto("/odeme");
    await expect(page.getByText("Devam eden bir ödemeniz yok.")).toBeVisible();

    await cartToCheckout(page, "sacakli-keten-fular");
    await fillDetails(page, "kapida@example.com");
    await chooseAndConfirm(page, /Kapıda ödeme/);
    await expect(page.locator(".order__status")).toHaveText("Onay bekliyor");
    // The order's own figures (the accepted documents, folded below, name the fee too).
    await expect(page.getByText("Kapıda ödeme ücreti", { exact: true })).toBeVisible();
  });

  test("the steps change in place: districts follow the province, totals follow the choice, back works", async ({
    page,
    consoleErrors,
  }) => {
    await cartToCheckout(page, "ipek-twill-esarp");
    await expect(page.locator(".checkout-flow[data-live]")).toHaveCount(1);
    // A page load would lose this mark: every step below must keep it.
    await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    const samePage = () => page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage === true);

    // The district suggestions follow the province as soon as it is chosen.
    const district = page.getByLabel("İlçe").first();
    const suggestions = page.locator(`#${await district.getAttribute("list")} option`);
    await expect(suggestions).toHaveCount(0);
    await page.getByLabel("İl", { exact: true }).first().selectOption({ label: "İzmir" });
    await expect(suggestions.and(page.locator('[value="Karşıyaka"]'))).toHaveCount(1);
    await expect(suggestions.and(page.locator('[value="Kadıköy"]'))).toHaveCount(0);

    // A refused step: the problem beside its field, what was typed kept, no page load.
    await page.getByLabel("E-posta").fill("ayse@");
    await page.getByRole("button", { name: "Devam et" }).click();
    await expect(page.getByText("Geçerli bir e-posta adresi yazın.")).toBeVisible();
    await expect(page.getByLabel("E-posta")).toHaveValue("ayse@");
    await expect(page.getByLabel("E-posta")).toBeFocused();
    expect(await samePage()).toBe(true);

    await fillDetails(page, "yerinde@example.com");
    await expect(page).toHaveURL(/\/odeme\?adim=odeme-yontemi$/);
    await expect(page).toHaveTitle(/Teslimat ve ödeme/);

    // The totals follow the choice, from the server's own figures.
    const total = page.locator("[data-toplamlar] [data-total=total]");
    const standard = await total.textContent();
    await page.getByRole("radio", { name: /Hızlı teslimat/ }).check();
    await expect(total).not.toHaveText(standard!);
    const express = await total.textContent();
    await page.getByRole("radio", { name: /Kapıda ödeme/ }).check();
    await expect(page.locator("[data-toplamlar] [data-total=payment-fee]")).toHaveText("49,90 TL");
    await expect(total).not.toHaveText(express!);
    const chosen = await total.textContent();
    await page.getByRole("button", { name: "Devam et" }).click();
    await expect(page.getByRole("heading", { name: "Ödemeden önce" })).toBeVisible();
    // The review asks for exactly what was shown while choosing.
    await expect(page.locator(".review__total")).toContainText(chosen!);

    // Back and forward between steps, as swapped in.
    await page.goBack();
    await expect(page).toHaveURL(/adim=odeme-yontemi$/);
    await expect(page.getByRole("radio", { name: /Kapıda ödeme/ })).toBeChecked();
    await page.goBack();
    await expect(page.getByLabel("E-posta")).toHaveValue("yerinde@example.com");
    await page.goForward();
    await expect(page.getByRole("radio", { name: /Hızlı teslimat/ })).toBeChecked();
    expect(await samePage()).toBe(true);
  });

  test("no WCAG 2.1 AA violations on the checkout steps", async ({ page }) => {
    await cartToCheckout(page, "klasik-dana-derisi-kemer");
    for (const step of ["details", "methods", "review"]) {
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      expect(results.violations, step).toEqual([]);
      if (step === "details") await fillDetails(page, "erisim@example.com");
      if (step === "methods") {
        await page.getByRole("radio", { name: /Havale \/ EFT/ }).check();
        await page.getByRole("button", { name: "Devam et" }).click();
      }
    }
  });
});

test.describe("without JavaScript", () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled, "the steps as plain HTML forms");

  test("every step works as a plain form: problems beside their fields, then a havale order", async ({
    page,
  }) => {
    const variant = firstVariant("altin-tokali-ince-deri-kemer");
    await startCheckout(page, `1|${variant}x1`);
    await page.getByLabel("E-posta").fill("ayse@");
    await page.getByRole("button", { name: "Devam et" }).click();
    await expect(page.getByRole("alert")).toContainText("işaretli alanları düzeltin");
    await expect(page.getByLabel("E-posta")).toHaveValue("ayse@");
    await expect(page.getByText("Geçerli bir e-posta adresi yazın.")).toBeVisible();

    await fillDetails(page, "nojs@example.com");
    await chooseAndConfirm(page, /Havale \/ EFT/);
    await expect(page).toHaveURL(/\/siparis\/LM-/);
    await expect(page.locator(".order__status")).toHaveText("Onay bekliyor");
    expect(stockOf(variant)).toBe(8);
  });
});

test("Cayma: a guest withdraws from a line through the order's link, told at once and by e-mail", async ({
  page,
  consoleErrors,
}) => {
  const variant = firstVariant("suet-kemer");
  const email = `cayma-${Date.now()}@example.com`;
  await startCheckout(page, `1|${variant}x2`);
  await fillDetails(page, email);
  await chooseAndConfirm(page, /Kredi \/ banka kartı/);
  await payByCard(page, "5528790000000008");
  await expect(page).toHaveURL(/\/siparis\/LM-/);
  const number = new URL(page.url()).pathname.split("/").pop()!;

  // The order page offers the form while the order is open; the rule before delivery.
  await page.getByRole("link", { name: "Cayma talebi oluştur" }).click();
  await expect(page).toHaveURL(new RegExp(`/cayma/${number}\\?erisim=`));
  await expect(page.getByText("henüz teslim edilmedi", { exact: false })).toBeVisible();

  // Nothing chosen: refused beside the lines, what was typed kept, nothing recorded.
  await page.getByLabel("Gerekçe (isteğe bağlı)").fill("Beden büyük geldi");
  await page.getByRole("button", { name: "Cayma talebini gönder" }).click();
  await expect(page.getByRole("alert")).toContainText("Talebiniz gönderilmedi");
  await expect(page.getByText("Cayacağınız en az bir ürünün adedini seçin.")).toBeVisible();
  await expect(page.getByLabel("Gerekçe (isteğe bağlı)")).toHaveValue("Beden büyük geldi");
  expect(sql(`SELECT COUNT(*) FROM cayma_requests c JOIN orders o ON o.id = c.order_id WHERE o.number = '${number}'`)).toBe("0");

  // One of the two pieces.
  await page.getByLabel(/cayılan adet/).selectOption("1");
  await page.getByRole("button", { name: "Cayma talebini gönder" }).click();
  await expect(page).toHaveURL(new RegExp(`/siparis/${number}\\?`));
  const section = page.locator(".order__cayma");
  await expect(section.getByRole("status")).toHaveText(
    `Cayma talebiniz alındı: ${number}-C1. Talebinizin alındığını e-posta ile de bildiriyoruz.`,
  );
  await expect(section.locator(".cayma__status")).toContainText("kartınıza iade edilecek");
  expect(
    sql(
      `SELECT COUNT(*) FROM outbox_emails m JOIN cayma_requests c ON c.id = m.cayma_request_id WHERE c.reference = '${number}-C1' AND m.kind = 'cayma_received' AND m.recipient = '${email}'`,
    ),
  ).toBe("1");

  // The other piece is still open to a request; the first is not offered again.
  await section.getByRole("link", { name: "Cayma talebi oluştur" }).click();
  await expect(page.getByLabel(/cayılan adet/).locator("option")).toHaveText(["0", "1"]);
});
