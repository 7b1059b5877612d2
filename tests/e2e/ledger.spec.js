// Records are a ledger and file fields merge: with no network a cadre amends a visit, voids a
// note and changes the petitioner's phone number; the phone shows all of it after a reload, and
// once online the server holds the corrections as new records and the file with the new number.
const { test, expect, request } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, goOffline, goOnline, serverRecords, unlock, signedApi } = require("./helpers");

const server = useCaseServer(test);

const OLD_PHONE = "13800000001";
const NEW_PHONE = "13912345678";
/// A note wangjg wrote on 郭先生's file before this test (from the demo data, already uploaded).
const DEMO_NOTE = "晚饭后在他家坐了两个小时";

/// The API as wangjg, for what the phone cannot show: the server's records and files.
async function asWangjg() {
  const api = await signedApi(server);
  expect(api.status).toBe(200);
  const { account } = api;
  return {
    account,
    get: async (path) => {
      const res = await api.get(path);
      expect(res.ok(), `${path}: ${res.status()}`).toBeTruthy();
      return res.json();
    },
    /// Uploads records as another phone of wangjg's would.
    push: async (records) => {
      const res = await api.post("/api/sync/push", {
        data: {
          device_id: crypto.randomUUID(),
          ops: records.map((record, i) => ({ seq: i + 1, record })),
          device_time: new Date().toISOString(),
        },
      });
      expect(res.ok()).toBeTruthy();
      return (await res.json()).acks;
    },
    dispose: () => api.dispose(),
  };
}

function record(account, body) {
  return {
    id: crypto.randomUUID(),
    file_id: "file-guo",
    author: account.id,
    author_name: account.display_name,
    occurred_at: "2026-11-20T09:30:00",
    saved_at: new Date().toISOString(),
    body,
  };
}

