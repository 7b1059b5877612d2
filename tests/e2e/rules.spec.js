// A county defines its figures its own way (--rules): here only 满意 counts as satisfied, and
// deadlines within 60 days count as due soon. The phone fetches the rules with its sync and its
// figures and deadline lists follow them, offline too.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, shellCached, goOffline, unlock, SUPERVISOR } = require("./helpers");

const rulesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "xiafang-rules-")), "rules.json");
fs.writeFileSync(rulesFile, JSON.stringify({ satisfied: ["satisfied"], case: { due_soon_days: 60 } }));
const server = useCaseServer(test, ["--rules", rulesFile]);

test("the phone's figures and deadlines follow the county's own rules", async ({ page, context }) => {
  await signIn(page, server, SUPERVISOR);
  await shellCached(page);
  await goOffline(context, server);
  await page.reload();
  await unlock(page);
  await page.getByTestId("console-nav").getByRole("link", { name: "统计" }).click();
  const satisfaction = page.locator('.figure[data-key="satisfaction"]');
  await expect(satisfaction).toContainText("期内评价为满意的事项数");
  await expect(satisfaction).not.toContainText("基本满意");
  await page.getByTestId("console-nav").getByRole("link", { name: "案件期限" }).click();
  // 郭先生's supervision runs to 2026-12-31: "due soon" only under the county's 60 days (the
  // national default is 3), or overdue once that day has passed.
  const dueSoon = page.getByTestId("section-due-soon").locator("li", { hasText: "郭先生" });
  const overdue = page.getByTestId("section-overdue").locator("li", { hasText: "郭先生" });
  await expect(dueSoon.filter({ hasText: "督办期限" }).or(overdue.filter({ hasText: "督办期限" })).first()).toBeVisible();
});
