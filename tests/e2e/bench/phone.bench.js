// The phone half of issue #7's benchmark, run by `cargo xtask bench` (not by the test command;
// nothing here asserts a time). Debian Chromium drives the release PWA against the real server,
// started on a generated world of 2,000 files and 20,000 records for one cadre; the DevTools
// protocol throttles the CPU and the network and reads memory. Each figure is printed as
// `FIGURE <key> <value> <unit>`; timings are taken inside the page (performance.now) so the
// Playwright round trips are not counted.
//
// Environment: XIAFANG_BENCH_SAVES (default 1000), XIAFANG_BENCH_RUNS (cold starts, default 3),
// XIAFANG_BENCH_OUT (a directory for the CPU profiles; none written without it).
const { test, expect } = require("@playwright/test");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { CaseServer } = require("../server.js");
const { choosePin, PIN, shellCached } = require("../helpers.js");
const { generate, CADRE } = require("./world.js");

const FILES = 2000;
/// The list draws this many cards and a 显示更多档案（N） button for the rest (src/pages/files.rs).
const SHOWN = 50;

/// The file list is complete: its first cards drawn and the button counting all the others.
async function listComplete(page, options) {
  await expect(page.getByTestId("file-list").locator("li")).toHaveCount(Math.min(FILES, SHOWN), options);
  await expect(page.getByTestId("more-files")).toContainText(`（${FILES - SHOWN}）`, options);
}
const RECORDS = 20000;
const SAVES = Number(process.env.XIAFANG_BENCH_SAVES || 1000);
const RUNS = Math.max(1, Number(process.env.XIAFANG_BENCH_RUNS || 3));
const OUT = process.env.XIAFANG_BENCH_OUT || "";
/// Emulated 3G of the issue: 400 ms round trip, 400 kbit/s up, 750 kbit/s down.
const THREE_G = { offline: false, latency: 400, uploadThroughput: 400_000 / 8, downloadThroughput: 750_000 / 8 };
const OFFLINE = { offline: true, latency: 0, uploadThroughput: -1, downloadThroughput: -1 };
const ONLINE = { offline: false, latency: 0, uploadThroughput: -1, downloadThroughput: -1 };

function figure(key, value, unit) {
  console.log(`FIGURE ${key} ${Number.isFinite(value) ? value.toFixed(3) : "NaN"} ${unit}`);
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
const median = (values) => quantile(values, 0.5);

// Marks taken in every document before the app's own scripts run: when the wasm started, when
// the PIN screen and the file list were first painted (the next frame after they appeared).
function installMarks() {
  window.__marks = {};
  addEventListener("TrunkApplicationStarted", (e) => {
    window.__wasm = e.detail.wasm;
    window.__marks.wasmStarted = performance.now();
  });
  const painted = (key) =>
    requestAnimationFrame(() => setTimeout(() => (window.__marks[key] ??= performance.now())));
  new MutationObserver(() => {
    if (!("pinSeen" in window.__marks) && document.querySelector("input[name=pin]")) {
      window.__marks.pinSeen = performance.now();
      painted("pinReady");
    }
    if (!("listSeen" in window.__marks) && document.querySelector("[data-testid=file-list] li")) {
      window.__marks.listSeen = performance.now();
      painted("listReady");
    }
  }).observe(document, { childList: true, subtree: true });
}

/// The body sizes of the pushes in a stretch of the server's log (its request lines, which may
/// carry terminal colours).
function pushSizes(log) {
  const plain = log.replace(/\x1b\[[0-9;]*m/g, "");
  return plain
    .split("\n")
    .filter((line) => line.includes('method="POST"') && line.includes("route=/api/sync/push"))
    .map((line) => Number((line.match(/bytes_in=(\d+)/) || [])[1]))
    .filter((n) => Number.isFinite(n));
}

/// Resolves with `window.__marks[key]` once it is set.
function mark(page, key, timeout = 120_000) {
  return page
    .waitForFunction((k) => window.__marks && window.__marks[k], key, { timeout, polling: 20 })
    .then((h) => h.jsonValue());
}

/// Top self-time functions of a CDP CPU profile, as printed lines.
function summarise(profile, label, top = 15) {
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length) / 1000;
  const self = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const where = f.url ? path.basename(f.url.split("?")[0]) : "";
    const name = `${f.functionName || "(anonymous)"}${where ? ` ${where}` : ""}`;
    const ms = (node.hitCount || 0) * interval;
    if (name === "(idle)") continue;
    total += ms;
    self.set(name, (self.get(name) || 0) + ms);
  }
  console.log(`\nCPU profile, ${label}: ${total.toFixed(0)} ms busy (idle left out); top self time:`);
  [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([name, ms]) =>
      console.log(`  ${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${name}`),
    );
}

