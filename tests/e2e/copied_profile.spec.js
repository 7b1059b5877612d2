// A copied phone gives nothing away: the whole browser profile of a cadre's phone (every file
// Chromium keeps: IndexedDB with the phone's "non-extractable" signing key, localStorage, the
// service worker's caches) copied into a second browser opens only to the PIN screen, makes no
// signed-in request, and holds no string that works as a credential against the server. After
// 退出 on the real phone, its session is dead on the server.
const { test, expect, chromium } = require("@playwright/test");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const config = require("./playwright.config");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, unlock } = require("./helpers");

const server = useCaseServer(test);

/// A browser whose profile lives in `dir`, as on a phone: closing it keeps everything.
function phone(dir) {
  const { launchOptions, trace: _trace, ...use } = config.use;
  return chromium.launchPersistentContext(dir, { ...use, ...launchOptions });
}

/// Every signed-in request (one carrying a bearer token) the context makes, as it makes it.
function signedRequests(context) {
  const seen = [];
  context.on("request", (req) => {
    const auth = req.headers()["authorization"];
    if (auth) seen.push({ url: req.url(), token: auth.replace(/^Bearer /, "") });
  });
  return seen;
}

/// Every byte of every file under `dir`, as one Latin-1 string (so any ASCII token shows).
function profileBytes(dir) {
  let out = "";
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath || entry.path, entry.name);
    try {
      out += fs.readFileSync(file).toString("latin1");
    } catch (_) {
      // a lock file or socket
    }
  }
  return out;
}

