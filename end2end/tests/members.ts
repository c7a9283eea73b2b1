/** A member's first steps and a member of staff's login, shared by the account, back-office and
 *  campaign tests. */
import { Page } from "@playwright/test";
import { expect, sql, createStaff, totpCode } from "./fixtures";

/** The path and query of the link in the newest e-mail of `kind` to `email` (the outbox). */
export function linkInMail(email: string, kind: string): string {
  const body = sql(
    `SELECT body_text FROM outbox_emails WHERE recipient = '${email}' AND kind = '${kind}' ORDER BY id DESC LIMIT 1`,
  );
  const address = body.match(/https?:\/\/\S+/);
  expect(address, `a link in the ${kind} e-mail`).not.toBeNull();
  const url = new URL(address![0]);
  return url.pathname + url.search;
}

/** Registers `email`, confirms it by the e-mailed link and logs in: on Hesabım after. */
export async function becomeMember(page: Page, email: string, password: string) {
  await page.goto("/uye-ol");
  const form = page.locator("form.account-form");
  await form.getByLabel("Adınız soyadınız").fill("Ayşe Yılmaz");
  await form.getByLabel("E-posta adresi").fill(email);
  await form.getByLabel("Cep telefonu (isteğe bağlı)").fill("0532 123 45 67");
  await form.getByLabel("Yeni şifre").fill(password);
  await form.getByRole("button", { name: "Üye ol" }).click();
  await expect(page.getByText("E-postanızı kontrol edin")).toBeVisible();
  await page.goto(linkInMail(email, "account_verify"));
  const login = page.locator("form.account-form");
  await login.getByLabel("E-posta adresi").fill(email);
  await login.getByLabel("Şifre").fill(password);
  await login.getByRole("button", { name: "Giriş yap" }).click();
  await expect(page).toHaveURL(/\/hesabim$/);
}

/** Creates a member of staff with `role` (as an operator would, with the server's command) and
 *  logs them in on `page`, with the TOTP code a yonetici needs. */
export async function staffLogIn(page: Page, email: string, role: "destek" | "yonetici" = "destek") {
  const password = "lacivert kadife perde";
  const secret = createStaff(email, role, password);
  await page.goto("/yonetim/giris");
  await page.getByLabel("E-posta").fill(email);
  await page.getByLabel("Şifre").fill(password);
  if (secret) await page.getByLabel(/Doğrulama kodu/).fill(totpCode(secret));
  await page.getByRole("button", { name: "Giriş yap" }).click();
  await expect(page.getByRole("heading", { name: "Yönetim paneli" })).toBeVisible();
}
