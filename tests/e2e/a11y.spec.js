// Every screen of every demo role on a 360 × 740 phone: no serious or critical axe violation,
// a header whose every item stays on one line, and a status line that says one coherent thing.
// One server for the file, one browser context per role; screens are found by following the
// links the app itself shows (each kind of screen once), so a new screen is checked too.
const { test, expect } = require("@playwright/test");
const AxeBuilder = require("@axe-core/playwright").default;
const { useCaseServer } = require("./server");
const { choosePin, unlock, signIn, openFile, saveNote } = require("./helpers");

const server = useCaseServer(test);
test.use({ viewport: { width: 360, height: 740 } });

const PASSWORD = "xiafang2026";
/// Each role, and the screens (as address patterns) that must be among those it reached.
const ROLES = [
  {
    role: "cadre",
    username: "wangjg",
    rows: 1,
    screens: [
      "/files/:id/new/visit",
      "/files/:id/new/note",
      "/files/:id/new/assistance",
      "/files/:id/new/referral",
      "/files/:id/new/reception",
      "/files/:id/amend/:r",
      "/files/:id/void/:r",
      "/files/:id/records/:r/sign",
      "/files/:id/records/:r/photo",
      "/files/:id/edit",
      "/files/:id/print",
    ],
  },
  { role: "legal", username: "chenls", rows: 1, screens: ["/files/:id/new/legal_opinion", "/files/:id/new/mediation"] },
  {
    role: "supervisor",
    username: "zhaoxf",
    // The console's four links take a second row of their own.
    rows: 2,
    screens: ["/review", "/review/:id/:r", "/cases", "/ownership", "/figures", "/ledgers", "/files/:id/new/supervision"],
  },
  // 管理 takes that row too.
  { role: "admin", username: "admin", rows: 2, screens: ["/admin"] },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/// An address as a pattern: `/files/file-pan/amend/<uuid>` → `/files/:id/amend/:r`.
function pattern(path) {
  const parts = path.split("/");
  if (parts[1] === "files" && parts[2]) parts[2] = ":id";
  if (parts[1] === "review" && parts[2]) parts[2] = ":id";
  return parts.map((p) => (UUID.test(p) ? ":r" : p)).join("/");
}

function describe(violations) {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target.join(" ")}\n      ${n.failureSummary.replace(/\n/g, "\n      ")}`).join("\n"),
    )
    .join("\n");
}

/// No serious or critical axe violation on the screen as it is now.
async function axe(page, screen) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect.soft(bad.map((v) => v.id), `${screen}:\n${describe(bad)}`).toEqual([]);
}

/// The header fits the phone: nothing sticks out sideways, every item is on one line (its text
/// makes one line box), and the header is no taller than `rows` rows of touch targets.
async function headerFits(page, role, rows) {
  const header = page.getByRole("banner");
  await expect(header).toBeVisible();
  const m = await header.evaluate((h) => {
    const wrapped = [];
    for (const el of h.querySelectorAll("a, button, span")) {
      const range = document.createRange();
      range.selectNodeContents(el);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) wrapped.push(`${el.textContent.trim()} (${tops.size} lines)`);
    }
    return {
      wrapped,
      height: h.getBoundingClientRect().height,
      overflow: h.scrollWidth - h.clientWidth,
      page: document.documentElement.scrollWidth,
    };
  });
  const where = `${role}'s header (${await header.innerText()})`;
  expect.soft(m.wrapped, `${where}: items wrap`).toEqual([]);
  expect.soft(m.overflow, `${where}: sticks out sideways`).toBeLessThanOrEqual(0);
  expect.soft(m.page, `${where}: the page is wider than the phone`).toBeLessThanOrEqual(360);
  // A row: 44 px touch targets plus the header's padding (8 + 8) and a little slack.
  expect.soft(m.height, `${where}: more than ${rows} row(s)`).toBeLessThanOrEqual(16 + 44 * rows + 4);
}

