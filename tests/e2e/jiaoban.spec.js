// 交办 end to end: the county supervisor assigns a matter to a handling unit with a report
// deadline two days away (the console reminds them to phone the unit); the cadre on the file,
// offline in the field, enters the unit's 办结报告, which uploads once the phone is back online;
// the supervisor sees it awaiting 审核销号, signs it off on the report, and the console lists it
// as 已销号.
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, syncNow, isoDaysFromNow, SUPERVISOR } = require("./helpers");

const server = useCaseServer(test);

test("a unit's report arrives offline from the field and the matter is signed off", async ({ browser }) => {
  const tag = `JB-${Date.now()}`;
  const unit = `南滨街道办事处${tag}`;
  const reportBy = isoDaysFromNow(2);
  const supContext = await browser.newContext();
  const sup = await supContext.newPage();
  await signIn(sup, server, SUPERVISOR);
  const fileUrl = await openFile(sup, "潘女士");

  // 交办 with a deadline: nothing saved without the unit, then saved on the phone.
  await sup.getByRole("link", { name: "交办/销号" }).click();
  await expect(sup.getByRole("heading", { name: "交办" })).toBeVisible();
  await expect(sup.locator("select[name=action] option")).toHaveText(["交办", "催办", "办结报告", "审核销号", "退回重办"]);
  await sup.fill("textarea[name=task]", "落实安置宅基地，限期书面报告");
  await sup.fill("input[name=report_by]", reportBy);
  await sup.getByRole("button", { name: "保存到手机" }).click();
  await expect(sup.getByText("请填写承办单位")).toBeVisible();
  await sup.fill("input[name=task_unit]", unit);
  await sup.getByRole("button", { name: "保存到手机" }).click();
  await expect(sup).toHaveURL(fileUrl);
  const task = sup.getByTestId("tasks").locator("li.task", { hasText: unit });
  await expect(task).toHaveAttribute("data-state", "due_soon");
  await expect(task).toContainText(`限期报告日期 ${reportBy} · 即将到期，请电话催办 · 还剩 2 天`);
  await syncNow(sup);

  // The console's 交办 list marks it: phone the unit before the deadline.
  await sup.getByTestId("console-nav").getByRole("link", { name: "交办" }).click();
  const openRow = sup.getByTestId("tasks-open").locator("tr", { hasText: unit });
  await expect(openRow).toHaveAttribute("data-state", "due_soon");
  await expect(openRow).toContainText("提醒：电话催办");
  await expect(openRow.locator("td").nth(2)).toHaveText("还剩 2 天");

  // The cadre's phone downloads the assignment; in the field, offline, the unit's report is entered.
  const cadreContext = await browser.newContext();
  const cadre = await cadreContext.newPage();
  await signIn(cadre, server);
  await shellCached(cadre);
  await openFile(cadre, "潘女士");
  await expect(cadre.getByTestId("tasks").locator("li.task", { hasText: unit })).toBeVisible();
  await cadreContext.setOffline(true);
  await cadre.getByRole("link", { name: "记办结报告" }).click();
  await expect(cadre.getByTestId("current-task")).toContainText(unit);
  // The cadre records only the unit's report; the rest of the loop is the office's.
  await expect(cadre.locator("select[name=action] option")).toHaveText(["办结报告"]);
  await cadre.fill("textarea[name=report_summary]", `${tag} 安置地基已落实`);
  await cadre.getByRole("button", { name: "保存到手机" }).click();
  const reportEntry = cadre.locator("li.entry", { hasText: `${tag} 安置地基已落实` });
  await expect(reportEntry.getByTestId("state")).toHaveText("已保存在手机，待上传");
  await expect(cadre.getByTestId("tasks").locator("li.task", { hasText: unit })).toHaveAttribute("data-state", "reported");
  await expect(cadre.getByTestId("pending")).toHaveAttribute("data-count", "1");
  // Back online, it uploads.
  await cadreContext.setOffline(false);
  await syncNow(cadre);
  await expect(reportEntry.getByTestId("state")).toHaveText("已上传");

  // The supervisor's next download shows it awaiting sign-off.
  await syncNow(sup);
  const awaiting = sup.getByTestId("tasks-reported").locator("tr", { hasText: unit });
  await expect(awaiting).toContainText("已报告，待审核销号");
  await expect(sup.getByTestId("tasks-open").locator("tr", { hasText: unit })).toHaveCount(0);
  await awaiting.getByRole("link", { name: "潘女士" }).click();
  await expect(sup).toHaveURL(fileUrl);

  // 审核销号 must name what it rests on: the report, ticked from the file's records.
  await sup.getByRole("link", { name: "交办/销号" }).click();
  await sup.selectOption("select[name=action]", { label: "审核销号" });
  await sup.fill("textarea[name=sign_off_note]", `报告属实，予以销号 ${tag}`);
  await sup.getByRole("button", { name: "保存到手机" }).click();
  await expect(sup.getByText("请填写销号依据的记录")).toBeVisible();
  await sup.getByTestId("evidence").getByLabel(`${tag} 安置地基已落实`).check();
  await sup.getByRole("button", { name: "保存到手机" }).click();
  await expect(sup).toHaveURL(fileUrl);
  await syncNow(sup);
  const signOff = sup.locator("li.entry", { hasText: `报告属实，予以销号 ${tag}` });
  await expect(signOff.getByTestId("state")).toHaveText("已上传");
  await expect(signOff).toContainText("销号依据的记录：1 条");
  await expect(sup.getByTestId("tasks").locator("li.task", { hasText: unit })).toHaveAttribute("data-state", "signed_off");

  await sup.getByTestId("console-nav").getByRole("link", { name: "交办" }).click();
  const done = sup.getByTestId("tasks-signed-off").locator("tr", { hasText: unit });
  await expect(done.locator("td.state")).toHaveText("已销号");
  await expect(sup.getByTestId("tasks-reported").locator("tr", { hasText: unit })).toHaveCount(0);
  // On a 360 px phone the page fits; each table scrolls inside a focusable region with headers.
  await expect.poll(() => sup.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  const region = sup.getByRole("region", { name: "已销号" });
  await expect(region).toHaveAttribute("tabindex", "0");
  await expect(region.getByRole("columnheader")).toHaveText(["档案", "承办单位", "限期报告日期", "剩余", "催办", "状态"]);
  await supContext.close();
  await cadreContext.close();
});
