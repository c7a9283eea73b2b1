import { test, expect, waitForIslands } from "./fixtures";

// A phone: the navigation is a drawer behind "LES MENÜ".
test.use({ viewport: { width: 390, height: 844 } });

test.describe("LES MENÜ with JavaScript (the island)", () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "needs the WASM island");

  test("opens and closes in place, and Escape returns focus to the toggle", async ({
    page,
    consoleErrors,
  }) => {
    await page.goto("/");
    await waitForIslands(page);
    const toggle = page.getByRole("button", { name: "LES MENÜ" });
    const drawer = page.locator("#les-menu");
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(drawer).toBeHidden();

    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(drawer).toBeVisible();
    // The island toggles without following the no-script link.
    expect(new URL(page.url()).hash).toBe("");
    // Focus moves to the first link in the drawer: the first category.
    await expect(drawer.getByRole("link", { name: "Kadın", exact: true })).toBeFocused();

    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(toggle).toBeFocused();
  });

  test("works from the keyboard alone", async ({ page, consoleErrors }) => {
    await page.goto("/");
    await waitForIslands(page);
    const toggle = page.getByRole("button", { name: "LES MENÜ" });
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    const drawer = page.locator("#les-menu");
    await expect(drawer.getByRole("link", { name: "Kadın", exact: true })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(drawer.getByRole("link", { name: "Elbise" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL("/kategori/kadin-elbise");
    await expect(page.getByRole("heading", { level: 1, name: "Elbise" })).toBeVisible();
  });

  test("the space bar toggles it like a button", async ({ page, consoleErrors }) => {
    await page.goto("/");
    await waitForIslands(page);
    const toggle = page.getByRole("button", { name: "LES MENÜ" });
    await toggle.focus();
    await page.keyboard.press("Space");
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(page.locator("#les-menu")).toBeVisible();
  });

  test("the close link inside the drawer closes it", async ({ page, consoleErrors }) => {
    await page.goto("/");
    await waitForIslands(page);
    await page.getByRole("button", { name: "LES MENÜ" }).click();
    await page.getByRole("link", { name: "Menüyü kapat" }).click();
    await expect(page.locator("#les-menu")).toBeHidden();
    await expect(page.getByRole("button", { name: "LES MENÜ" })).toBeFocused();
  });
});

test.describe("LES MENÜ without JavaScript (what a crawler sees)", () => {
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled, "the no-script path");

  test("the menu link still opens the drawer and its links work", async ({ page }) => {
    await page.goto("/");
    const drawer = page.locator("#les-menu");
    await expect(drawer).toBeHidden();
    await page.getByRole("button", { name: "LES MENÜ" }).click();
    await expect(page).toHaveURL(/#les-menu$/);
    await expect(drawer).toBeVisible();
    await drawer.getByRole("link", { name: "İletişim" }).click();
    await expect(page).toHaveURL("/iletisim");
    await expect(page.getByRole("heading", { level: 1, name: "İletişim" })).toBeVisible();
  });
});

test.describe("on a wide screen", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("LES MENÜ opens the same navigation as a side panel", async ({ page, consoleErrors }) => {
    await page.goto("/");
    const toggle = page.getByRole("button", { name: "LES MENÜ" });
    await expect(toggle).toBeVisible();
    await expect(page.locator("#les-menu")).toBeHidden();
    await toggle.click();
    await expect(page.locator("#les-menu").getByRole("link", { name: "İletişim" })).toBeVisible();
  });
});
