import { Page } from "@playwright/test";
import { test, expect, createStaff, createStaffPrinting, totpCode, sql, CATALOGUE_CHECK_MS } from "./fixtures";
import { firstVariant, fillDetails, chooseAndConfirm, payByCard, startCheckout } from "./checkout-steps";
import { becomeMember, staffLogIn } from "./members";

/** A guest's order of `product` paid with `payment`; its page's address (the signed link). */
async function guestOrder(page: Page, product: string, payment: RegExp, email: string): Promise<string> {
  await startCheckout(page, `1|${firstVariant(product)}x1`);
  // A phone of its own: a first order is recognised by e-mail or phone.
  await fillDetails(page, email, `0533${String(Date.now()).slice(-7)}`);
  await chooseAndConfirm(page, payment);
  if (payment.source.includes("Kredi")) await payByCard(page, "5528790000000008");
  await expect(page).toHaveURL(/\/siparis\/LM-/);
  return page.url();
}


test("Back office: a first order is held, staff verify and ship it, the customer sees each step", async ({
  page,
  browser,
  baseURL,
}) => {
  const email = `ilk-siparis-${Date.now()}@example.com`;
  await page.goto("/");
  const orderAddress = await guestOrder(page, "orgu-deri-kemer", /Kredi \/ banka kartı/, email);
  const number = new URL(orderAddress).pathname.split("/").pop()!;
  await expect(page.locator(".order__status")).toHaveText("Onay bekliyor");

  // Staff work in their own browser.
  const staffContext = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "198.19.0.7" } });
  const staff = await staffContext.newPage();
  await staffLogIn(staff, `destek-${Date.now()}@lesminoria.com`);
  await staff.getByRole("link", { name: /Onay bekleyen siparişler/ }).click();
  await staff.getByRole("link", { name: number }).click();
  await staff.getByLabel(/Telefonla arandı/).check();
  await staff.getByLabel("Adres doğrulandı").check();
  await staff.getByLabel("Not").fill("Müşteri telefonda doğruladı");
  await staff.getByRole("button", { name: "Doğrulamayı kaydet ve siparişi onayla" }).click();
  await expect(staff.getByRole("status")).toHaveText("Sipariş onaylandı; müşteriye e-posta gönderilecek.");

  await page.goto(orderAddress);
  await expect(page.locator(".order__status")).toHaveText("Onaylandı, hazırlanıyor");

  await staff.getByRole("button", { name: "Hazırlanıyor olarak işaretle" }).click();
  await staff.getByLabel("Kargo firması").fill("Aras Kargo");
  await staff.getByLabel("Takip numarası").fill("AR123456789");
  await staff.getByRole("button", { name: "Kargoya verildi" }).click();
  await expect(staff.getByRole("status")).toHaveText("Sipariş kargoya verildi olarak işaretlendi.");
  await expect(staff.locator(".staff li").filter({ hasText: "order.kargoda" })).toContainText("Aras Kargo AR123456789");

  await page.goto(orderAddress);
  await expect(page.locator(".order__status")).toHaveText("Kargoda");
  await expect(page.locator(".order__headline")).toHaveText(
    "Siparişiniz kargoya verildi: Aras Kargo, takip numarası AR123456789.",
  );
  await staffContext.close();
});

