//! Bar charts drawn by the app as inline SVG (no chart library, no outside service), scaled to
//! the screen's width so they read on a 360 px phone as well as on a desktop.

use leptos::prelude::*;

/// One bar: what it stands for, its size and the text shown with it.
#[derive(Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

const WIDTH: f64 = 320.0;

/// The largest value, or 1 when every bar is zero (so nothing divides by zero).
fn top(bars: &[Bar]) -> f64 {
    bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0)
}

/// Vertical bars side by side (months), the value above each and its label below; with many
/// bars only every few labels are written so they stay readable.
#[component]
pub fn Columns(bars: Vec<Bar>, title: String, testid: &'static str) -> impl IntoView {
    let height = 140.0;
    let (top_gap, bottom_gap) = (16.0, 20.0);
    let n = bars.len().max(1) as f64;
    let slot = WIDTH / n;
    let every = (bars.len() / 12).max(1);
    let max = top(&bars);
    let plot = height - top_gap - bottom_gap;
    let drawn = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let h = plot * bar.value / max;
            let x = slot * i as f64 + slot * 0.15;
            let w = slot * 0.7;
            let y = top_gap + plot - h;
            let cx = x + w / 2.0;
            let labelled = i % every == 0;
            view! {
                <g>
                    <title>{format!("{}: {}", bar.label, bar.shown)}</title>
                    <rect class="bar" x=x y=y width=w height=h.max(0.5) />
                    {(labelled && bar.value > 0.0).then(|| view! {
                        <text class="value" x=cx y=y - 3.0 text-anchor="middle">{bar.shown.clone()}</text>
                    })}
                    {labelled.then(|| view! {
                        <text class="axis" x=cx y=height - 5.0 text-anchor="middle">{bar.label.clone()}</text>
                    })}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=title data-testid=testid>
            <line class="base" x1="0" x2=WIDTH y1=height - bottom_gap y2=height - bottom_gap />
            {drawn}
        </svg>
    }
}

/// Horizontal bars one under the other (villages), each with its name above it and its value
/// at its end; in the order given (by name), never sorted by size.
#[component]
pub fn Rows(bars: Vec<Bar>, title: String, testid: &'static str) -> impl IntoView {
    let row = 34.0;
    let height = row * bars.len().max(1) as f64;
    let max = top(&bars);
    let room = WIDTH * 0.78;
    let drawn = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = row * i as f64;
            let w = room * bar.value / max;
            view! {
                <g>
                    <title>{format!("{}: {}", bar.label, bar.shown)}</title>
                    <text class="axis" x="0" y=y + 11.0>{bar.label.clone()}</text>
                    <rect class="bar" x="0" y=y + 15.0 width=w.max(0.5) height="12" />
                    <text class="value" x=w + 4.0 y=y + 25.0>{bar.shown.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart rows" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=title data-testid=testid>
            {drawn}
        </svg>
    }
}
