// 矛盾纠纷排查 end to end: the cadre's 待办 says 本周排查 for the villages of their township not yet
// screened this week; offline in the village, the cadre records 阁一村's screening from that item
// (the form refuses a screening that neither lists what it found nor says 无新增矛盾), it waits on
// the phone and uploads once the phone is back online; the county supervisor's 排查 view, on a
// 360 px phone, shows 阁一村 screened this week and 前池村 — nothing recorded for four weeks —
// overdue, at the top of the villages.
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, shellCached, syncNow, serverRecords, SUPERVISOR } = require("./helpers");

const server = useCaseServer(test);

/// Dates are China days: the phone's clock runs on China time.
const CHINA = { timezoneId: "Asia/Shanghai" };

/// The 待办 item of `village`'s screening, once the phone knows its places (fetched after the
/// first sync) and the whole list is shown.
async function screeningTodo(page, village) {
  const desk = page.getByTestId("todo-desk");
  const item = desk.locator("li[data-kind=screening]", { hasText: village });
  await expect
    .poll(async () => {
      const all = desk.getByTestId("todo-all");
      if (await all.isVisible()) await all.click();
      return item.count();
    })
    .toBe(1);
  return item;
}

test("the cadre records this week's screening offline and the supervisor sees who is overdue", async ({ browser }) => {
  const tag = `PC-${Date.now()}`;
  const cadreContext = await browser.newContext(CHINA);
  const cadre = await cadreContext.newPage();
  await signIn(cadre, server);
  await shellCached(cadre);
  await syncNow(cadre);
  const geyi = await screeningTodo(cadre, "阁一村");
  await expect(geyi).toContainText("本周排查");
  await expect(await screeningTodo(cadre, "前池村")).toBeVisible();
  // 李晓梅's village in another township is not 王建国's to screen.
  await expect(cadre.getByTestId("todo-desk").locator("li[data-kind=screening]", { hasText: "铁炉村" })).toHaveCount(0);

  // In the village, without a signal.
  await cadreContext.setOffline(true);
  await geyi.getByRole("link").click();
  const form = cadre.getByTestId("screening-form");
  await expect(form).toContainText("阁一村 · 南滨街道");
  await expect(form.locator("input[name=participants]")).toHaveValue("王建国");
  await cadre.fill("input[name=participants]", "王建国、阁一村党支部书记 郭立新");
  await cadre.fill("textarea[name=screening_scope]", `${tag} 全村重点户、征迁户`);
  await cadre.fill("input[name=covered]", "52");
  await cadre.getByRole("button", { name: "保存到手机" }).click();
  await expect(form.getByText("请逐条填写排查发现的矛盾纠纷，或勾选“无新增矛盾”")).toBeVisible();
  await cadre.fill("textarea[name=findings]", `${tag} 三组与四组灌溉用水纠纷`);
  await cadre.getByRole("button", { name: "保存到手机" }).click();

  // Saved on the phone, waiting for the network; this week's item is done.
  await expect(cadre.getByRole("heading", { name: "我的档案" })).toBeVisible();
  await expect(cadre.getByTestId("pending")).toHaveAttribute("data-count", "1");
  await expect(await screeningTodo(cadre, "前池村")).toBeVisible();
  await expect(cadre.getByTestId("todo-desk").locator("li[data-kind=screening]", { hasText: "阁一村" })).toHaveCount(0);

  // Back online, it uploads; the server holds it once.
  await cadreContext.setOffline(false);
  await syncNow(cadre);
  const stored = (await serverRecords(server, "screening-village-v-geyi")).filter((r) => r.body.scope.startsWith(tag));
  expect(stored).toHaveLength(1);
  expect(stored[0].body.findings).toEqual([{ what: `${tag} 三组与四组灌溉用水纠纷` }]);
  expect(stored[0].body.covered).toBe(52);

  // The county supervisor's console, on a phone.
  const supContext = await browser.newContext({ ...CHINA, viewport: { width: 360, height: 740 } });
  const sup = await supContext.newPage();
  await signIn(sup, server, SUPERVISOR);
  await syncNow(sup);
  await sup.getByTestId("console-nav").getByRole("link", { name: "案件期限" }).click();
  await sup.getByTestId("case-tabs").getByRole("link", { name: "排查" }).click();
  await expect(sup.getByRole("heading", { name: "矛盾纠纷排查", level: 1 })).toBeVisible();
  await expect(sup.getByTestId("screening-definition")).toContainText("逾期补录不计为按期");
  const villages = sup.getByTestId("screening-village");
  const geyiRow = villages.locator("li[data-place=v-geyi]");
  await expect(geyiRow).toHaveAttribute("data-state", "on-time");
  await expect(geyiRow).toContainText("已排查");
  const qianchi = villages.locator("li[data-place=v-qianchi]");
  await expect(qianchi).toHaveAttribute("data-missed", "4");
  await expect(qianchi).toContainText("逾期未排查 4 期");
  // Overdue first.
  await expect(villages.locator("li").first()).toHaveAttribute("data-place", "v-qianchi");
  // 江溪村's screening two weeks ago was entered a week late: shown, not on time.
  await expect(villages.locator("li[data-place=v-jiangxi]")).toContainText("逾期补录 1 期");
  await expect(villages.getByTestId("screening-rate")).toContainText("排查按时率");
  await expect.poll(() => sup.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // The supervisor may record one too, from the row.
  await geyiRow.getByRole("link", { name: "记录排查" }).click();
  await expect(sup.getByTestId("screening-form")).toContainText("阁一村 · 南滨街道");
  await cadreContext.close();
  await supContext.close();
});
