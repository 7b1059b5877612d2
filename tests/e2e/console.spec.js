// The county supervisor's console on a phone: deadlines and figures computed from the synced
// case load (also with no network), a ledger downloaded as an Excel file, and a printable file.
const fs = require("node:fs");
const path = require("node:path");
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, shellCached, goOffline, unlock, isoDaysFromNow, SUPERVISOR } = require("./helpers");

const server = useCaseServer(test);
const demo = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "server", "demo", "demo.json"), "utf8"));

/// The demo file whose last visit is the oldest: whatever today is, it waits for a visit.
function quietestFile() {
  const last = {};
  for (const r of demo.records) {
    if (r.body.type === "visit" && !(last[r.file_id] > r.occurred_at)) last[r.file_id] = r.occurred_at;
  }
  const [id] = Object.entries(last).sort((a, b) => a[1].localeCompare(b[1]))[0];
  return demo.files.find((f) => f.file.id === id).file;
}

/// Whether the demo data lists a supervision it never lifts, so the page must show it.
const supervision = (action) =>
  new Set(demo.records.filter((r) => r.body.type === "supervision" && r.body.action === action).map((r) => r.file_id));
const supervised = () =>
  demo.files.filter((f) => supervision("listed").has(f.file.id) && !supervision("lifted").has(f.file.id)).map((f) => f.file.name);
const demoSupervises = supervised().length > 0;

/// The demo files whose handling (受理 + 60 days + an extension) falls due within two days or
/// has passed unreplied: the deadlines page must show them as overdue or due soon. The server
/// tells the demo around the day it first started, so this is reckoned as of the demo's `day`.
function handlingDueNow() {
  const day = (s) => new Date(`${s.slice(0, 10)}T00:00:00Z`).getTime() / 86_400_000;
  const today = day(demo.day);
  const out = [];
  for (const { file } of demo.files) {
    const steps = demo.records.filter((r) => r.file_id === file.id && r.body.type === "case_step");
    const accepted = steps.find((r) => r.body.step === "accepted");
    if (!accepted || steps.some((r) => ["replied", "legal_route"].includes(r.body.step))) continue;
    const extension = steps.find((r) => r.body.step === "extended");
    const due = day(accepted.occurred_at) + 60 + (extension ? extension.body.days : 0);
    if (due - today <= 2) out.push(file.name);
  }
  return out;
}

/// Files closed without a follow-up after the closure: the page lists them under 待回访.
function followUpsDue() {
  const out = [];
  for (const { file } of demo.files) {
    const mine = demo.records.filter((r) => r.file_id === file.id);
    const closed = mine.find((r) => r.body.type === "case_step" && r.body.step === "closed");
    const followedUp = (r) =>
      (r.body.type === "case_step" && r.body.step === "follow_up_done") ||
      (r.body.type === "visit" && r.body.kind === "follow_up");
    if (closed && !mine.some((r) => followedUp(r) && r.occurred_at >= closed.occurred_at)) out.push(file.name);
  }
  return out;
}

