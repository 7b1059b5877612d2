// An HTTP proxy that stands for the phone's link and counts what crosses it: for every response,
// the bytes written to the browser's socket (status line, headers and body as encoded, chunk
// framing included), with the request's path, status, Content-Encoding and Cache-Control. The
// browser talks only to the proxy, so the service worker's own downloads are counted too.
const http = require("node:http");

class CountingProxy {
  constructor(target) {
    this.target = new URL(target);
    this.responses = [];
    this.inFlight = 0;
    this.waiters = [];
    this.server = http.createServer((req, res) => this.forward(req, res));
  }

  get url() {
    return `http://127.0.0.1:${this.server.address().port}`;
  }

  start() {
    return new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(resolve));
  }

  /// The responses counted since the last call, and a fresh count from now on.
  take() {
    const taken = this.responses;
    this.responses = [];
    return taken;
  }

  /// Resolves once no request is on its way.
  idle() {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  settled() {
    this.inFlight -= 1;
    if (this.inFlight === 0) this.waiters.splice(0).forEach((w) => w());
  }

  forward(req, res) {
    this.inFlight += 1;
    // HTTP/1.1 without pipelining: this socket carries nothing else until this response ends.
    const socket = req.socket;
    const before = socket.bytesWritten;
    const entry = {
      method: req.method,
      path: req.url,
      acceptEncoding: req.headers["accept-encoding"] || "",
      status: 0,
      encoding: "",
      cacheControl: "",
      bytes: 0,
      bodyBytes: 0,
    };
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      entry.bytes = socket.bytesWritten - before;
      this.responses.push(entry);
      this.settled();
    };
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        entry.status = answer.statusCode;
        entry.encoding = answer.headers["content-encoding"] || "";
        entry.cacheControl = answer.headers["cache-control"] || "";
        res.writeHead(answer.statusCode, answer.statusMessage, answer.rawHeaders);
        answer.on("data", (chunk) => (entry.bodyBytes += chunk.length));
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.destroy();
      finish();
    });
    res.on("finish", finish);
    res.on("close", finish);
    req.pipe(upstream);
  }
}

module.exports = { CountingProxy };
