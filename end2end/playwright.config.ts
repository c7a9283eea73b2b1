import { defineConfig } from "@playwright/test";

// scripts/test.sh starts a release server on a fresh database and passes its address here.
const baseURL = process.env.BASE_URL ?? "http://127.0.0.1:3000";

// Debian's Chromium, not a downloaded one (this machine cannot download browsers). As root it
// needs --no-sandbox; the other flags stop it from calling home over a closed network.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  forbidOnly: true,
  retries: 0,
  workers: 2,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "tr-TR",
    trace: "retain-on-failure",
  },
  projects: [
    // A shopper's browser.
    { name: "js", use: { javaScriptEnabled: true, launchOptions } },
    // What a search engine (or a browser with scripts off) sees.
    { name: "no-js", use: { javaScriptEnabled: false, launchOptions } },
  ],
});
