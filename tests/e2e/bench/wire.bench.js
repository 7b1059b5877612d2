// Issue #17's wire figures, run by `cargo xtask bench` (not by the test command; nothing here
// asserts a size or a time). Debian Chromium, a fresh profile, the release server and PWA:
//
// - first visit: the sign-in page opened through a counting proxy (wire_proxy.js) until the
//   service worker is active and every file of its precache list is in the cache; every
//   response's bytes on the wire, the service worker's downloads included.
// - update: the same phone opens the app again after the server was restarted on a second
//   release with one visible string changed (XIAFANG_BENCH_UPDATE_DIST, built by the bench);
//   bytes until the new service worker is active with its precache complete.
// - Lighthouse 12 (npm, mobile preset: simulated slow 4G, 4× CPU) on the sign-in page, run
//   against Debian's Chromium (CHROME_PATH); the median run by performance score.
//
// Each figure is printed as `FIGURE <key> <value> <unit>`.
const { test, expect } = require("@playwright/test");
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { CaseServer } = require("../server.js");
const { CountingProxy } = require("./wire_proxy.js");

const root = path.resolve(__dirname, "..", "..", "..");
const DIST = process.env.XIAFANG_DIST || path.join(root, "dist");
const UPDATE_DIST = process.env.XIAFANG_BENCH_UPDATE_DIST || "";
const OUT = process.env.XIAFANG_BENCH_LIGHTHOUSE_OUT || path.join(root, "target", "bench");
const LIGHTHOUSE_RUNS = Math.max(1, Number(process.env.XIAFANG_BENCH_LIGHTHOUSE_RUNS || 3));
const CHROME = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const KiB = 1024;

function figure(key, value, unit) {
  console.log(`FIGURE ${key} ${Number.isFinite(value) ? value.toFixed(3) : "NaN"} ${unit}`);
}

/// The files a build's service worker precaches (its `PRECACHE` list, written by xtask).
function precacheList(dist) {
  const sw = fs.readFileSync(path.join(dist, "sw.js"), "utf8");
  const m = sw.match(/const PRECACHE = (\[[^\]]*\]);/);
  if (!m) {
    console.log("sw.js has no PRECACHE list this bench reads: waiting for an active worker only");
    return [];
  }
  return JSON.parse(m[1]);
}

