import { Page } from "@playwright/test";
import { test, expect, sql, waitForIslands } from "./fixtures";

// These tests start as a first-time visitor: no cookie choice yet.
test.use({ cookieChoice: "none" });

const PRODUCT = "/urun/supima-pamuk-tisort";
const OTHER_PRODUCT = "/urun/oversize-poplin-gomlek";
const NECESSARY_STORAGE = ["lesminoria.sepet"];

function banner(page: Page) {
  return page.getByRole("region", { name: "Çerez tercihleriniz" });
}

/** The consent cookie's parts: policy version, the three category bits, visitor id. */
async function consentCookie(page: Page) {
  const cookie = (await page.context().cookies()).find((c) => c.name === "lm_cerez");
  if (!cookie) return undefined;
  const [version, bits, visitor] = cookie.value.split(":");
  return { version, bits, visitor, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite };
}

/** The visitor's ledger rows, oldest first: action and functional/analytics/marketing. */
function ledger(visitor: string): string[] {
  const rows = sql(
    `SELECT action || ' ' || functional || analytics || marketing FROM consent_ledger WHERE visitor_id = '${visitor}' ORDER BY id`,
  );
  return rows ? rows.split("\n") : [];
}

/** Waits until the product page's recently-viewed island has applied the consent state. */
async function recentlyViewedLive(page: Page) {
  await expect(page.locator(".recently-viewed-island[data-live]")).toHaveCount(1);
}

/** Every cookie name and every localStorage / sessionStorage key the site left. */
async function browserStorage(page: Page) {
  const cookies = (await page.context().cookies()).map((c) => c.name).sort();
  const storage = await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].sort());
  return { cookies, storage };
}

