// 包案 (case ownership) end to end: the county supervisor names a case-owning leader picked from
// the accounts (offline, from the list kept since the last sync) and one without an account, with post,
// 责任单位 and 责任人 and records a 化解方案 with a milestone due soon on their phone while
// offline; both upload by themselves once online. With the phone's clock moved past the due
// date, the console's 包案 view shows the milestone overdue under the leader's name; recording
// 里程碑完成 moves it to met — late. The demo's own 包案 cases are listed by leader.
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, syncNow, unlock, SUPERVISOR } = require("./helpers");

const server = useCaseServer(test);
const DAY = 86_400_000;

/// The day `days` from now on the phone's calendar (China time), as a date input wants it.
function chinaDay(days, from = Date.now()) {
  return new Date(from + days * DAY).toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
}

/// 包案 is the second view of 案件期限, one tap from the console's row.
async function openOwnership(page) {
  await page.getByTestId("console-nav").getByRole("link", { name: "案件期限" }).click();
  const tabs = page.getByTestId("case-tabs");
  await expect(tabs.getByRole("link", { name: "案件期限" })).toHaveAttribute("aria-current", "page");
  await tabs.getByRole("link", { name: "包案" }).click();
  await expect(page.getByRole("heading", { name: "包案", level: 1 })).toBeVisible();
  // The tab shown is marked, for the eye and for a screen reader, and only it.
  await expect(tabs.getByRole("link", { name: "包案" })).toHaveAttribute("aria-current", "page");
  await expect(tabs.getByRole("link", { name: "案件期限" })).not.toHaveAttribute("aria-current");
  await expect(page.getByTestId("console-nav").getByRole("link", { name: "案件期限" })).not.toHaveAttribute("aria-current");
  // Nothing sticks out sideways on a 360 px phone.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

async function supervise(page, action) {
  await page.getByRole("link", { name: "督办", exact: true }).click();
  await expect(page.getByRole("heading", { name: "督办" })).toBeVisible();
  await page.selectOption("select[name=action]", { label: action });
}

test("a leader's milestone recorded offline falls due, shows overdue on the console, and is met late", async ({ page, context }) => {
  const start = Date.now();
  const tag = `BA-${start}`;
  const due = chinaDay(2, start);
  await signIn(page, server, SUPERVISOR);
  await shellCached(page);

  // The demo's 包案: 郭先生's case under both its leaders, its second milestone overdue, and the
  // rate with its definition.
  await openOwnership(page);
  const rate = page.getByTestId("ownership-rate");
  await expect(rate).toContainText("包案化解率");
  await expect(rate).toContainText("口径：期末有至少一名包案领导的事项中");
  const wang = page.locator('[data-testid=leader][data-leader="王副书记"]');
  await expect(wang).toContainText("南滨街道党工委副书记");
  const guo = wang.getByTestId("owned-case").filter({ hasText: "郭先生" });
  await expect(guo).toContainText("责任单位：南滨街道办事处");
  await expect(guo.getByTestId("own-visits")).toContainText("本人接访/下访 1 次");
  await expect(guo.getByTestId("milestone").first()).toHaveAttribute("data-status", "overdue");
  await expect(guo.getByTestId("milestone").first()).toContainText("召开村民代表会议");
  const chen = page.locator('[data-testid=leader][data-leader="陈副市长"]');
  await expect(chen.getByTestId("owned-case")).toHaveCount(2);

  // Offline in the field: name the leader and record the plan on 周先生's file.
  await page.getByRole("link", { name: "下访", exact: true }).click();
  const fileUrl = await openFile(page, "周先生");
  await context.setOffline(true);
  await supervise(page, "指定包案领导");
  // A leader with an account is picked from the list the phone kept since it was last online
  // (the supervisors of the county and below); the name is then the account's, not typed.
  const accounts = page.locator("select[name=leader_account] option");
  await expect(accounts.first()).toHaveText("未开通账号（手动填写姓名和职务）");
  await expect(accounts.filter({ hasText: "赵晓峰（瑞安市）" })).toHaveCount(1);
  await page.selectOption("select[name=leader_account]", { label: "赵晓峰（瑞安市）" });
  await expect(page.locator("input[name=leader]")).toHaveCount(0);
  await page.fill("input[name=leader_post]", "瑞安市信访局局长");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  const picked = page.locator("li.entry", { hasText: "瑞安市信访局局长" });
  await expect(picked).toContainText("赵晓峰");

  // A leader who never uses the app stays possible: typed, and shown as 未开通账号.
  await supervise(page, "指定包案领导");
  await page.fill("input[name=leader]", "郑主任");
  await page.fill("input[name=leader_post]", "南滨街道办事处主任");
  await page.fill("input[name=responsible_unit]", "南滨街道综治中心");
  await page.fill("input[name=responsible]", "王建国");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);

  await supervise(page, "化解方案");
  await page.fill("textarea[name=plan]", `街道牵头复核安置补偿，专班包案化解 ${tag}`);
  // A milestone needs its text: nothing is saved, and the form says why.
  await page.locator("input[name=milestone_due]").fill(due);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page.getByText("请填写里程碑")).toBeVisible();
  await page.locator("input[name=milestone_what]").fill(`召开复核听证会 ${tag}`);
  await page.getByRole("button", { name: "添加里程碑" }).click();
  await page.locator("input[name=milestone_what]").nth(1).fill("签订息诉罢访协议");
  await page.locator("input[name=milestone_due]").nth(1).fill(chinaDay(40, start));
  await page.fill("input[name=team]", "郑主任（专班负责人）、王建国（驻村干部）");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  const planEntry = page.locator("li.entry", { hasText: tag });
  await expect(planEntry).toContainText("化解方案");
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "3");

  // Still offline, the console already shows it, due soon, under the new leader.
  await openOwnership(page);
  const zheng = page.locator('[data-testid=leader][data-leader="郑主任"]');
  await expect(zheng).toContainText("南滨街道办事处主任");
  await expect(zheng.getByTestId("no-account")).toHaveText("未开通账号");
  const zhao = page.locator('[data-testid=leader][data-leader="赵晓峰"]');
  await expect(zhao).toContainText("瑞安市信访局局长");
  await expect(zhao.getByTestId("no-account")).toHaveCount(0);
  const zhou = zheng.getByTestId("owned-case").filter({ hasText: "周先生" });
  await expect(zhou).toContainText("责任单位：南滨街道综治中心");
  const milestone = zhou.getByTestId("milestone").filter({ hasText: tag });
  await expect(milestone).toHaveAttribute("data-status", "due_soon");
  await expect(milestone).toContainText("还剩 2 天");

  // Back online, both upload.
  await context.setOffline(false);
  await syncNow(page);
  await page.getByRole("link", { name: "下访", exact: true }).click();
  await openFile(page, "周先生");
  await expect(planEntry.getByTestId("state")).toHaveText("已上传");
  // The server took the picked account as a leader over this file.
  await expect(picked.getByTestId("state")).toHaveText("已上传");

  // Five days later (the phone's clock; a fresh start, so its idle lock counts from then) the
  // milestone is overdue, under the leader's name.
  const later = start + 5 * DAY;
  await page.clock.setFixedTime(new Date(later));
  await page.reload();
  await unlock(page);
  await openOwnership(page);
  await expect(milestone).toHaveAttribute("data-status", "overdue");
  await expect(milestone).toContainText("已逾期");
  await expect(milestone).toContainText("逾期 3 天");
  await expect(zhou.getByTestId("milestone").first()).toContainText(tag);

  // 里程碑完成, recorded that day: met, and shown late.
  await page.getByRole("link", { name: "下访", exact: true }).click();
  await openFile(page, "周先生");
  await supervise(page, "里程碑完成");
  await expect(page.locator("select[name=milestone_met]")).toHaveValue(`召开复核听证会 ${tag}`);
  await page.fill("textarea[name=milestone_note]", "听证会已召开，形成复核意见");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  await openOwnership(page);
  await expect(milestone).toHaveAttribute("data-status", "met_late");
  await expect(milestone).toContainText("逾期完成");
  await expect(milestone).toContainText(`完成于 ${chinaDay(0, later)}`);
});
