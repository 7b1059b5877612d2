// What the end-to-end specs share: signing in, saving a note through the form, taking the
// network away for real, reading what the server stored, and watching the phone's sync traffic.
const zlib = require("node:zlib");
const { webcrypto } = require("node:crypto");
const { expect, request } = require("@playwright/test");

const USER = { username: "wangjg", password: "xiafang2026" };
/// The demo's county supervisor (赵晓峰).
const SUPERVISOR = { username: "zhaoxf", password: "xiafang2026" };

/// The date `days` from now on the phone's calendar (China time, playwright.config.js's
/// `timezoneId`), as a date input takes it (YYYY-MM-DD). The machine's own zone would be a day
/// behind the phone's from 16:00 to 24:00 UTC.
function isoDaysFromNow(days) {
  return new Date(Date.now() + days * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
}
/// The PIN the specs set: six digits, not a trivial sequence.
const PIN = "246810";

/// Signs in through the form, as the demo cadre unless another account is given, and sets the
/// PIN that opens the phone's encrypted data offline when the phone asks for one. An office
/// account's phone then fetches the office chunk, unless `{ office: false }`.
async function signIn(page, server, user = USER, { office = true } = {}) {
  await page.goto(`${server.url}/`);
  await expect(page).toHaveURL(/\/login$/);
  await page.fill("input[name=username]", user.username);
  await page.fill("input[name=password]", user.password);
  await page.click("button[type=submit]");
  const files = page.getByRole("heading", { name: "我的档案" });
  const setPin = page.getByRole("heading", { name: "设置解锁码" });
  await expect(files.or(setPin)).toBeVisible();
  if (await setPin.isVisible()) await choosePin(page);
  await expect(files).toBeVisible();
  // A supervisor or administrator has opened an office screen before, as their phone has from
  // the first one they open online (bundles.spec.js takes that step through the screens).
  if (office && (await page.getByRole("link", { name: /^(审核|管理)$/ }).count())) await toOffice(page);
}

/// Opens the first office screen the header offers, which fetches the office chunk
/// (src/pages/office.rs), waits until the service worker keeps it, and goes back to 我的档案.
async function toOffice(page) {
  await page.getByRole("banner").getByRole("link", { name: /^(审核|管理)$/ }).first().click();
  await expect(page.getByTestId("office-loading")).toHaveCount(0);
  await expect
    .poll(() =>
      page.evaluate(async () => {
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) {
            if (/office-[0-9a-f]+\.wasm$/.test(request.url)) return true;
          }
        }
        return false;
      }),
    )
    .toBe(true);
  await page.getByRole("link", { name: "下访", exact: true }).click();
  await expect(page.getByRole("heading", { name: "我的档案" })).toBeVisible();
}

/// Sets the PIN on the 设置解锁码 screen.
async function choosePin(page, pin = PIN) {
  await page.fill("input[name=new-pin]", pin);
  await page.fill("input[name=new-pin-again]", pin);
  await page.getByRole("button", { name: "保存解锁码" }).click();
}

/// Opens the phone's data with the PIN, as after every page load (the key lives only in memory).
async function unlock(page, pin = PIN) {
  await expect(page.getByRole("heading", { name: "输入解锁码" })).toBeVisible();
  await page.fill("input[name=pin]", pin);
  await page.getByRole("button", { name: "解锁", exact: true }).click();
  await expect(page.getByRole("heading", { name: "输入解锁码" })).toBeHidden();
}

/// Runs the phone's sync now and waits until the run is over: the server answered (the status
/// line's `data-heard` changed), the engine is idle again, and nothing waits for upload. Waiting
/// only for "nothing pending" passes at once on a phone with nothing to send, before its
/// download has come.
async function syncNow(page) {
  const status = page.getByTestId("status");
  const before = (await status.getAttribute("data-heard")) || "";
  await page.getByTestId("upload-now").click();
  await expect(status).not.toHaveAttribute("data-heard", before);
  await expect(page.getByTestId("upload-now")).toBeEnabled();
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
}

/// Opens a file's timeline once its download has arrived; returns the page's address.
async function openFile(page, name) {
  await page.getByTestId("file-list").getByText(name).click();
  await expect(page.getByTestId("visit-count")).toBeVisible();
  return page.url();
}