test.describe("with JavaScript", () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "the banner's island");

  test("before a choice only the banner is there: no cookie, no storage, focus in the banner", async ({
    page,
    consoleErrors,
  }) => {
    await page.goto(PRODUCT);
    await waitForIslands(page);
    await expect(banner(page)).toBeVisible();
    await expect(banner(page)).toBeFocused();
    await expect(page.locator("html")).toHaveAttribute("data-cerez", "yok");
    // Recently viewed is personalisation: without İşlevsel consent nothing is kept or shown.
    await page.goto(OTHER_PRODUCT);
    await waitForIslands(page);
    await recentlyViewedLive(page);
    expect(await browserStorage(page)).toEqual({ cookies: [], storage: [] });
    await expect(page.getByRole("heading", { name: "Son baktığınız ürünler" })).toBeHidden();
  });

  test("Kabul ediyorum: no reload, all categories, a ledger row, and recently viewed products", async ({
    page,
    consoleErrors,
  }) => {
    await page.goto(PRODUCT);
    await waitForIslands(page);
    await page.evaluate(() => ((window as any).sameDocument = true));
    await banner(page).getByRole("button", { name: "Kabul ediyorum" }).click();
    await expect(banner(page)).toBeHidden();
    expect(await page.evaluate(() => (window as any).sameDocument)).toBe(true);
    await expect(page.locator("html")).toHaveAttribute("data-cerez", "111");
    const cookie = await consentCookie(page);
    expect(cookie).toMatchObject({ bits: "111", httpOnly: true, sameSite: "Lax" });
    expect(cookie!.visitor).toMatch(/^[0-9a-f]{32}$/);
    expect(ledger(cookie!.visitor)).toEqual(["kabul 111"]);
    // Focus goes back to the page, not lost on the hidden banner.
    await expect(page.locator("#icerik")).toBeFocused();

    await page.goto(OTHER_PRODUCT);
    await waitForIslands(page);
    await expect(banner(page)).toBeHidden();
    const recent = page.locator("section.recently-viewed");
    await expect(recent.getByRole("heading", { name: "Son baktığınız ürünler" })).toBeVisible();
    await expect(recent.getByRole("link", { name: /Supima Pamuk Tişört/ })).toBeVisible();
    expect((await browserStorage(page)).storage).toEqual(["lesminoria.son-bakilanlar"]);
  });

  test("Reddet: only strictly necessary storage, even after using the cart", async ({
    page,
    consoleErrors,
  }) => {
    await page.goto(PRODUCT);
    await waitForIslands(page);
    await banner(page).getByRole("button", { name: "Reddet" }).click();
    await expect(banner(page)).toBeHidden();
    const cookie = await consentCookie(page);
    expect(cookie?.bits).toBe("000");
    expect(ledger(cookie!.visitor)).toEqual(["red 000"]);

    const variant = await page.locator('input[name="varyant"]:not([disabled])').first().getAttribute("id");
    await page.locator(`label[for="${variant}"]`).click();
    await page.getByRole("button", { name: "Sepete ekle" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    await page.goto(OTHER_PRODUCT);
    await waitForIslands(page);
    await recentlyViewedLive(page);
    const storage = await browserStorage(page);
    expect(storage.cookies).toEqual(["lm_cerez"]);
    expect(storage.storage).toEqual(NECESSARY_STORAGE);
    await expect(page.getByRole("heading", { name: "Son baktığınız ürünler" })).toBeHidden();
  });

  test("Tercihler: a choice per category, recorded as such", async ({ page, consoleErrors }) => {
    await page.goto("/en");
    await waitForIslands(page);
    const englishBanner = page.getByRole("region", { name: "Your cookie choices" });
    await englishBanner.getByText("Preferences", { exact: true }).click();
    const necessary = englishBanner.getByRole("switch", { name: /Strictly necessary/ });
    await expect(necessary).toBeChecked();
    await expect(necessary).toBeDisabled();
    await englishBanner.getByRole("switch", { name: "Analytics" }).check();
    await englishBanner.getByRole("button", { name: "Save my choices" }).click();
    await expect(englishBanner).toBeHidden();
    const cookie = await consentCookie(page);
    expect(cookie?.bits).toBe("010");
    expect(ledger(cookie!.visitor)).toEqual(["tercih 010"]);
    // The ledger keeps the policy text's fingerprint in the language it was shown in.
    const hash = sql(`SELECT policy_sha256 || ' ' || locale FROM consent_ledger WHERE visitor_id = '${cookie!.visitor}'`);
    expect(hash).toMatch(/^[0-9a-f]{64} en$/);
  });

  test("the footer link reopens the banner; withdrawing İşlevsel deletes what it allowed", async ({
    page,
    consoleErrors,
  }) => {
    await page.goto(PRODUCT);
    await waitForIslands(page);
    await banner(page).getByRole("button", { name: "Kabul ediyorum" }).click();
    await expect(banner(page)).toBeHidden();
    await page.goto(OTHER_PRODUCT);
    await waitForIslands(page);
    // The island records the visit once it is live.
    await expect.poll(async () => (await browserStorage(page)).storage).toContain("lesminoria.son-bakilanlar");

    const link = page.locator("footer").getByRole("link", { name: "Çerez tercihleri" });
    await link.click();
    await expect(banner(page)).toBeVisible();
    await expect(banner(page)).toBeFocused();
    await expect(page).toHaveURL(OTHER_PRODUCT);
    const functional = banner(page).getByRole("switch", { name: "İşlevsel" });
    await expect(functional).toBeChecked();
    // Escape is not a choice: it closes the reopened banner and changes nothing.
    await page.keyboard.press("Escape"); // folds the switches
    await page.keyboard.press("Escape"); // closes
    await expect(banner(page)).toBeHidden();
    await expect(link).toBeFocused();
    const cookie = await consentCookie(page);
    expect(ledger(cookie!.visitor)).toEqual(["kabul 111"]);

    await link.click();
    await functional.uncheck();
    await banner(page).getByRole("button", { name: "Seçimlerimi kaydet" }).click();
    await expect(banner(page)).toBeHidden();
    expect(ledger(cookie!.visitor)).toEqual(["kabul 111", "tercih 011"]);
    expect((await consentCookie(page))?.visitor).toBe(cookie!.visitor);
    expect((await browserStorage(page)).storage).toEqual([]);
    await expect(page.getByRole("heading", { name: "Son baktığınız ürünler" })).toBeHidden();
  });

  test("works from the keyboard alone, and Escape never counts as consent", async ({
    page,
    consoleErrors,
  }) => {
    await page.goto("/");
    await waitForIslands(page);
    await expect(banner(page)).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(banner(page)).toBeVisible();
    expect(await consentCookie(page)).toBeUndefined();
    // Into the text's link, then the three answers in order.
    await page.keyboard.press("Tab");
    await expect(banner(page).getByRole("link", { name: "Gizlilik ve Çerez Politikası" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(banner(page).getByRole("button", { name: "Kabul ediyorum" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(banner(page).getByRole("button", { name: "Reddet" })).toBeFocused();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter"); // opens "Tercihler"
    const functional = banner(page).getByRole("switch", { name: "İşlevsel" });
    await expect(functional).toBeVisible();
    await page.keyboard.press("Tab"); // Zorunlu is disabled and skipped
    await expect(functional).toBeFocused();
    await page.keyboard.press("Space");
    await expect(functional).toBeChecked();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect(banner(page).getByRole("button", { name: "Seçimlerimi kaydet" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(banner(page)).toBeHidden();
    await expect(page.locator("#icerik")).toBeFocused();
    expect((await consentCookie(page))?.bits).toBe("100");
  });
});

test.describe("without JavaScript", () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled, "what a browser without scripts sees");

  test("the banner is in the HTML and works as a plain form", async ({ page, consoleErrors }) => {
    await page.goto(`${PRODUCT}?renk=beyaz`);
    await expect(banner(page)).toBeVisible();
    for (const name of ["Kabul ediyorum", "Reddet"]) {
      await expect(banner(page).getByRole("button", { name })).toBeVisible();
    }
    await expect(banner(page).getByText("Tercihler", { exact: true })).toBeVisible();
    await banner(page).getByRole("button", { name: "Reddet" }).click();
    // Back on the same page, now without the banner.
    await expect(page).toHaveURL(`${PRODUCT}?renk=beyaz`);
    await expect(banner(page)).toBeHidden();
    const cookie = await consentCookie(page);
    expect(cookie?.bits).toBe("000");
    expect(ledger(cookie!.visitor)).toEqual(["red 000"]);
    expect((await page.context().cookies()).map((c) => c.name)).toEqual(["lm_cerez"]);
  });

  test("Tercihler opens without scripts, and the footer link leads to the preferences page", async ({
    page,
    consoleErrors,
  }) => {
    await page.goto("/");
    await banner(page).getByText("Tercihler", { exact: true }).click();
    await banner(page).getByRole("switch", { name: "Pazarlama" }).check();
    await banner(page).getByRole("button", { name: "Seçimlerimi kaydet" }).click();
    await expect(banner(page)).toBeHidden();
    const cookie = await consentCookie(page);
    expect(cookie?.bits).toBe("001");

    await page.locator("footer").getByRole("link", { name: "Çerez tercihleri" }).click();
    await expect(page).toHaveURL("/cerez-tercihleri");
    await expect(page.getByRole("heading", { level: 1, name: "Çerez tercihleri" })).toBeVisible();
    await expect(page.getByRole("switch", { name: "Pazarlama" })).toBeChecked();
    await page.getByRole("button", { name: "Kabul ediyorum" }).click();
    await expect(page).toHaveURL("/cerez-tercihleri?kaydedildi=1");
    await expect(page.getByRole("status")).toHaveText("Çerez tercihiniz kaydedildi.");
    expect(ledger(cookie!.visitor)).toEqual(["tercih 001", "kabul 111"]);
  });
});
