// A photo of a few megabytes goes up over a link that drops every few hundred kilobytes: the
// phone resumes each time from what the server holds, so the photo arrives whole, is stored
// once, and the phone sends little more than its size. Another phone of the cadre then shows
// it, also offline.
const { test, expect } = require("@playwright/test");
const crypto = require("node:crypto");
const { useCaseServer } = require("./server");
const { CuttingProxy } = require("./cutting_proxy");
const {
  signIn,
  openFile,
  shellCached,
  unlock,
  rowCounts,
  fillStorage,
  freeStorage,
} = require("./helpers");
const { sha256, saveVisit, asCadre, imageCount } = require("./attachments");

const server = useCaseServer(test);
let proxy;

test.beforeAll(async () => {
  proxy = new CuttingProxy(server.url, { cutEvery: 300_000 });
  await proxy.start();
});

test.afterAll(async () => {
  if (proxy) await proxy.stop();
});

/// A 24-bit BMP of random pixels: noise that JPEG cannot squeeze, so the compressed photo stays
/// well above a megabyte.
function noisyBmp(width, height) {
  const pixels = crypto.randomBytes(width * 3 * height); // rows of 4800 bytes: no padding
  const header = Buffer.alloc(54);
  header.write("BM", 0, "latin1");
  header.writeUInt32LE(54 + pixels.length, 2);
  header.writeUInt32LE(54, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(24, 28);
  header.writeUInt32LE(pixels.length, 34);
  return Buffer.concat([header, pixels]);
}

test("a large photo reaches the server whole over a link that keeps dropping", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const requests = `要求出具困难证明 PHOTO-${Date.now()}`;
  // The phone talks to the server only through the dropping link.
  await signIn(page, { url: proxy.url });
  const fileUrl = await openFile(page, "郭先生");
  const visit = await saveVisit(page, requests);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");

  await visit.getByRole("link", { name: "拍照" }).click();
  await expect(page).toHaveURL(/\/files\/file-guo\/records\/[0-9a-f-]+\/photo$/);
  // Nothing chosen yet: refused.
  await page.getByRole("button", { name: "保存照片" }).click();
  await expect(page.getByText("请先拍照或选择照片")).toBeVisible();
  await page.setInputFiles("input[name=photo]", {
    name: "证明.bmp",
    mimeType: "image/bmp",
    buffer: noisyBmp(1600, 1600),
  });
  const shownSize = page.getByTestId("photo-size");
  await expect(shownSize).toBeVisible({ timeout: 30_000 });
  const size = Number(await shownSize.getAttribute("data-bytes"));
  expect(size).toBeGreaterThanOrEqual(1_000_000);
  expect(size).toBeLessThanOrEqual(8 * 1024 * 1024);
  await page.selectOption("select[name=subject]", { label: "证明材料" });
  await page.fill("input[name=caption]", "村委会出具的困难证明");
  await page.getByRole("button", { name: "保存照片" }).click();
  await expect(page).toHaveURL(fileUrl);
  const photo = page.locator("li.entry.photo", { hasText: "村委会出具的困难证明" });
  await expect(photo.getByTestId("attachment-image")).toBeVisible();

  // The record goes up at once; the photo piece by piece, through the drops.
  const api = await asCadre(server.url);
  // The upload runs after the save, on its own: wait until the server has the photo's record.
  const photoRecord = async () => {
    const records = await api.records("file-guo");
    const stored = records.find((r) => r.body.type === "visit" && r.body.requests === requests);
    return stored && records.find((r) => r.body.type === "photo" && r.body.of === stored.id);
  };
  await expect.poll(photoRecord).toBeTruthy();
  const record = await photoRecord();
  expect(record.body.image).toMatchObject({ size, mime: "image/jpeg" });
  const sha = record.body.image.sha256;
  await expect
    .poll(async () => (await api.uploadStatus(sha)).complete, { timeout: 180_000 })
    .toBe(true);
  expect(await api.uploadStatus(sha)).toEqual({ received: size, size, complete: true });
  const downloaded = await api.image(sha);
  expect(downloaded.length).toBe(size);
  expect(sha256(downloaded)).toBe(sha);

  // The link really dropped mid-upload, and yet little more than the photo itself was sent.
  console.log(`photo ${size} bytes: ${proxy.blobBytes} bytes sent, ${proxy.cuts} cuts`);
  expect(proxy.cuts).toBeGreaterThanOrEqual(3);
  expect(proxy.blobBytes).toBeGreaterThanOrEqual(size);
  expect(proxy.blobBytes).toBeLessThanOrEqual(1.3 * size);
  await expect(page.getByTestId("pending-images")).toHaveCount(0);

  // Another full sync sends nothing more of it.
  const sent = proxy.blobBytes;
  const uploadNow = page.getByTestId("upload-now");
  await expect(uploadNow).toHaveText("立即上传");
  // A run fetches the county's rules once everything else, images included, is done.
  const ran = page.waitForResponse((r) => r.url().includes("/api/rules"));
  await uploadNow.click();
  await ran;
  expect(proxy.blobBytes).toBe(sent);

  // A tap shows the photo full size; another closes it.
  await photo.getByTestId("attachment-image").click();
  await expect(page.getByTestId("lightbox")).toBeVisible();
  await page.getByTestId("lightbox").click();
  await expect(page.getByTestId("lightbox")).toHaveCount(0);

  // The cadre's other phone downloads the photo and keeps it: it shows offline too.
  const other = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const second = await other.newPage();
  await signIn(second, server);
  await shellCached(second);
  await openFile(second, "郭先生");
  const there = second.locator("li.entry.photo", { hasText: "村委会出具的困难证明" });
  await expect(there.getByTestId("attachment-image")).toBeVisible();
  await other.setOffline(true);
  await second.reload();
  await unlock(second);
  await expect(there.getByTestId("attachment-image")).toBeVisible();
  await other.close();
  await api.dispose();
});

