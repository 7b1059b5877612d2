// The legal team on a file: a cadre refers a file to the lawyer serving its village while
// offline; once both phones have synced, the lawyer finds it on their desk, gives an opinion
// with the channel it belongs in, and the cadre reads it. A team member of another village is
// never shown the file, on the phone or by the server.
const { test, expect, request } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, goOffline, goOnline, signedApi, syncNow } = require("./helpers");

const server = useCaseServer(test);
const LAWYER = { username: "chenls", password: "xiafang2026" };
const OUTSIDER = { username: "linfg", password: "xiafang2026" };


test("a referral made offline reaches the village's lawyer, whose opinion the cadre reads", async ({
  browser,
}) => {
  const tag = `REF-${Date.now()}`;
  const cadreContext = await browser.newContext();
  const cadre = await cadreContext.newPage();
  await signIn(cadre, server);
  await shellCached(cadre);
  const fileUrl = await openFile(cadre, "潘女士");

  // No signal in the village: the referral is written from the team list kept on the phone.
  await goOffline(cadreContext, server);
  await cadre.getByRole("link", { name: "转介法律服务团队" }).click();
  await expect(cadre.getByTestId("no-team")).toHaveCount(0);
  await cadre.selectOption("select[name=referred_to]", "u-chenls");
  await cadre.selectOption("select[name=need]", "legal_opinion");
  await cadre.fill("textarea[name=referral_note]", `土地征收补偿标准有争议 ${tag}`);
  await cadre.getByRole("button", { name: "保存到手机" }).click();
  await expect(cadre).toHaveURL(fileUrl);
  const referral = cadre.locator("li.entry.referral", { hasText: "陈立山" });
  await expect(referral).toContainText("法律意见");
  await expect(cadre.getByTestId("pending")).toHaveAttribute("data-count", "1");
  await goOnline(cadreContext, server);
  await expect(cadre.getByTestId("pending")).toHaveAttribute("data-count", "0");

  // The lawyer's phone: the villages served, and the file with what is asked.
  const lawContext = await browser.newContext();
  const lawyer = await lawContext.newPage();
  await signIn(lawyer, server, LAWYER);
  await expect(lawyer.getByTestId("my-villages")).toContainText("江溪村");
  const desk = lawyer.getByTestId("referred-files");
  await expect(desk.locator("li", { hasText: "潘女士" })).toContainText("法律意见");
  await desk.getByText("潘女士").click();
  await expect(lawyer.getByTestId("visit-count")).toBeVisible();
  await lawyer.getByRole("link", { name: "法律意见", exact: true }).click();
  // Required fields are named in Chinese and nothing is saved while they are missing.
  await lawyer.fill("textarea[name=question]", "");
  await lawyer.getByRole("button", { name: "保存到手机" }).click();
  await expect(lawyer.getByText("请填写咨询的问题")).toBeVisible();
  await lawyer.fill("textarea[name=question]", "征收补偿标准是否合法");
  await lawyer.fill("textarea[name=facts]", "2019年征收江溪村集体土地，补偿按当年标准发放");
  await lawyer.fill("textarea[name=law_cited]", "《土地管理法》第四十八条");
  await lawyer.fill("textarea[name=opinion]", `补偿标准争议可申请行政复议 ${tag}`);
  await lawyer.selectOption("select[name=channel]", "administrative_review");
  await lawyer.getByRole("button", { name: "保存到手机" }).click();
  await expect(lawyer.locator("li.entry.legal_opinion", { hasText: tag })).toBeVisible();
  await syncNow(lawyer);

  // The cadre reads the opinion after the next sync.
  await syncNow(cadre);
  const opinion = cadre.locator("li.entry.legal_opinion", { hasText: tag });
  await expect(opinion).toContainText("《土地管理法》第四十八条");
  await expect(opinion.getByTestId("channel")).toContainText("行政复议");
  await expect(opinion).toContainText("陈立山");
  await cadreContext.close();
  await lawContext.close();
});

test("a legal team member of another village cannot open the file", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, server, OUTSIDER);
  await expect(page.getByTestId("my-villages")).toContainText("铁炉村");
  await expect(page.getByText("潘女士")).toHaveCount(0);
  await page.goto(`${server.url}/files/file-pan`);
  await expect(page.getByText("潘女士")).toHaveCount(0);

  // The server refuses too, even when a cadre refers the file to them.
  const api = await signedApi(server, OUTSIDER);
  const res = await api.get("/api/files/file-pan/records");
  expect(res.status()).toBe(404);
  const search = await api.get(`/api/search?q=${encodeURIComponent("潘")}`);
  expect(await search.json()).toEqual([]);
  await api.dispose();
  await context.close();
});

test("a failed mediation names the legal channel, and the team's screens fit a 360 px phone", async ({
  browser,
}) => {
  const tag = `MED-${Date.now()}`;
  const context = await browser.newContext();
  const lawyer = await context.newPage();
  await signIn(lawyer, server, LAWYER);
  const fits = () => lawyer.evaluate(() => document.documentElement.scrollWidth);
  await expect.poll(fits).toBeLessThanOrEqual(360);
  await openFile(lawyer, "郭先生");
  await lawyer.getByRole("link", { name: "人民调解", exact: true }).click();
  await lawyer.fill("input[name=parties]", "郭某（申请人）、阁一村村委会");
  await lawyer.fill("textarea[name=confirmed_facts]", `2019年分配方案未将郭某列入名单 ${tag}`);
  await lawyer.fill("input[name=sessions]", "2026-11-13，2026-11-2x");
  await lawyer.selectOption("select[name=outcome]", "failed");
  await lawyer.getByRole("button", { name: "保存到手机" }).click();
  // An unreadable session day is named; nothing is saved.
  await expect(lawyer.getByText("调解日期不在合理范围")).toBeVisible();
  await lawyer.fill("input[name=sessions]", "2026-11-13，2026-11-20");
  await lawyer.selectOption("select[name=mediation_channel]", "arbitration");
  await expect.poll(fits).toBeLessThanOrEqual(360);
  await lawyer.getByRole("button", { name: "保存到手机" }).click();
  const mediation = lawyer.locator("li.entry.mediation", { hasText: tag });
  await expect(mediation.getByTestId("outcome")).toHaveText("调解不成");
  await expect(mediation).toContainText("引导的法定途径：仲裁");
  await expect(mediation).toContainText("2026-11-13、2026-11-20");
  await expect.poll(fits).toBeLessThanOrEqual(360);
  await syncNow(lawyer);
  await context.close();
});
