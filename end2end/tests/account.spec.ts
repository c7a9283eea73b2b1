import AxeBuilder from "@axe-core/playwright";
import { test, expect, sql } from "./fixtures";

/** The path and query of the link in the newest e-mail of `kind` to `email` (the outbox). */
function linkInMail(email: string, kind: string): string {
  const body = sql(
    `SELECT body_text FROM outbox_emails WHERE recipient = '${email}' AND kind = '${kind}' ORDER BY id DESC LIMIT 1`,
  );
  const address = body.match(/https?:\/\/\S+/);
  expect(address, `a link in the ${kind} e-mail`).not.toBeNull();
  const url = new URL(address![0]);
  return url.pathname + url.search;
}

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
