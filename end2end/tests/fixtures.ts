import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { test as base, expect, Page } from "@playwright/test";

/**
 * Every page a test opens is watched: an error in the browser console or an uncaught exception
 * (a failed hydration, a CSP violation, a WASM panic, a missing script or style) fails the test.
 * The one exception is Chromium's note about a document that answered with an error status on
 * purpose (the 404 page): the status itself is what those tests assert.
 */
export const test = base.extend<{
  consoleErrors: string[];
  cookieChoice: "none" | "red";
  visitorIp: string;
}>({
  /**
   * The visitor's cookie choice when the test starts. Most tests are about something else and
   * run as a visitor who already answered the banner with "Reddet" (through the real form);
   * the cookie banner's own tests start with no choice.
   */
  cookieChoice: ["red", { option: true }],
  /**
   * Each test is a visitor of its own address, as shoppers are: the shop limits cookie choices
   * and messages per IP, and the suite's hundred visitors would otherwise all be 127.0.0.1.
   * The test server believes X-Forwarded-For from 127.0.0.1 (LESMINORIA_TRUSTED_PROXIES in
   * scripts/test.sh), as it would from the reverse proxy in front of it.
   */
  visitorIp: async ({}, use, testInfo) => {
    await use(visitorAddress(testInfo));
  },
  context: async ({ context, cookieChoice, baseURL, visitorIp }, use) => {
    await context.setExtraHTTPHeaders({ "x-forwarded-for": visitorIp });
    if (cookieChoice === "red") {
      const response = await context.request.post("/cerez-tercihi", {
        form: { secim: "red", dil: "tr" },
        headers: { origin: baseURL! },
        maxRedirects: 0,
      });
      expect(response.status()).toBe(303);
    }
    await use(context);
  },
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    const documentsWithErrorStatus = new Set<string>();
    // A page the shop answers with an error status on purpose (a refused form's 422, a 404) is
    // not a fault, whether the browser navigated to it or the checkout island fetched it to
    // swap in; Chromium logs both as "Failed to load resource".
    page.on("response", (response) => {
      const isPage =
        response.request().isNavigationRequest() ||
        (response.headers()["content-type"] ?? "").startsWith("text/html");
      if (isPage && response.status() >= 400) {
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

let visitors = 0;

/** A benchmarking-range address (198.18.0.0/15), one per test in this worker. */
function visitorAddress(testInfo: { workerIndex: number }): string {
  visitors += 1;
  return `198.18.${testInfo.workerIndex % 250}.${(visitors % 250) + 1}`;
}

/** Waits until the islands on the page are hydrated (they mark themselves). */
export async function waitForIslands(page: Page) {
  await expect(page.locator(".main-nav[data-hydrated]")).toHaveCount(1);
}

/** Runs SQL on the e2e server's SQLite database (scripts/test.sh names its file). */
export function sql(query: string): string {
  const file = process.env.E2E_DATABASE_FILE;
  if (!file) throw new Error("E2E_DATABASE_FILE is not set (run through scripts/test.sh)");
  return execFileSync("sqlite3", ["-cmd", ".timeout 5000", file, query], { encoding: "utf8" }).trim();
}

/** How long a server may render pages from what it last knew of the catalogue before asking the
 *  database again (`VERSION_CHECK_INTERVAL` in app/src/backend/catalogue/snapshot.rs), and a
 *  margin. A change made behind the server's back shows on its pages within this time. */
export const CATALOGUE_CHECK_MS = 1_000 + 150;

/** Changes the catalogue behind the server's back, as the back office or another process
 *  would, and waits until every page shows it. */
export function changeCatalogue(query: string): void {
  sql(query);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, CATALOGUE_CHECK_MS);
}

/** Adds a member of staff to the e2e server's database with the shop's own command
 *  (`server create-staff`, the password on standard input), as an operator would. */
export function createStaff(email: string, role: "destek" | "yonetici", password: string): string | null {
  return createStaffPrinting(email, role, password).secret;
}

/** A member of staff made with the server's own command: a yonetici's TOTP secret and recovery codes. */
export function createStaffPrinting(
  email: string,
  role: "destek" | "yonetici",
  password: string,
): { secret: string | null; recoveryCodes: string[] } {
  const printed = execFileSync(
    "../target/release/server",
    ["create-staff", "--email", email, "--name", "Deniz Kaya", "--role", role],
    { input: `${password}\n`, encoding: "utf8", env: process.env },
  );
  // A yonetici's TOTP secret and recovery codes, as the command prints them.
  return {
    secret: printed.match(/secret: ([A-Z2-7]+)/)?.[1] ?? null,
    recoveryCodes: printed.match(/recovery codes[^:]*: (.*)/)?.[1].trim().split(" ") ?? [],
  };
}

/** The RFC 6238 code of a base32 `secret` now, as an authenticator app shows it. */
export function totpCode(secret: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}