/// Where the renderer's main thread spent `body`'s time (Performance.getMetrics deltas, ms):
/// script, style recalculation, layout, and the rest of its tasks (DOM, paint, IndexedDB, …).
async function split(cdp, label, body) {
  const read = async () =>
    Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  const before = await read();
  const result = await body();
  const after = await read();
  const d = (k) => (1000 * (after[k] - before[k])).toFixed(0);
  console.log(
    `main thread, ${label}: tasks ${d("TaskDuration")} ms = script ${d("ScriptDuration")} + style ` +
      `${d("RecalcStyleDuration")} + layout ${d("LayoutDuration")} + other; ${after.Nodes - before.Nodes} DOM nodes added`,
  );
  return result;
}

async function profiled(cdp, label, file, body) {
  if (!OUT) return body();
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const result = await body();
  const { profile } = await cdp.send("Profiler.stop");
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, file), JSON.stringify(profile));
  summarise(profile, label);
  return result;
}

test("phone figures with 2,000 files and 20,000 records", async ({ browser }) => {
  const worldDir = fs.mkdtempSync(path.join(os.tmpdir(), "xiafang-bench-world-"));
  const worldFile = path.join(worldDir, "world.json");
  fs.writeFileSync(worldFile, JSON.stringify(generate({ files: FILES, records: RECORDS })));
  const server = new CaseServer(["--demo-file", worldFile]);
  await server.prepare();
  await server.start();
  const context = await browser.newContext();
  try {
    await context.addInitScript(installMarks);
    const page = await context.newPage();
    // A failure inside the app (a trap in the wasm, a refused read) is printed, not only waited out.
    page.on("pageerror", (e) => console.log(`page error: ${e.stack || e}`));
    // Offline fetches failing is what offline means; anything else is printed.
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().includes("ERR_INTERNET_DISCONNECTED")) console.log(`console error: ${m.text()}`);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Performance.enable");

    // ---- first sync: sign in, set the PIN, download every file and record ----
    await page.goto(`${server.url}/`);
    await page.fill("input[name=username]", CADRE.username);
    await page.fill("input[name=password]", CADRE.password);
    const t0 = Date.now();
    await page.click("button[type=submit]");
    await expect(page.getByRole("heading", { name: "设置解锁码" })).toBeVisible({ timeout: 120_000 });
    await choosePin(page);
    await listComplete(page, { timeout: 600_000 });
    await expect
      .poll(() => page.evaluate(appRecordCount), { timeout: 600_000, intervals: [250] })
      .toBeGreaterThanOrEqual(RECORDS);
    figure("phone_first_sync_s", (Date.now() - t0) / 1000, "s");
    await shellCached(page);

    // ---- one PIN guess, CPU 4×: a wrong PIN costs one derivation (argon2id, then the phone's
    // HMAC pepper) and a failed open: the price of each of an attacker's guesses on a phone ----
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await page.reload();
    await expect(page.getByRole("heading", { name: "输入解锁码" })).toBeVisible({ timeout: 60_000 });
    await page.fill("input[name=pin]", "135792");
    const guessed = await page.evaluate(() => performance.now());
    await page.getByRole("button", { name: "解锁", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("解锁码不正确", { timeout: 60_000 });
    figure("phone_pin_guess_ms", (await page.evaluate(() => performance.now())) - guessed, "ms");
    // The right PIN resets the wrong-PIN count.
    await page.fill("input[name=pin]", PIN);
    await page.getByRole("button", { name: "解锁", exact: true }).click();
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
    await listComplete(page, { timeout: 600_000 });

    // ---- cold start offline: reload from the service worker's cache, 4x slower CPU ----
    await cdp.send("Network.emulateNetworkConditions", OFFLINE);
    // The first reload after sign-in compiles the wasm afresh; later ones find the browser's
    // compiled code cached with the shell. The first is reported on its own, the median of the
    // next RUNS is the figure; one more reload is profiled and not counted.
    const coldRuns = [];
    let first = null;
    for (let run = 0; run <= RUNS + 1; run++) {
      const profiling = run === RUNS + 1;
      if (profiling && !OUT) break;
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      const measured = async () => {
        await page.reload({ waitUntil: "commit" });
        const ready = await mark(page, "pinReady");
        const wasm = await mark(page, "wasmStarted");
        await page.fill("input[name=pin]", PIN);
        const listed = await split(cdp, "PIN → file list", async () => {
          await page.evaluate(() => {
            window.__marks.unlockClicked = performance.now();
            // Not the static first screen's copy, hidden and disabled ahead of the app's in the page.
            [...document.querySelectorAll("button")]
              .find((b) => !b.closest("#first-paint") && b.textContent.trim() === "解锁")
              .click();
          });
          return mark(page, "listReady");
        });
        const clicked = await page.evaluate(() => window.__marks.unlockClicked);
        return { ready, wasm, unlock: listed - clicked };
      };
      const r = profiling
        ? await profiled(cdp, "cold start (reload → PIN screen → file list), CPU 4×", "cold-start.cpuprofile", measured)
        : await measured();
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
      await listComplete(page);
      if (run === 0) first = r;
      else if (!profiling) coldRuns.push(r);
      console.log(
        `cold start ${profiling ? "(profiled)" : run === 0 ? "(first)" : run}: wasm started ${r.wasm.toFixed(0)} ms, PIN screen ` +
          `${r.ready.toFixed(0)} ms, PIN → list ${r.unlock.toFixed(0)} ms`,
      );
    }
    figure("phone_cold_start_to_pin_ms", median(coldRuns.map((r) => r.ready)), "ms");
    figure("phone_cold_start_unlock_to_list_ms", median(coldRuns.map((r) => r.unlock)), "ms");
    figure("phone_cold_start_s", median(coldRuns.map((r) => r.ready + r.unlock)) / 1000, "s");
    figure("phone_cold_start_first_s", (first.ready + first.unlock) / 1000, "s");

    // ---- memory with the whole case load open ----
    await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = await cdp.send("Runtime.getHeapUsage");
    const wasmBytes = await page.evaluate(() => window.__wasm.memory.buffer.byteLength);
    const { metrics } = await cdp.send("Performance.getMetrics");
    const metric = (name) => (metrics.find((m) => m.name === name) || {}).value;
    const MiB = 1024 * 1024;
    figure("phone_memory_js_heap_used_mib", heap.usedSize / MiB, "MiB");
    figure("phone_memory_wasm_mib", wasmBytes / MiB, "MiB");
    figure("phone_memory_total_mib", (heap.usedSize + wasmBytes) / MiB, "MiB");
    figure("phone_dom_nodes", metric("Nodes"), "count");

    // ---- search: one keystroke at a time in the list of 2,000 files ----
    const words = ["王秀英", "陈建国", "前洋村", "苏丽华", "东山镇上村", "林志明"];
    const keystrokes = await split(cdp, "search", () => search(page, words));
    await profiled(cdp, "search, one keystroke at a time", "search.cpuprofile", () => search(page, words.slice(0, 3)));
    figure("phone_search_keystrokes", keystrokes.length, "count");
    figure("phone_search_p50_ms", quantile(keystrokes, 0.5), "ms");
    figure("phone_search_p95_ms", quantile(keystrokes, 0.95), "ms");

    // ---- save a visit, offline, through the form ----
    const saves = await split(cdp, `${SAVES} saves`, () => saveVisits(page, cdp, SAVES));
    figure("phone_save_visits", saves.saved.length, "count");
    figure("phone_save_p50_ms", quantile(saves.saved, 0.5), "ms");
    figure("phone_save_p95_ms", quantile(saves.saved, 0.95), "ms");
    figure("phone_save_shown_p95_ms", quantile(saves.shown, 0.95), "ms");
    // Issue #15: a long day must not slow saving down. The p95 of the first 100 saves against
    // that of the last 100 (saves 901–1,000 of the default 1,000).
    if (saves.saved.length >= 200) {
      const first = quantile(saves.saved.slice(0, 100), 0.95);
      const last = quantile(saves.saved.slice(-100), 0.95);
      figure("phone_save_p95_at_100_ms", first, "ms");
      figure("phone_save_p95_at_last_ms", last, "ms");
      figure("phone_save_p95_growth", last / first, "ratio");
      console.log(
        `budget: p95@${saves.saved.length} ≤ 1.5 × p95@100: ${last.toFixed(1)} ms vs ${(1.5 * first).toFixed(1)} ms ` +
          `(${last <= 1.5 * first ? "met" : "NOT met"})`,
      );
    }
    const extra = OUT ? 30 : 0;
    await profiled(cdp, `${extra} more saves`, "save.cpuprofile", () => saveVisits(page, cdp, extra, SAVES));
    const queued = SAVES + extra;
    await expect(page.getByTestId("pending")).toHaveAttribute("data-count", String(queued));

    // ---- upload a day's work over emulated 3G ----
    // The bodies' sizes come from the server's request log (`bytes_in`, the Content-Length as
    // sent, before the server inflates a gzipped body): a push body is a stream the phone
    // compressed (CompressionStream), which Chromium does not hand Playwright.
    let pushes = 0;
    let gzipped = 0;
    page.on("request", (req) => {
      if (req.method() === "POST" && new URL(req.url()).pathname === "/api/sync/push") {
        pushes += 1;
        if ((req.headers()["content-encoding"] || "") === "gzip") gzipped += 1;
      }
    });
    const logged = server.output.length;
    const start = Date.now();
    await cdp.send("Network.emulateNetworkConditions", THREE_G);
    await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0", { timeout: 900_000 });
    const seconds = (Date.now() - start) / 1000;
    await cdp.send("Network.emulateNetworkConditions", ONLINE);
    const sizes = pushSizes(server.output.slice(logged));
    const bodyBytes = sizes.reduce((a, b) => a + b, 0);
    console.log(`upload: ${pushes} pushes (${gzipped} gzip), ${sizes.length} in the server's log, ${bodyBytes} body bytes`);
    figure("phone_upload_records", queued, "count");
    figure("phone_upload_s", seconds, "s");
    figure("phone_upload_bytes_per_record", sizes.length ? bodyBytes / queued : NaN, "B");
    figure("phone_upload_gzip_share", pushes ? gzipped / pushes : NaN, "ratio");
  } finally {
    await context.close();
    await server.remove();
    fs.rmSync(worldDir, { recursive: true, force: true });
  }
});

/// How many records the phone keeps (IndexedDB count; the rows are sealed).
function appRecordCount() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("xiafang");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction("records").objectStore("records").count();
      req.onsuccess = () => {
        db.close();
        resolve(req.result);
      };
      req.onerror = () => reject(req.error);
    };
  });
}

