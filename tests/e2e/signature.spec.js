// A petitioner signs a visit on the cadre's phone: the signature is drawn with the finger
// (pointer events), kept on the phone with the exact text signed, uploads with its image, and
// says so visibly once the visit is amended afterwards. Signing needs no network.
const { test, expect } = require("@playwright/test");
const { useCaseServer } = require("./server");
const { signIn, openFile, shellCached, goOffline, goOnline, unlock, storedText } = require("./helpers");
const { sha256, saveVisit, drawSignature, asCadre } = require("./attachments");

const server = useCaseServer(test);

test("a signature matches the visit it signed until the visit is amended", async ({ page }) => {
  const tag = `SIGN-${Date.now()}`;
  const requests = `要求重新核算分配款 ${tag}`;
  await signIn(page, server);
  const fileUrl = await openFile(page, "郭先生");
  const visit = await saveVisit(page, requests);
  const visitId = await visit.getAttribute("data-record-id");

  await visit.getByRole("link", { name: "签名确认" }).click();
  await expect(page).toHaveURL(/\/files\/file-guo\/records\/[0-9a-f-]+\/sign$/);
  // The signer reads exactly what is confirmed.
  const signedText = await page.getByTestId("signed-text").textContent();
  expect(signedText).toContain(`诉求及反映的问题：${requests}`);
  expect(signedText).toContain("采取的措施：当场讲解政策");

  // An empty pad is refused.
  await page.getByRole("button", { name: "确认签名" }).click();
  await expect(page.getByText("签名框是空的，请先签名再确认")).toBeVisible();
  await expect(page).not.toHaveURL(fileUrl);

  await page.fill("input[name=signer]", "郭某某");
  await expect(page.locator("select[name=signer_role]")).toHaveValue("petitioner");
  await drawSignature(page);
  await page.getByRole("button", { name: "确认签名" }).click();
  await expect(page).toHaveURL(fileUrl);

  const signature = page.locator("li.entry.signature", { hasText: "郭某某" });
  await expect(signature).toHaveCount(1);
  await expect(signature).toContainText("信访人");
  await expect(signature.getByTestId("attachment-image")).toBeVisible();
  const state = signature.getByTestId("signature-state");
  await expect(state).toHaveAttribute("data-state", "matches");
  await expect(state).toHaveText("签名与记录内容一致");

  // It uploads by itself, record and image.
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await expect(page.getByTestId("pending-images")).toHaveCount(0);
  await expect(signature.getByTestId("state")).toHaveText("已上传");
  const api = await asCadre(server.url);
  const records = await api.records("file-guo");
  const stored = records.find((r) => r.body.type === "visit" && r.body.requests === requests);
  const signed = records.find((r) => r.body.type === "signature" && r.body.of === stored.id);
  expect(signed.body.signer).toBe("郭某某");
  expect(signed.body.signer_role).toBe("petitioner");
  expect(signed.body.text_hash).toBe(sha256(Buffer.from(signedText, "utf8")));
  expect(signed.body.image.mime).toBe("image/png");
  await expect
    .poll(async () => (await api.uploadStatus(signed.body.image.sha256)).complete)
    .toBe(true);
  const png = await api.image(signed.body.image.sha256);
  expect(sha256(png)).toBe(signed.body.image.sha256);
  expect(png.length).toBe(signed.body.image.size);
  expect(png.subarray(0, 4).toString("latin1")).toBe("\x89PNG");
  // On the phone the image is sealed like the records: no PNG chunk name in what it keeps.
  expect(await storedText(page)).not.toContain("IHDR");

  // The visit is amended: the signature now confirms an earlier text, and says so.
  await visit.getByRole("link", { name: "更正", exact: true }).click();
  await page.fill("textarea[name=measures]", "改为下月再议");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  await expect(state).toHaveAttribute("data-state", "text_changed");
  await expect(state).toHaveText("签名后记录已修改，签名不再对应当前内容");
  // Signing again is offered on the version that counts now, not on the amended one.
  const original = page.locator(`li.entry[data-record-id="${visitId}"]`);
  await expect(original).toHaveAttribute("data-standing", "amended");
  await expect(original.getByRole("link", { name: "签名确认" })).toHaveCount(0);
  const amended = page.locator("li.entry.visit", { hasText: "改为下月再议" });
  await expect(amended.getByRole("link", { name: "签名确认" })).toBeVisible();
  await api.dispose();
});

test("a signature made offline survives a reload and uploads when the network returns", async ({
  page,
  context,
}) => {
  const tag = `SIGN-OFF-${Date.now()}`;
  const requests = `要求解决宅基地纠纷 ${tag}`;
  await signIn(page, server);
  await shellCached(page);
  const fileUrl = await openFile(page, "郭先生");
  await goOffline(context, server);
  await expect(page.getByTestId("net")).toHaveText("离线");

  const visit = await saveVisit(page, requests);
  await visit.getByRole("link", { name: "签名确认" }).click();
  await page.fill("input[name=signer]", "郭离线");
  await drawSignature(page, 1);
  // Cleared and signed again: only what is on the pad at the end counts.
  await page.getByRole("button", { name: "清除" }).click();
  await expect(page.getByTestId("signature-pad")).toHaveAttribute("data-strokes", "0");
  await drawSignature(page, 2);
  await page.getByRole("button", { name: "确认签名" }).click();
  await expect(page).toHaveURL(fileUrl);

  await page.reload();
  await unlock(page);
  await expect(page.getByTestId("net")).toHaveText("离线");
  const signature = page.locator("li.entry.signature", { hasText: "郭离线" });
  await expect(signature).toHaveCount(1);
  await expect(signature.getByTestId("attachment-image")).toBeVisible();
  await expect(signature.getByTestId("signature-state")).toHaveAttribute("data-state", "matches");
  await expect(signature.getByTestId("state")).toHaveText("已保存在手机，待上传");
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "2");
  await expect(page.getByTestId("pending-images")).toHaveAttribute("data-count", "1");

  await goOnline(context, server);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await expect(page.getByTestId("pending-images")).toHaveCount(0);
  const api = await asCadre(server.url);
  const records = await api.records("file-guo");
  const stored = records.find((r) => r.body.type === "visit" && r.body.requests === requests);
  const signed = records.find((r) => r.body.type === "signature" && r.body.of === stored.id);
  await expect
    .poll(async () => (await api.uploadStatus(signed.body.image.sha256)).complete)
    .toBe(true);
  expect(await api.uploadStatus(signed.body.image.sha256)).toEqual({
    received: signed.body.image.size,
    size: signed.body.image.size,
    complete: true,
  });
  expect(sha256(await api.image(signed.body.image.sha256))).toBe(signed.body.image.sha256);
  await api.dispose();
});
