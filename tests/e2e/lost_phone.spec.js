// A lost phone: an administrator revokes it while it holds a note it never uploaded. When it
// next gets a connection it hands the note over (into quarantine, for a supervisor), erases its
// copy of everyone's data, and lands on the sign-in page saying why.
const { test, expect, request } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, saveNote, goOffline, signedApi } = require("./helpers");

const server = useCaseServer(test);

async function as(username) {
  const api = await signedApi(server, { username, password: "xiafang2026" });
  expect(api.status).toBe(200);
  return { api };
}

test("a revoked phone hands over its unsent note, erases its data and says why", async ({ page, context }) => {
  const text = `丢失手机上的谈心记录 ${Date.now()}`;
  await signIn(page, server);
  await shellCached(page);
  await openFile(page, "郭先生");
  const device = await page.evaluate(() => JSON.parse(localStorage.getItem("xiafang.device")));
  expect(device).toMatch(/^[0-9a-f-]{36}$/);

  await goOffline(context, server);
  await saveNote(page, text);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "1");

  // Meanwhile the phone is reported lost and revoked.
  await server.start();
  const admin = await as("admin");
  const revoke = await admin.api.post(`/api/admin/devices/${device}/revoke`);
  expect(revoke.status()).toBe(204);

  await context.setOffline(false);
  await expect(page).toHaveURL(/\/login$/, { timeout: 30_000 });
  await expect(page.getByRole("alert")).toContainText("此设备已被管理员停用");
  // The app opens a fresh, empty database at start: nothing of the old one is left.
  const left = await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open("xiafang");
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const count = (name) =>
      db.objectStoreNames.contains(name)
        ? new Promise((resolve) => {
            const req = db.transaction(name).objectStore(name).count();
            req.onsuccess = () => resolve(req.result);
          })
        : 0;
    const counts = { records: await count("records"), files: await count("files"), outbox: await count("outbox") };
    db.close();
    return { counts, session: localStorage.getItem("xiafang.session") };
  });
  expect(left.counts).toEqual({ records: 0, files: 0, outbox: 0 });
  expect(left.session).toBeNull();

  // The note reached the server, but only into quarantine: not into the file.
  const supervisor = await as("zhaoxf");
  const waiting = await (await supervisor.api.get("/api/quarantine")).json();
  expect(waiting.filter((q) => q.record.body.text === text)).toHaveLength(1);
  const records = await (
    await supervisor.api.get("/api/files/file-guo/records")
  ).json();
  expect(records.filter((r) => r.body.text === text)).toHaveLength(0);
  await admin.api.dispose();
  await supervisor.api.dispose();
});