/// Types each word into the file list's search box one character at a time, then clears it;
/// returns, per keystroke, ms from the input event to the next frame after the list changed.
async function search(page, words) {
  await page.evaluate(() => {
    window.__keys = [];
    if (window.__keysWatched) return;
    window.__keysWatched = true;
    document.addEventListener(
      "input",
      (e) => {
        if (e.target.name !== "search") return;
        const t0 = performance.now();
        const done = () => requestAnimationFrame(() => setTimeout(() => window.__keys.push(performance.now() - t0)));
        const observer = new MutationObserver(() => {
          observer.disconnect();
          clearTimeout(timer);
          done();
        });
        // A keystroke that leaves the list as it was is not counted.
        const timer = setTimeout(() => {
          observer.disconnect();
          window.__keys.push(null);
        }, 5000);
        // The app's own main, not the static first screen's hidden copy ahead of it.
        const main = [...document.querySelectorAll("main")].find((m) => !m.closest("#first-paint"));
        observer.observe(main || document.body, {
          childList: true,
          subtree: true,
          characterData: true,
        });
      },
      true,
    );
  });
  const box = page.locator("input[name=search]");
  let typed = 0;
  const next = async () => {
    typed += 1;
    await page.waitForFunction((n) => window.__keys.length >= n, typed, { polling: 10 });
  };
  for (const word of words) {
    for (const ch of word) {
      await box.pressSequentially(ch);
      await next();
    }
    await box.press("Control+a");
    await box.press("Backspace");
    await next();
  }
  const times = await page.evaluate(() => window.__keys);
  console.log(`search keystrokes (ms; null: list unchanged): ${times.map((t) => (t === null ? "null" : t.toFixed(0))).join(" ")}`);
  return times.filter((t) => t !== null);
}

