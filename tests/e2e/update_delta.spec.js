// An update downloads what changed (issue 17): a phone that ran release 1 opens the app after
// the server restarted on release 2, whose wasm differs by one string, and its new main wasm
// comes as a delta against the one it holds (RFC 9842 `dcz`, server/src/http/dictionary.rs).
// Release 2 then runs (the changed text shows), offline too, and the records left unsent on
// release 1 are uploaded once.
const fs = require("node:fs");
const path = require("node:path");
const { test, expect } = require("@playwright/test");
const { useCaseServer, dist } = require("./server");
const { bundlesOf, nextRelease } = require("./release");
const { signIn, unlock, shellCached, goOffline, goOnline, openFile, saveNote, syncNow, copiesOnServer } =
  require("./helpers");

const server = useCaseServer(test);

/// How each wasm reached the phone's service worker: the worker's own resource timing entries
/// (the worker fetches the new release's files when it installs).
async function wasmFetchedByWorker(context, name) {
  const worker = context.serviceWorkers().find((w) => w.url().endsWith("/sw.js"));
  if (!worker) return [];
  return worker.evaluate((name) =>
    performance
      .getEntriesByType("resource")
      .filter((e) => new URL(e.name).pathname === name)
      .map((e) => ({ encoding: e.contentEncoding, encoded: e.encodedBodySize, decoded: e.decodedBodySize })),
    name,
  );
}

test("an update's wasm comes as a delta, runs, works offline, and sends the old release's records once", async ({ page, context }) => {
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

  // The new wasm came as a delta against release 1's: the server made one, and the worker's
  // download was dcz, a small part of the wasm.
  const deltas = fs.readdirSync(path.join(server.dataDir, "shell", "deltas"));
  expect(deltas.filter((d) => d.endsWith(`${newWasm.slice(1)}.dcz`))).toHaveLength(1);
  const fetched = await wasmFetchedByWorker(context, newWasm);
  console.log(`the new wasm as the worker fetched it: ${JSON.stringify(fetched)}`);
  expect(fetched).toEqual([expect.objectContaining({ encoding: "dcz" })]);
  expect(fetched[0].encoded * 10).toBeLessThan(fetched[0].decoded);

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
  server.dist = dist;
});
