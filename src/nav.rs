//! Moving between the app's screens: the address as a signal, links and the back button kept in
//! the page, and which screen an address shows.
//!
//! In place of leptos_router, whose generic route tree, link component and matching cost the
//! field wasm ≈ 28 KB brotli (issue 17, docs/PERFORMANCE.md). The app needs only this much: one
//! level of paths with `:name` segments, plain `<a href>` links, going to an address from code,
//! and the browser's back and forward buttons.
//!
//! Links are plain anchors. One click listener on the window turns a click on a link to one of
//! the app's own addresses into a history entry and a new screen, without loading the page
//! again; any other click (another site, a new tab, a download, a modifier key) is the
//! browser's.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The address shown now (path, query and fragment), shared with every view through context.
#[derive(Clone, Copy)]
pub struct Nav {
    path: RwSignal<String>,
}

/// The `:name` segments of the address a screen was opened with. Fixed for the screen: an
/// address that names another file or record opens the screen again.
#[derive(Clone, Default, Debug, PartialEq)]
pub struct Params(Vec<(&'static str, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
}

/// One screen: its path (`/files/:id/new/:kind`) and what it shows.
pub type Screen = (&'static str, fn() -> AnyView);

impl Nav {
    /// Reads the address the page was opened at and follows link clicks and the back button.
    pub fn install() -> Nav {
        let nav = Nav {
            path: RwSignal::new(here()),
        };
        provide_context(nav);
        window_event_listener(leptos::ev::popstate, move |_| nav.path.set(here()));
        window_event_listener(leptos::ev::click, move |ev| nav.follow(ev));
        nav
    }

    /// The path shown now, without query or fragment.
    pub fn pathname_untracked(self) -> String {
        self.path.with_untracked(|p| path_of(p).to_owned())
    }

    /// Goes to `href` (one of the app's addresses), as a new history entry.
    pub fn go(self, href: &str) {
        self.enter(href, false);
    }

    /// Goes to `href` in place of the address shown now (the back button skips it).
    pub fn replace(self, href: &str) {
        self.enter(href, true);
    }

    fn enter(self, href: &str, replace: bool) {
        if let Ok(history) = window().history() {
            let pushed = if replace {
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
            } else {
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
            };
            if let Err(e) = pushed {
                web_sys::console::warn_1(&e);
            }
        }
        // A new screen starts at its top, as a page loaded by the browser would.
        window().scroll_to_with_x_and_y(0.0, 0.0);
        self.path.set(here());
    }

    /// A click on a link to one of the app's addresses opens it here.
    fn follow(self, ev: web_sys::MouseEvent) {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            return;
        };
        let own_tab = matches!(link.target().as_str(), "" | "_self");
        if !own_tab || link.has_attribute("download") || link.origin() != origin() {
            return;
        }
        ev.prevent_default();
        let href = format!("{}{}{}", link.pathname(), link.search(), link.hash());
        if href != self.path.get_untracked() {
            self.go(&href);
        }
    }
}

pub fn use_nav() -> Nav {
    expect_context::<Nav>()
}

/// `aria-current="page"` for a link in a row of tabs or screens when it leads to the screen
/// shown or to one under it (`/review` while `/review/{file}/{record}` is open): read aloud, and
/// the tabs are drawn marked (style/main.css).
pub fn current(href: &'static str) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync {
    let nav = use_nav();
    move || nav.path.with(|p| under(path_of(p), href)).then_some("page")
}

/// Whether `path` is `href` or below it.
fn under(path: &str, href: &str) -> bool {
    path.strip_prefix(href)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The address's `:name` segment of the screen shown ("" if it has none), as a reader the
/// screen's closures can copy. Once the screen is gone it reads "" rather than fail: a panic
/// in the release build stops the whole app (src/crash.rs).
pub fn use_param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = StoredValue::new(use_context::<Params>().unwrap_or_default());
    move || {
        params
            .try_with_value(|p| p.get(name))
            .flatten()
            .unwrap_or_default()
    }
}

/// The screen for the address shown now, or `fallback`. A screen is built anew when the
/// address names another screen or other segments, and only then.
pub fn screens(screens: &'static [Screen], fallback: fn() -> AnyView) -> impl IntoView {
    let nav = use_nav();
    let matched = Memo::new(move |_| nav.path.with(|p| find(screens, path_of(p))));
    move || match matched.get() {
        Some((index, params)) => {
            provide_context(params);
            (screens[index].1)()
        }
        None => {
            provide_context(Params::default());
            fallback()
        }
    }
}

/// Sends whoever sees it to `href`, in place of the address that showed it.
#[component]
pub fn Redirect(href: &'static str) -> impl IntoView {
    let nav = use_nav();
    // After the screen that holds it is built: entering an address rebuilds that screen.
    queue_microtask(move || nav.replace(href));
}

/// The first screen whose path `path` fits, with its segments.
fn find(screens: &[Screen], path: &str) -> Option<(usize, Params)> {
    screens
        .iter()
        .enumerate()
        .find_map(|(i, (pattern, _))| fits(pattern, path).map(|p| (i, p)))
}

/// `path`'s segments named by `pattern`'s `:name` segments, when the two have the same segments
/// otherwise (a trailing slash does not count).
fn fits(pattern: &'static str, path: &str) -> Option<Params> {
    let (mut wanted, mut given) = (segments(pattern), segments(path));
    let mut params = Vec::new();
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(Params(params)),
            (Some(w), Some(g)) => match w.strip_prefix(':') {
                Some(name) => params.push((name, decoded(g)?)),
                None if w == g => {}
                None => return None,
            },
            _ => return None,
        }
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// A segment as written: the browser gives the path percent-encoded.
fn decoded(segment: &str) -> Option<String> {
    js_sys::decode_uri_component(segment)
        .ok()
        .map(String::from)
        .filter(|s| !s.is_empty())
}

fn path_of(href: &str) -> &str {
    href.split(['?', '#']).next().unwrap_or_default()
}

fn here() -> String {
    let location = window().location();
    let part = |p: Result<String, _>| p.unwrap_or_default();
    format!(
        "{}{}{}",
        part(location.pathname()),
        part(location.search()),
        part(location.hash())
    )
}

fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{Params, Screen, find, fits, under};
    use leptos::prelude::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn nothing() -> AnyView {
        ().into_any()
    }

    const SCREENS: &[Screen] = &[
        ("/", nothing),
        ("/files/:id", nothing),
        ("/files/:id/new/:kind", nothing),
        ("/files/:id/edit", nothing),
    ];

    fn params(pairs: &[(&'static str, &str)]) -> Params {
        Params(pairs.iter().map(|(n, v)| (*n, v.to_string())).collect())
    }

    #[wasm_bindgen_test]
    fn an_address_opens_the_screen_whose_segments_it_has() {
        assert_eq!(find(SCREENS, "/"), Some((0, Params::default())));
        assert_eq!(
            find(SCREENS, "/files/f-1"),
            Some((1, params(&[("id", "f-1")])))
        );
        assert_eq!(
            find(SCREENS, "/files/f-1/"),
            Some((1, params(&[("id", "f-1")])))
        );
        assert_eq!(
            find(SCREENS, "/files/f-1/new/note"),
            Some((2, params(&[("id", "f-1"), ("kind", "note")])))
        );
        // A fixed segment is not a name: `edit` is the edit screen's, not a kind.
        assert_eq!(
            find(SCREENS, "/files/f-1/edit"),
            Some((3, params(&[("id", "f-1")])))
        );
    }

    #[wasm_bindgen_test]
    fn an_address_with_more_fewer_or_other_segments_opens_nothing() {
        assert_eq!(find(SCREENS, "/files"), None);
        assert_eq!(find(SCREENS, "/files/f-1/new"), None);
        assert_eq!(find(SCREENS, "/files/f-1/print/x"), None);
        assert_eq!(find(SCREENS, "/cases"), None);
    }

    #[wasm_bindgen_test]
    fn a_link_is_current_on_its_screen_and_the_screens_under_it() {
        assert!(under("/review", "/review"));
        assert!(under("/review/f-1/r-1", "/review"));
        assert!(!under("/reviews", "/review"));
        assert!(!under("/cases", "/review"));
    }

    #[wasm_bindgen_test]
    fn a_segment_is_read_as_written_and_a_broken_one_opens_nothing() {
        assert_eq!(
            fits("/files/:id", "/files/%E9%83%AD-1"),
            Some(params(&[("id", "郭-1")]))
        );
        assert_eq!(fits("/files/:id", "/files/%E9%83"), None);
    }
}
