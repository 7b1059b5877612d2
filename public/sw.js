// Xiafang service worker: keeps the app shell (HTML, JS, wasm, CSS, icons) on the phone so the
// app opens with no signal. It never caches API responses: petitioners' data lives only in the
// app's own storage (IndexedDB), never in HTTP caches.
//
// `cargo xtask build` fills the three lines below: the build's content hash, the app with the
// rest of the shell, and the office chunk (docs/ARCHITECTURE.md "One app, one office chunk").
const VERSION = "dev";
const PRECACHE = [];
const OFFICE = [];

const CACHE = `xiafang-shell-${VERSION}`;
// Put in the shell's cache when the phone first fetches the office chunk (and, by the release
// before, when it fetched the office bundle): the next release precaches the chunk too.
const USES_OFFICE = "/__office";
// Trunk names the glue, wasm and CSS by their content: same name, same bytes.
// Trunk prints its hash without leading zeros: 16 hex digits, sometimes fewer.
const CONTENT_NAMED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/;

// Fills this release's cache. A file named by its content that an older release already holds
// is copied from there, so an update downloads only what changed; the rest comes from the
// network (through the HTTP cache, which already holds what the page itself just loaded).
async function fill(cache, urls) {
  await Promise.all(
    urls.map(async (url) => {
      if (CONTENT_NAMED.test(url)) {
        const held = await caches.match(url);
        if (held) return cache.put(url, held);
      }
      // The page came as "/": asked under that URL, the HTTP cache holds its tag and the
      // server answers "304 Not Modified" instead of sending the page again.
      const asked = url === "/index.html" ? "/" : url;
      const response = await fetch(asked, { cache: CONTENT_NAMED.test(url) ? "default" : "no-cache" });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      await cache.put(url, response);
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // A phone that used the office screens keeps them offline across releases.
      const office = !!(await caches.match(USES_OFFICE));
      await fill(cache, office ? PRECACHE.concat(OFFICE) : PRECACHE);
      if (office) await cache.put(USES_OFFICE, new Response("1"));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("xiafang-shell-") && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Every page of the app is the same shell; the router inside picks the screen.
    event.respondWith(
      caches.match("/index.html").then((cached) => cached || fetch(request)),
    );
    return;
  }
  if (OFFICE.includes(url.pathname)) {
    event.respondWith(office(request));
    return;
  }
  event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
});

// The app says it uses the office screens (src/pages/office.rs) once the chunk has come, also on
// a first visit this worker did not control yet: keep the chunk and the mark.
self.addEventListener("message", (event) => {
  if (event.data !== "office") return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await fill(cache, OFFICE);
      await cache.put(USES_OFFICE, new Response("1"));
    })(),
  );
});

// The office chunk, fetched by the app's split loader when an office screen first opens: kept
// in this release's cache, with the mark that makes the next release precache it, so the office
// screens open offline from then on.
async function office(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
    await cache.put(USES_OFFICE, new Response("1"));
  }
  return response;
}
