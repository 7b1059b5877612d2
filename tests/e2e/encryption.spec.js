// What a lost or copied phone gives away: after 锁定 nothing the cadre keeps is readable in the
// browser's storage. The PIN opens it again with no network; wrong PINs lock it until a
// password sign-in, which opens the same data (nothing is lost) and asks for a new PIN.
const { test, expect, request } = require("@playwright/test");
const { useCaseServer } = require("./server");
const {
  PIN,
  choosePin,
  signIn,
  openFile,
  shellCached,
  saveNote,
  goOffline,
  goOnline,
  storedText,
  unlock,
} = require("./helpers");

const server = useCaseServer(test);

/// Every token-like piece of `dump` that the server takes as a bearer token (there is no phone
/// key to sign with outside the browser: a copied dump carries none).
async function workingCredentials(dump) {
  const candidates = new Set(dump.match(/[A-Za-z0-9+/=_.\-]{16,}/g) || []);
  expect(candidates.size).toBeGreaterThan(5);
  const api = await request.newContext({ baseURL: server.url });
  const working = [];
  for (const token of candidates) {
    const res = await api.get("/api/me", { headers: { Authorization: `Bearer ${token}` } });
    if (res.status() !== 401) working.push(token);
  }
  await api.dispose();
  return working;
}

// 郭先生's file in the demo data: his name, phone number and address.
const SECRETS = ["郭先生", "13800000001", "南滨街道阁一村三组"];

test("locked data shows no name, phone or note; the PIN opens it; wrong PINs lock it", async ({
  page,
  context,
}) => {
  const note = `只说给干部听的话 ${Date.now()}`;
  await signIn(page, server);
  await shellCached(page);
  await openFile(page, "郭先生");
  await goOffline(context, server);
  await saveNote(page, note);
  await expect(page.locator("li.entry", { hasText: note })).toHaveCount(1);

  await page.getByRole("button", { name: "锁定" }).click();
  await expect(page.getByRole("heading", { name: "输入解锁码" })).toBeVisible();
  await expect(page.getByText("郭先生")).toHaveCount(0);
  const stored = await storedText(page);
  expect(stored, "the dump reads the app's rows").toContain("file-guo");
  for (const secret of [...SECRETS, note]) {
    expect(stored.includes(secret), `${secret} readable in storage`).toBe(false);
  }
  // Nor any credential: the token lies sealed with the data, and no string kept works as one.
  await goOnline(context, server);
  expect(await workingCredentials(stored)).toEqual([]);
  await goOffline(context, server);

  // Offline, the right PIN opens it where the cadre left off, the unsent note still waiting.
  await unlock(page);
  await expect(page.locator("li.entry", { hasText: note })).toHaveCount(1);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "1");

  // A reload forgets the key: the PIN again, still offline.
  await page.reload();
  await unlock(page);
  await expect(page.locator("li.entry", { hasText: note })).toHaveCount(1);

  // Five wrong PINs: the fourth warns, the fifth locks until a password sign-in.
  await page.getByRole("button", { name: "锁定" }).click();
  for (let tries = 4; tries >= 1; tries -= 1) {
    await page.fill("input[name=pin]", "135792");
    await page.getByRole("button", { name: "解锁", exact: true }).click();
    await expect(page.getByRole("alert")).toHaveText(`解锁码不正确，剩余尝试次数：${tries}`);
  }
  await page.fill("input[name=pin]", "135792");
  await page.getByRole("button", { name: "解锁", exact: true }).click();
  await expect(page.getByRole("heading", { name: "干部登录" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("请联网用密码登录");
  // Even the right PIN no longer opens anything, after a reload too.
  await page.reload();
  await expect(page.getByRole("heading", { name: "干部登录" })).toBeVisible();
  await expect(page.locator("input[name=pin]")).toHaveCount(0);
  expect((await storedText(page)).includes(note)).toBe(false);

  // Back online, the password opens the same data; the note uploads; a new PIN is set.
  await goOnline(context, server);
  await expect(page.locator("input[name=username]")).toHaveValue("wangjg");
  await page.fill("input[name=password]", "xiafang2026");
  await page.click("button[type=submit]");
  await expect(page.getByRole("heading", { name: "设置解锁码" })).toBeVisible();
  await choosePin(page, "802461");
  await expect(page.locator("li.entry", { hasText: note })).toHaveCount(1);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await page.reload();
  await unlock(page, "802461");
  await expect(page.locator("li.entry", { hasText: note })).toHaveCount(1);
  expect(PIN).not.toBe("802461");
});

test("signing out keeps records that wait for upload, sealed", async ({ page, context }) => {
  const note = `退出前未上传的谈心 ${Date.now()}`;
  await signIn(page, server);
  await shellCached(page);
  await openFile(page, "郭先生");
  await goOffline(context, server);
  await saveNote(page, note);
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByRole("heading", { name: "干部登录" })).toBeVisible();
  // Offline, the server could not be told: the page says until when the session stays there.
  await expect(page.getByRole("alert")).toContainText("服务器上的这次登录仍有效至");
  expect((await storedText(page)).includes(note)).toBe(false);

  await goOnline(context, server);
  await page.fill("input[name=username]", "wangjg");
  await page.fill("input[name=password]", "xiafang2026");
  await page.click("button[type=submit]");
  await expect(page.getByRole("heading", { name: "我的档案" })).toBeVisible();
  await openFile(page, "郭先生");
  await expect(page.locator("li.entry", { hasText: note })).toHaveCount(1);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
});

test("a phone of the previous version drops its clear token and keeps its unsent records", async ({ page, context }) => {
  const note = `升级前未上传的谈心 ${Date.now()}`;
  await signIn(page, server);
  await shellCached(page);
  await openFile(page, "郭先生");
  await goOffline(context, server);
  await saveNote(page, note);
  // What the previous version kept: the token in the clear beside the account, nothing sealed.
  const oldToken = "0".repeat(64);
  await page.evaluate((token) => {
    const session = JSON.parse(localStorage.getItem("xiafang.session"));
    localStorage.setItem("xiafang.session", JSON.stringify({ token, account: session.account }));
    localStorage.removeItem("xiafang.session_token");
  }, oldToken);
  await page.reload();
  await unlock(page);
  await expect(page.locator("li.entry", { hasText: note })).toHaveCount(1);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "1");
  expect((await storedText(page)).includes(oldToken), "the clear token is dropped").toBe(false);

  // Online, it cannot upload without a token: the status line asks for a sign-in, which does.
  await goOnline(context, server);
  await expect(page.getByTestId("status")).toContainText("登录已失效");
  await page.getByRole("button", { name: "退出登录" }).click();
  await page.fill("input[name=username]", "wangjg");
  await page.fill("input[name=password]", "xiafang2026");
  await page.click("button[type=submit]");
  await expect(page.getByRole("heading", { name: "我的档案" })).toBeVisible();
  await openFile(page, "郭先生");
  await expect(page.locator("li.entry", { hasText: note })).toHaveCount(1);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
});
