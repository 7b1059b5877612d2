// The app and its office chunk (docs/ARCHITECTURE.md "One app, one office chunk"): a cadre's
// phone never downloads the office screens and works offline without them; a supervisor's phone
// fetches only the chunk at the first office screen it opens, with no reload, then opens the
// office screens offline; and a new release reaches phones holding unsent records, which then
// upload them once.
const { test, expect } = require("@playwright/test");
const { useCaseServer, dist } = require("./server");
const { bundlesOf, nextRelease } = require("./release");
const { SUPERVISOR, signIn, unlock, shellCached, goOffline, goOnline, openFile, saveNote, syncNow, copiesOnServer } =
  require("./helpers");

const server = useCaseServer(test);
const release = bundlesOf(dist);

/// Every file the page fetched (from the network or the service worker) and every file the
/// phone's caches hold, as paths.
async function filesOnPhone(page) {
  return page.evaluate(async () => {
    const seen = performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname);
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) seen.push(new URL(request.url).pathname);
    }
    return seen;
  });
}

test("a cadre's phone works offline and never downloads the office screens", async ({ page, context }) => {
  await signIn(page, server);
  await shellCached(page);
  await goOffline(context, server);
  await page.reload();
  await unlock(page);
  await openFile(page, "郭先生");
  await saveNote(page, `离线谈心 ${Date.now()}`);
  // An office address typed by a cadre is no screen of theirs: nothing is fetched for it.
  await page.goto(`${server.url}/figures`);
  await unlock(page);
  await expect(page.getByText("找不到这个页面")).toBeVisible();
  const files = await filesOnPhone(page);
  expect(files).toContain(release.field[1]);
  for (const office of release.office) expect(files).not.toContain(office);
  expect(release.office.length).toBeGreaterThan(0);
  await goOnline(context, server);
});

/// The files the service worker keeps for offline use, as paths. (The browser's HTTP cache may
/// hold more, but it is no promise of working offline.)
async function cachedFiles(page) {
  return page.evaluate(async () => {
    const kept = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) kept.push(new URL(request.url).pathname);
    }
    return kept;
  });
}

/// The code (scripts and wasm) `page` asks for from now on, as paths.
function codeFetched(page) {
  const fetched = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (/\.(js|wasm)$/.test(path)) fetched.push(path);
  });
  return fetched;
}

test("a supervisor's first office screen fetches only the office chunk, then works offline", async ({ page, context }) => {
  await signIn(page, server, SUPERVISOR, { office: false });
  await shellCached(page);
  expect(await filesOnPhone(page)).not.toContain(release.office[0]);

  // With no network the office screens cannot come: the phone says so, and the field screens
  // still work.
  await goOffline(context, server);
  await page.getByRole("link", { name: "审核", exact: true }).click();
  await expect(page.getByTestId("office-offline")).toHaveText(/办公页面需要联网下载一次/);
  await page.getByRole("link", { name: "下访", exact: true }).click();
  await expect(page.getByRole("heading", { name: "我的档案" })).toBeVisible();
  await page.getByRole("link", { name: "审核", exact: true }).click();
  await expect(page.getByTestId("office-offline")).toBeVisible();
  await goOnline(context, server);

  // Online, the same screen fetches the chunk and nothing else, and opens in place: no reload,
  // so no PIN asked again.
  const fetched = codeFetched(page);
  await page.getByRole("button", { name: "重试" }).click();
  await expect(page.getByRole("heading", { name: "待审核的工作记录" })).toBeVisible();
  await expect(page).toHaveURL(/\/review$/);
  await expect(page.getByRole("heading", { name: "输入解锁码" })).toBeHidden();
  expect(fetched).toEqual(release.office);
  await page.getByRole("link", { name: "统计", exact: true }).click();
  await expect(page.getByRole("heading", { name: "统计", exact: true })).toBeVisible();
  expect(fetched).toEqual(release.office);
  expect(await cachedFiles(page)).toEqual(expect.arrayContaining(release.office));

  // From now on the office screens open offline too.
  await goOffline(context, server);
  await page.reload();
  await unlock(page);
  await expect(page.getByRole("heading", { name: "统计", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "审核", exact: true }).click();
  await expect(page.getByRole("heading", { name: "待审核的工作记录" })).toBeVisible();
  await goOnline(context, server);
});

test("a new release reaches a phone with unsent records; the new code uploads them once", async ({ browser }) => {
  const tag = `升级前未上传 ${Date.now()}`;
  const cadre = await browser.newContext();
  const phone = await cadre.newPage();
  await signIn(phone, server);
  await shellCached(phone);
  const office = await browser.newContext();
  const desk = await office.newPage();
  await signIn(desk, server, SUPERVISOR);
  await shellCached(desk);
  // The supervisor has used the office screens on this release.
  await desk.getByRole("link", { name: "审核", exact: true }).click();
  await expect(desk.getByRole("heading", { name: "待审核的工作记录" })).toBeVisible();

  // Saved offline on this release, not uploaded.
  await goOffline(cadre, server);
  await openFile(phone, "郭先生");
  await saveNote(phone, tag);
  await expect(phone.getByTestId("pending")).toHaveAttribute("data-count", "1");

  // The server is upgraded. The phone comes back with its uploads held back until the new
  // release has taken over, so it is the new code that sends them.
  const next = nextRelease(dist);
  const upgraded = bundlesOf(next);
  server.dist = next;
  await phone.route("**/api/**", (route) => route.abort());
  await goOnline(cadre, server);
  for (const page of [phone, desk]) {
    await page.reload();
    await unlock(page);
    await expect
      .poll(() => page.evaluate(() => caches.keys()), { timeout: 60_000 })
      .toEqual([`xiafang-shell-${upgraded.version}`]);
  }
  await phone.unroute("**/api/**");
  await phone.reload();
  await unlock(phone);
  expect(await filesOnPhone(phone)).toContain(upgraded.field[1]);
  await syncNow(phone);
  expect(await copiesOnServer(server, "file-guo", [tag])).toEqual({ [tag]: 1 });

  // The supervisor's phone kept the office screens across the release, and opens them offline.
  expect(await cachedFiles(desk)).toEqual(expect.arrayContaining(upgraded.office));
  await office.setOffline(true);
  await desk.reload();
  await unlock(desk);
  await expect(desk.getByRole("heading", { name: "待审核的工作记录" })).toBeVisible();
  await desk.getByRole("link", { name: "统计", exact: true }).click();
  await expect(desk.getByRole("heading", { name: "统计", exact: true })).toBeVisible();
  await cadre.close();
  await office.close();
  server.dist = dist;
});