/// Waits until the service worker holds the app shell, so the app opens with no network.
async function shellCached(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

/// Saves a conversation note through the form and waits until the form says it is saved.
async function saveNote(page, text) {
  const fileUrl = page.url();
  await page.getByRole("link", { name: "记谈心" }).click();
  await page.fill("textarea[name=text]", text);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  // The timeline shows the note, as the cadre sees it before going on: the address changes
  // before the file page has rendered, and a tap on "back" in between was seen lost once in a
  // long_day run (the page stayed on the file; long_day.spec.js `backToList` tells how the
  // status line moved the screen while a sync ran, fixed since).
  await expect(page.getByText(text, { exact: true }).first()).toBeVisible();
}

// Take the network away for real: the server stops, and the browser is told it is offline.
async function goOffline(context, server) {
  await server.stop();
  await context.setOffline(true);
}

async function goOnline(context, server) {
  await server.start();
  await context.setOffline(false);
}

/// What a request's proof signs: `xiafang_core::sync::proof_message`, which this must match.
function proofMessage(method, pathAndQuery, at) {
  return `xiafang-proof-v1\n${method}\n${pathAndQuery}\n${at}`;
}

const base64url = (bytes) => Buffer.from(bytes).toString("base64url");

/// A phone's signing key as the app makes it: ECDSA P-256, the private half non-extractable.
function newPhoneKey() {
  return webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
}

/// The public half as the sign-in sends it (uncompressed point, base64url).
async function publicKeyOf(pair) {
  return base64url(new Uint8Array(await webcrypto.subtle.exportKey("raw", pair.publicKey)));
}

/// The `X-Xiafang-Proof` value `privateKey` makes for `method url` now (url: a path, with query).
async function proofHeader(privateKey, method, url, at = Math.floor(Date.now() / 1000)) {
  const u = new URL(url, "http://x");
  const message = new TextEncoder().encode(proofMessage(method, u.pathname + u.search, at));
  const signature = await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, privateKey, message);
  return `${at}.${base64url(new Uint8Array(signature))}`;
}

/// The case server's API as a phone of `user` uses it: a sign-in that sends a new phone key's
/// public half, then every request with the bearer token and a proof signed by that key. The
/// one client every spec uses to read or write on the server behind the phone's back.
async function signedApi(server, user = USER) {
  const api = await request.newContext({ baseURL: server.url });
  const key = await newPhoneKey();
  const login = await api.post("/api/login", { data: { ...user, device_key: await publicKeyOf(key) } });
  const body = login.ok() ? await login.json() : {};
  const call = async (method, path, options = {}) => {
    const headers = { ...(options.headers || {}) };
    if (body.token) {
      headers.Authorization = `Bearer ${body.token}`;
      headers["X-Xiafang-Proof"] = await proofHeader(key.privateKey, method, path);
    }
    return api.fetch(path, { ...options, method, headers });
  };
  return {
    status: login.status(),
    token: body.token,
    account: body.account,
    key,
    get: (path, options) => call("GET", path, options),
    post: (path, options) => call("POST", path, options),
    put: (path, options) => call("PUT", path, options),
    delete: (path, options) => call("DELETE", path, options),
    dispose: () => api.dispose(),
  };
}

async function serverRecords(server, fileId) {
  const api = await signedApi(server);
  expect(api.status).toBe(200);
  const res = await api.get(`/api/files/${fileId}/records`);
  expect(res.ok()).toBeTruthy();
  const records = await res.json();
  await api.dispose();
  return records;
}

