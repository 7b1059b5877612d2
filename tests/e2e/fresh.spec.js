// Fresh without a tap: a cadre keeps the app open with nothing to upload; a supervisor returns
// their visit log on another phone; when the app comes back to the foreground it downloads by
// itself, shows the return, and the status line says when it last heard from the server.
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, serverRecords, signedApi, SUPERVISOR } = require("./helpers");

const server = useCaseServer(test);

/// Tells the page it went to the background or came back, as switching apps on a phone does.
async function setVisibility(page, state) {
  await page.evaluate((state) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => state === "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  }, state);
}

/// A minute ago, as the server's records write local times.
function aMinuteAgo() {
  const d = new Date(Date.now() - 60_000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
}

test("a supervisor's return shows without a tap when the app comes back to the foreground", async ({
  page,
}) => {
  const tag = `FRESH-${Date.now()}`;
  const requests = `要求解决宅基地纠纷 ${tag}`;
  const comment = `请补充村委会调解记录 ${tag}`;

  await signIn(page, server);
  const fileUrl = await openFile(page, "郭先生");
  await page.getByRole("link", { name: "记走访" }).click();
  await page.fill("textarea[name=requests]", requests);
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  // The run that uploaded it is over (its download too): nothing runs until something asks.
  await expect(page.getByTestId("upload-now")).toBeEnabled();
  await expect(page.getByTestId("last-heard")).toContainText("上次收到服务器消息");
  const log = page.locator("li.entry.visit", { hasText: requests });
  await expect(log.getByTestId("review")).toHaveText("待审核");

  // The app goes to the background; the supervisor returns the log through the API.
  await setVisibility(page, "hidden");
  const visit = (await serverRecords(server, "file-guo")).find(
    (r) => r.body.type === "visit" && r.body.requests === requests,
  );
  expect(visit).toBeTruthy();
  const sup = await signedApi(server, SUPERVISOR);
  expect(sup.status).toBe(200);
  const pushed = await sup.post("/api/sync/push", {
    data: {
      device_id: crypto.randomUUID(),
      ops: [
        {
          seq: 1,
          record: {
            id: crypto.randomUUID(),
            file_id: "file-guo",
            author: sup.account.id,
            author_name: sup.account.display_name,
            occurred_at: aMinuteAgo(),
            saved_at: new Date().toISOString(),
            body: { type: "review", of: visit.id, decision: "return", comment },
          },
        },
      ],
      device_time: new Date().toISOString(),
    },
  });
  expect(pushed.ok()).toBeTruthy();
  expect((await pushed.json()).acks[0].outcome).toBe("stored");
  await sup.dispose();
  // Nothing on the phone asked the server yet.
  await expect(log.getByTestId("review")).toHaveText("待审核");

  // Back in the foreground, with no tap: the phone pulls and shows the return.
  await setVisibility(page, "visible");
  await expect(log.getByTestId("review")).toContainText(`已退回，请更正：${comment}`);
  await expect(page.getByTestId("last-heard")).toContainText("上次收到服务器消息");
});
