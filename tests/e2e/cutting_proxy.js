// An HTTP proxy in front of the case server that behaves like a village link under load: it
// passes everything through, but cuts the connection of an image upload (PUT /api/blobs/…)
// each time the request bodies it has forwarded to /api/blobs reach another `cutEvery` bytes in
// total — so a piece sometimes dies in the middle of its body. It counts those bytes, which is
// what the phone spent on images.
const http = require("node:http");

class CuttingProxy {
  constructor(target, { cutEvery }) {
    this.target = new URL(target);
    this.cutEvery = cutEvery;
    this.nextCut = cutEvery;
    /// Request-body bytes forwarded to /api/blobs, including those of cut requests.
    this.blobBytes = 0;
    this.cuts = 0;
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

  forward(req, res) {
    const upstream = http.request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    // The server being down looks like a refused connection to the phone.
    upstream.on("error", () => res.destroy());
    const counted = req.url.startsWith("/api/blobs/");
    let cut = false;
    req.on("data", (chunk) => {
      if (cut) return;
      if (!counted) {
        upstream.write(chunk);
        return;
      }
      const room = this.nextCut - this.blobBytes;
      if (chunk.length < room) {
        this.blobBytes += chunk.length;
        upstream.write(chunk);
        return;
      }
      this.blobBytes += room;
      upstream.write(chunk.subarray(0, room));
      this.nextCut += this.cutEvery;
      this.cuts += 1;
      cut = true;
      upstream.destroy();
      req.socket.destroy();
    });
    req.on("end", () => {
      if (!cut) upstream.end();
    });
    req.on("error", () => upstream.destroy());
  }
}

module.exports = { CuttingProxy };
