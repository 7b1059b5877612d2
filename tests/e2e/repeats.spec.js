// The petitioner's ID number and the same person's other files. 雷女士 has two files in the
// demo: the resettlement matter and a wage claim the 12345 hotline registered, the same person by
// name and phone. Her cadre enters her ID number offline: the phone checks it, shows it masked
// after a reload, links the other file, and keeps it sealed when locked.
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, shellCached, goOffline, goOnline, unlock, storedText, syncNow, SUPERVISOR } = require("./helpers");

const server = useCaseServer(test);

const LIXM = { username: "lixm", password: "xiafang2026" };
// Made up (no county 330399); typed with spaces and a small x, as it might be.
const TYPED = "330399 19620815 102x";
const ID = "33039919620815102X";
const MASKED = "3303**********102X";

test("an ID number entered offline shows masked, links the other file, and stays sealed when locked", async ({
  page,
  context,
}) => {
  await signIn(page, server, LIXM);
  await shellCached(page);
  await page.getByTestId("file-list").locator('a[href="/files/file-lei-hotline"]').click();
  await expect(page.getByTestId("visit-count")).toBeVisible();
  const fileUrl = page.url();
  // Matched by name and phone: the resettlement file, as a link.
  const others = page.getByTestId("same-person");
  await expect(others.getByRole("heading")).toHaveText("同一信访人另有档案");
  await expect(others.getByRole("link", { name: "雷女士" })).toHaveAttribute("href", "/files/file-lei");
  await expect(page.getByTestId("id-number")).toHaveCount(0);

  await goOffline(context, server);
  await page.getByRole("link", { name: "修改", exact: true }).click();
  await expect(page.locator("input[name=id_number]")).toHaveValue("");
  // One digit wrong: refused on the phone with the reason.
  await page.fill("input[name=id_number]", "330399196208151020");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page.getByText("公民身份号码校验位不符，请逐位核对是否输错")).toBeVisible();
  await page.fill("input[name=id_number]", TYPED);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  await expect(page.getByTestId("id-number")).toHaveText(MASKED);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "1");

  // After a reload, still offline: masked on the file page and in the timeline, in full only in
  // the edit form of the cadre who may edit it.
  await page.reload();
  await unlock(page);
  await expect(page.getByTestId("net")).toHaveText("离线");
  await expect(page.getByTestId("id-number")).toHaveText(MASKED);
  await expect(page.locator("li.entry", { hasText: "公民身份号码" })).toContainText(MASKED);
  expect(await page.content()).not.toContain(ID);
  await expect(others.getByRole("link", { name: "雷女士" })).toBeVisible();
  await page.getByRole("link", { name: "修改", exact: true }).click();
  await expect(page.locator("input[name=id_number]")).toHaveValue(ID);
  await page.goBack();

  // The other file links back.
  await others.getByRole("link", { name: "雷女士" }).click();
  await expect(page).toHaveURL(/\/files\/file-lei$/);
  await expect(page.getByText("水库建设移民安置")).toBeVisible();
  await expect(others.getByRole("link", { name: "雷女士" })).toHaveAttribute(
    "href",
    "/files/file-lei-hotline",
  );

  // Locked: neither the page nor the phone's storage shows the number or whose it is.
  await page.getByRole("button", { name: "锁定" }).click();
  await expect(page.getByRole("heading", { name: "输入解锁码" })).toBeVisible();
  await expect(page.getByTestId("same-person")).toHaveCount(0);
  const stored = await storedText(page);
  expect(stored, "the dump reads the app's rows").toContain("file-lei-hotline");
  for (const secret of [ID, MASKED, "33039919620815", "雷女士"]) {
    expect(stored.includes(secret), `${secret} readable in storage`).toBe(false);
  }

  // Back online, it uploads and the file the server sends back carries it.
  await unlock(page);
  await goOnline(context, server);
  await syncNow(page);
  await page.goto(`${server.url}${new URL(fileUrl).pathname}`);
  await unlock(page);
  await expect(page.getByTestId("id-number")).toHaveText(MASKED);
  await expect(page.getByTestId("edits-pending")).toHaveCount(0);
});

test("the county supervisor's 统计 lists people with several files and counts repeat receptions", async ({ page }) => {
  await signIn(page, server, SUPERVISOR);
  await expect(page.getByTestId("file-list").locator('a[href="/files/file-lei-hotline"]')).toBeVisible();
  await page.getByTestId("console-nav").getByRole("link", { name: "统计" }).click();
  await expect(page.getByRole("heading", { name: "统计", level: 1 })).toBeVisible();
  // The demo's one reception: 雷女士 at the county's reception day on the hotline file, while
  // her resettlement matter has been registered since 2000 → one repeat.
  await page.fill("input[name=from]", "2000-01-01");
  const repeats = page.locator('.figure[data-key="repeat_receptions"]');
  await expect(repeats).toContainText("重复访批次");
  await expect(repeats).toContainText("口径：期内接访记录中，同一信访人");
  await expect(repeats.getByTestId("figure-value")).toHaveText("1");
  // Nothing merged: both files listed under her name, each a link.
  const several = page.getByTestId("several-files");
  await expect(several.getByRole("heading")).toHaveText("一人多档");
  await expect(several.locator("li", { hasText: "雷女士" }).getByRole("link")).toHaveCount(2);
  await several.locator('a[href="/files/file-lei-hotline"]').click();
  await expect(page.getByTestId("same-person").getByRole("link", { name: "雷女士" })).toHaveAttribute(
    "href",
    "/files/file-lei",
  );
  // The supervisor may not edit the file: the ID numbers of the demo are shown masked only.
  await page.goto(`${server.url}/files/file-guo`);
  await unlock(page);
  await expect(page.getByTestId("id-number")).toHaveText("3303**********011X");
  await expect(page.getByRole("link", { name: "修改", exact: true })).toHaveCount(0);
  expect(await page.content()).not.toContain("33039919680315011X");
});
