// The start-up script, inlined into index.html by `cargo xtask build` (xtask/src/bundles.rs fills
// in the build's version and file names). It starts the app; the office screens are a wasm chunk
// the app's split loader fetches itself when one first opens (src/pages/office.rs).
// The build, as the service worker names its cache (the browser tests read it here).
const VERSION = "@VERSION@";
const FIELD = ["@FIELD_JS@", "@FIELD_WASM@"];
// Phones of the release with two bundles may still say which one they started.
localStorage.removeItem("xiafang.bundle");

// A trap in the wasm (in a release build, any Rust panic is one) leaves the instance unusable:
// show the banner index.html holds (src/crash.rs) from here, where nothing runs in the broken
// instance. Traps reach the page as uncaught errors (an event handler, a timer, a task of the
// app's own queue) or as rejected promises.
const trapped = (error) => {
  if (!(error instanceof WebAssembly.RuntimeError)) return;
  if (document.getElementById("crash")) return;
  document.body.prepend(document.getElementById("crash-banner").content.cloneNode(true));
  // A trap before the app's first screen must not leave the static one on top.
  document.getElementById("first-paint").hidden = true;
};
addEventListener("error", (event) => trapped(event.error));
addEventListener("unhandledrejection", (event) => trapped(event.reason));

// The glue and the wasm are asked for after the page's first contentful paint (the static first
// screen, index.html), not preloaded: Lighthouse simulates a slow link from an unthrottled trace,
// and a download that began before that paint is charged to it (docs/PERFORMANCE.md, "The first
// screen before the wasm"). The paint entry comes once the frame is on screen, which a frame
// callback alone does not wait for. A tab opened in the background paints nothing, and a browser
// without paint timing waits one frame; after 3 s it starts anyway.
// A page the service worker serves is a return visit: its wasm comes from the phone's cache, not
// over a link, so it starts at once (the compile runs off the main thread while the first screen
// paints). Every cold start in a village is one of these.
await new Promise((painted) => {
  if (document.visibilityState === "hidden" || navigator.serviceWorker?.controller) return painted();
  setTimeout(painted, 3000);
  if (!PerformanceObserver.supportedEntryTypes?.includes("paint")) {
    return requestAnimationFrame(() => setTimeout(painted));
  }
  new PerformanceObserver((list, observer) => {
    if (list.getEntriesByName("first-contentful-paint").length === 0) return;
    observer.disconnect();
    painted();
  }).observe({ type: "paint", buffered: true });
});
const [js, wasm] = FIELD;
const [bindings, module] = await Promise.all([
  import(js),
  fetch(wasm).then((r) => {
    if (!r.ok) throw new Error(`${wasm}: ${r.status}`);
    return r;
  }),
]);
const instance = await bindings.default({ module_or_path: module }).catch((e) => {
  trapped(e);
  throw e;
});
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm: instance } }));
