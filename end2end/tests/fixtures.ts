import { test as base, expect, Page } from "@playwright/test";

/**
 * Every page a test opens is watched: an error in the browser console or an uncaught exception
 * (a failed hydration, a CSP violation, a WASM panic) fails the test.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await use(errors);
    expect(errors, "browser console errors").toEqual([]);
  },
});

export { expect };

/** Waits until the islands on the page are hydrated (they mark themselves). */
export async function waitForIslands(page: Page) {
  await expect(page.locator(".main-nav[data-hydrated]")).toHaveCount(1);
}
