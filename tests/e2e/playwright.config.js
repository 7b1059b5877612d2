// End-to-end tests drive the release PWA in Debian's Chromium against the real case server,
// which each test file starts itself (see server.js) so it can stop and restart it.
const { defineConfig } = require("@playwright/test");

module.exports = defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.js/,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    serviceWorkers: "allow",
    trace: "retain-on-failure",
    // A click whose target never comes fails within a minute with what it waited for, instead of
    // waiting out a long test's whole timeout.
    actionTimeout: 60_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      // Running as root needs --no-sandbox; the rest keeps Chromium off the closed network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
