// A county supervisor lists a matter for supervision (挂牌督办) with a deadline and a mode and
// records a step of its handling, both from the file page; the file page shows where the matter
// stands, and the cadre's phone shows the supervision after its next sync, also offline.
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, goOffline, unlock, isoDaysFromNow, SUPERVISOR } = require("./helpers");

const server = useCaseServer(test);

test("a supervisor lists a matter and records a step; the cadre sees it offline", async ({ browser }) => {
  const tag = `SUP-${Date.now()}`;
  const deadline = isoDaysFromNow(20);
  const supContext = await browser.newContext();
  const sup = await supContext.newPage();
  await signIn(sup, server, SUPERVISOR);
  const fileUrl = await openFile(sup, "郭先生");
  // A supervisor is offered only what the server takes from them: no visit of their own.
  await expect(sup.getByRole("link", { name: "记办理环节" })).toBeVisible();
  await expect(sup.getByRole("link", { name: "记走访" })).toHaveCount(0);

  await sup.getByRole("link", { name: "督办", exact: true }).click();
  await expect(sup.getByRole("heading", { name: "督办" })).toBeVisible();
  // Without a reason nothing is saved, and the form says why.
  await sup.fill("input[name=deadline]", deadline);
  await sup.selectOption("select[name=mode]", { label: "现场督办" });
  await sup.getByRole("button", { name: "保存到手机" }).click();
  await expect(sup.getByText("请填写督办事由")).toBeVisible();
  await sup.fill("textarea[name=supervision_reason]", `长期未化解，县信访局挂牌 ${tag}`);
  await sup.getByRole("button", { name: "保存到手机" }).click();
  await expect(sup).toHaveURL(fileUrl);
  await expect(sup.getByTestId("supervised")).toHaveText(`挂牌督办：现场督办 · 期限 ${deadline}`);

  // A step of the handling: a routing needs the body it went to.
  await sup.getByRole("link", { name: "记办理环节" }).click();
  await sup.selectOption("select[name=step]", { label: "分流" });
  await sup.selectOption("select[name=route]", { label: "交办" });
  await sup.getByRole("button", { name: "保存到手机" }).click();
  await expect(sup.getByText("请填写转送/交办单位")).toBeVisible();
  await sup.fill("input[name=routed_to]", "南滨街道办事处");
  await sup.fill("textarea[name=step_note]", `限期报告办理结果 ${tag}`);
  await sup.getByRole("button", { name: "保存到手机" }).click();
  await expect(sup).toHaveURL(fileUrl);
  await expect(sup.locator("li.entry", { hasText: tag })).toHaveCount(2);
  await sup.getByTestId("upload-now").click();
  await expect(sup.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await expect(sup.locator("li.entry", { hasText: tag }).getByTestId("state")).toHaveText(["已上传", "已上传"]);

  // The cadre's phone gets both with its next download, and keeps them offline.
  const cadreContext = await browser.newContext();
  const cadre = await cadreContext.newPage();
  await signIn(cadre, server);
  await shellCached(cadre);
  await openFile(cadre, "郭先生");
  await expect(cadre.getByTestId("supervised")).toHaveText(`挂牌督办：现场督办 · 期限 ${deadline}`);
  await goOffline(cadreContext, server);
  await cadre.reload();
  await unlock(cadre);
  await expect(cadre.getByTestId("supervised")).toContainText("挂牌督办");
  await expect(cadre.locator("li.entry", { hasText: tag })).toHaveCount(2);
  // Only supervisors supervise; the cadre on the file records visits.
  await expect(cadre.getByRole("link", { name: "督办", exact: true })).toHaveCount(0);
  await expect(cadre.getByRole("link", { name: "记走访" })).toHaveCount(1);
  await supContext.close();
  await cadreContext.close();
});
