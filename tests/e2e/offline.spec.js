// A cadre logs a visit, an assistance action and a note with no network; they survive a reload
// while still offline and reach the case server by themselves, exactly once, when it returns.
const { test, expect, request } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, shellCached, goOffline, goOnline, serverRecords, unlock, signedApi, openFile, saveNote } = require("./helpers");

const server = useCaseServer(test);

test("records saved offline survive a reload and upload exactly once", async ({ page, context }) => {
  const tag = `E2E-${Date.now()}`;
  await signIn(page, server);

  // The assigned files arrive, and search narrows them by name or village.
  const list = page.getByTestId("file-list");
  await expect(list.getByText("郭先生")).toBeVisible();
  await page.fill("input[name=search]", "阁一村");
  await expect(list.locator("li")).not.toHaveCount(0);
  for (const name of await list.locator("li .place").allTextContents()) {
    expect(name).toContain("阁一村");
  }
  await page.fill("input[name=search]", "没有这个人");
  await expect(page.getByText("没有符合条件的档案")).toBeVisible();
  await page.fill("input[name=search]", "");

  // The service worker must hold the app shell before the network goes.
  await shellCached(page);

  await list.getByText("郭先生").click();
  await expect(page).toHaveURL(/\/files\/file-guo$/);
  const fileUrl = page.url();
  const visitsBefore = Number(await page.getByTestId("visit-count").textContent());

  await goOffline(context, server);
  await expect(page.getByTestId("net")).toHaveText("离线");

  // A home visit: first with the required request left empty, which is refused in Chinese.
  await page.getByRole("link", { name: "记走访" }).click();
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page.getByText("请填写诉求及反映的问题")).toBeVisible();
  await page.fill("textarea[name=requests]", `要求重新核算分配款 ${tag}`);
  await page.selectOption("select[name=mood]", { label: "有抵触" });
  await page.selectOption("select[name=risk]", { label: "关注" });
  await page.fill("textarea[name=explained]", "讲解了集体资产分配政策");
  await page.fill("textarea[name=next_step]", "下周召开村民代表会议");
  await page.fill("input[name=next_due]", "2030-01-10");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);

  // An assistance action: an amount that is not a number is refused, then corrected.
  await page.getByRole("link", { name: "记帮扶" }).click();
  await page.selectOption("select[name=assistance_kind]", { label: "慰问金" });
  await page.fill("input[name=amount]", "五百");
  await page.fill("textarea[name=items]", `春节慰问金 ${tag}`);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page.getByText("金额格式不正确，请填写数字，例如 200 或 200.50")).toBeVisible();
  await page.fill("input[name=amount]", "500");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);

  // A conversation note.
  await page.getByRole("link", { name: "记谈心" }).click();
  await page.fill("textarea[name=text]", `谈到父亲的丧事安排，情绪平稳 ${tag}`);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);

  const mine = page.locator("li.entry", { hasText: tag });
  await expect(mine).toHaveCount(3);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "3");
  await expect(page.getByTestId("visit-count")).toHaveText(String(visitsBefore + 1));

  // Reload with no network: the shell comes from the service worker, the records from the phone.
  await page.reload();
  await unlock(page);
  await expect(page.getByTestId("net")).toHaveText("离线");
  await expect(mine).toHaveCount(3);
  for (const state of await mine.getByTestId("state").allTextContents()) {
    expect(state).toBe("已保存在手机，待上传");
  }
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "3");

  // The network returns: everything uploads without a tap.
  await goOnline(context, server);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await expect(mine.getByTestId("state")).toHaveText(["已上传", "已上传", "已上传"]);
  await expect(page.getByTestId("last-upload")).toContainText("上次上传");

  // Asking again (a manual upload, a reload) stores nothing twice.
  await page.getByTestId("upload-now").click();
  await page.reload();
  await unlock(page);
  await expect(mine).toHaveCount(3);

  const records = await serverRecords(server, "file-guo");
  const tagged = records.filter((r) => JSON.stringify(r.body).includes(tag));
  expect(tagged.map((r) => r.body.type).sort()).toEqual(["assistance", "note", "visit"]);
  expect(new Set(tagged.map((r) => r.id)).size).toBe(3);
  const money = tagged.find((r) => r.body.type === "assistance");
  expect(money.body.amount_fen).toBe(50_000);
});

test("an app failure says so in Chinese, and reopening it offline keeps what was saved", async ({ page, context }) => {
  const tag = `CRASH-${Date.now()}`;
  await signIn(page, server);
  await shellCached(page);
  await openFile(page, "郭先生");
  await goOffline(context, server);
  await saveNote(page, `崩溃前保存的谈心记录 ${tag}`);

  // A panic freezes the wasm instance where it stood; the page must not just stop answering.
  await page.evaluate(() => window.__xiafang_panic()).catch(() => {});
  const crash = page.getByTestId("crash");
  await expect(crash).toContainText("已保存到手机的记录不会丢失");
  await crash.getByRole("button", { name: "重新打开" }).click();

  await unlock(page);
  await expect(page.getByTestId("crash")).toHaveCount(0);
  await openFile(page, "郭先生");
  await expect(page.locator("li.entry", { hasText: tag })).toHaveCount(1);
  await goOnline(context, server);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await expect
    .poll(async () => (await serverRecords(server, "file-guo")).filter((r) => JSON.stringify(r.body).includes(tag)).length)
    .toBe(1);
});

test("a cadre cannot open another township's file through the API, nor learn that it exists", async () => {
  const api = await signedApi(server);
  const res = await api.get("/api/files/file-yang/records");
  expect(res.status()).toBe(404);
  const missing = await api.get("/api/files/file-never-existed/records");
  expect(missing.status()).toBe(404);
  expect(await res.text()).toBe(await missing.text());
  expect((await res.json()).message).toMatch(/[\u4e00-\u9fff]/);
  await api.dispose();
});

test("a phone locked while the network returns uploads the moment it is unlocked, without a tap", async ({ page, context }) => {
  const tag = `LOCKED-${Date.now()}`;
  // The page's timers are the test's: no retry or minute tick can start an upload behind its back.
  await page.clock.install();
  await signIn(page, server);
  await shellCached(page);
  await openFile(page, "郭先生");
  await goOffline(context, server);
  await saveNote(page, `${tag} 谈心`);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "1");
  await page.getByRole("button", { name: "锁定" }).click();
  await expect(page.getByRole("heading", { name: "输入解锁码" })).toBeVisible();
  await page.clock.pauseAt(Date.now() + 1_000);

  // Back online while locked: the data key is not in memory, so nothing can be read to send.
  await goOnline(context, server);
  const stored = async () =>
    (await serverRecords(server, "file-guo")).filter((r) => JSON.stringify(r.body).includes(tag)).length;
  expect(await stored()).toBe(0);

  // The PIN opens the data, and the note leaves at once.
  await unlock(page);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  expect(await stored()).toBe(1);
});