test("offline amendments, voids and file edits show after a reload and reach the server", async ({
  page,
  context,
}) => {
  const tag = `LEDGER-${Date.now()}`;
  const firstText = `要求重新核算分配款 ${tag} 初稿`;
  const fixedText = `要求重新核算分配款 ${tag} 更正稿`;
  const reason = `记错了日期 ${tag}`;
  await signIn(page, server);
  await shellCached(page);
  const fileUrl = await openFile(page, "郭先生");
  const visitsBefore = Number(await page.getByTestId("visit-count").textContent());
  await expect(page.getByTestId("phone")).toHaveText(OLD_PHONE);

  await goOffline(context, server);
  await expect(page.getByTestId("net")).toHaveText("离线");

  // Today's visit, logged and then corrected.
  await page.getByRole("link", { name: "记走访" }).click();
  const loggedAt = await page.inputValue("input[name=occurred_at]");
  await page.fill("textarea[name=requests]", firstText);
  await page.selectOption("select[name=mood]", { label: "有抵触" });
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  await expect(page.getByTestId("visit-count")).toHaveText(String(visitsBefore + 1));
  const original = page.locator("li.entry", { hasText: firstText });
  await original.getByRole("link", { name: "更正", exact: true }).click();
  await expect(page).toHaveURL(/\/files\/file-guo\/amend\//);
  await expect(page.getByTestId("record-summary")).toContainText("上门走访");
  // The same form, filled with the original's values and time.
  await expect(page.locator("textarea[name=requests]")).toHaveValue(firstText);
  await expect(page.locator("select[name=mood]")).toHaveValue("resistant");
  await expect(page.locator("input[name=occurred_at]")).toHaveValue(loggedAt);
  await page.fill("textarea[name=requests]", fixedText);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);

  // A note from before, voided with a reason (which is required).
  const note = page.locator("li.entry.note", { hasText: DEMO_NOTE });
  await note.getByRole("link", { name: "作废", exact: true }).click();
  await expect(page).toHaveURL(/\/files\/file-guo\/void\//);
  await expect(page.getByTestId("record-summary")).toContainText("谈心记录");
  await expect(page.getByTestId("record-summary")).toContainText(DEMO_NOTE);
  await page.getByRole("button", { name: "确认作废" }).click();
  await expect(page.getByText("请填写作废原因")).toBeVisible();
  await page.fill("textarea[name=reason]", reason);
  await page.getByRole("button", { name: "确认作废" }).click();
  await expect(page).toHaveURL(fileUrl);

  // The phone number: unchanged is not saved, a malformed one is refused, then the new one.
  await page.getByRole("link", { name: "修改", exact: true }).click();
  await expect(page).toHaveURL(/\/files\/file-guo\/edit$/);
  await expect(page.locator("input[name=phone]")).toHaveValue(OLD_PHONE);
  await expect(page.locator("input[name=address]")).toHaveValue("南滨街道阁一村三组");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page.getByText("没有修改任何内容，未保存")).toBeVisible();
  await page.fill("input[name=phone]", "139-电话");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page.getByText("联系电话格式不正确，只能包含数字、空格、+ 和 -")).toBeVisible();
  await page.fill("input[name=phone]", NEW_PHONE);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  await expect(page.getByTestId("phone")).toHaveText(NEW_PHONE);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "4");

  // Reload with no network: everything is still there, as the phone shows it.
  await page.reload();
  await unlock(page);
  await expect(page.getByTestId("net")).toHaveText("离线");
  const fixed = page.locator("li.entry", { hasText: fixedText });
  const voids = page.locator("li.entry.void", { hasText: reason });
  await expect(original).toHaveAttribute("data-standing", "amended");
  await expect(original.getByTestId("standing")).toContainText("已被更正");
  await expect(fixed).toHaveAttribute("data-standing", "current");
  await expect(fixed).toContainText("更正了之前的一条记录");
  await expect(note.getByTestId("standing")).toHaveText(`已作废：${reason}`);
  await expect(voids).toContainText("作废了之前的一条记录");
  // Only records that still count can be corrected again.
  await expect(original.getByRole("link", { name: "更正", exact: true })).toHaveCount(0);
  await expect(note.getByRole("link", { name: "作废", exact: true })).toHaveCount(0);
  await expect(voids.getByRole("link")).toHaveCount(0);
  await expect(fixed.getByRole("link", { name: "更正", exact: true })).toBeVisible();
  await expect(page.getByTestId("phone")).toHaveText(NEW_PHONE);
  await expect(page.getByTestId("edits-pending")).toBeVisible();
  await expect(page.getByTestId("visit-count")).toHaveText(String(visitsBefore + 1));
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "4");
  await expect(page.getByTestId("conflicts")).toHaveCount(0);

  // Online again: everything uploads by itself and the file comes back with the new number.
  await goOnline(context, server);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await expect(page.getByTestId("edits-pending")).toHaveCount(0);
  await expect(page.getByTestId("phone")).toHaveText(NEW_PHONE);
  await expect(page.getByTestId("visit-count")).toHaveText(String(visitsBefore + 1));
  await expect(fixed.getByTestId("state")).toHaveText("已上传");
  await expect(voids.getByTestId("state")).toHaveText("已上传");

  const records = await serverRecords(server, "file-guo");
  const first = records.find((r) => r.body.type === "visit" && r.body.requests === firstText);
  const amendment = records.find((r) => r.body.type === "visit" && r.body.requests === fixedText);
  const demoNote = records.find((r) => r.body.type === "note" && r.body.text.includes(DEMO_NOTE));
  expect(first).toBeTruthy();
  expect(amendment.amends).toBe(first.id);
  expect(amendment.occurred_at).toBe(first.occurred_at);
  const voidRecord = records.find((r) => r.body.type === "void" && r.body.reason === reason);
  expect(voidRecord.body.target).toBe(demoNote.id);
  const edits = records.filter((r) => r.body.type === "file_edit");
  expect(edits.map((r) => [r.body.field, r.body.base, r.body.value])).toEqual([
    ["phone", OLD_PHONE, NEW_PHONE],
  ]);
  expect(edits[0].body.stamp.wall_ms).toBeGreaterThan(0);

  const api = await asWangjg();
  const pulled = await api.get("/api/sync/pull");
  expect(pulled.files.find((f) => f.id === "file-guo").phone).toBe(NEW_PHONE);

  // Meanwhile another phone changed the number from the old one, with an older stamp: the
  // server keeps the newer number and lists the other as a conflict, shown while online.
  const older = record(api.account, {
    type: "file_edit",
    field: "phone",
    base: OLD_PHONE,
    value: "13700000000",
    stamp: { wall_ms: edits[0].body.stamp.wall_ms - 60_000, counter: 0, device: crypto.randomUUID() },
  });
  const acks = await api.push([older]);
  expect(acks[0].outcome).toBe("stored");
  await api.dispose();
  await page.reload();
  await unlock(page);
  const conflicts = page.getByTestId("conflicts");
  await expect(conflicts).toContainText("字段冲突");
  await expect(conflicts).toContainText("联系电话");
  await expect(conflicts).toContainText(`保留「${NEW_PHONE}」`);
  await expect(conflicts).toContainText("未采用「13700000000」");
  await expect(page.getByTestId("phone")).toHaveText(NEW_PHONE);
  // Offline the list is not shown (it is never kept on the phone).
  await goOffline(context, server);
  await expect(page.getByTestId("net")).toHaveText("离线");
  await expect(conflicts).toHaveCount(0);
  await goOnline(context, server);
});

test("the server refuses a void without a reason, as the form does", async () => {
  const api = await asWangjg();
  const records = await api.get("/api/files/file-guo/records");
  const target = records.find((r) => r.author === api.account.id && r.body.type === "note");
  const acks = await api.push([record(api.account, { type: "void", target: target.id, reason: " " })]);
  expect(acks[0].outcome).toBe("rejected");
  expect(acks[0].reason.code).toBe("invalid");
  expect(acks[0].reason.errors).toEqual([{ field: "reason", problem: "required" }]);
  await api.dispose();
});
