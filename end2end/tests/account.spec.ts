import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { test, expect, sql, changeCatalogue } from "./fixtures";
import { linkInMail, becomeMember } from "./members";

// Membership's pages are plain forms: the same journey runs with JavaScript on and off.
test("Membership: register, confirm, log in, Hesabım, log out, a new password by e-mail", async ({
  page,
  consoleErrors,
  visitorIp,
}, testInfo) => {
  const email = `uye-${testInfo.project.name}-${Date.now()}@example.com`;
  const password = "mavi deniz kıyısında sabah";

  // Reachable from the menu on every page.
  await page.goto("/");
  await page.locator('a[href="/hesabim"]').first().waitFor({ state: "attached" });

  await page.goto("/uye-ol");
  await expect(page.getByRole("heading", { level: 1, name: "Üye ol" })).toBeVisible();
  const form = page.locator("form.account-form");
  // The marketing boxes are unticked until the shopper ticks them; the KVKK notice is a link.
  await expect(form.getByLabel("E-posta ile ticari ileti almak istiyorum.")).not.toBeChecked();
  await expect(form.getByLabel("SMS ile ticari ileti almak istiyorum.")).not.toBeChecked();
  await expect(form.getByRole("link", { name: "KVKK Aydınlatma Metni" })).toBeVisible();

  // Problems beside their fields; what was typed is kept, the password is not.
  await form.getByLabel("E-posta adresi").fill(email);
  await form.getByLabel("Yeni şifre").fill("galatasaray");
  await form.getByLabel("SMS ile ticari ileti almak istiyorum.").check();
  await form.getByRole("button", { name: "Üye ol" }).click();
  await expect(page.getByRole("alert")).toHaveText("Formda düzeltilmesi gereken alanlar var.");
  await expect(form.getByLabel("Adınız soyadınız")).toHaveAccessibleDescription("Lütfen adınızı yazın.");
  await expect(form.getByLabel("Cep telefonu (isteğe bağlı)")).toHaveAccessibleDescription(
    "SMS ile ileti almak için cep telefonunuzu da yazın.",
  );
  await expect(form.getByLabel("E-posta adresi")).toHaveValue(email);
  await expect(form.getByLabel("SMS ile ticari ileti almak istiyorum.")).toBeChecked();
  await expect(form.getByLabel("Yeni şifre")).toHaveValue("");

  await form.getByLabel("Adınız soyadınız").fill("Ayşe Yılmaz");
  await form.getByLabel("Cep telefonu (isteğe bağlı)").fill("0532 123 45 67");
  await form.getByLabel("Yeni şifre").fill("galatasaray");
  await form.getByRole("button", { name: "Üye ol" }).click();
  await expect(form.getByLabel("Yeni şifre")).toHaveAccessibleDescription(/çok yaygın/);
  await form.getByLabel("Yeni şifre").fill(password);
  await form.getByRole("button", { name: "Üye ol" }).click();
  await expect(page.getByText("E-postanızı kontrol edin")).toBeVisible();
  expect(sql(`SELECT created_ip || '|' || marketing_sms || marketing_email FROM customers WHERE email = '${email}'`)).toBe(
    `${visitorIp}|10`,
  );

  // The e-mailed link confirms the address, once.
  await page.goto(linkInMail(email, "account_verify"));
  await expect(page).toHaveURL(/\/giris\?durum=dogrulandi$/);
  await expect(page.getByRole("status")).toHaveText("E-posta adresiniz doğrulandı. Şimdi giriş yapabilirsiniz.");

  const login = page.locator("form.account-form");
  await login.getByLabel("E-posta adresi").fill(email);
  await login.getByLabel("Şifre").fill("yanlış bir şifre");
  await login.getByRole("button", { name: "Giriş yap" }).click();
  await expect(page.getByRole("alert")).toHaveText("E-posta adresi ya da şifre hatalı.");
  await expect(login.getByLabel("E-posta adresi")).toHaveValue(email);
  await login.getByLabel("Şifre").fill(password);
  await login.getByRole("button", { name: "Giriş yap" }).click();

  await expect(page).toHaveURL(/\/hesabim$/);
  await expect(page.getByRole("heading", { level: 1, name: "Hesabım" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  const session = (await page.context().cookies()).find((cookie) => cookie.name === "lm_oturum");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");

  // Contact preferences: e-mail given, SMS withdrawn; ledgered.
  const preferences = page.locator("section", { has: page.getByRole("heading", { name: "İletişim tercihleri" }) });
  await preferences.getByLabel("E-posta ile ticari ileti almak istiyorum.").check();
  await preferences.getByLabel("SMS ile ticari ileti almak istiyorum.").uncheck();
  await preferences.getByRole("button", { name: "Tercihleri kaydet" }).click();
  await expect(page.getByRole("status")).toHaveText("İletişim tercihleriniz kaydedildi.");
  await expect(preferences.getByLabel("E-posta ile ticari ileti almak istiyorum.")).toBeChecked();
  await expect(preferences.getByLabel("SMS ile ticari ileti almak istiyorum.")).not.toBeChecked();
  expect(
    sql(
      `SELECT group_concat(m.channel || m.granted || m.source, ',') FROM marketing_consents m JOIN customers c ON c.id = m.customer_id WHERE c.email = '${email}'`,
    ),
  ).toBe("sms1uye-ol,eposta1hesabim,sms0hesabim");

  // The profile.
  const profile = page.locator("section", { has: page.getByRole("heading", { name: "Profil" }) });
  await profile.getByLabel("Adınız soyadınız").fill("Ayşe Demir");
  await profile.getByRole("button", { name: "Kaydet" }).click();
  await expect(page.getByRole("status")).toHaveText("Profiliniz kaydedildi.");
  await expect(page.getByText("Hoş geldiniz, Ayşe Demir")).toBeVisible();

  if (testInfo.project.name === "js") {
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations).toEqual([]);
  }

  // Logging out; Hesabım then asks to log in.
  await page.getByRole("button", { name: "Çıkış yap" }).click();
  await expect(page.getByRole("status")).toHaveText("Çıkış yaptınız.");
  await page.goto("/hesabim");
  await expect(page).toHaveURL(/\/giris\?durum=gerekli&sonra=\/hesabim$/);
  await expect(page.getByRole("status")).toHaveText("Devam etmek için giriş yapın.");

  // A new password by e-mail.
  await page.getByRole("link", { name: "Şifremi unuttum" }).click();
  await page.locator("form.account-form").getByLabel("E-posta adresi").fill(email);
  await page.getByRole("button", { name: "Bağlantıyı gönder" }).click();
  await expect(page.getByRole("status")).toContainText("yeni şifre bağlantısını");
  const newPassword = "sonbahar yaprakları sarı";
  await page.goto(linkInMail(email, "password_reset"));
  await expect(page.getByRole("heading", { level: 1, name: "Yeni şifre belirleyin" })).toBeVisible();
  await page.getByLabel("Yeni şifre").fill(newPassword);
  await page.getByRole("button", { name: "Şifreyi kaydet" }).click();
  await expect(page.getByRole("status")).toContainText("Yeni şifreniz kaydedildi.");

  // Back to where the login was asked for.
  await page.goto("/hesabim");
  const again = page.locator("form.account-form");
  await again.getByLabel("E-posta adresi").fill(email);
  await again.getByLabel("Şifre").fill(newPassword);
  await again.getByRole("button", { name: "Giriş yap" }).click();
  await expect(page).toHaveURL(/\/hesabim$/);
  await expect(page.getByText("Hoş geldiniz, Ayşe Demir")).toBeVisible();
  expect(sql(`SELECT COUNT(*) FROM login_events e JOIN customers c ON c.id = e.customer_id WHERE c.email = '${email}' AND e.outcome = 'basarili' AND e.ip = '${visitorIp}'`)).toBe("2");
});

test("Membership in English: the same pages under /en", async ({ page, consoleErrors }) => {
  await page.goto("/en/login");
  await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
  await page.getByRole("link", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/en\/register$/);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("alert")).toHaveText("Some fields need fixing.");
  await page.goto("/en/account");
  await expect(page).toHaveURL(/\/en\/login\?durum=gerekli&sonra=\/en\/account$/);
  await expect(page.getByRole("status")).toHaveText("Please log in to continue.");
  const response = await page.goto("/en/reset-password?anahtar=0000");
  expect(response?.headers()["cache-control"]).toBe("no-store");
  await expect(page.getByRole("alert")).toContainText("This link is no longer valid");
});


test("A member: a saved address fills checkout, a kept card, Siparişlerim, cayma, Kişisel verilerim, then ending the membership", async ({
  page,
  consoleErrors,
  javaScriptEnabled,
}, testInfo) => {
  test.skip(!javaScriptEnabled, "the cart lives in the browser");
  test.setTimeout(60_000);
  const email = `uye-yolculuk-${Date.now()}@example.com`;
  const password = "mavi deniz kıyısında sabah";
  await becomeMember(page, email, password);

  // Adreslerim: the first address becomes the default.
  await page.getByRole("link", { name: "Adreslerim" }).click();
  await expect(page.getByText("Henüz kayıtlı adresiniz yok.", { exact: false })).toBeVisible();
  const book = page.locator("form.account-form");
  await book.getByLabel(/^Adres adı/).fill("Ev");
  await book.getByLabel("Ad", { exact: true }).fill("Ayşe");
  await book.getByLabel("Soyad").fill("Yılmaz");
  await book.getByLabel("İl", { exact: true }).selectOption({ label: "İstanbul" });
  await book.getByLabel("İlçe").fill("Kadıköy");
  await book.getByLabel(/^Adres \(/).fill("Caferağa Mah. Moda Cad. No: 10 D: 3");
  await book.getByLabel("Posta kodu").fill("34710");
  await book.getByRole("button", { name: "Adresi kaydet" }).click();
  await expect(page.getByRole("status")).toHaveText("Adresiniz kaydedildi.");
  await expect(page.locator(".address-card")).toContainText("Varsayılan");

  // Checkout fills the contact and the default address.
  const product = "kasmir-bisiklet-yaka-kazak";
  const variant = Number(
    sql(`SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = '${product}' ORDER BY v.position, v.id LIMIT 1`),
  );
  changeCatalogue(`UPDATE variants SET stock = 9 WHERE id = ${variant}`);
  await page.goto(`/urun/${product}`);
  await expect(page.locator(".buy-island[data-live]")).toHaveCount(1);
  await page.locator(`label[for="varyant-${variant}"]`).click();
  await page.getByRole("button", { name: "Sepete ekle" }).click();
  await expect(page.locator(".cart-link__count[data-live]")).toHaveText("1");
  await page.goto("/sepet");
  await page.getByRole("button", { name: "Ödemeye geç" }).click();
  await expect(page.getByLabel("E-posta")).toHaveValue(email);
  await expect(page.getByLabel(/^Adres/).first()).toHaveValue("Caferağa Mah. Moda Cad. No: 10 D: 3");
  await expect(page.getByRole("link", { name: "Ev", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Devam et" }).click();
  await page.getByRole("radio", { name: /Kredi \/ banka kartı/ }).check();
  await page.getByRole("button", { name: "Devam et" }).click();
  await page.getByLabel(/okudum, onaylıyorum/).check();
  await page.getByRole("button", { name: "Siparişi onayla ve öde" }).click();

  // The provider's page offers to keep the card, unticked; the member ticks it.
  await expect(page.getByText("TEST ÖDEME SAYFASI")).toBeVisible();
  await expect(page.getByLabel(/Kartımı kaydet/)).not.toBeChecked();
  await page.getByLabel("Kart numarası").fill("5528790000000008");
  await page.getByLabel("Son kullanma ayı").fill("12");
  await page.getByLabel("yılı").fill("2030");
  await page.getByLabel("CVC", { exact: true }).fill("123");
  await page.getByLabel(/Kartımı kaydet/).check();
  await page.getByRole("button", { name: "Öde" }).click();
  await expect(page).toHaveURL(/\/siparis\//);
  const number = new URL(page.url()).pathname.split("/").pop()!;

  // Siparişlerim lists it and opens it.
  await page.goto("/hesabim/siparislerim");
  await page.getByRole("link", { name: number }).click();
  await expect(page).toHaveURL(new RegExp(`/siparis/${number}\\?`));

  // Cayma from the order the member opened: acknowledged on the order page at once.
  await page.getByRole("link", { name: "Cayma talebi oluştur" }).click();
  await page.getByLabel(/cayılan adet/).selectOption("1");
  await page.getByRole("button", { name: "Cayma talebini gönder" }).click();
  await expect(page.locator(".order__cayma").getByRole("status")).toContainText(`${number}-C1`);

  // Kayıtlı kartlarım: the kept card, then deleted (its consent withdrawn).
  await page.goto("/hesabim/kayitli-kartlarim");
  await expect(page.locator(".address-card")).toContainText("•••• 0008");
  await page.getByRole("button", { name: "Sil" }).click();
  await expect(page.getByRole("status")).toHaveText("Kartınız silindi ve saklama izniniz geri alındı.");
  await expect(page.getByText("Kayıtlı kartınız yok.")).toBeVisible();

  // Kişisel verilerim: the download holds the order; an application gets its reference.
  await page.getByRole("link", { name: "Kişisel verilerim" }).click();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Verilerimi indir (JSON)" }).click(),
  ]);
  const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
  expect(exported.tablolar.orders[0].number).toBe(number);
  expect(exported.tablolar.cayma_requests[0].reference).toBe(`${number}-C1`);
  expect(exported.tablolar.card_consents.map((row: { action: string }) => row.action)).toEqual(["kaydet", "sil"]);
  await page.getByLabel("Hakkınız").selectOption("bilgi");
  await page.getByLabel("Talebiniz").fill("Verilerimin hangi amaçla işlendiğini öğrenmek istiyorum.");
  await page.getByRole("button", { name: "Başvuruyu gönder" }).click();
  await expect(page.getByRole("status")).toContainText("Başvurunuz alındı.");
  await expect(page.locator("td.reference")).toHaveText(/^KVKK-[0-9A-F]{8}$/);

  // Üyeliği sonlandır, confirmed by the password.
  await page.goto("/hesabim");
  const close = page.locator("section", { has: page.getByRole("heading", { name: "Üyeliği sonlandır" }) });
  await close.getByLabel("Onaylamak için şifreniz").fill(password);
  await close.getByRole("button", { name: "Üyeliğimi sonlandır" }).click();
  await expect(page.getByRole("status")).toHaveText("Üyeliğiniz sonlandırıldı. Size bir onay e-postası gönderdik.");
  expect(sql(`SELECT COUNT(*) FROM customers WHERE email = '${email}'`)).toBe("0");
  expect(sql(`SELECT COUNT(*) FROM orders WHERE number = '${number}' AND customer_id IS NULL`)).toBe("1");
  testInfo.annotations.push({ type: "order", description: number });
});

test("The cart follows the member: kept when it changes, emptied at logout, merged with this browser's at login", async ({
  page,
  consoleErrors,
  javaScriptEnabled,
}) => {
  test.skip(!javaScriptEnabled, "the cart lives in the browser");
  const email = `uye-sepet-${Date.now()}@example.com`;
  const password = "mavi deniz kıyısında sabah";
  await becomeMember(page, email, password);
  const variantOf = (product: string) => {
    const id = Number(
      sql(`SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = '${product}' ORDER BY v.position, v.id LIMIT 1`),
    );
    changeCatalogue(`UPDATE variants SET stock = 9 WHERE id = ${id}`);
    return id;
  };
  const addToCart = async (product: string, variant: number, count: string) => {
    await page.goto(`/urun/${product}`);
    await expect(page.locator(".buy-island[data-live]")).toHaveCount(1);
    await page.locator(`label[for="varyant-${variant}"]`).click();
    await page.getByRole("button", { name: "Sepete ekle" }).click();
    await expect(page.locator(".cart-link__count[data-live]")).toHaveText(count);
  };
  const saved = () => sql(`SELECT c.items FROM customer_carts c JOIN customers m ON m.id = c.customer_id WHERE m.email = '${email}'`);

  // Logged in (Hesabım said so): a change is kept on the server.
  const first = variantOf("fitilli-triko-kalem-elbise");
  await addToCart("fitilli-triko-kalem-elbise", first, "1");
  await expect.poll(saved).toMatch(new RegExp(`^1\\|${first}x1(@\\d+)?$`));

  // Logging out empties this browser's cart (it is kept on the server, not on a shared one).
  await page.goto("/hesabim");
  await page.getByRole("button", { name: "Çıkış yap" }).click();
  await expect(page.getByRole("status")).toHaveText("Çıkış yaptınız.");
  await expect(page.locator(".cart-link__count[data-live]")).toHaveText("");

  // As a guest, another piece; logging in brings both together.
  const second = variantOf("kruvaze-viskon-midi-elbise");
  await addToCart("kruvaze-viskon-midi-elbise", second, "1");
  await page.goto("/giris");
  const login = page.locator("form.account-form");
  await login.getByLabel("E-posta adresi").fill(email);
  await login.getByLabel("Şifre").fill(password);
  await login.getByRole("button", { name: "Giriş yap" }).click();
  await expect(page).toHaveURL(/\/hesabim$/);
  await expect(page.locator(".cart-link__count[data-live]")).toHaveText("2");
  expect(saved()).toMatch(new RegExp(`^1\\|${second}x1(@\\d+)?,${first}x1(@\\d+)?$`));
});
