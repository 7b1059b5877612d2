// The phone benchmark (`cargo xtask bench`, not part of the test command): the same Chromium
// and page settings as the end-to-end tests, one long test, no time limit.
const { defineConfig } = require("@playwright/test");
const base = require("../playwright.config.js");

module.exports = defineConfig({
  ...base,
  testDir: __dirname,
  testMatch: /.*\.bench\.js/,
  timeout: 0,
  reporter: [["list"]],
  use: { ...base.use, trace: "off" },
});
