// Starts and stops the real case server binary for a test, on a free port and a fresh data
// directory, so a test can take the network away for real and bring the server back.
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const bin = process.env.XIAFANG_SERVER_BIN || path.join(root, "target", "release", "xiafang-server");
const dist = process.env.XIAFANG_DIST || path.join(root, "dist");

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch (_) {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not answer ${url}`);
}

class CaseServer {
  /// `args`: more options for the server, e.g. `["--rules", path]`; `options.dist`: the built PWA
  /// to serve instead of XIAFANG_DIST (a bench swaps releases between restarts).
  constructor(args = [], options = {}) {
    this.args = args;
    /// The PWA it serves: a test may hand it a newer release between two starts.
    this.dist = options.dist || dist;
    this.port = null;
    this.dataDir = null;
    this.child = null;
    this.output = "";
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  static async create() {
    const server = new CaseServer();
    await server.prepare();
    return server;
  }

  /// Picks the port and the data directory the server keeps across restarts.
  async prepare() {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "xiafang-e2e-"));
    this.port = await freePort();
  }

  async start() {
    if (!fs.existsSync(bin)) throw new Error(`no server binary at ${bin}; run cargo xtask test`);
    const args = ["--addr", `127.0.0.1:${this.port}`, "--data-dir", this.dataDir, "--dist", this.dist, ...this.args];
    this.child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk) => (this.output += chunk.toString());
    this.child.stdout.on("data", keep);
    this.child.stderr.on("data", keep);
    await waitUntilUp(`${this.url}/api/health`, this.child, Date.now() + 30_000);
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    this.child = null;
  }

  async remove() {
    await this.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/// One case server for all the tests of a spec file: started before the first and removed
/// after the last. A test that stopped it and failed before starting it again does not leave the
/// next test without it.
function useCaseServer(test, args = []) {
  const server = new CaseServer(args);
  test.beforeAll(async () => {
    await server.prepare();
    await server.start();
  });
  // A panic in the app's wasm leaves the page frozen where it stood, and a test then waits out
  // its timeout on whatever it looked for next: say what the page threw, when it threw it, and
  // in which test. The list reporter prints a test's line after its output, so an error printed
  // just under a failed test belongs to the next one: offline.spec.js's crash test throws one
  // on purpose, and was once taken for the failure above it.
  test.beforeEach(async ({ page }, testInfo) => {
    const where = `${testInfo.file.split("/").pop()}:${testInfo.line} "${testInfo.title}"`;
    page.on("pageerror", (error) => console.log(`page error in ${where}: ${error.stack || error}`));
    page.on("console", (message) => {
      if (message.type() === "error" && /panicked/.test(message.text())) {
        console.log(`page panicked in ${where}: ${message.text()}`);
      }
    });
  });
  test.afterEach(async () => {
    if (!server.child) await server.start();
  });
  test.afterAll(async () => {
    if (server.dataDir) await server.remove();
  });
  return server;
}

module.exports = { CaseServer, useCaseServer, dist, serverBinary: bin };