test("a photo the phone has no room for is refused in Chinese and changes nothing", async ({
  context,
}) => {
  // The browser gives this site 20 MB, set before the app first stores anything (see
  // sync.spec.js); the DevTools session on a blank page keeps the setting in force.
  const blank = await context.newPage();
  const cdp = await context.newCDPSession(blank);
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: server.url, quotaSize: 20 << 20 });
  const page = await context.newPage();
  await signIn(page, server);
  const fileUrl = await openFile(page, "郭先生");
  // Photos already on the server come down first (each is kept before it shows), so the
  // counts below do not change under the test.
  const earlier = page.locator("li.entry.photo");
  for (let i = 0; i < (await earlier.count()); i += 1) {
    await expect(earlier.nth(i).getByTestId("attachment-image")).toBeVisible();
  }
  const visit = await saveVisit(page, `要求核实住房情况 FULL-${Date.now()}`);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await visit.getByRole("link", { name: "拍照" }).click();
  await page.setInputFiles("input[name=photo]", {
    name: "住房.bmp",
    mimeType: "image/bmp",
    buffer: noisyBmp(1600, 1200),
  });
  await expect(page.getByTestId("photo-size")).toBeVisible({ timeout: 30_000 });
  await page.fill("input[name=caption]", "东侧墙体开裂");
  const before = { ...(await rowCounts(page)), images: await imageCount(page) };

  expect(await fillStorage(page)).toBeGreaterThan(0);
  await page.getByRole("button", { name: "保存照片" }).click();
  await expect(page.locator(".form-error")).toHaveText(/^手机存储空间不足/);
  expect(page.url()).not.toBe(fileUrl);
  await expect(page.locator("input[name=caption]")).toHaveValue("东侧墙体开裂");
  expect({ ...(await rowCounts(page)), images: await imageCount(page) }).toEqual(before);

  // Room again: the same form saves the photo, once.
  await freeStorage(page);
  await page.getByRole("button", { name: "保存照片" }).click();
  await expect(page).toHaveURL(fileUrl);
  await expect(page.locator("li.entry.photo", { hasText: "东侧墙体开裂" })).toHaveCount(1);
  expect(await imageCount(page)).toBe(before.images + 1);
});