test("Back office: staff cancel one item of a paid order; the customer sees it, its refund and the invoice return", async ({
  page,
  browser,
  baseURL,
}) => {
  const email = `kalem-iptal-${Date.now()}@example.com`;
  await page.goto("/");
  await startCheckout(page, `1|${firstVariant("orgu-deri-kemer")}x1,${firstVariant("genis-deri-bel-kemeri")}x1`);
  await fillDetails(page, email, `0534${String(Date.now()).slice(-7)}`);
  await chooseAndConfirm(page, /Kredi \/ banka kartı/);
  await payByCard(page, "5528790000000008");
  await expect(page).toHaveURL(/\/siparis\/LM-/);
  const orderAddress = page.url();
  const number = new URL(orderAddress).pathname.split("/").pop()!;

  const staffContext = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "198.19.0.9" } });
  const staff = await staffContext.newPage();
  await staffLogIn(staff, `kalem-${Date.now()}@lesminoria.com`);
  await staff.goto(`/yonetim/siparis/${number}`);
  await staff.getByLabel("Adres doğrulandı").check();
  await staff.getByRole("button", { name: "Doğrulamayı kaydet ve siparişi onayla" }).click();
  await expect(staff.getByRole("status")).toHaveText("Sipariş onaylandı; müşteriye e-posta gönderilecek.");

  // Nothing chosen: refused, and the order stays whole.
  await staff.getByLabel("İptal nedeni (müşteriye gösterilir)").fill("Depoda hasarlı çıktı");
  await staff.getByRole("button", { name: "Seçilenleri iptal et" }).click();
  await expect(staff.getByRole("alert")).toContainText("İptal edilecek adetleri seçin");

  await staff.locator(".staff-cancel-lines select").first().selectOption("1");
  await staff.getByLabel("İptal nedeni (müşteriye gösterilir)").fill("Depoda hasarlı çıktı");
  await staff.getByRole("button", { name: "Seçilenleri iptal et" }).click();
  await expect(staff.getByRole("status")).toHaveText(
    "Seçilen ürünler iptal edildi ve yeniden satışta; ödenmiş bedelleri iade edildi. Müşteriye e-posta gönderilecek.",
  );
  await expect(staff.locator(".staff-refund")).toContainText("İade edildi.");
  // One item is left: only the whole order can be cancelled now.
  await expect(staff.locator(".staff-cancel-lines")).toHaveCount(0);

  await page.goto(orderAddress);
  await expect(page.locator(".order__status")).toHaveText("Onaylandı, hazırlanıyor");
  await expect(page.locator("[data-cancelled]")).toHaveText("1 adet iptal edildi");
  await expect(page.locator(".order__cancellations")).toContainText("Neden: Depoda hasarlı çıktı");
  await page.getByRole("link", { name: /Faturayı görüntüle/ }).click();
  await expect(page.locator("[data-invoice-return]")).toHaveCount(1);
  await expect(page.locator("[data-invoice-return] h2")).toHaveText(/^İade faturası LMI\d{13}$/);
  await staffContext.close();
});

test("Back office: a havale order is marked paid when the transfer arrives", async ({ page, browser, baseURL }) => {
  const email = `havale-${Date.now()}@example.com`;
  await page.goto("/");
  const orderAddress = await guestOrder(page, "genis-deri-bel-kemeri", /Havale \/ EFT/, email);
  const number = new URL(orderAddress).pathname.split("/").pop()!;

  const staffContext = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "198.19.0.8" } });
  const staff = await staffContext.newPage();
  await staffLogIn(staff, `havale-${Date.now()}@lesminoria.com`);
  await staff.goto(`/yonetim/siparisler?odeme=havale&ara=${number}`);
  await expect(staff.locator("tbody tr")).toHaveCount(1);
  await staff.getByRole("link", { name: number }).click();
  await staff.getByRole("button", { name: "Havale/EFT geldi" }).click();
  await expect(staff.getByRole("status")).toHaveText("Havale/EFT ödemesi kaydedildi.");
  await expect(staff.getByRole("button", { name: "Havale/EFT geldi" })).toHaveCount(0);

  await page.goto(orderAddress);
  await expect(page.locator(".order__history")).toContainText("Ödendi");
  await staffContext.close();
});

test("Back office: a member's KVKK application is answered, and the member reads the answer", async ({
  page,
  browser,
  baseURL,
}) => {
  const email = `kvkk-${Date.now()}@example.com`;
  await becomeMember(page, email, "mavi deniz kıyısında sabah");
  await page.goto("/hesabim/kisisel-verilerim");
  await page.getByLabel("Hakkınız").selectOption("bilgi");
  await page.getByLabel("Talebiniz").fill("Hangi verilerimi işlediğinizi öğrenmek istiyorum.");
  await page.getByRole("button", { name: "Başvuruyu gönder" }).click();
  const reference = (await page.locator("td.reference").textContent())!.trim();

  const staffContext = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "198.19.0.9" } });
  const staff = await staffContext.newPage();
  await staffLogIn(staff, `kvkk-${Date.now()}@lesminoria.com`);
  await staff.getByRole("link", { name: "KVKK başvuruları" }).first().click();
  await staff.getByRole("link", { name: reference }).click();
  await expect(staff.getByText("Hangi verilerimi işlediğinizi öğrenmek istiyorum.")).toBeVisible();
  await staff.getByLabel("Yanıt").fill("Yalnızca sipariş ve iletişim verilerinizi işliyoruz.");
  await staff.getByRole("button", { name: "Yanıtı kaydet ve gönder" }).click();
  await expect(staff.getByRole("status")).toHaveText("Yanıt kaydedildi ve e-posta ile gönderilecek.");
  await staffContext.close();

  await page.reload();
  const row = page.locator("tr", { has: page.locator("td.reference", { hasText: reference }) });
  await expect(row).toContainText("Yanıtlandı");
  await expect(row).toContainText("Yalnızca sipariş ve iletişim verilerinizi işliyoruz.");
});

