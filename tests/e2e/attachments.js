// What the signature and photo specs share: saving a visit to sign or photograph, drawing on the
// signature pad with the mouse, and reading records and images back from the case server as the
// cadre, with the same bearer session the phone uses.
const { expect } = require("@playwright/test");
const { signedApi } = require("./helpers");
const crypto = require("node:crypto");

const sha256 = (bytes) => crypto.createHash("sha256").update(bytes).digest("hex");

/// Logs a home visit on the open file and returns its timeline entry.
async function saveVisit(page, requests) {
  const fileUrl = page.url();
  await page.getByRole("link", { name: "记走访" }).click();
  await page.fill("textarea[name=requests]", requests);
  await page.fill("textarea[name=measures]", "当场讲解政策");
  await page.getByRole("button", { name: "保存到手机" }).click();
  await expect(page).toHaveURL(fileUrl);
  const visit = page.locator("li.entry.visit", { hasText: requests });
  await expect(visit).toHaveCount(1);
  return visit;
}

/// Signs on the pad in three strokes, as a finger would (pointer down, moves, up). Another
/// `variant` draws another signature (the same drawing makes the same image, which a phone
/// holding it already does not keep or send twice).
async function drawSignature(page, variant = 0) {
  const pad = page.getByTestId("signature-pad");
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  const shift = 0.03 * variant;
  const at = ([x, y]) => [box.x + (x + shift) * box.width, box.y + (y - shift) * box.height];
  const strokes = [
    [[0.08, 0.7], [0.18, 0.25], [0.28, 0.75], [0.38, 0.3]],
    [[0.45, 0.5], [0.55, 0.3], [0.62, 0.65], [0.7, 0.4]],
    [[0.74, 0.55], [0.92, 0.5]],
  ];
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 6 });
    await page.mouse.up();
  }
  await expect(pad).toHaveAttribute("data-strokes", String(strokes.length));
}

/// The case server's API as the demo cadre, signed in with a password like a phone.
async function asCadre(baseURL) {
  const api = await signedApi({ url: baseURL });
  expect(api.status).toBe(200);
  const get = async (path) => {
    const res = await api.get(path);
    expect(res.ok(), `${path}: ${res.status()}`).toBeTruthy();
    return res;
  };
  return {
    records: async (fileId) => (await get(`/api/files/${fileId}/records`)).json(),
    uploadStatus: async (sha) => (await get(`/api/blobs/${sha}/upload`)).json(),
    image: async (sha) => Buffer.from(await (await get(`/api/blobs/${sha}`)).body()),
    dispose: () => api.dispose(),
  };
}

/// How many images the app's database holds.
function imageCount(page) {
  // One expression: the app's Content-Security-Policy forbids eval() in the page.
  return page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open("xiafang");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const count = db.transaction("blobs").objectStore("blobs").count();
      count.onsuccess = () => { db.close(); resolve(count.result); };
      count.onerror = () => { db.close(); reject(count.error); };
    };
  })`);
}

module.exports = { sha256, saveVisit, drawSignature, asCadre, imageCount };
