// 管理 in the app: a county administrator creates a cadre account for a village, assigns it a
// file, resets its password and disables it — all from the admin screen, against the real
// server — and a cadre neither sees the screen nor may use it.
const { test, expect, request } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, unlock, signedApi } = require("./helpers");

const server = useCaseServer(test);

const ADMIN = { username: "admin", password: "xiafang2026" };
const NEW = { username: "geyi.zhang", password: "chushi-mima-2026" };

/// A signed-in client of the account (its status says whether the sign-in worked).
function apiLogin(username, password) {
  return signedApi(server, { username, password });
}

/// The status of a request the account's client makes to a file it is assigned.
async function readWith(client) {
  return (await client.get("/api/files/file-guo/records")).status();
}

async function createAccount(form, { username, name, place, password }) {
  await form.locator("input[name=new-username]").fill(username);
  await form.locator("input[name=new-display-name]").fill(name);
  await form.locator("select[name=new-role]").selectOption("cadre");
  await form.locator("select[name=new-place]").selectOption(place);
  await form.locator("input[name=new-password]").fill(password);
  await form.getByRole("button", { name: "创建账号" }).click();
}

test("an administrator creates, assigns, resets and disables a cadre account in the app", async ({ page, context, browser }) => {
  await signIn(page, server, ADMIN);
  await page.getByRole("link", { name: "管理" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  const accounts = page.getByTestId("accounts");
  await expect(accounts.locator("li[data-username=wangjg]")).toContainText("王建国");

  // Administration needs the network, and says so.
  await context.setOffline(true);
  await expect(page.getByTestId("admin-problem")).toContainText("管理功能需要联网");
  await context.setOffline(false);
  await expect(accounts).toBeVisible();

  const form = page.getByTestId("new-account");
  await createAccount(form, { ...NEW, name: "张阁一", place: "v-geyi", password: "short" });
  await expect(form.getByRole("alert")).toContainText("密码至少 10 位");
  await createAccount(form, { ...NEW, name: "张阁一", place: "v-geyi" });
  await expect(form.getByRole("status")).toHaveText("账号已创建");
  const row = accounts.locator(`li[data-username="${NEW.username}"]`);
  await expect(row).toContainText("张阁一");
  await expect(row).toContainText("v-geyi");
  await expect(row).toContainText("干部");

  await createAccount(form, { ...NEW, name: "张阁一", place: "v-geyi" });
  await expect(form.getByRole("alert")).toContainText("用户名已存在");

  const assign = page.getByTestId("assignments");
  await assign.locator("select[name=assign-account]").selectOption({ label: `张阁一（${NEW.username}）` });
  await assign.locator("select[name=assign-file]").selectOption({ label: "郭先生（阁一村）" });
  await assign.getByRole("button", { name: "分配", exact: true }).click();
  await expect(assign.getByRole("status")).toHaveText("档案已分配");

  // The new cadre signs in on another phone and finds the file.
  const phone = await browser.newContext();
  const cadrePage = await phone.newPage();
  await signIn(cadrePage, server, NEW);
  await expect(cadrePage.getByTestId("file-list")).toContainText("郭先生");
  // The phone's own token is sealed with its data; a session of the cadre's on another phone
  // stands in for it here.
  const session = await apiLogin(NEW.username, NEW.password);
  expect(await readWith(session)).toBe(200);
  await phone.close();

  const reset = page.getByTestId("reset-password");
  await reset.locator("select[name=reset-account]").selectOption({ label: `张阁一（${NEW.username}）` });
  await reset.locator("input[name=reset-password]").fill("xin-mima-2026-ok");
  await reset.getByRole("button", { name: "重置密码" }).click();
  await expect(reset.getByRole("status")).toContainText("密码已重置");
  expect((await apiLogin(NEW.username, NEW.password)).status).toBe(401);
  expect(await readWith(session)).toBe(401);
  const renewed = await apiLogin(NEW.username, "xin-mima-2026-ok");
  expect(renewed.status).toBe(200);
  expect(await readWith(renewed)).toBe(200);

  await row.getByRole("button", { name: "停用" }).click();
  await expect(page.getByText("账号已停用，其登录已全部失效")).toBeVisible();
  await expect(row).toContainText("已停用");
  await expect(row.getByRole("button", { name: "启用" })).toBeVisible();
  expect(await readWith(renewed)).toBe(401);
  expect((await apiLogin(NEW.username, "xin-mima-2026-ok")).status).not.toBe(200);
});

test("a cadre has no 管理 link and the server refuses the admin screen", async ({ page }) => {
  await signIn(page, server);
  await expect(page.getByRole("banner")).toContainText("王建国");
  await expect(page.getByRole("link", { name: "管理" })).toHaveCount(0);
  // The cadre's phone has no 管理 screen at all (it is in the office chunk, which it never
  // downloads), and the server refuses the cadre's own session the administrator's API.
  await page.goto(`${server.url}/admin`);
  await unlock(page);
  await expect(page.getByText("找不到这个页面")).toBeVisible();
  await expect(page.getByTestId("accounts")).toHaveCount(0);
  const cadre = await signedApi(server);
  expect((await cadre.get("/api/admin/accounts")).status()).toBe(403);
  await cadre.dispose();
});

// Issue 19: the administrator's 核验记录链. Someone with the database file rewrites a record of
// 郭先生's file behind the server's back; the check names it in Chinese, on a 360 px screen.
test("an administrator's chain check names a record rewritten in the database, in Chinese, at 360 px", async ({ page }) => {
  const { execFileSync } = require("node:child_process");
  const path = require("node:path");
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, server, ADMIN);
  await page.getByRole("link", { name: "管理" }).click();
  const card = page.getByTestId("verify-chains");
  await card.getByRole("button", { name: "开始核验" }).click();
  await expect(card.getByRole("status")).toContainText("全部相符");

  const db = path.join(server.dataDir, "xiafang.db");
  // Python's sqlite3 module: Python is on every machine this runs on, the sqlite3 tool is not.
  const script = "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nr=c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint(r[0][0] if r else '')";
  const sql = (statement) => execFileSync("python3", ["-c", script, db, statement]).toString().trim();
  await server.stop();
  const id = sql("SELECT id FROM records WHERE file_id = 'file-guo' ORDER BY feed_seq LIMIT 1 OFFSET 1");
  sql(`UPDATE records SET body = json_set(body, '$.author_name', '某某') WHERE id = '${id}'`);
  await server.start();

  await page.reload();
  await unlock(page);
  await card.getByRole("button", { name: "开始核验" }).click();
  await expect(card.getByRole("alert")).toContainText("处不符");
  const finding = card.getByTestId("verify-findings").locator("li", { hasText: id });
  await expect(finding).toContainText(`档案 file-guo 第 2 条记录（${id}）`);
  await expect(finding).toContainText("与链上的哈希不符");
  await expect(finding).toContainText("最后一次与签名根相符");
  // Readable at 360 px: nothing runs off the side of the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

// Issue 18 item 1: 管理 → 导入台账. A sheet with a wrong ID number is checked and the problem shown
// by sheet, row and column in Chinese, nothing imported; the corrected sheet is checked, then
// imported, and the count of new files shown; at 360 px.
test("an administrator imports a ledger sheet: the faulty one's problem in Chinese, the good one's count", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, server, ADMIN);
  await page.getByRole("link", { name: "管理" }).click();
  const card = page.getByTestId("import-ledgers");
  const header = "姓名,性别,出生年份,身份证号,联系电话,乡镇（街道）,村（社区）,村民小组,住址,家庭情况,标签,诉求,诉求类别,首次信访日期,信访渠道,事项分类,最高到达层级,事项标记,化解状态,包案领导（职务）,此前走访次数";
  const sheet = (id) => ({
    name: "信访人档案.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`\ufeff${header}\r\n吴某,男,1970,${id},,南滨街道,阁一村,,阁一村五号,,,要求补偿,征地拆迁,2024-03-01,来访,申诉求决类,县,重复访,化解中,,0\r\n`),
  });

  await card.getByTestId("import-file").setInputFiles(sheet("330399197001010014"));
  await card.getByRole("button", { name: "检查" }).click();
  await expect(card.getByRole("alert")).toContainText("发现 1 处问题，未导入任何内容");
  const problem = card.getByTestId("import-problems").locator("tbody tr");
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText("信访人档案");
  await expect(problem.locator("td").nth(1)).toHaveText("2");
  await expect(problem).toContainText("身份证号校验位不对");
  await expect(card.getByRole("button", { name: "导入", exact: true })).toHaveCount(0);

  await card.getByTestId("import-file").setInputFiles(sheet("330399197001010013"));
  await card.getByRole("button", { name: "检查" }).click();
  await expect(card.getByTestId("import-counts")).toContainText("检查通过，可以导入。将新增：档案 1 份");
  await card.getByRole("button", { name: "导入", exact: true }).click();
  await expect(card.getByTestId("import-counts")).toContainText("已导入。新增：档案 1 份");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