test("Back office: a yonetici logs in with the code and a price change shows in the shop at once", async ({
  page,
  browser,
  baseURL,
  javaScriptEnabled,
}) => {
  // The runs with and without JavaScript go side by side: each changes a product of its own.
  const [product, name, price] = javaScriptEnabled
    ? ["mini-deri-baget-canta", "Mini Deri Baget", "2.345,60"]
    : ["kanvas-omuz-cantasi", "Kanvas Omuz", "2.345,70"];
  const email = `kurucu-${Date.now()}@lesminoria.com`;
  const password = "lacivert kadife perde";
  const secret = createStaff(email, "yonetici", password)!;
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  const staffContext = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "198.19.0.10" } });
  const staff = await staffContext.newPage();
  await staff.goto("/yonetim/giris");
  await staff.getByLabel("E-posta").fill(email);
  await staff.getByLabel("Şifre").fill(password);
  await staff.getByRole("button", { name: "Giriş yap" }).click();
  await expect(staff.getByRole("alert")).toContainText("doğrulama kodu gerekir");
  await staff.getByLabel("Şifre").fill(password);
  await staff.getByLabel(/Doğrulama kodu/).fill(totpCode(secret));
  await staff.getByRole("button", { name: "Giriş yap" }).click();
  await expect(staff.getByRole("heading", { name: "Yönetim paneli" })).toBeVisible();

  await staff.getByRole("link", { name: "Ürünler" }).click();
  await staff.getByLabel("Ürün adı").fill(name);
  await staff.getByRole("button", { name: "Listele" }).click();
  await staff.getByRole("link", { name: new RegExp(name) }).click();
  const prices = staff.getByLabel(/ fiyatı$/);
  for (let i = 0; i < (await prices.count()); i++) await prices.nth(i).fill(price);
  // The discount ends: a list price must stay above the price, so it is emptied.
  const listPrices = staff.getByLabel(/ liste fiyatı$/);
  for (let i = 0; i < (await listPrices.count()); i++) await listPrices.nth(i).fill("");
  await staff.getByRole("button", { name: "Kaydet" }).click();
  await expect(staff.getByRole("status")).toHaveText("Kaydedildi; mağazada hemen görünür.");
  await staffContext.close();

  // "At once" is within the bound every process reads the catalogue version in (one second).
  await page.waitForTimeout(CATALOGUE_CHECK_MS);
  await page.goto(`/urun/${product}`);
  await expect(page.locator(".product").first()).toContainText(price);
  expect(
    Number(sql(`SELECT COUNT(*) FROM staff_audit_log WHERE action = 'product.save' AND target = 'product:${product}' AND details LIKE '%${price.replace(/\D/g, "")}%'`)),
  ).toBe(1);
});

test("Back office: a yonetici who lost the phone logs in with a recovery code and renews the authenticator", async ({
  page,
}) => {
  const email = `kayip-telefon-${Date.now()}@lesminoria.com`;
  const password = "lacivert kadife perde";
  const { recoveryCodes } = createStaffPrinting(email, "yonetici", password);
  expect(recoveryCodes).toHaveLength(10);
  const logIn = async (code: string) => {
    await page.goto("/yonetim/giris");
    await page.getByLabel("E-posta").fill(email);
    await page.getByLabel("Şifre").fill(password);
    await page.getByLabel(/Doğrulama kodu/).fill(code);
    await page.getByRole("button", { name: "Giriş yap" }).click();
  };
  await logIn(recoveryCodes[0].toLowerCase());
  await expect(page.getByRole("heading", { name: "Yönetim paneli" })).toBeVisible();

  await page.goto("/yonetim/sifre");
  await page.locator(".staff-second-factor").getByLabel("Şimdiki şifre").fill(password);
  await page.getByRole("button", { name: "Yeni anahtar ve kurtarma kodları oluştur" }).click();
  await expect(page.locator(".staff-recovery-codes li")).toHaveCount(10);
  const secret = (await page.locator("[data-totp-secret]").textContent())!.trim();

  // The used code and the old ones are gone; the new key works.
  await page.context().clearCookies();
  await logIn(recoveryCodes[1]);
  await expect(page.getByRole("alert")).toBeVisible();
  await logIn(totpCode(secret));
  await expect(page.getByRole("heading", { name: "Yönetim paneli" })).toBeVisible();
});