/// A file's name without Trunk's content hash, as a figure key: xiafang-<hash>_bg.wasm → xiafang_bg_wasm.
function fileKey(urlPath) {
  const p = urlPath.split("?")[0];
  if (p.startsWith("/api/")) return "api";
  const name = p === "/" ? "index.html" : p.slice(1);
  return name
    .replace(/-[0-9a-f]{12,16}(?=(_bg)?\.)/, "")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/// Waits until the page's service worker is active, none is installing or waiting, and every
/// `list` entry is in a cache.
async function shellComplete(page, list, timeout = 600_000) {
  await expect
    .poll(
      () =>
        page.evaluate(async (list) => {
          const reg = await navigator.serviceWorker.getRegistration();
          if (!reg || !reg.active || reg.active.state !== "activated" || reg.installing || reg.waiting) return false;
          for (const u of list) if (!(await caches.match(u))) return false;
          return true;
        }, list),
      { timeout, intervals: [100] },
    )
    .toBe(true);
}

/// The registration's workers and the caches, as text.
async function workerState() {
  const reg = await navigator.serviceWorker.getRegistration();
  const w = (x) => (x ? `${x.state}` : "none");
  const keys = await caches.keys();
  const held = await Promise.all(keys.map(async (k) => `${k}: ${(await (await caches.open(k)).keys()).length} entries`));
  return `active ${w(reg?.active)}, waiting ${w(reg?.waiting)}, installing ${w(reg?.installing)}; ${held.join(", ")}`;
}

/// Prints every response and the figures `<prefix>_wire_kb`, `_requests`, `_wasm_downloads`
/// and one `<prefix>_wire_<file>_kb` per file.
function report(prefix, responses) {
  console.log(`\n${prefix}: ${responses.length} responses through the proxy`);
  console.log("  bytes   body  status enc   cache-control                          path");
  for (const r of responses) {
    console.log(
      `  ${String(r.bytes).padStart(7)} ${String(r.bodyBytes).padStart(7)} ${r.status} ${(r.encoding || "-").padEnd(5)} ` +
        `${(r.cacheControl || "-").padEnd(38)} ${r.method} ${r.path}`,
    );
  }
  const total = responses.reduce((n, r) => n + r.bytes, 0);
  figure(`${prefix}_wire_kb`, total / KiB, "KiB");
  figure(`${prefix}_wire_requests`, responses.length, "count");
  const wasm = responses.filter((r) => r.path.split("?")[0].endsWith(".wasm") && r.bodyBytes > 0);
  figure(`${prefix}_wire_wasm_downloads`, wasm.length, "count");
  const byFile = new Map();
  for (const r of responses) byFile.set(fileKey(r.path), (byFile.get(fileKey(r.path)) || 0) + r.bytes);
  for (const [key, bytes] of [...byFile.entries()].sort()) figure(`${prefix}_wire_${key}_kb`, bytes / KiB, "KiB");
  const asked = [...new Set(responses.map((r) => r.acceptEncoding))];
  console.log(`  Accept-Encoding sent by the browser: ${asked.join(" | ")}`);
}

test("first visit and update over the wire, and Lighthouse", async ({ browser }) => {
  const server = new CaseServer([], { dist: DIST });
  await server.prepare();
  await server.start();
  const proxy = new CountingProxy(server.url);
  await proxy.start();
  const context = await browser.newContext();
  try {
    // ---- first visit: a fresh profile opens the sign-in page ----
    let page = await context.newPage();
    await page.goto(`${proxy.url}/`);
    await expect(page.locator("input[name=username]")).toBeVisible({ timeout: 120_000 });
    await shellComplete(page, precacheList(DIST));
    await proxy.idle();
    report("first_visit", proxy.take());

    // ---- Lighthouse, mobile, on the sign-in page, straight to the server ----
    await lighthouse(`${server.url}/`);

    // ---- update: the server gets the next release; the phone opens the app again ----
    if (!UPDATE_DIST) {
      console.log("\nno XIAFANG_BENCH_UPDATE_DIST: update not measured");
      return;
    }
    await page.close();
    await server.stop();
    server.dist = UPDATE_DIST;
    await server.start();
    proxy.take();
    page = await context.newPage();
    await page.goto(`${proxy.url}/`);
    await expect(page.locator("input[name=username]")).toBeVisible({ timeout: 120_000 });
    try {
      await shellComplete(page, precacheList(UPDATE_DIST), 180_000);
    } catch (e) {
      // Say what did cross the wire and where the worker stands before giving up.
      report("update_unfinished", proxy.take());
      console.log(`service worker: ${await page.evaluate(workerState)}`);
      throw e;
    }
    await proxy.idle();
    report("update", proxy.take());
  } finally {
    await context.close();
    await proxy.stop();
    await server.remove();
  }
});

/// Runs Lighthouse's CLI `LIGHTHOUSE_RUNS` times and reports the median run by performance.
async function lighthouse(url) {
  const cli = require.resolve("lighthouse/cli/index.js");
  fs.mkdirSync(OUT, { recursive: true });
  const runs = [];
  for (let i = 0; i < LIGHTHOUSE_RUNS; i++) {
    const file = path.join(OUT, `lighthouse-${i + 1}.json`);
    const args = [
      cli,
      url,
      "--output=json",
      `--output-path=${file}`,
      "--only-categories=performance,accessibility,best-practices",
      "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run",
      "--quiet",
    ];
    // Lighthouse now and then loses its trace (NO_NAVSTART: "Please run Lighthouse again").
    let code = null;
    for (let attempt = 1; attempt <= 3 && code !== 0; attempt++) {
      code = await new Promise((resolve) => {
        const child = spawn(process.execPath, args, { env: { ...process.env, CHROME_PATH: CHROME }, stdio: "inherit" });
        child.on("exit", resolve);
      });
      if (code !== 0) console.log(`lighthouse run ${i + 1}, attempt ${attempt}: exited with ${code}`);
    }
    if (code !== 0) throw new Error(`lighthouse exited with ${code} three times`);
    runs.push(JSON.parse(fs.readFileSync(file, "utf8")));
  }
  const score = (lhr, c) => Math.round(100 * (lhr.categories[c]?.score ?? NaN));
  runs.sort((a, b) => score(a, "performance") - score(b, "performance"));
  console.log(`\nLighthouse ${runs[0].lighthouseVersion}, ${runs.length} runs, performance: ${runs.map((r) => score(r, "performance")).join(" ")}`);
  const lhr = runs[Math.floor(runs.length / 2)];
  const audit = (id) => lhr.audits[id]?.numericValue;
  figure("lighthouse_performance", score(lhr, "performance"), "score");
  figure("lighthouse_accessibility", score(lhr, "accessibility"), "score");
  figure("lighthouse_best_practices", score(lhr, "best-practices"), "score");
  figure("lighthouse_fcp_s", audit("first-contentful-paint") / 1000, "s");
  figure("lighthouse_lcp_s", audit("largest-contentful-paint") / 1000, "s");
  figure("lighthouse_tti_s", audit("interactive") / 1000, "s");
  figure("lighthouse_speed_index_s", audit("speed-index") / 1000, "s");
  figure("lighthouse_tbt_ms", audit("total-blocking-time"), "ms");
  figure("lighthouse_total_kb", audit("total-byte-weight") / KiB, "KiB");
  // What keeps a category under 100, in Lighthouse's words.
  for (const c of ["accessibility", "best-practices", "performance"]) {
    for (const ref of lhr.categories[c].auditRefs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) {
        console.log(`  ${c}: ${a.id} (${a.score}) ${a.title}${a.displayValue ? ` — ${a.displayValue}` : ""}`);
      }
    }
  }
  const requests = lhr.audits["network-requests"]?.details?.items || [];
  for (const r of requests) {
    console.log(`  lighthouse request: ${String(r.transferSize).padStart(8)} B ${r.url.replace(url.replace(/\/$/, ""), "")}`);
  }
}
