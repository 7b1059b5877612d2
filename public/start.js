// The start-up script, inlined into index.html by `cargo xtask build` (xtask/src/bundles.rs fills
// in the build's version and file names). It picks one of two bundles: the field bundle (what a
// cadre or legal team member uses) unless this phone has opened an office screen, which the
// field bundle does by calling __xiafang_office (src/pages/office.rs).
const VERSION = "@VERSION@";
const FIELD = ["@FIELD_JS@", "@FIELD_WASM@"];
const OFFICE = ["@OFFICE_JS@", "@OFFICE_WASM@"];
const BUNDLE = "xiafang.bundle";

// Stores the office bundle where the service worker keeps the shell (so it opens offline from
// now on), marks the cache so the next release's worker fetches the office bundle too, and
// reopens the page with it.
window.__xiafang_office = async () => {
  const cache = await caches.open(`xiafang-shell-${VERSION}`);
  await cache.addAll(OFFICE);
  await cache.put("/__office", new Response("1"));
  localStorage.setItem(BUNDLE, "office");
  location.reload();
};

// The glue and the wasm, fetched side by side; throws if either cannot be had.
async function fetched([js, wasm]) {
  const [bindings, module] = await Promise.all([
    import(js),
    fetch(wasm).then((r) => {
      if (!r.ok) throw new Error(`${wasm}: ${r.status}`);
      return r;
    }),
  ]);
  return { bindings, module };
}

// The glue and the wasm are asked for after the page's first contentful paint (the static first
// screen, index.html), not preloaded: Lighthouse simulates a slow link from an unthrottled trace,
// and a download that began before that paint is charged to it (docs/PERFORMANCE.md, "The first
// screen before the wasm"). The paint entry comes once the frame is on screen, which a frame
// callback alone does not wait for. A tab opened in the background paints nothing, and a browser
// without paint timing waits one frame; after 3 s it starts anyway.
await new Promise((painted) => {
  if (document.visibilityState === "hidden") return painted();
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
let bundle;
if (localStorage.getItem(BUNDLE) === "office") {
  try {
    bundle = await fetched(OFFICE);
  } catch (e) {
    // The office files are gone (storage cleared while offline): the field screens still open,
    // and an office screen fetches its bundle again.
    console.warn("office bundle unavailable, starting the field bundle", e);
    localStorage.removeItem(BUNDLE);
  }
}
bundle ??= await fetched(FIELD);
const wasm = await bundle.bindings.default({ module_or_path: bundle.module });
window.wasmBindings = bundle.bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
