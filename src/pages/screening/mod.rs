//! 矛盾纠纷排查: the places an account screens or oversees, each with this period's state and the
//! periods it missed or entered late (over the last `LOOK_BACK` periods of its rhythm), overdue
//! first, with 排查按时率 per level and its definition; and the form that records a screening
//! (`form.rs`). Read from the phone — the places as last fetched (`settings::screening_places`),
//! the screenings from the places' ledgers — so it works offline like the rest of the console.

mod form;

pub use form::ScreeningFormPage;

use crate::app::SignedIn;
use crate::changes::use_changes;
use crate::components::{RequireSession, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, StoreError, settings};
use chrono::{Local, NaiveDate};
use leptos::prelude::*;
use xiafang_core::account::Role;
use xiafang_core::dates::MonthDay;
use xiafang_core::screening::{LedgerPlace, PlaceLevel};
use xiafang_core::screenings::{
    OnTimeRate, PeriodState, PlaceRhythm, ScreeningRules, on_time_definition, on_time_rates,
    place_rhythm,
};
use xiafang_core::{Lang, Record};

/// How many ended periods the view looks back over for missed ones and the on-time rate.
const LOOK_BACK: usize = 4;

/// One place with the records of its ledger that count (the server's refusals left out).
#[derive(Clone)]
struct Ledger {
    place: LedgerPlace,
    records: Vec<Record>,
}

/// Whether `role` records screenings of a place at `level` (the server decides; this only
/// decides which places get a 记录排查 link).
pub(crate) fn records_at(role: Role, level: PlaceLevel) -> bool {
    match role {
        Role::Supervisor => true,
        Role::Cadre => level == PlaceLevel::Village,
        Role::Legal | Role::Admin => false,
    }
}

/// Every place the phone knows of, with its ledger's records.
fn ledgers() -> crate::fetched::Fetched<Result<Vec<Ledger>, StoreError>> {
    let changes = use_changes();
    crate::fetched::Fetched::new(move || {
        changes.any();
        async move {
            let store = store::shared().await?;
            let mut out = Vec::new();
            for place in settings::screening_places() {
                let records = store.counted_timeline(&place.ledger).await?;
                out.push(Ledger { place, records });
            }
            Ok(out)
        }
    })
}

fn rhythm_of(l: &Ledger, rules: &ScreeningRules, today: NaiveDate) -> PlaceRhythm {
    let since = rules.rhythm(l.place.level).back(today, LOOK_BACK);
    place_rhythm(l.place.level, &l.records, rules, since, today)
}

/// On a cadre's home screen: the way to the places they screen (the 待办 lists this week's).
#[component]
pub fn ScreeningLink() -> impl IntoView {
    let i18n = use_i18n();
    let cadre = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .is_some_and(|s| s.account.role == Role::Cadre);
    cadre.then(|| {
        view! {
            <p class="card screening-link">
                <a href="/screening" data-testid="screening-link">{move || i18n.t(Msg::ScreeningHome)}</a>
            </p>
        }
    })
}

#[component]
pub fn ScreeningPage() -> impl IntoView {
    let i18n = use_i18n();
    let role = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account.role);
    let data = ledgers();
    view! {
        <RequireSession>
            <section class="console screening" data-testid="screening-view">
                <h1>{move || i18n.t(Msg::ScreeningTitle)}</h1>
                {(role == Some(Role::Supervisor)).then(|| view! { <crate::components::CaseTabs /> })}
                {loaded(data, move |all: Vec<Ledger>| {
                    move || levels(&all, role, i18n.lang())
                })}
            </section>
        </RequireSession>
    }
}

fn levels(all: &[Ledger], role: Option<Role>, lang: Lang) -> AnyView {
    if all.is_empty() {
        return view! { <p class="muted">{Msg::ScreeningNoPlaces.text(lang)}</p> }.into_any();
    }
    let rules = settings::rules().screening;
    let today = Local::now().date_naive();
    let definition = on_time_definition(&rules, lang);
    let sections = [
        PlaceLevel::County,
        PlaceLevel::Township,
        PlaceLevel::Village,
    ]
    .into_iter()
    .filter_map(|level| {
        let here: Vec<&Ledger> = all.iter().filter(|l| l.place.level == level).collect();
        (!here.is_empty()).then(|| level_section(level, &here, role, &rules, today, lang))
    })
    .collect_view();
    view! {
        <p class="muted small" data-testid="screening-definition">{definition}</p>
        {sections}
    }
    .into_any()
}

