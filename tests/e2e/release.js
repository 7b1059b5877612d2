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
/// the extra custom section. With `office: true` the main wasm stays and the office chunk changes
/// instead (an extra custom section), as a release that changed only office screens: the chunk is
/// named by its new bytes, the split loader names it, and the glue and the loader, named by one
/// hash of the two, get new names too.
function nextRelease(dir, { replace, office = false } = {}) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "xiafang-release-"));
  for (const name of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, name), path.join(out, name));
  const before = bundlesOf(dir);
  /// [old hash, new hash] of every file renamed, applied to the names and to the texts naming them.
  const renames = [];
  /// Writes `file` (a path as the lists give it) with `bytes` under its name with `to` for `from`.
  const rewrite = (file, from, to, bytes) => {
    fs.rmSync(path.join(out, file.slice(1)));
    fs.writeFileSync(path.join(out, file.replace(from, to).slice(1)), bytes);
  };
  if (office) {
    const chunk = before.office.find((f) => f.endsWith(".wasm"));
    const bytes = Buffer.concat([fs.readFileSync(path.join(out, chunk.slice(1))), customSection("xiafang-release", "next")]);
    renames.push([hashOf(chunk), fnv(bytes)]);
    rewrite(chunk, ...renames[0], bytes);
    const shared = hashOf(before.field[0]);
    renames.push([shared, fnv(Buffer.from(`${shared} ${renames[0][1]}`))]);
    for (const script of [before.field[0], `/split-${shared}.js`]) {
      rewrite(script, ...renames[1], Buffer.from(renamed(fs.readFileSync(path.join(out, script.slice(1)), "utf8"), renames)));
    }
  } else {
    const wasm = before.field[1];
    const wasmBytes = fs.readFileSync(path.join(out, wasm.slice(1)));
    const newBytes = replace ? replaced(wasmBytes, ...replace) : Buffer.concat([wasmBytes, customSection("xiafang-release", "next")]);
    // Named by content, as the build names it, so a release made from this one gets new names too.
    renames.push([hashOf(wasm), fnv(newBytes)]);
    rewrite(wasm, ...renames[0], newBytes);
  }
  const newVersion = fnv(Buffer.from(`${before.version} ${renames.map((r) => r[1]).join(" ")}`));
  for (const text of ["index.html", "sw.js"]) {
    const file = path.join(out, text);
    fs.writeFileSync(file, renamed(fs.readFileSync(file, "utf8"), [...renames, [before.version, newVersion]]));
  }
  // Precompressed copies (if the build writes them) would still hold the old text: drop them.
  for (const name of fs.readdirSync(out)) if (/\.(br|gz)$/.test(name)) fs.rmSync(path.join(out, name));
  return out;
}

/// The content hash in a file's name.
function hashOf(file) {
  return file.match(/-([0-9a-f]{12,16})(_bg)?\./)[1];
}

/// `text` with each `[from, to]` of `renames` replaced everywhere.
function renamed(text, renames) {
  return renames.reduce((t, [from, to]) => t.split(from).join(to), text);
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
