// The upload engine under a bad network, a closed page, two tabs and a full phone: every record
// a cadre saves reaches the case server exactly once, and nothing is shown as saved that is not.
const { test, expect } = require("@playwright/test");
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { useCaseServer, serverBinary } = require("./server");
const {
  signIn,
  openFile,
  saveNote,
  goOffline,
  goOnline,
  copiesOnServer,
  sleep,
  SyncWatch,
  unlock,
  syncNow,
  rowCounts,
  fillStorage,
  freeStorage,
} = require("./helpers");

const server = useCaseServer(test);

function texts(tag, n, who = "") {
  return Array.from({ length: n }, (_, i) => `${tag} ${who}第${i + 1}条谈心记录`);
}

async function expectEachOnceOnServer(list) {
  const counts = await copiesOnServer(server, "file-guo", list);
  expect(counts).toEqual(Object.fromEntries(list.map((t) => [t, 1])));
}

async function expectAllUploaded(page, tag, n) {
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0", { timeout: 60_000 });
  await expect(page.locator("li.entry", { hasText: tag }).getByTestId("state")).toHaveText(
    Array(n).fill("已上传"),
  );
}

test("records saved while the network keeps dropping reach the server once each", async ({
  page,
  context,
}) => {
  const tag = `NET-${Date.now()}`;
  const saved = texts(tag, 12);
  const watch = await SyncWatch.install(context);
  await signIn(page, server);
  await openFile(page, "郭先生");

  // Every sync request takes a while, so the network changes in the middle of uploads; and the
  // first two uploads reach the server but their answers are lost on the way back.
  watch.delayMs = 300;
  watch.dropAnswers = 2;
  let flapping = true;
  const flapper = (async () => {
    for (let n = 0; flapping; n += 1) {
      await sleep(600);
      switch (n % 4) {
        case 0: // the server goes away while the browser still believes it is online
          await server.stop();
          break;
        case 1:
          await server.start();
          break;
        case 2:
          await goOffline(context, server);
          break;
        default:
          await goOnline(context, server);
      }
    }
  })();
  for (const text of saved) await saveNote(page, text);
  flapping = false;
  await flapper;
  // Make sure the last state is "back online", as the browser reports it.
  await goOffline(context, server);
  await goOnline(context, server);

  await expectAllUploaded(page, tag, saved.length);
  expect(watch.dropped, "answers were lost after the server stored them").toBeGreaterThan(0);
  expect(watch.acksCalls, "after a lost answer the phone asks what arrived").toBeGreaterThan(0);
  expect(watch.resent, "nothing the server acknowledged is sent again").toEqual([]);
  await expectEachOnceOnServer(saved);
});

test("a page closed in the middle of an upload stores each record once when reopened", async ({
  context,
}) => {
  const tag = `CLOSE-${Date.now()}`;
  const saved = texts(tag, 6);
  const page = await context.newPage();
  await signIn(page, server);
  const fileUrl = await openFile(page, "郭先生");
  await goOffline(context, server);
  for (const text of saved) await saveNote(page, text);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", String(saved.length));

  // The upload reaches the server; the page is closed before the answer gets back.
  const arrived = new Promise((resolve) => {
    context.route(
      "**/api/sync/push",
      async (route) => {
        const response = await route.fetch();
        resolve(await response.json());
      },
      { times: 1 },
    );
  });
  await goOnline(context, server);
  const answer = await arrived;
  expect(answer.acks).toHaveLength(saved.length);
  await page.close();

  const watch = await SyncWatch.install(context);
  for (const ack of answer.acks) watch.acknowledged.add(ack.record_id);
  const reopened = await context.newPage();
  await reopened.goto(fileUrl);
  await unlock(reopened);
  await expectAllUploaded(reopened, tag, saved.length);
  expect(watch.acksCalls, "the reopened page asks what arrived").toBeGreaterThan(0);
  expect(watch.resent, "nothing the server acknowledged is sent again").toEqual([]);
  await expectEachOnceOnServer(saved);
});

test("two tabs saving at once upload one at a time and every record once", async ({ context }) => {
  const tag = `TABS-${Date.now()}`;
  const fromFirst = texts(tag, 5, "甲");
  const fromSecond = texts(tag, 5, "乙");
  const watch = await SyncWatch.install(context);
  const first = await context.newPage();
  await signIn(first, server);
  const fileUrl = await openFile(first, "郭先生");
  const second = await context.newPage();
  await second.goto(fileUrl);
  await unlock(second);
  await expect(second.getByTestId("visit-count")).toBeVisible();

  // Slow sync requests leave each tab's upload open long enough for the other to collide.
  watch.delayMs = 400;
  await Promise.all([
    (async () => {
      for (const text of fromFirst) await saveNote(first, text);
    })(),
    (async () => {
      for (const text of fromSecond) await saveNote(second, text);
    })(),
  ]);

  // Each tab ends up showing every record as uploaded, whichever tab sent it.
  for (const page of [first, second]) {
    await expectAllUploaded(page, tag, fromFirst.length + fromSecond.length);
  }
  expect(watch.maxInFlight, "only one tab talks to the server at a time").toBe(1);
  expect(watch.resent).toEqual([]);
  await expectEachOnceOnServer([...fromFirst, ...fromSecond]);
});

