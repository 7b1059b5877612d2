//! 统计: the reported figures for a period and a place, each with its numerator, denominator and
//! the definition it was computed by; visits and assistance month by month and village by
//! village. Computed on the phone from the case load (`xiafang_core::figures`), so offline too.

use super::charts::{Bar, Columns, Rows};
use super::several::SeveralFiles;
use super::{CaseLoad, PeriodFields, PeriodInput, case_load};
use crate::components::{RequireSession, loaded};
use crate::i18n::{I18n, Msg, use_i18n};
use crate::store::settings;
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use xiafang_core::Lang;
use xiafang_core::figures::{
    Figure, FigureKey, Figures, Month, Period, Unit, by_village, figures, monthly,
};
use xiafang_core::money::format_yuan;

/// The files of one place: "" is every file, "t:<township>" a township, "v:<township>/<village>"
/// a village.
fn in_place(load: &CaseLoad, place: &str) -> CaseLoad {
    load.iter()
        .filter(|(f, _)| match place.split_once(':') {
            Some(("t", township)) => f.township == township,
            Some(("v", both)) => both.split_once('/') == Some((&f.township, &f.village)),
            _ => true,
        })
        .cloned()
        .collect()
}

/// The places of the files on the phone: each township with its villages, by name.
fn places(load: &CaseLoad) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (f, _) in load {
        out.entry(f.township.clone())
            .or_default()
            .insert(f.village.clone());
    }
    out
}

#[component]
pub fn FiguresPage() -> impl IntoView {
    let i18n = use_i18n();
    let load = case_load();
    let period = PeriodInput::this_year();
    let place = RwSignal::new(String::new());
    view! {
        <RequireSession>
            <section class="console">
                <h1>{move || i18n.t(Msg::NavFigures)}</h1>
                <p class="muted small">{move || i18n.t(Msg::ComputedOnPhone)}</p>
                {loaded(load, move |load: CaseLoad| {
                    let places = places(&load);
                    let whole = load.clone();
                    view! {
                        <div class="choices">
                            <PeriodFields period />
                            <PlaceChoice places place />
                        </div>
                        {move || {
                            let period = period.period()?;
                            let here = in_place(&load, &place.get());
                            Some(view! { <FiguresView here period /> })
                        }}
                        <SeveralFiles load=whole />
                    }
                })}
            </section>
        </RequireSession>
    }
}

#[component]
fn PlaceChoice(
    places: BTreeMap<String, BTreeSet<String>>,
    place: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let option = move |value: String, text: String| {
        let chosen = value.clone();
        view! { <option value=value selected=move || place.get() == chosen>{text}</option> }
    };
    let options = places
        .into_iter()
        .flat_map(|(township, villages)| {
            let mut out = vec![option(format!("t:{township}"), township.clone())];
            out.extend(
                villages
                    .into_iter()
                    .map(|v| option(format!("v:{township}/{v}"), format!("{township} · {v}"))),
            );
            out
        })
        .collect_view();
    view! {
        <label class="field">
            <span class="label">{move || i18n.t(Msg::PlaceFilter)}</span>
            <select name="place" on:change:target=move |ev| place.set(ev.target().value())>
                {option(String::new(), i18n.t(Msg::AllPlaces).into())}
                {options}
            </select>
        </label>
    }
}

