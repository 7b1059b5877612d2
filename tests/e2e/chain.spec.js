// Issue 19 on the phone: a cadre's phone holds a file; someone with the database rewrites one of
// its records and recomputes every chain link as the code would; on the next sync the file page
// says so in Chinese, the phone still shows its own copy, and the server has the phone's report.
// Normal new records on the same file raise nothing.
const { test, expect } = require("@playwright/test");
const { execFileSync } = require("node:child_process");
const path = require("node:path");
const { useCaseServer } = require("./server");
const { signIn, openFile, saveNote, syncNow, signedApi, serverRecords, unlock, SUPERVISOR } = require("./helpers");

const server = useCaseServer(test);

// Rewrites a record's note text in the SQLite file behind the server's back and recomputes every
// link of its file: SHA-256("xiafang-chain-v1" 0x00 ‖ previous ‖ canonical JSON), the canonical
// form being sorted keys, no whitespace, UTF-8 as is (core/src/records/canonical.rs).
const REWRITE = `
import hashlib, json, sqlite3, sys
db, record, text, resend = sys.argv[1:5]
con = sqlite3.connect(db, timeout=30)
body = json.loads(con.execute("SELECT body FROM records WHERE id = ?", (record,)).fetchone()[0])
body["body"]["text"] = text
con.execute("UPDATE records SET body = ? WHERE id = ?", (json.dumps(body, ensure_ascii=False), record))
if resend == "1":
    # A new feed position, so the change feed brings the rewrite to every phone.
    seq = con.execute("UPDATE feed_head SET seq = seq + 1 WHERE id = 1 RETURNING seq").fetchone()[0]
    con.execute("UPDATE records SET feed_seq = ? WHERE id = ?", (seq, record))
file = body["file_id"]
prev = bytes(32)
for rid, raw in con.execute("SELECT id, body FROM records WHERE file_id = ? ORDER BY feed_seq", (file,)).fetchall():
    canonical = json.dumps(json.loads(raw), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    prev = hashlib.sha256(b"xiafang-chain-v1\\x00" + prev + canonical).digest()
    con.execute("UPDATE records SET chain_hash = ? WHERE id = ?", (prev.hex(), rid))
con.commit()
`;

/// `resend`: also give the record a new feed position, so phones download the rewrite.
function rewriteBehindTheServer(recordId, text, { resend = false } = {}) {
  const db = path.join(server.dataDir, "xiafang.db");
  execFileSync("python3", ["-c", REWRITE, db, recordId, text, resend ? "1" : "0"]);
}

async function matchedCount(page) {
  return Number(await page.getByTestId("chain-matched").getAttribute("data-length"));
}

test("new records raise nothing, and a rewrite with recomputed links is shown, kept out and reported", async ({
  page,
}) => {
  const tag = `CHAIN-${Date.now()}`;
  await signIn(page, server);
  await openFile(page, "郭先生");
  await syncNow(page);
  // The first check accepts the file as the phone downloaded it.
  await expect(page.getByTestId("chain-matched")).toBeVisible();
  const before = await matchedCount(page);

  // Quiet: two new notes on the same file, uploaded and downloaded again, are accepted.
  await saveNote(page, `${tag} 第一条`);
  await saveNote(page, `${tag} 第二条`);
  await syncNow(page);
  await syncNow(page);
  await expect(page.getByTestId("chain-matched")).toHaveAttribute("data-length", String(before + 2));
  await expect(page.getByTestId("chain-warning")).toHaveCount(0);

  // The first note rewritten in the database, every link of the file recomputed.
  const note = (await serverRecords(server, "file-guo")).find((r) => r.body.text === `${tag} 第一条`);
  rewriteBehindTheServer(note.id, "当事人已同意息诉罢访（改写）");
  await syncNow(page);
  const warning = page.getByTestId("chain-warning");
  await expect(warning).toContainText("服务器上的记录与本机保存的不一致");
  await expect(warning).toContainText(new RegExp(`服务器上的第 ${before + 1} 条记录（.*谈心记录）与本机保存的不一致`));
  await expect(warning).toContainText("最后一次核对一致");
  // The phone keeps and shows its own copy, never the server's rewrite.
  await expect(page.locator("li.entry", { hasText: `${tag} 第一条` })).toBeVisible();
  await expect(page.getByText("当事人已同意息诉罢访（改写）")).toHaveCount(0);
  // The file list says which file.
  await page.getByRole("link", { name: /我的档案/ }).first().click();
  await expect(page.getByTestId("chain-alerts")).toContainText("郭先生");

  // The county supervisor sees the phone's report on the server.
  const supervisor = await signedApi(server, SUPERVISOR);
  await expect
    .poll(async () => {
      const res = await supervisor.get("/api/files/file-guo/chain/reports");
      return (await res.json()).flatMap((r) => r.report.mismatches.map((m) => `${m.kind}:${m.id}`));
    })
    .toEqual([`changed:${note.id}`]);
  await supervisor.dispose();
});

test("a rewrite pushed down the change feed to the phone does not replace the phone's copy", async ({ page }) => {
  const tag = `CHAIN-FEED-${Date.now()}`;
  await signIn(page, server);
  await openFile(page, "潘女士");
  await saveNote(page, `${tag} 原话`);
  await syncNow(page);
  await expect(page.getByTestId("chain-matched")).toBeVisible();
  // The newest record, so moving it to the feed's head keeps the file's order.
  const note = (await serverRecords(server, "file-pan")).find((r) => r.body.text === `${tag} 原话`);
  rewriteBehindTheServer(note.id, `${tag} 改写`, { resend: true });
  await syncNow(page);
  await expect(page.getByTestId("chain-warning")).toContainText("与本机保存的不一致");
  await expect(page.locator("li.entry", { hasText: `${tag} 原话` })).toBeVisible();
  await expect(page.locator("li.entry", { hasText: `${tag} 改写` })).toHaveCount(0);
  // Still so after the app is opened again.
  await page.reload();
  await unlock(page);
  await expect(page.locator("li.entry", { hasText: `${tag} 原话` })).toBeVisible();
  await expect(page.getByTestId("chain-warning")).toBeVisible();
});