test("a full phone keeps the form, shows nothing as saved, and saves once there is room", async ({
  context,
}) => {
  const tag = `FULL-${Date.now()}`;
  const text = `${tag} 存储已满时填写的谈心记录`;
  // The browser gives this site 20 MB. Chromium takes the quota into account from the site's
  // first use of storage, so it is set before the app opens; the DevTools session that set it
  // (held by a blank page) keeps it in force.
  const blank = await context.newPage();
  const cdp = await context.newCDPSession(blank);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: server.url, quotaSize: 20 << 20 });
  const page = await context.newPage();
  await signIn(page, server);
  const fileUrl = await openFile(page, "郭先生");
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  const before = await rowCounts(page);

  // Other data fills the phone's share to the last few bytes.
  await page.getByRole("link", { name: "记谈心" }).click();
  await page.fill("textarea[name=text]", text);
  expect(await fillStorage(page)).toBeGreaterThan(0);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page.locator(".form-error")).toHaveText(/手机存储空间已满，未能保存/);
  await expect(page.locator("textarea[name=text]")).toHaveValue(text);
  expect(page.url()).not.toBe(fileUrl);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  expect(await rowCounts(page), "nothing of the refused save is kept").toEqual(before);

  // Room again: the same form saves what was typed, once.
  await freeStorage(page);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  await expect(page.locator("li.entry", { hasText: text })).toHaveCount(1);
  await expectAllUploaded(page, tag, 1);
  await expectEachOnceOnServer([text]);
});

test("the browser is asked once to keep the phone's storage, and a refusal is shown", async ({
  page,
}) => {
  // Count the app's requests, leaving the browser's own answer as it is.
  await page.addInitScript(() => {
    const persist = StorageManager.prototype.persist;
    StorageManager.prototype.persist = function () {
      const calls = Number(localStorage.getItem("e2e.persist_calls") || 0);
      localStorage.setItem("e2e.persist_calls", String(calls + 1));
      return persist.call(this);
    };
  });
  await signIn(page, server);
  const warning = page.getByTestId("storage-warning");
  for (let start = 0; start < 2; start += 1) {
    if (start > 0) {
      await page.reload();
      await unlock(page);
    }
    await expect(page.getByTestId("pending")).toBeVisible();
    const kept = await page.evaluate(() => navigator.storage.persisted());
    if (kept) {
      await expect(warning).toHaveCount(0);
    } else {
      await expect(warning).toHaveText("浏览器未允许永久保存，清理浏览器数据可能丢失未上传的记录");
    }
  }
  expect(await page.evaluate(() => localStorage.getItem("e2e.persist_calls"))).toBe("1");
});

test("after the server is restored from an older backup, the phone uploads what it lacks, once", async ({
  page,
}) => {
  const tag = `RESTORE-${Date.now()}`;
  const [early, late] = [`${tag} 备份之前的谈心记录`, `${tag} 备份之后已确认上传的谈心记录`];
  await signIn(page, server);
  await openFile(page, "郭先生");
  await saveNote(page, early);
  await syncNow(page);
  // A consistent backup while the server runs (docs/OPERATIONS.md).
  const backup = path.join(server.dataDir, `backup-${Date.now()}.db`);
  execFileSync(serverBinary, ["backup", backup, "--data-dir", server.dataDir]);
  await saveNote(page, late);
  await syncNow(page);
  await expect(page.locator("li.entry", { hasText: late }).getByTestId("state")).toHaveText("已上传");

  // The server's disk is lost: it comes back from the backup, which lacks the second note.
  await server.stop();
  execFileSync(serverBinary, ["restore", backup, "--data-dir", server.dataDir]);
  await server.start();
  expect(await copiesOnServer(server, "file-guo", [early, late])).toEqual({ [early]: 1, [late]: 0 });

  // Nobody does anything on the phone but its ordinary sync.
  await syncNow(page);
  await expectEachOnceOnServer([early, late]);
  await expect(page.locator("li.entry", { hasText: tag }).getByTestId("state")).toHaveText([
    "已上传",
    "已上传",
  ]);
});
