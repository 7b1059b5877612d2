// An update downloads what changed (issue 17): a phone that ran release 1 opens the app after
// the server restarted on release 2, whose wasm differs by one string, and its new main wasm
// comes as a delta against the one it holds (RFC 9842 `dcz`, server/src/http/dictionary.rs).
// Release 2 then runs (the changed text shows), offline too, and the records left unsent on
// release 1 are uploaded once. The next update comes as a delta too, against release 2's wasm,
// which only the service worker ever downloaded. A release that changed only office screens
// sends an office phone its new office chunk as a delta too, and the new chunk opens offline.
const fs = require("node:fs");
const path = require("node:path");
const { test, expect } = require("@playwright/test");
const { useCaseServer, dist } = require("./server");
const { bundlesOf, nextRelease } = require("./release");
const { SUPERVISOR, signIn, unlock, shellCached, goOffline, goOnline, openFile, saveNote, syncNow, copiesOnServer } =
  require("./helpers");

const server = useCaseServer(test);

/// How each wasm reached the phone's service worker: the worker's own resource timing entries
/// (the worker fetches the new release's files when it installs).
async function wasmFetchedByWorker(context, name) {
  const seen = [];
  for (const worker of context.serviceWorkers()) {
    const entries = await worker
      .evaluate((name) =>
        performance
          .getEntriesByType("resource")
          .filter((e) => new URL(e.name).pathname === name)
          .map((e) => ({ encoding: e.contentEncoding, encoded: e.encodedBodySize, decoded: e.decodedBodySize })),
        name,
      )
      .catch(() => []); // a worker that has stopped meanwhile
    seen.push(...entries);
  }
  return seen;
}

/// Restarts the server on `release` and opens the app again until its new service worker has
/// taken over; returns the new release's names.
async function update(page, context, release) {
  const upgraded = bundlesOf(release);
  await goOffline(context, server);
  server.dist = release;
  await goOnline(context, server);
  await page.reload();
  await unlock(page);
  await expect
    .poll(() => page.evaluate(() => caches.keys()), { timeout: 60_000 })
    .toEqual([`xiafang-shell-${upgraded.version}`]);
  return upgraded;
}

/// The update's wasm came as a delta against the phone's: the server made one, and the
/// worker's download was dcz, a small part of the wasm.
async function cameAsDelta(context, wasm) {
  const deltas = fs.readdirSync(path.join(server.dataDir, "shell", "deltas"));
  expect(deltas.filter((d) => d.endsWith(`${wasm.slice(1)}.dcz`))).toHaveLength(1);
  const fetched = await wasmFetchedByWorker(context, wasm);
  console.log(`${wasm} as the worker fetched it: ${JSON.stringify(fetched)}`);
  expect(fetched).toEqual([expect.objectContaining({ encoding: "dcz" })]);
  expect(fetched[0].encoded * 10).toBeLessThan(fetched[0].decoded);
}

test("an update's wasm comes as a delta, runs, works offline, sends the old release's records once, and so does the next", async ({ page, context }) => {
  const tag = `升级前未上传 ${Date.now()}`;
  await signIn(page, server);
  await shellCached(page);
  await expect(page.getByPlaceholder("按姓名或村名搜索")).toBeVisible();

  // Saved offline on release 1, not uploaded.
  await goOffline(context, server);
  await openFile(page, "郭先生");
  await saveNote(page, tag);
  await expect(page.getByTestId("pending")).toHaveAttribute("data-count", "1");

  // The server restarts on release 2: one string of the search box changed.
  const next = nextRelease(dist, { replace: ["按姓名或村名搜索", "按姓名或村庄搜索"] });
  const upgraded = bundlesOf(next);
  const newWasm = upgraded.field[1];
  server.dist = next;
  await page.route("**/api/**", (route) => route.abort());
  await goOnline(context, server);
  await page.reload();
  await unlock(page);
  await expect
    .poll(() => page.evaluate(() => caches.keys()), { timeout: 60_000 })
    .toEqual([`xiafang-shell-${upgraded.version}`]);

  await cameAsDelta(context, newWasm);

  // Release 2 runs, and sends what release 1 left unsent, once.
  await page.unroute("**/api/**");
  await page.reload();
  await unlock(page);
  await page.goto(`${server.url}/`);
  await unlock(page);
  await expect(page.getByPlaceholder("按姓名或村庄搜索")).toBeVisible();
  await syncNow(page);
  expect(await copiesOnServer(server, "file-guo", [tag])).toEqual({ [tag]: 1 });

  // And offline.
  await goOffline(context, server);
  await page.reload();
  await unlock(page);
  await expect(page.getByPlaceholder("按姓名或村庄搜索")).toBeVisible();
  await goOnline(context, server);

  // The next update too: release 2's wasm, which only the service worker ever fetched, is the
  // dictionary for release 3's.
  const third = await update(page, context, nextRelease(next, { replace: ["按姓名或村庄搜索", "按姓名或村落搜索"] }));
  await cameAsDelta(context, third.field[1]);
  await page.reload();
  await unlock(page);
  await expect(page.getByPlaceholder("按姓名或村落搜索")).toBeVisible();
  server.dist = dist;
});

test("a release that changed the office screens sends an office phone its chunk as a delta, which opens offline", async ({ page, context }) => {
  // On release 1, whichever release the test before left running.
  await server.stop();
  server.dist = dist;
  await server.start();
  // The supervisor has opened an office screen, so the phone keeps the chunk (helpers.toOffice).
  await signIn(page, server, SUPERVISOR);
  await shellCached(page);

  const upgraded = await update(page, context, nextRelease(dist, { office: true }));
  const chunk = upgraded.office.find((f) => f.endsWith(".wasm"));
  expect(chunk).not.toEqual(bundlesOf(dist).office.find((f) => f.endsWith(".wasm")));
  await cameAsDelta(context, chunk);

  // The new chunk is what opens the office screens, with no network.
  await goOffline(context, server);
  await page.reload();
  await unlock(page);
  await page.getByRole("banner").getByRole("link", { name: "审核", exact: true }).click();
  await expect(page.getByRole("heading", { name: "待审核的工作记录" })).toBeVisible();
  const fetched = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm")),
  );
  expect(fetched).toContain(chunk);
  await goOnline(context, server);
  server.dist = dist;
});