/// Waits until the screen is drawn: its heading shows and nothing is still being read.
async function ready(page) {
  await expect(page.getByRole("main").getByRole("heading", { level: 1 }).first()).toBeVisible();
  await expect(page.getByRole("main").getByText("正在读取…")).toHaveCount(0);
}

/// Goes to `path` inside the app, as a link would (a reload would lock the phone's data): first
/// to an address no route takes, so the next screen is drawn afresh, then to `path`.
async function go(page, path) {
  await nowhere(page);
  await push(page, path);
  await ready(page);
}

function push(page, path) {
  return page.evaluate((to) => {
    history.pushState(null, "", to);
    dispatchEvent(new PopStateEvent("popstate", { state: null }));
  }, path);
}

async function nowhere(page) {
  await push(page, "/a11y-nowhere");
  await expect(page.getByRole("main").getByText("找不到这个页面")).toBeVisible();
}

/// The app's own links on the screen: address, and the kind of the timeline entry it sits in.
function linksOn(page) {
  return page.getByRole("main").locator("a[href^='/']").evaluateAll((as) =>
    as.map((a) => {
      const entry = a.closest("li.entry");
      return { href: a.getAttribute("href"), kind: entry ? entry.classList[1] : "" };
    }),
  );
}

/// The status line never says both 全部已上传 and 尚未上传.
async function statusCoherent(page, where) {
  const text = await page.getByTestId("status").innerText();
  expect.soft(text.includes("全部已上传") && text.includes("尚未上传"), `${where}: status line says “${text}”`).toBe(false);
}