async function openConsole(page, name) {
  await page.getByTestId("console-nav").getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  // Nothing sticks out sideways on a 360 px phone.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

async function checkDeadlines(page, quiet) {
  await openConsole(page, "案件期限");
  for (const id of ["overdue", "due-soon", "supervised", "follow-up", "no-visit"]) {
    await expect(page.getByTestId(`section-${id}`)).toBeVisible();
  }
  await expect(page.getByTestId("section-overdue").getByRole("heading", { name: /已逾期/ })).toBeVisible();
  await expect(page.getByTestId("section-due-soon").getByRole("heading", { name: /即将到期/ })).toBeVisible();
  const noVisit = page.getByTestId("section-no-visit");
  const row = noVisit.locator("li", { hasText: quiet.name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/\d+ 天未走访/);
  await expect(row.getByRole("link")).toHaveAttribute("href", `/files/${quiet.id}`);
  if (demoSupervises) {
    await expect(page.getByTestId("section-supervised").locator("li")).not.toHaveCount(0);
  }
  for (const name of supervised()) {
    await expect(page.getByTestId("section-supervised").locator("li", { hasText: name })).toContainText("督办期限");
  }
  const urgent = page.getByTestId("section-overdue").or(page.getByTestId("section-due-soon"));
  for (const name of handlingDueNow()) {
    await expect(urgent.locator("li", { hasText: name }).filter({ hasText: "办理答复" }).first()).toBeVisible();
  }
  for (const name of followUpsDue()) {
    await expect(page.getByTestId("section-follow-up").locator("li", { hasText: name })).toHaveCount(1);
  }
}

test("the county supervisor's deadlines, figures, ledger and print work, the first two offline", async ({ page, context }) => {
  const quiet = quietestFile();
  await signIn(page, server, SUPERVISOR);
  // The whole jurisdiction arrives on the supervisor's phone.
  const list = page.getByTestId("file-list");
  // By link: one petitioner (雷女士) has two files.
  for (const f of demo.files) await expect(list.locator(`a[href="/files/${f.file.id}"]`)).toContainText(f.file.name);
  await shellCached(page);

  // 案件期限: the sections, the quiet file, grouping by cadre with plain counts by name.
  await checkDeadlines(page, quiet);
  await page.selectOption("select[name=group]", "cadre");
  const workload = page.getByTestId("workload");
  await expect(workload.getByRole("rowheader", { name: "王建国" })).toBeVisible();
  await expect(workload.getByRole("rowheader", { name: "李晓梅" })).toBeVisible();
  const cadreOfQuiet = demo.records.find((r) => r.file_id === quiet.id && r.body.type === "visit").author_name;
  await expect(page.getByTestId("section-no-visit").getByRole("heading", { name: new RegExp(cadreOfQuiet) })).toBeVisible();

  // 统计: 走访次数 with its value and definition; a period with nothing shows "—", never 100%.
  await openConsole(page, "统计");
  const visits = page.locator('.figure[data-key="visits_made"]');
  await expect(visits).toContainText("走访次数");
  await expect(visits).toContainText("口径：期内走访记录数");
  await expect(visits.getByTestId("figure-value")).toHaveText(/^\d+$/);
  await expect(page.getByTestId("chart-visits")).toBeVisible();
  await expect(page.getByTestId("chart-villages-visits")).toContainText(quiet.village);
  await page.fill("input[name=from]", "2001-01-01");
  await page.fill("input[name=to]", "2001-12-31");
  await expect(visits.getByTestId("figure-value")).toHaveText("0");
  await expect(page.locator('.figure[data-key="satisfaction"]').getByTestId("figure-value")).toHaveText("—");
  await expect(page.locator('.figure[data-key="satisfaction"]')).toContainText("0 / 0");
  await page.fill("input[name=from]", "2001-12-31");
  await page.fill("input[name=to]", "2001-01-01");
  await expect(page.getByText("开始日期不能晚于结束日期")).toBeVisible();

  // 台账: the visit ledger of this year as an Excel file.
  await openConsole(page, "台账");
  await expect(page.getByTestId("ledger-scope")).toContainText("瑞安市");
  await page.selectOption("select[name=ledger]", { label: "走访台账" });
  await page.selectOption("select[name=format]", "xlsx");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "下载" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  expect(download.suggestedFilename()).toContain("走访台账");
  const saved = await download.path();
  expect(fs.statSync(saved).size).toBeGreaterThan(0);
  // An .xlsx is a zip archive.
  expect(fs.readFileSync(saved).subarray(0, 2).toString()).toBe("PK");
  await expect(page.getByTestId("ledger-saved")).toContainText(".xlsx");
  // 交办台账 as CSV: the demo's assignment on 雷女士's file is a row, its 催办 count a number.
  await page.fill("input[name=from]", isoDaysFromNow(-60));
  await page.selectOption("select[name=ledger]", { label: "交办台账" });
  await page.selectOption("select[name=format]", "csv");
  const [tasks] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "下载" }).click()]);
  expect(tasks.suggestedFilename()).toMatch(/^交办台账.*\.csv$/);
  const csv = fs.readFileSync(await tasks.path(), "utf8");
  expect(csv.split("\r\n")[0]).toContain("交办日期,乡镇（街道）,村（社区）,信访人,承办单位,交办事项及要求,限期报告日期,催办次数");
  expect(csv).toMatch(/,雷女士,云周街道办事处,落实雷女士安置地基分配方案，限期报告,\d{4}-\d{2}-\d{2},0,/);

  // No network: the ledger page says so; deadlines, figures and the printable file still work.
  await goOffline(context, server);
  await page.reload();
  await unlock(page);
  await expect(page.getByTestId("ledgers-offline")).toContainText("当前离线");
  await expect(page.getByRole("button", { name: "下载" })).toBeDisabled();
  await checkDeadlines(page, quiet);
  await openConsole(page, "统计");
  await expect(page.locator('.figure[data-key="visits_made"]').getByTestId("figure-value")).toHaveText(/^\d+$/);

  await openConsole(page, "案件期限");
  await page.getByTestId("section-no-visit").locator("li", { hasText: quiet.name }).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/files/${quiet.id}$`));
  await page.getByRole("link", { name: "打印档案" }).click();
  await expect(page).toHaveURL(new RegExp(`/files/${quiet.id}/print$`));
  const printed = page.getByTestId("print-file");
  await expect(printed.getByRole("heading", { name: new RegExp(quiet.name) })).toBeVisible();
  const visitsOfQuiet = demo.records.filter((r) => r.file_id === quiet.id && r.body.type === "visit").length;
  await expect(printed.locator("li.entry.visit")).toHaveCount(visitsOfQuiet);
  // Every field under the words of the form that wrote it: the file's 住址/联系电话, a visit's
  // 思想动态/风险等级 and, where a visit set one, 下一步完成时限 (not an unlabelled date).
  await expect(printed.locator("dt", { hasText: "住址" })).toHaveCount(1);
  if (quiet.phone) await expect(printed.locator("dt", { hasText: "联系电话" })).toHaveCount(1);
  await expect(printed.locator("li.entry.visit").first()).toContainText("思想动态：");
  await expect(printed.locator("li.entry.visit").first()).toContainText("风险等级：");
  const due = demo.records.find((r) => r.file_id === quiet.id && r.body.type === "visit" && r.body.next_due);
  if (due) await expect(printed).toContainText("下一步完成时限：");
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => {
      window.printed += 1;
    };
  });
  await page.getByRole("button", { name: "打印", exact: true }).click();
  expect(await page.evaluate(() => window.printed)).toBe(1);
});
