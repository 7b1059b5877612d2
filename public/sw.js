// Xiafang service worker: keeps the app shell (HTML, JS, wasm, CSS, icons) on the phone so the
// app opens with no signal. It never caches API responses: petitioners' data lives only in the
// app's own storage (IndexedDB), never in HTTP caches.
//
// `cargo xtask build` replaces the two lines below with the build's file list and content hash.
const VERSION = "dev";
const PRECACHE = [];

const CACHE = `xiafang-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
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
  event.respondWith(caches.match(request).then((cached) => cached || fetch(request)));
});
