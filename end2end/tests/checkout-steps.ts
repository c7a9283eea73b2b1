/** A shopper's steps through checkout, shared by the checkout and back-office tests. */
import { Page } from "@playwright/test";
import { test, expect, sql, changeCatalogue } from "./fixtures";

/** The first variant of `product` (each test buys its own product, as tests run in parallel and
 *  count stock), with `stock` pieces. */
export function firstVariant(product: string, stock = 9): number {
  const id = Number(
    sql(
      `SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = '${product}' ORDER BY v.position, v.id LIMIT 1`,
    ),
  );
  changeCatalogue(`UPDATE variants SET stock = ${stock} WHERE id = ${id}`);
  return id;
}

export function stockOf(variant: number): number {
  return Number(sql(`SELECT stock FROM variants WHERE id = ${variant}`));
}

/** "Ödemeye geç" as the cart page's form posts it, for `items` (`1|12x2`), then the checkout
 *  page: what a shopper's browser does without waiting for the cart's island. */
export async function startCheckout(page: Page, items: string) {
  const origin = new URL(page.url().startsWith("http") ? page.url() : test.info().project.use.baseURL!).origin;
  const response = await page.context().request.post("/odeme/basla", {
    form: { sepet: items },
    headers: { origin },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
  await page.goto("/odeme");
}

/** The details step, as a shopper fills it in. */
export async function fillDetails(page: Page, email: string, phone = "0532 123 45 67") {
  await page.getByLabel("E-posta").fill(email);
  await page.getByLabel("Cep telefonu").fill(phone);
  await page.getByLabel("Ad", { exact: true }).first().fill("Ayşe");
  await page.getByLabel("Soyad").first().fill("Yılmaz");
  await page.getByLabel("İl", { exact: true }).first().selectOption({ label: "İstanbul" });
  await page.getByLabel("İlçe").first().fill("Kadıköy");
  await page.getByLabel(/^Adres/).first().fill("Caferağa Mah. Moda Cad. No: 10 D: 3");
  await page.getByLabel("Posta kodu").first().fill("34710");
  await page.getByRole("button", { name: "Devam et" }).click();
}

/** Delivery and payment method, then the review's box and the button that commits to pay. */
export async function chooseAndConfirm(page: Page, payment: RegExp) {
  await expect(page.getByRole("group", { name: "Ödeme yöntemi" })).toBeVisible();
  await page.getByRole("radio", { name: payment }).check();
  await page.getByRole("button", { name: "Devam et" }).click();
  await expect(page.getByRole("heading", { name: "Ödemeden önce" })).toBeVisible();
  await page.getByLabel(/okudum, onaylıyorum/).check();
  await page.getByRole("button", { name: "Siparişi onayla ve öde" }).click();
}

/** The card page of the sandbox provider. */
export async function payByCard(page: Page, card: string) {
  await expect(page.getByText("TEST ÖDEME SAYFASI")).toBeVisible();
  await page.getByLabel("Kart numarası").fill(card);
  await page.getByLabel("Son kullanma ayı").fill("12");
  await page.getByLabel("yılı").fill("2030");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Öde" }).click();
}