fn level_section(
    level: PlaceLevel,
    here: &[&Ledger],
    role: Option<Role>,
    rules: &ScreeningRules,
    today: NaiveDate,
    lang: Lang,
) -> impl IntoView + use<> {
    let mut rows: Vec<(&Ledger, PlaceRhythm)> = here
        .iter()
        .map(|l| (*l, rhythm_of(l, rules, today)))
        .collect();
    // Overdue first: the most periods missed, then this period still open, then by name.
    rows.sort_by_key(|(l, r)| {
        (
            std::cmp::Reverse(r.missed().len()),
            r.screened_now(),
            l.place.parent.clone(),
            l.place.name.clone(),
        )
    });
    let since = rules.rhythm(level).back(today, LOOK_BACK);
    let rate = on_time_rates(
        here.iter().map(|l| (l.place.level, l.records.as_slice())),
        rules,
        since,
        today,
        today,
    )
    .into_iter()
    .find(|(l, _)| *l == level)
    .map(|(_, r)| r)
    .unwrap_or_default();
    let items = rows
        .into_iter()
        .map(|(l, r)| place_row(l, &r, role, lang))
        .collect_view();
    view! {
        <section class="card" data-testid=format!("screening-{}", level.key())>
            <h2>{level.label(lang)} " · " {rules.rhythm(level).label(lang)}</h2>
            <p class="rate" data-testid="screening-rate">{rate_text(rate, lang)}</p>
            <ul class="todo screening-places">{items}</ul>
        </section>
    }
}

fn rate_text(rate: OnTimeRate, lang: Lang) -> String {
    let label = Msg::ScreeningOnTimeRate.text(lang);
    match rate.percent() {
        Some(p) => format!("{label} {p:.0}%（{}/{}）", rate.on_time, rate.due),
        None => format!("{label} —"),
    }
}

fn state_key(state: PeriodState) -> &'static str {
    match state {
        PeriodState::OnTime => "on-time",
        PeriodState::RecordedLate { .. } => "late",
        PeriodState::Open => "open",
        PeriodState::Missed => "missed",
    }
}

fn place_row(l: &Ledger, r: &PlaceRhythm, role: Option<Role>, lang: Lang) -> impl IntoView + use<> {
    let missed = r.missed();
    let late: Vec<_> = r
        .periods
        .iter()
        .filter_map(|(p, s)| match s {
            PeriodState::RecordedLate { recorded } => Some((*p, *recorded)),
            _ => None,
        })
        .collect();
    let name = match l.place.parent.as_str() {
        "" => l.place.name.clone(),
        parent => format!("{} · {parent}", l.place.name),
    };
    let now = format!(
        "{}（{}—{}）：{}",
        Msg::ScreeningThisPeriod.text(lang),
        MonthDay(r.current.from),
        MonthDay(r.current.to),
        r.current_state.label(lang)
    );
    let missed_text = (!missed.is_empty()).then(|| {
        let list: Vec<String> = missed
            .iter()
            .map(|p| format!("{}—{}", MonthDay(p.from), MonthDay(p.to)))
            .collect();
        format!(
            "{}：{}",
            Msg::ScreeningMissed
                .text(lang)
                .replace("{n}", &missed.len().to_string()),
            list.join("、")
        )
    });
    let late_text = (!late.is_empty()).then(|| {
        Msg::ScreeningLate
            .text(lang)
            .replace("{n}", &late.len().to_string())
    });
    let class = if !missed.is_empty() {
        "overdue"
    } else if r.screened_now() {
        "ahead"
    } else {
        "due-soon"
    };
    let record = role
        .filter(|role| records_at(*role, l.place.level))
        .map(|_| {
            view! {
                <a href=format!("/screening/{}", l.place.ledger) class="button">
                    {Msg::ScreeningRecord.text(lang)}
                </a>
            }
        });
    view! {
        <li
            class=format!("screening-place {class}")
            data-testid="screening-place"
            data-place=l.place.place.clone()
            data-state=state_key(r.current_state)
            data-missed=missed.len().to_string()
        >
            <strong class="name">{name}</strong>
            <span class="what now">{now}</span>
            {missed_text.map(|t| view! { <span class="what missed">{t}</span> })}
            {late_text.map(|t| view! { <span class="what late">{t}</span> })}
            {record}
        </li>
    }
}