#[component]
fn FiguresView(here: CaseLoad, period: Period) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let rules = settings::rules();
    let all = figures(&here, period, &rules);
    let months = monthly(&here, period, &rules);
    let villages = by_village(&here, period, &rules);
    let village_bars = |key: FigureKey| -> Vec<Bar> {
        villages
            .iter()
            .map(|v| {
                let f = v.figures.get(key);
                Bar {
                    label: format!("{} · {}", v.township, v.village),
                    value: f.and_then(|f| f.value).unwrap_or(0.0),
                    shown: f.map(|f| shown(f, i18n)).unwrap_or_default(),
                }
            })
            .collect()
    };
    view! {
        <ul class="figures" data-testid="figures">
            {all.figures.iter().map(|f| view! { <FigureCard figure=f.clone() /> }).collect_view()}
        </ul>
        <AssistanceByKind all=all.clone() />
        <section class="card">
            <h2>{i18n.t(Msg::MonthlyVisits)}</h2>
            <Columns bars=month_bars(&months, lang, |m| (m.visits as f64, m.visits.to_string())) title=i18n.t(Msg::MonthlyVisits).into() testid="chart-visits" />
            <h2>{i18n.t(Msg::MonthlyAssistance)}</h2>
            <Columns bars=month_bars(&months, lang, |m| (m.assistance_fen as f64 / 100.0, format_yuan(m.assistance_fen))) title=i18n.t(Msg::MonthlyAssistance).into() testid="chart-assistance" />
        </section>
        <section class="card">
            <h2>{i18n.t(Msg::ByVillage)}</h2>
            <p class="muted small">{i18n.t(Msg::ByVillageExplain)}</p>
            <h3>{FigureKey::VisitsMade.label(lang)}</h3>
            <Rows bars=village_bars(FigureKey::VisitsMade) title=FigureKey::VisitsMade.label(lang).into() testid="chart-villages-visits" />
            <h3>{format!("{}（{}）", FigureKey::AssistanceAmount.label(lang), i18n.t(Msg::Yuan))}</h3>
            <Rows bars=village_bars(FigureKey::AssistanceAmount) title=FigureKey::AssistanceAmount.label(lang).into() testid="chart-villages-assistance" />
            <h3>{FigureKey::Resolution.label(lang)}</h3>
            <Rows bars=village_bars(FigureKey::Resolution) title=FigureKey::Resolution.label(lang).into() testid="chart-villages-resolution" />
        </section>
    }
}

fn month_bars(months: &[Month], lang: Lang, value: impl Fn(&Month) -> (f64, String)) -> Vec<Bar> {
    months
        .iter()
        .map(|m| {
            let (value, shown) = value(m);
            let label = match lang {
                Lang::Zh => format!("{}{}", m.month, Msg::MonthSuffix.text(lang)),
                Lang::En => format!("{:02}/{}", m.month, m.year % 100),
            };
            Bar {
                label,
                value,
                shown,
            }
        })
        .collect()
}

/// The figure's value as people read it: a percentage, a count or yuan; "—" for a rate of
/// nothing.
fn shown(f: &Figure, i18n: I18n) -> String {
    match (f.unit, f.value) {
        (_, None) => i18n.t(Msg::NoValue).into(),
        (Unit::Rate, Some(v)) => format!("{:.1}%", v * 100.0),
        (Unit::Money, Some(_)) => format!("{} {}", format_yuan(f.numerator), i18n.t(Msg::Yuan)),
        (Unit::Count, Some(_)) => f.numerator.to_string(),
    }
}

#[component]
fn FigureCard(figure: Figure) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let parts = figure
        .denominator
        .map(|den| format!("{} / {den}", figure.numerator));
    view! {
        <li class="card figure" data-key=figure.key.key()>
            <span class="label">{figure.label.get(lang).to_owned()}</span>
            <strong class="value" data-testid="figure-value">{shown(&figure, i18n)}</strong>
            {parts.map(|p| view! { <span class="parts">{p}</span> })}
            <small class="definition">
                {format!("{}：{}", i18n.t(Msg::Definition), figure.definition.get(lang))}
            </small>
        </li>
    }
}

#[component]
fn AssistanceByKind(all: Figures) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let lines: Vec<_> = all
        .assistance_by_kind
        .into_iter()
        .filter(|l| l.count > 0)
        .collect();
    (!lines.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>{i18n.t(Msg::AssistanceByKind)}</h2>
                // Scrolls sideways when the amounts are long: the keyboard must reach it too.
                <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.t(Msg::AssistanceByKind)>
                    <table>
                        <tbody>
                            {lines
                                .into_iter()
                                .map(|l| view! {
                                    <tr>
                                        <th scope="row">{l.kind.label(lang)}</th>
                                        <td>{l.count}</td>
                                        <td>{format!("{} {}", format_yuan(l.fen), i18n.t(Msg::Yuan))}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        }
    })
}
