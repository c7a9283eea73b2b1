import { test, expect, sql } from "./fixtures";

// A public page with a plain form: the same test runs with JavaScript on and off.
test("İletişim: the seller's identity, problems next to their fields, typed text kept, then a reference", async ({
  page,
  consoleErrors,
  visitorIp,
}, testInfo) => {
  await page.goto("/iletisim");
  await expect(page.getByRole("heading", { level: 1, name: "İletişim" })).toBeVisible();
  const seller = page.locator("dl.seller");
  for (const label of ["Ticaret unvanı", "MERSİS no", "Adres", "Telefon", "KEP adresi", "E-posta"]) {
    await expect(seller.getByText(label, { exact: true })).toBeVisible();
  }

  const form = page.locator("form.contact-form");
  const name = `Deneme ${testInfo.project.name} ${Date.now()}`;
  await form.getByLabel("Adınız soyadınız").fill(name);
  await form.getByLabel("E-posta adresiniz").fill("ayse@");
  await form.getByLabel("Mesajınız").fill("Kısa");
  await form.getByRole("button", { name: "Gönder" }).click();

  await expect(page.getByRole("alert")).toHaveText("Formda düzeltilmesi gereken alanlar var.");
  const email = form.getByLabel("E-posta adresiniz");
  await expect(email).toHaveValue("ayse@");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription(/geçerli bir e-posta adresi/);
  await expect(form.getByLabel("Konu")).toHaveAccessibleDescription("Lütfen bir konu seçin.");
  await expect(form.getByLabel("Mesajınız")).toHaveValue("Kısa");
  await expect(form.getByLabel("Adınız soyadınız")).toHaveValue(name);

  await form.getByLabel("Konu").selectOption("oneri");
  await email.fill("ayse@example.com");
  await form.getByLabel("Mesajınız").fill("Beden tablosuna santim ölçüleri eklenebilir mi?");
  await form.getByRole("button", { name: "Gönder" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Mesajınız alındı" })).toBeVisible();
  const reference = (await page.locator(".reference").textContent())!;
  expect(reference).toMatch(/^ILT-[0-9A-F]{8}$/);
  expect(sql(`SELECT topic || '|' || name || '|' || ip FROM contact_messages WHERE reference = '${reference}'`)).toBe(
    `oneri|${name}|${visitorIp}`,
  );
});
