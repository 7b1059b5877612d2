// A joint visit on two phones: the cadre logs a visit the village's lawyer joined; the lawyer,
// not assigned to the file, sees it after syncing; with no signal, each adds their own part;
// once the connection returns both parts reach both phones and the server, and nobody's text
// is lost or overwritten.
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, serverRecords, syncNow } = require("./helpers");

const server = useCaseServer(test);
const LAWYER = { username: "chenls", password: "xiafang2026" };


async function addPart(page, visitText, text) {
  const visit = page.locator("li.entry.visit", { hasText: visitText });
  await visit.getByRole("link", { name: "补充我的记录" }).click();
  await page.fill("textarea[name=part_text]", text);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page.locator("li.entry.visit_part", { hasText: text })).toBeVisible();
}

test("each participant of a joint visit adds their part offline and both parts arrive", async ({
  browser,
}) => {
  const tag = `JOINT-${Date.now()}`;
  const requests = `要求按新标准补偿 ${tag}`;
  const cadrePart = `约定下周由街道召集村委会复核 ${tag}`;
  const lawyerPart = `向潘女士解释了补偿标准的法律依据和行政复议期限 ${tag}`;

  const cadreContext = await browser.newContext();
  const cadre = await cadreContext.newPage();
  await signIn(cadre, server);
  await shellCached(cadre);
  await openFile(cadre, "潘女士");
  await cadre.getByRole("link", { name: "记走访" }).click();
  await cadre.fill("textarea[name=requests]", requests);
  await cadre.getByRole("checkbox", { name: "陈立山" }).check();
  // The petitioner was asked how the matter is being handled on this visit.
  await cadre.selectOption("select[name=evaluation]", "basically_satisfied");
  await cadre.fill("textarea[name=evaluation_comment]", "希望尽快复核");
  await cadre.getByRole("button", { name: "保存到手机" }).click();
  const visit = cadre.locator("li.entry.visit", { hasText: requests });
  await expect(visit).toContainText("陈立山");
  await expect(visit.getByTestId("evaluation")).toHaveText("信访人评价：基本满意");
  await expect(visit).toContainText("信访人评价意见：希望尽快复核");
  await syncNow(cadre);

  // The lawyer is not assigned to 潘女士: joining the visit brings the file to their phone.
  const lawContext = await browser.newContext();
  const lawyer = await lawContext.newPage();
  await signIn(lawyer, server, LAWYER);
  await shellCached(lawyer);
  await expect(lawyer.getByTestId("referred-files").locator("li", { hasText: "潘女士" })).toContainText(
    "联合走访",
  );
  await openFile(lawyer, "潘女士");
  await expect(lawyer.locator("li.entry.visit", { hasText: requests })).toBeVisible();

  // No signal for either phone; each adds their own part.
  await server.stop();
  await cadreContext.setOffline(true);
  await lawContext.setOffline(true);
  await addPart(cadre, requests, cadrePart);
  await addPart(lawyer, requests, lawyerPart);
  await expect(cadre.getByTestId("pending")).toHaveAttribute("data-count", "1");
  await expect(lawyer.getByTestId("pending")).toHaveAttribute("data-count", "1");

  await server.start();
  await cadreContext.setOffline(false);
  await lawContext.setOffline(false);
  await expect(cadre.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await expect(lawyer.getByTestId("pending")).toHaveAttribute("data-count", "0");
  // One more round each, so each phone downloads the other's part.
  await syncNow(cadre);
  await syncNow(lawyer);
  for (const page of [cadre, lawyer]) {
    await expect(page.locator("li.entry.visit_part", { hasText: cadrePart })).toHaveCount(1);
    await expect(page.locator("li.entry.visit_part", { hasText: lawyerPart })).toHaveCount(1);
    await expect(page.locator("li.entry.visit", { hasText: requests })).toHaveCount(1);
  }

  const stored = await serverRecords(server, "file-pan");
  const texts = stored.filter((r) => r.body.type === "visit_part").map((r) => r.body.text);
  expect(texts.filter((t) => t === cadrePart)).toHaveLength(1);
  expect(texts.filter((t) => t === lawyerPart)).toHaveLength(1);
  const theVisit = stored.filter((r) => r.body.type === "visit" && r.body.requests === requests);
  expect(theVisit).toHaveLength(1);
  expect(theVisit[0].body.joined.map((m) => m.id)).toEqual(["u-chenls"]);
  expect(theVisit[0].body.evaluation).toEqual({ rating: "basically_satisfied", comment: "希望尽快复核" });
  await cadreContext.close();
  await lawContext.close();
});
