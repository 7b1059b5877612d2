// The review round trip between two phones: a cadre uploads a visit log; the county supervisor
// returns it with a comment; the cadre, offline after the next sync, sees the comment and amends
// the log; back online, the supervisor finds the amendment waiting and approves it, and the
// cadre's phone shows it approved.
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, goOffline, goOnline, unlock, syncNow, SUPERVISOR } = require("./helpers");

const server = useCaseServer(test);

test("a returned visit log is amended offline by the cadre and approved", async ({ browser }) => {
  const tag = `REVIEW-${Date.now()}`;
  const first = `要求重新核算分配款 ${tag}`;
  const fixed = `要求重新核算分配款，并提供2014年分配方案复印件 ${tag}`;
  const comment = `请写明诉求涉及的年份和材料 ${tag}`;

  const cadreContext = await browser.newContext();
  const cadre = await cadreContext.newPage();
  await signIn(cadre, server);
  await shellCached(cadre);
  const fileUrl = await openFile(cadre, "郭先生");
  await cadre.getByRole("link", { name: "记走访" }).click();
  await cadre.fill("textarea[name=requests]", first);
  await cadre.getByRole("button", { name: "保存到手机" }).click();
  await expect(cadre).toHaveURL(fileUrl);
  await syncNow(cadre);
  const log = cadre.locator("li.entry.visit", { hasText: first });
  await expect(log.getByTestId("review")).toHaveText("待审核");

  // The supervisor, on a phone of their own, finds it in the queue and returns it.
  const supContext = await browser.newContext();
  const sup = await supContext.newPage();
  await signIn(sup, server, SUPERVISOR);
  await sup.getByTestId("console-nav").getByRole("link", { name: "审核" }).click();
  const queue = sup.getByTestId("review-queue");
  const waiting = queue.locator(".queue-item", { hasText: tag });
  await expect(waiting).toHaveCount(1);
  await waiting.getByRole("link", { name: "审核" }).click();
  await expect(sup.getByRole("heading", { name: "档案全部记录" })).toBeVisible();
  // Returning needs a comment.
  await sup.getByRole("button", { name: "退回修改" }).click();
  await expect(sup.getByText("请填写审核意见")).toBeVisible();
  await sup.fill("textarea[name=review_comment]", comment);
  await sup.getByRole("button", { name: "退回修改" }).click();
  await expect(sup).toHaveURL(/\/review$/);
  await expect(queue.locator(".queue-item", { hasText: tag })).toHaveCount(0);
  await syncNow(sup);

  // The cadre syncs, then loses the network: the comment is on the phone.
  await syncNow(cadre);
  await goOffline(cadreContext, server);
  await cadre.reload();
  await unlock(cadre);
  const returned = cadre.locator("li.entry.visit", { hasText: first });
  await expect(returned.getByTestId("review")).toContainText(`已退回，请更正：${comment}`);
  await expect(returned.getByTestId("review")).toContainText("赵");
  await returned.getByRole("link", { name: "更正", exact: true }).click();
  await cadre.fill("textarea[name=requests]", fixed);
  await cadre.getByRole("button", { name: "保存到手机" }).click();
  await expect(cadre).toHaveURL(fileUrl);
  await expect(returned.getByTestId("review")).toHaveText("已按退回意见更正");
  await expect(cadre.getByTestId("pending")).toHaveAttribute("data-count", "1");

  // Back online: the amendment uploads by itself.
  await goOnline(cadreContext, server);
  await expect(cadre.getByTestId("pending")).toHaveAttribute("data-count", "0");

  // The supervisor sees the amendment waiting, with the file's history beside it, and approves.
  await syncNow(sup);
  // Only the amendment waits (the returned original was answered by it); the queue shows the
  // start of what it says.
  const amendment = queue.locator(".queue-item", { hasText: "并提供2014年分配方案复印件" });
  await expect(amendment).toHaveCount(1);
  await expect(queue.locator(".queue-item", { hasText: "要求重新核算分配款" })).toHaveCount(1);
  await amendment.getByRole("link", { name: "审核" }).click();
  await expect(sup.locator(".review-record")).toContainText(fixed);
  await expect(sup.locator(".review-history li.entry", { hasText: comment })).toHaveCount(1);
  await sup.getByRole("button", { name: "审核通过" }).click();
  await expect(sup.getByTestId("queue-empty").or(queue)).toBeVisible();
  await expect(queue.locator(".queue-item", { hasText: tag })).toHaveCount(0);
  await syncNow(sup);

  await syncNow(cadre);
  const amended = cadre.locator("li.entry.visit", { hasText: fixed });
  await expect(amended.getByTestId("review")).toContainText("审核通过");
  await cadreContext.close();
  await supContext.close();
});
