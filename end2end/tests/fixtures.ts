import { test as base, expect, Page } from "@playwright/test";

/**
 * Every page a test opens is watched: an error in the browser console or an uncaught exception
 * (a failed hydration, a CSP violation, a WASM panic, a missing script or style) fails the test.
 * The one exception is Chromium's note about a document that answered with an error status on
 * purpose (the 404 page): the status itself is what those tests assert.
 */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    const documentsWithErrorStatus = new Set<string>();
    page.on("response", (response) => {
      if (response.request().isNavigationRequest() && response.status() >= 400) {
        documentsWithErrorStatus.add(response.url());
      }
    });
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const isDocumentStatus =
        message.text().startsWith("Failed to load resource") &&
        documentsWithErrorStatus.has(message.location().url);
      if (!isDocumentStatus) errors.push(`${message.text()} (${message.location().url})`);
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