for (const { role, username, rows, screens } of ROLES) {
  test(`${role}: every screen passes axe at 360 px and the header fits`, async ({ page }) => {
    // Signing in: the sign-in screen and the PIN screen.
    await page.goto(`${server.url}/`);
    await expect(page).toHaveURL(/\/login$/);
    await ready(page);
    // Chinese is drawn square, as on a phone: without a Chinese font Chromium draws narrow boxes
    // and a header that wraps on a phone would fit here.
    const square = await page.evaluate(() => {
      const probe = Object.assign(document.createElement("span"), { textContent: "案件期限" });
      probe.style.cssText = "position:absolute;font-size:20px;white-space:nowrap";
      document.body.append(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      return width;
    });
    expect(square, "no Chinese font (cargo xtask test installs fonts-wqy-microhei)").toBeGreaterThanOrEqual(76);
    await axe(page, `${role} /login`);
    await page.fill("input[name=username]", username);
    await page.fill("input[name=password]", PASSWORD);
    await page.click("button[type=submit]");
    await expect(page.getByRole("heading", { name: "设置解锁码" })).toBeVisible();
    await axe(page, `${role} set PIN`);
    await choosePin(page);
    await expect(page.getByRole("heading", { name: "我的档案" })).toBeVisible();
    // The first download has come: the server answered and the run is over.
    await expect(page.getByTestId("status")).toHaveAttribute("data-heard", /\d/);
    await expect(page.getByTestId("upload-now")).toBeEnabled();
    await ready(page);
    await statusCoherent(page, `${role} after the first download`);
    await headerFits(page, role, rows);
    await axe(page, `${role} /`);

    // Every screen its links reach: the files, then each kind of screen a file offers, the
    // header's own links, and what those list.
    const seen = new Map();
    const add = ({ href, kind }) => {
      const key = `${pattern(href)} ${kind}`;
      if (href !== "/" && !href.startsWith("/login") && !seen.has(key)) seen.set(key, href);
    };
    (await linksOn(page)).forEach(add);
    const headerLinks = await page.getByRole("banner").locator("a[href^='/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    headerLinks.forEach((href) => add({ href, kind: "" }));
    const visited = new Set();
    for (let more = true; more; ) {
      more = false;
      for (const [key, href] of [...seen]) {
        if (visited.has(key)) continue;
        visited.add(key);
        more = true;
        await go(page, href);
        await axe(page, `${role} ${href}`);
        (await linksOn(page)).forEach(add);
      }
    }
    const reached = new Set([...seen.keys()].map((k) => k.split(" ")[0]));
    console.log(`${role}: ${visited.size + 5} screens (${[...reached].sort().join(", ")})`);
    for (const screen of ["/files/:id", ...screens]) expect.soft([...reached], `${role} reaches ${screen}`).toContain(screen);

    // An address no route takes.
    await nowhere(page);
    await axe(page, `${role} not found`);

    // Locked: the PIN screen, then back.
    await page.getByRole("button", { name: "锁定" }).click();
    await expect(page.getByRole("heading", { name: "输入解锁码" })).toBeVisible();
    await axe(page, `${role} unlock`);
    await unlock(page);

    // In English the header fits too.
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("button", { name: "中文" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await headerFits(page, `${role} (English)`, rows);
    await axe(page, `${role} ${new URL(page.url()).pathname} in English`);
    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await statusCoherent(page, `${role} at the end`);
  });
}

/// Where the screen under the status line starts: the top of `main`, in CSS pixels.
function mainTop(page) {
  return page.getByRole("main").evaluate((m) => Math.round(m.getBoundingClientRect().top));
}

/// Holds the phone's requests to `pattern` until `release` is called, and resolves `held` when
/// the first one arrives: the sync run is then mid-flight, its button says so. The route stays:
/// once released it lets every request through at once.
async function holdRequests(page, pattern) {
  let release;
  const gate = new Promise((r) => (release = r));
  let arrived;
  const held = new Promise((r) => (arrived = r));
  await page.route(pattern, async (route) => {
    arrived();
    await gate;
    await route.continue();
  });
  return { held, release };
}

// A tap right after a save must land where the finger aimed: the status line above every screen
// says 正在上传… instead of 立即上传 while a sync runs, and how many records wait, and it did so
// by wrapping one more line, moving 更正 and 作废 under the finger by 27 px.
test("the screen does not move while the phone saves and uploads, in both languages", async ({ page }) => {
  await signIn(page, server);
  await expect(page.getByTestId("upload-now")).toBeEnabled();
  await openFile(page, "郭先生");
  const idle = await mainTop(page);
  // Each moment the screen was not where it started, with what the status line said then.
  const moved = [];
  const still = async (moment, top) => {
    const now = await mainTop(page);
    const status = (await page.getByTestId("status").innerText()).replace(/\s+/g, " ");
    if (now !== top) moved.push(`${moment}: ${top} → ${now} px (${status})`);
  };

  // A note saved while the upload is held: one record waits, then the run is mid-flight.
  const push = await holdRequests(page, "**/api/sync/push");
  await saveNote(page, `不动的屏幕 ${Date.now()}`);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "1");
  await push.held;
  await expect(page.getByTestId("upload-now")).toHaveText("正在上传…");
  await still("a record waits, upload running", idle);
  push.release();
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "0");
  await expect(page.getByTestId("upload-now")).toHaveText("立即上传");
  // The label hidden to keep the width is not read out.
  await expect(page.getByRole("button", { name: "立即上传", exact: true })).toBeVisible();
  await still("uploaded", idle);

  // In English: a run with nothing to send, held at its download.
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  // The file page's own lines follow the language too.
  await expect(page.getByTestId("chain-matched")).toContainText("records on this phone match");
  // Between the languages the screen may move (the storage warning is a line longer in English):
  // a language is chosen in the header, not tapped through mid-sync.
  const idleEnglish = await mainTop(page);
  const pull = await holdRequests(page, "**/api/sync/pull*");
  await page.getByTestId("upload-now").click();
  await pull.held;
  await expect(page.getByTestId("upload-now")).toHaveText("Uploading…");
  await still("English, running", idleEnglish);
  pull.release();
  await expect(page.getByTestId("upload-now")).toHaveText("Upload now");
  await still("English, done", idleEnglish);
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

  expect(moved, "the screen moved under the status line").toEqual([]);
});
