// A generated case load for the phone benchmark: one cadre with `files` petitioner files in a
// few townships and villages and `records` records on them (mostly visits and notes, some
// assistance), in the shape of server/demo/demo.json. The server loads it with --demo-file and
// checks it as it checks the demo (every record passes core validation).
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const DEMO = path.resolve(__dirname, "..", "..", "..", "server", "demo", "demo.json");
const CADRE = { username: "bench", password: "xiafang-bench-2026", id: "u-bench", name: "李建华" };

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢";
const GIVEN = ["秀英", "桂英", "建国", "国强", "志明", "海燕", "丽华", "建华", "德福", "金花",
  "春生", "玉兰", "永平", "红梅", "文彬", "少华", "爱民", "淑珍", "长林", "美玲"];
const TOWNSHIPS = ["东山镇", "西岭乡", "南湖街道", "北塘镇"];
const VILLAGES = ["上村", "下村", "前洋村", "后垟村", "新桥村"];

/// A deterministic pseudo-random sequence, so two runs generate the same names and dates.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, w = 2) => String(n).padStart(w, "0");

const GROUPS = ["第一村民小组", "第二村民小组", "第三村民小组"];

function generate({ files = 2000, records = 20000, seed = 7 } = {}) {
  const demo = JSON.parse(fs.readFileSync(DEMO, "utf8"));
  const random = rng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const places = [{ id: "county-bench", name: "测试县", kind: "county", parent: null }];
  const villages = [];
  TOWNSHIPS.forEach((township, t) => {
    places.push({ id: `tw-${t}`, name: township, kind: "township", parent: "county-bench" });
    VILLAGES.forEach((village, v) => {
      const id = `v-${t}-${v}`;
      // The demo's files name their 村民小组; every bench village has the same three.
      places.push({ id, name: `${village}`, kind: "village", parent: `tw-${t}`, groups: GROUPS });
      villages.push({ id, township, village });
    });
  });
  const accounts = [
    {
      id: CADRE.id,
      username: CADRE.username,
      display_name: CADRE.name,
      role: "cadre",
      place: "tw-0",
      password: CADRE.password,
    },
  ];
  const templates = demo.files.map((f) => f.file);
  const outFiles = [];
  for (let i = 0; i < files; i++) {
    const where = villages[i % villages.length];
    const template = templates[i % templates.length];
    const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;
    const matter = { ...template.matter };
    delete matter.accused;
    outFiles.push({
      village_id: where.id,
      assigned: [CADRE.id],
      file: {
        ...template,
        id: `file-b${pad(i, 5)}`,
        name,
        phone: `139${pad(i, 8)}`,
        township: where.township,
        village: where.village,
        address: `${where.township}${where.village}${1 + (i % 9)}组${1 + (i % 40)}号`,
        matter,
      },
    });
  }
  const body = (type) => {
    const found = demo.records.filter((r) => r.body.type === type);
    return found.map((r) => {
      const b = { ...r.body };
      delete b.joined;
      delete b.evaluation;
      return b;
    });
  };
  const bodies = { visit: body("visit"), note: body("note"), assistance: body("assistance") };
  const outRecords = [];
  for (let i = 0; i < records; i++) {
    const r = random();
    const type = r < 0.55 ? "visit" : r < 0.9 ? "note" : "assistance";
    const b = { ...pick(bodies[type]) };
    if (type === "note") b.speaker = CADRE.name;
    const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 690) * 86_400_000);
    const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    const hour = 8 + Math.floor(random() * 10);
    if (b.next_due) {
      const due = new Date(day.getTime() + 14 * 86_400_000);
      b.next_due = `${due.getUTCFullYear()}-${pad(due.getUTCMonth() + 1)}-${pad(due.getUTCDate())}`;
    }
    outRecords.push({
      id: crypto.randomUUID(),
      file_id: outFiles[i % files].file.id,
      author: CADRE.id,
      author_name: CADRE.name,
      occurred_at: `${date}T${pad(hour)}:${pad(Math.floor(random() * 60))}:00`,
      saved_at: `${date}T${pad(hour)}:59:00Z`,
      body: b,
    });
  }
  return { places, accounts, files: outFiles, records: outRecords };
}

module.exports = { generate, CADRE };
