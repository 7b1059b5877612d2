// Reading the built PWA's files, and making "the next release" of it for the update test: a copy
// of dist/ whose main wasm changed (it gains a custom section, so its bytes and its
// content-hashed name are new) and whose version is new, as a release with one changed field
// screen looks to a phone. The glue, the office chunk and the CSS keep their names and bytes.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

/// What `dir` holds: { version, field: [js, wasm] (the start-up script's), office: [the office
/// chunk's files] (the service worker's list) }.
function bundlesOf(dir) {
  const index = fs.readFileSync(path.join(dir, "index.html"), "utf8");
  const sw = fs.readFileSync(path.join(dir, "sw.js"), "utf8");
  const list = (text, name) => JSON.parse(text.match(new RegExp(`const ${name} = (\\[[^\\]]*\\]);`))[1]);
  return {
    version: index.match(/const VERSION = "([0-9a-f]+)";/)[1],
    field: list(index, "FIELD"),
    office: list(sw, "OFFICE"),
  };
}

/// A wasm custom section (id 0) named `name` holding `text`: valid anywhere after the header.
function customSection(name, text) {
  const leb = (n) => {
    const out = [];
    do {
      let byte = n & 0x7f;
      n >>>= 7;
      if (n) byte |= 0x80;
      out.push(byte);
    } while (n);
    return Buffer.from(out);
  };
  const nameBytes = Buffer.from(name);
  const body = Buffer.concat([leb(nameBytes.length), nameBytes, Buffer.from(text)]);
  return Buffer.concat([Buffer.from([0]), leb(body.length), body]);
}

/// Writes the next release of `dir` into a new temporary directory and returns its path. With
/// `replace: [from, to]` (two UTF-8 strings of the same length in bytes) the new wasm has that
/// text changed in its data, as a release with one changed string on one screen has, instead of
/// the extra custom section.
function nextRelease(dir, { replace } = {}) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "xiafang-release-"));
  for (const name of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, name), path.join(out, name));
  const before = bundlesOf(dir);
  const hash = (file) => file.match(/-([0-9a-f]{12,16})(_bg)?\./)[1];
  const wasm = before.field[1];
  const oldHash = hash(wasm);
  const wasmBytes = fs.readFileSync(path.join(out, wasm.slice(1)));
  const newBytes = replace ? replaced(wasmBytes, ...replace) : Buffer.concat([wasmBytes, customSection("xiafang-release", "next")]);
  // Named by content, as the build names it, so a release made from this one gets new names too.
  const newHash = fnv(newBytes);
  const renamed = (file) => file.replace(oldHash, newHash);
  fs.rmSync(path.join(out, wasm.slice(1)));
  fs.writeFileSync(path.join(out, renamed(wasm).slice(1)), newBytes);
  const newVersion = fnv(Buffer.from(`${before.version} ${newHash}`));
  for (const text of ["index.html", "sw.js"]) {
    const file = path.join(out, text);
    const updated = fs.readFileSync(file, "utf8").split(oldHash).join(newHash).split(before.version).join(newVersion);
    fs.writeFileSync(file, updated);
  }
  // Precompressed copies (if the build writes them) would still hold the old text: drop them.
  for (const name of fs.readdirSync(out)) if (/\.(br|gz)$/.test(name)) fs.rmSync(path.join(out, name));
  return out;
}

/// FNV-1a of `bytes` as 16 hex digits, as `xtask/src/bundles.rs` names files by their content.
function fnv(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, "0");
}

/// `bytes` with the one occurrence of `from` changed to `to`, a string of the same byte length.
function replaced(bytes, from, to) {
  const [a, b] = [Buffer.from(from), Buffer.from(to)];
  const at = bytes.indexOf(a);
  if (a.length !== b.length || at < 0 || bytes.indexOf(a, at + 1) >= 0) {
    throw new Error(`"${from}" must occur once in the wasm and be as long as "${to}"`);
  }
  const out = Buffer.from(bytes);
  b.copy(out, at);
  return out;
}

module.exports = { bundlesOf, nextRelease };