/// In the page: every string the site keeps (localStorage, every IndexedDB database, cached
/// responses; byte arrays as UTF-8, hex and base64) cut into token-like pieces, each tried as a
/// bearer token against `/api/me` alone and with a proof signed by the phone key found in the
/// copied IndexedDB. Answers how many were tried, whether the key was there, and every status.
function tryEverythingStored(page, extra) {
  return page.evaluate(async (extra) => {
    const texts = [];
    const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    const b64 = (b) => btoa(String.fromCharCode(...b));
    let proofKey = null;
    const walk = (v) => {
      if (v == null) return;
      if (typeof v === "string") texts.push(v);
      else if (v instanceof CryptoKey) return;
      else if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
        const b = new Uint8Array(v.buffer || v, v.byteOffset || 0, v.byteLength);
        texts.push(new TextDecoder().decode(b), hex(b), b64(b));
      } else if (typeof v === "object") {
        if (v.privateKey instanceof CryptoKey && v.privateKey.algorithm.name === "ECDSA") proofKey = v.privateKey;
        for (const x of Object.values(v)) walk(x);
      } else texts.push(String(v));
    };
    for (let i = 0; i < localStorage.length; i += 1) {
      texts.push(localStorage.key(i));
      walk(localStorage.getItem(localStorage.key(i)));
    }
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((res, rej) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => res(open.result);
        open.onerror = () => rej(open.error);
      });
      for (const store of db.objectStoreNames) {
        const tx = db.transaction(store);
        const rows = await new Promise((res) => {
          const r = tx.objectStore(store).getAll();
          r.onsuccess = () => res(r.result);
        });
        const keys = await new Promise((res) => {
          const r = tx.objectStore(store).getAllKeys();
          r.onsuccess = () => res(r.result);
        });
        walk(rows);
        walk(keys);
      }
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) texts.push(await (await cache.match(req)).text());
    }
    const candidates = new Set(extra);
    for (const t of texts) {
      try {
        walk(JSON.parse(t));
      } catch (_) {
        // not JSON
      }
    }
    for (const t of texts) for (const m of t.match(/[A-Za-z0-9+/=_.\-]{16,}/g) || []) candidates.add(m);
    const statuses = {};
    const sign = async (method, p) => {
      const at = Math.floor(Date.now() / 1000);
      const message = new TextEncoder().encode(`xiafang-proof-v1\n${method}\n${p}\n${at}`);
      const sig = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, proofKey, message));
      return `${at}.${btoa(String.fromCharCode(...sig)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
    };
    const tries = [];
    for (const token of candidates) {
      tries.push({ Authorization: `Bearer ${token}` });
      if (proofKey) tries.push({ Authorization: `Bearer ${token}`, "X-Xiafang-Proof": await sign("GET", "/api/me") });
    }
    for (let i = 0; i < tries.length; i += 16) {
      const answers = await Promise.all(tries.slice(i, i + 16).map((headers) => fetch("/api/me", { headers })));
      for (const res of answers) statuses[res.status] = (statuses[res.status] || 0) + 1;
    }
    return { tried: candidates.size, hadKey: !!proofKey, statuses };
  }, extra);
}

test("a copied browser profile asks for the PIN, downloads nothing and holds no credential", async () => {
  test.setTimeout(300_000);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "xiafang-profile-"));
  const original = path.join(base, "phone");
  const copy = path.join(base, "copy");

  // The cadre signs in, sets the PIN and syncs the files.
  let context = await phone(original);
  let wire = signedRequests(context);
  let page = context.pages()[0] || (await context.newPage());
  await signIn(page, server);
  await shellCached(page);
  await openFile(page, "郭先生");
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  expect(wire.length, "the phone synced, signed in").toBeGreaterThan(0);
  const token = wire[wire.length - 1].token;
  await context.close();

  // The whole profile is copied, as off a seized or cloned phone.
  fs.cpSync(original, copy, { recursive: true });
  for (const lock of ["SingletonLock", "SingletonSocket", "SingletonCookie"]) fs.rmSync(path.join(copy, lock), { force: true });
  // Chromium keeps localStorage values as UTF-16: look for both encodings.
  const bytes = profileBytes(copy);
  for (const encoded of [token, Buffer.from(token, "utf16le").toString("latin1")]) {
    expect(bytes.includes(encoded), "the session token lies in the profile's files").toBe(false);
  }

  // (a) The copy opens to the PIN and asks the server for nothing signed-in.
  const thief = await phone(copy);
  const stolen = signedRequests(thief);
  const thiefPage = thief.pages()[0] || (await thief.newPage());
  await thiefPage.goto(`${server.url}/`);
  await expect(thiefPage.getByRole("heading", { name: "输入解锁码" })).toBeVisible();
  await expect(thiefPage.getByText("郭先生")).toHaveCount(0);
  await thiefPage.waitForTimeout(3_000);
  expect(stolen, "signed-in requests from the locked copy").toEqual([]);

  // (b) No string kept there is a credential, bare or with a proof by the copied phone key.
  const found = await tryEverythingStored(thiefPage, []);
  expect(found.tried).toBeGreaterThan(10);
  expect(found.statuses, `what ${found.tried} candidates got`).toEqual({ 401: found.tried * (found.hadKey ? 2 : 1) });
  // The copied profile does carry the phone's signing key (a "non-extractable" key is still in
  // the profile's files): with the live token, which the copy does not hold, it would sign in.
  // That is why the token is sealed under the PIN-opened data key.
  expect(found.hadKey).toBe(true);
  const withLiveToken = await tryEverythingStored(thiefPage, [token]);
  expect(withLiveToken.statuses["200"], "the live token with the copied key").toBe(1);

  // (c) 退出 on the real phone ends the session on the server: then not even the live token
  // with the copied key opens anything.
  context = await phone(original);
  wire = signedRequests(context);
  page = context.pages()[0] || (await context.newPage());
  await page.goto(`${server.url}/`);
  await expect(page.getByRole("heading", { name: "输入解锁码" })).toBeVisible();
  await page.waitForTimeout(2_000);
  expect(wire, "signed-in requests while locked").toEqual([]);
  await unlock(page);
  await expect(page.getByTestId("file-list")).toContainText("郭先生");
  const logout = page.waitForResponse((res) => res.url().endsWith("/api/logout"));
  await page.getByRole("button", { name: "退出登录" }).click();
  expect((await logout).status()).toBe(204);
  await expect(page).toHaveURL(/\/login$/);
  const afterSignOut = await tryEverythingStored(thiefPage, [token]);
  expect(afterSignOut.statuses["200"]).toBeUndefined();

  await thief.close();
  await context.close();
  fs.rmSync(base, { recursive: true, force: true });
});