/// Saves `n` visits through the form, offline, on files round the list; per save, ms from the
/// tap on 保存到手机 to the file page again (the record is committed on the phone: "saved"),
/// and to the new record shown on its timeline.
async function saveVisits(page, cdp, n, from = 0) {
  await cdp.send("Network.emulateNetworkConditions", OFFLINE);
  if (!page.url().endsWith("/")) await page.getByRole("banner").locator("a.brand").click();
  await listComplete(page);
  const fileUrls = await page
    .getByTestId("file-list")
    .locator("a")
    .evaluateAll((links) => links.slice(0, 100).map((a) => a.href));
  const saved = [];
  const shown = [];
  const started = Date.now();
  for (let i = from; i < from + n; i++) {
    // Ten visits per file, then the next file through the list (in the app: a page load would
    // lock the phone).
    const fileUrl = fileUrls[Math.floor(i / 10) % fileUrls.length];
    if (page.url() !== fileUrl) {
      await page.getByRole("banner").locator("a.brand").click();
      await page.locator(`[data-testid=file-list] a[href="${new URL(fileUrl).pathname}"]`).click();
      await expect(page).toHaveURL(fileUrl);
    }
    await page.getByRole("link", { name: "记走访" }).click();
    const text = `BENCH-${i} 要求解决宅基地纠纷`;
    await page.fill("textarea[name=requests]", text);
    const t = await page.evaluate(
      ({ fileUrl, text }) =>
        new Promise((resolve, reject) => {
          const path = new URL(fileUrl).pathname;
          let back = null;
          const check = () => {
            if (back === null && location.pathname === path) back = performance.now() - t0;
            const entry = back !== null && [...document.querySelectorAll("li.entry")].some((li) => li.textContent.includes(text));
            if (entry) {
              observer.disconnect();
              clearTimeout(timer);
              requestAnimationFrame(() => setTimeout(() => resolve({ back, shown: performance.now() - t0 })));
            }
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { childList: true, subtree: true, characterData: true });
          const timer = setTimeout(() => {
            observer.disconnect();
            reject(new Error(`save ${text} not shown in 30 s`));
          }, 30_000);
          const button = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "保存到手机");
          const t0 = performance.now();
          button.click();
        }),
      { fileUrl, text },
    );
    saved.push(t.back);
    shown.push(t.shown);
    if ((i + 1 - from) % 100 === 0) {
      // Per block of 100, so a slowdown over the day shows where it starts.
      const block = saved.slice(-100);
      console.log(
        `saved ${i + 1} visits in ${((Date.now() - started) / 1000).toFixed(0)} s; these 100: ` +
          `p50 ${quantile(block, 0.5).toFixed(1)} ms, p95 ${quantile(block, 0.95).toFixed(1)} ms`,
      );
    }
  }
  return { saved, shown };
}