/// How many records on the server carry each text, for the texts the test saved.
async function copiesOnServer(server, fileId, texts) {
  const records = await serverRecords(server, fileId);
  const counts = Object.fromEntries(texts.map((t) => [t, 0]));
  for (const r of records) {
    if (r.body.type === "note" && r.body.text in counts) counts[r.body.text] += 1;
  }
  return counts;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/// The batch an upload request carries, whether the phone gzip-compressed it or not.
function pushedBatch(req) {
  const body = req.postDataBuffer() || Buffer.alloc(0);
  const gzipped = (req.headers()["content-encoding"] || "") === "gzip";
  return JSON.parse((gzipped ? zlib.gunzipSync(body) : body).toString("utf8"));
}

/// Passes the phone's sync requests (/api/sync/…) to the real server and watches them: how
/// many run at once across all tabs, which records each upload carries, and which of them the
/// server had already acknowledged. It can hold requests back (`delayMs`) to widen the window
/// in which things overlap, and drop the answer to an upload after the server stored it
/// (`dropAnswers`), which is what a lost response looks like to the phone.
class SyncWatch {
  constructor() {
    this.delayMs = 0;
    this.dropAnswers = 0;
    this.inFlight = 0;
    this.maxInFlight = 0;
    this.pushes = [];
    this.acksCalls = 0;
    this.acknowledged = new Set();
    this.resent = [];
    this.dropped = 0;
  }

  static async install(context) {
    const watch = new SyncWatch();
    await context.route(/\/api\/sync\//, (route) => watch.handle(route));
    return watch;
  }

  async handle(route) {
    const req = route.request();
    const path = new URL(req.url()).pathname;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      let ids = [];
      if (path === "/api/sync/push") {
        ids = pushedBatch(req).ops.map((op) => op.record.id);
        this.resent.push(...ids.filter((id) => this.acknowledged.has(id)));
        this.pushes.push(ids);
      } else if (path === "/api/sync/acks") {
        this.acksCalls += 1;
      }
      if (this.delayMs) await sleep(this.delayMs);
      let response;
      try {
        response = await route.fetch();
      } catch (_) {
        // The server is down: the phone sees what it would see, a refused connection.
        await route.abort("connectionrefused").catch(() => {});
        return;
      }
      if (response.ok() && (path === "/api/sync/push" || path === "/api/sync/acks")) {
        for (const ack of (await response.json()).acks) this.acknowledged.add(ack.record_id);
      }
      if (path === "/api/sync/push" && this.dropAnswers > 0) {
        this.dropAnswers -= 1;
        this.dropped += 1;
        await route.abort("connectionreset").catch(() => {});
        return;
      }
      await route.fulfill({ response }).catch(() => {});
    } finally {
      this.inFlight -= 1;
    }
  }
}

/// Runs `read(db)` against the app's own database in the page and closes it again.
function withAppDb(page, read) {
  // Built as one expression: the app's Content-Security-Policy forbids eval() in the page.
  return page.evaluate(`(async () => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("xiafang");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = (name) =>
      new Promise((resolve, reject) => {
        const req = db.transaction(name).objectStore(name).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    try {
      return await (${read.toString()})(db, all);
    } finally {
      db.close();
    }
  })()`);
}

/// How many rows the app's records and outbox hold.
function rowCounts(page) {
  return withAppDb(page, async (db, all) => ({
    records: (await all("records")).length,
    outbox: (await all("outbox")).length,
  }));
}

/// Everything the phone keeps for the app (its database, localStorage, and what the service
/// worker cached from the API), as one text: strings as they are and byte arrays decoded as
/// UTF-8, so any plain text kept anywhere would show up in it.
async function storedText(page) {
  const db = await withAppDb(page, async (db, all) => {
    const text = (value) => {
      if (typeof value === "string") return value;
      if (value instanceof Uint8Array || value instanceof ArrayBuffer)
        return new TextDecoder("utf-8", { fatal: false }).decode(value);
      if (value && typeof value === "object")
        return Object.entries(value).map(([k, v]) => `${k}=${text(v)}`).join("\n");
      return String(value);
    };
    let out = "";
    for (const name of db.objectStoreNames) out += text(await all(name)) + "\n";
    return out;
  });
  const rest = await page.evaluate(async () => {
    let out = JSON.stringify({ ...localStorage });
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        if (new URL(req.url).pathname.startsWith("/api/")) out += await (await cache.match(req)).text();
      }
    }
    return out;
  });
  return db + rest;
}

/// Fills the site's storage with random bytes in a database of its own, in ever smaller pieces
/// until not even 256 bytes fit; returns how many bytes it wrote.
function fillStorage(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("e2e-filler", 1);
      open.onupgradeneeded = () => open.result.createObjectStore("junk", { autoIncrement: true });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const random = (n) => {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      return bytes;
    };
    const put = (n) =>
      new Promise((resolve) => {
        const tx = db.transaction("junk", "readwrite");
        tx.objectStore("junk").add(random(n));
        tx.oncomplete = () => resolve(true);
        tx.onabort = () => resolve(false);
      });
    let written = 0;
    for (let size = 4 << 20; size >= 256; size >>= 1) {
      while (await put(size)) written += size;
    }
    db.close();
    return written;
  });
}

/// Deletes what `fillStorage` wrote.
function freeStorage(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const req = indexedDB.deleteDatabase("e2e-filler");
        req.onsuccess = () => resolve();
        req.onerror = () => reject(req.error);
      }),
  );
}

module.exports = {
  toOffice,
  SUPERVISOR,
  isoDaysFromNow,
  syncNow,
  signedApi,
  proofHeader,
  proofMessage,
  newPhoneKey,
  publicKeyOf,
  fillStorage,
  freeStorage,
  rowCounts,
  storedText,
  PIN,
  choosePin,
  unlock,
  signIn,
  openFile,
  shellCached,
  saveNote,
  goOffline,
  goOnline,
  serverRecords,
  copiesOnServer,
  sleep,
  pushedBatch,
  SyncWatch,
};
