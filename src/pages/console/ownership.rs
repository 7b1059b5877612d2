//! 包案: the cases leaders own, grouped by leader — each leader's post, the unit and person
//! responsible, the milestones of each case's 化解方案 (overdue first, then the soonest due, then
//! those met), the leader's own visits on the file, and the 包案化解率 with its definition.
//! Computed on the phone from the case load, so offline too. Leaders are listed by name: nobody
//! is ranked.

use super::{CaseLoad, PeriodInput, case_load, today, with_n};
use crate::components::{CaseTabs, RequireSession, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use chrono::NaiveDate;
use leptos::prelude::*;
use std::collections::BTreeMap;
use xiafang_core::case::{CaseStatus, DeadlineStatus, Leader, MilestoneState, case_status};
use xiafang_core::figures::{FigureKey, figures};
use xiafang_core::leader_accounts::no_account_label;
use xiafang_core::{Lang, PetitionerFile};

/// One owned case under one of its leaders.
#[derive(Clone)]
struct Owned {
    file: PetitionerFile,
    status: CaseStatus,
    leader: Leader,
}

impl Owned {
    /// The day of the first milestone not met (overdue ones are the earliest), for ordering.
    fn next_due(&self) -> Option<NaiveDate> {
        self.status
            .plan
            .as_ref()
            .and_then(|p| p.open().first().map(|m| m.due))
    }
}

/// A leader as the page groups them: by name, and by account where they have one, so two
/// namesakes with accounts are two cards.
type LeaderKey = (String, Option<String>);

/// Cases by leader; a case with two leaders is under both.
fn by_leader(load: &CaseLoad, today: NaiveDate) -> BTreeMap<LeaderKey, Vec<Owned>> {
    let rules = settings::rules().case;
    let mut out: BTreeMap<LeaderKey, Vec<Owned>> = BTreeMap::new();
    for (file, records) in load {
        let status = case_status(file, records, &rules, today);
        for leader in &status.leaders {
            let key = (
                leader.name.clone(),
                leader.account.as_ref().map(|a| a.0.clone()),
            );
            out.entry(key).or_default().push(Owned {
                file: file.clone(),
                status: status.clone(),
                leader: leader.clone(),
            });
        }
    }
    for cases in out.values_mut() {
        cases.sort_by_key(|c| (c.next_due().is_none(), c.next_due(), c.file.name.clone()));
    }
    out
}

#[component]
pub fn OwnershipPage() -> impl IntoView {
    let i18n = use_i18n();
    let load = case_load();
    view! {
        <RequireSession>
            <section class="console ownership">
                <h1>{move || i18n.t(Msg::NavOwnership)}</h1>
                <CaseTabs />
                <p class="muted small">{move || i18n.t(Msg::ComputedOnPhone)}</p>
                {loaded(load, move |load: CaseLoad| {
                    let today = today();
                    let groups = by_leader(&load, today);
                    view! {
                        <OwnershipRate load=load.clone() />
                        {if groups.is_empty() {
                            view! { <p class="muted" data-testid="no-owned">{i18n.t(Msg::NoOwnedCases)}</p> }.into_any()
                        } else {
                            groups
                                .into_iter()
                                .map(|((name, account), cases)| {
                                    let has_account = account.is_some();
                                    view! { <LeaderCard name has_account cases today /> }
                                })
                                .collect_view()
                                .into_any()
                        }}
                    }
                })}
            </section>
        </RequireSession>
    }
}

/// 包案化解率 from 1 January to today, with the definition it was computed by.
#[component]
fn OwnershipRate(load: CaseLoad) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let period = PeriodInput::this_year().period();
    let figure = period.and_then(|p| {
        figures(&load, p, &settings::rules())
            .get(FigureKey::LeaderResolution)
            .cloned()
    });
    figure.map(|f| {
        let value = f.value.map_or_else(
            || i18n.t(Msg::NoValue).to_owned(),
            |v| format!("{:.1}%", v * 100.0),
        );
        let parts = f.denominator.map(|den| format!("{} / {den}", f.numerator));
        let period = period.map(|p| format!("{} — {}", p.from(), p.to()));
        view! {
            <section class="card figure" data-testid="ownership-rate">
                <span class="label">{f.label.get(lang).to_owned()}</span>
                <strong class="value" data-testid="figure-value">{value}</strong>
                {parts.map(|p| view! { <span class="parts">{p}</span> })}
                <small class="muted">{period}</small>
                <small class="definition">
                    {format!("{}：{}", i18n.t(Msg::Definition), f.definition.get(lang))}
                </small>
            </section>
        }
    })
}

#[component]
fn LeaderCard(
    name: String,
    has_account: bool,
    cases: Vec<Owned>,
    today: NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    // The post as the latest-named case says it; the same leader may hold it on several.
    let post = cases
        .iter()
        .map(|c| c.leader.post.clone())
        .find(|p| !p.is_empty());
    let key = name.clone();
    view! {
        <section class="card leader" data-testid="leader" data-leader=key>
            <h2>
                {name} <span class="count">{with_n(Msg::OwnedCount, lang, cases.len())}</span>
                // Their own visits are matched by name only: say so.
                {(!has_account).then(|| view! {
                    <span class="muted small" data-testid="no-account">
                        {" "}{no_account_label(lang)}
                    </span>
                })}
            </h2>
            {post.map(|p| view! { <p class="post">{p}</p> })}
            {cases.into_iter().map(|c| view! { <OwnedCase case=c today /> }).collect_view()}
        </section>
    }
}

#[component]
fn OwnedCase(case: Owned, today: NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let Owned {
        file,
        status,
        leader,
    } = case;
    let responsible = [
        (Msg::ResponsibleUnit, leader.unit.clone()),
        (Msg::ResponsiblePerson, leader.responsible.clone()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(m, v)| format!("{}：{v}", i18n.t(m)))
    .collect::<Vec<_>>()
    .join(" · ");
    let visits = match leader.last_own_visit {
        Some(last) => format!(
            "{} · {} {last}",
            with_n(Msg::OwnVisits, lang, leader.own_visits),
            i18n.t(Msg::LastVisit)
        ),
        None => with_n(Msg::OwnVisits, lang, 0),
    };
    let plan = match status.plan {
        None => view! { <p class="muted">{i18n.t(Msg::NoPlanYet)}</p> }.into_any(),
        Some(plan) => {
            let mut shown: Vec<MilestoneState> = plan.open().into_iter().cloned().collect();
            let mut met: Vec<MilestoneState> = plan
                .milestones
                .iter()
                .filter(|m| m.met.is_some())
                .cloned()
                .collect();
            met.sort_by_key(|m| m.due);
            shown.extend(met);
            let team = plan.team.join("、");
            // A case two leaders own is listed twice: the leader makes each table's name unique.
            let caption = format!(
                "{} · {} · {}",
                leader.name,
                file.name,
                i18n.t(Msg::MilestonesTable)
            );
            let region = caption.clone();
            view! {
                <p class="plan">{plan.plan.clone()}</p>
                <p class="team small">{format!("{}：{team}", i18n.t(Msg::TeamLabel))}</p>
                <div class="table-wrap" tabindex="0" role="region" aria-label=region>
                    <table class="milestones">
                        <caption class="visually-hidden">{caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{i18n.t(Msg::MilestoneWhat)}</th>
                                <th scope="col">{i18n.t(Msg::MilestoneDue)}</th>
                                <th scope="col">{i18n.t(Msg::MilestoneState)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {shown.into_iter().map(|m| view! { <MilestoneRow m today lang /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
                .into_any()
        }
    };
    view! {
        <article class="owned" data-testid="owned-case" data-file=file.id.0.clone()>
            <h3>
                <a href=format!("/files/{}", file.id)>{file.name.clone()}</a>
                " "
                <span class="place">{format!("{} · {}", file.township, file.village)}</span>
            </h3>
            {(!responsible.is_empty()).then(|| view! { <p class="small">{responsible}</p> })}
            <p class="small" data-testid="own-visits">{visits}</p>
            {plan}
        </article>
    }
}

#[component]
fn MilestoneRow(m: MilestoneState, today: NaiveDate, lang: Lang) -> impl IntoView {
    let days = (m.due - today).num_days();
    let (detail, class) = match (m.status, &m.met) {
        (DeadlineStatus::Overdue, _) => (with_n(Msg::DaysOverdue, lang, -days), "late"),
        (DeadlineStatus::DueSoon, _) if days == 0 => (Msg::DueToday.text(lang).into(), "soon"),
        (DeadlineStatus::DueSoon, _) => (with_n(Msg::DaysLeft, lang, days), "soon"),
        (DeadlineStatus::MetLate | DeadlineStatus::MetRecordedLate, Some(met)) => {
            (format!("{} {}", Msg::MetOn.text(lang), met.on), "late")
        }
        (_, Some(met)) => (format!("{} {}", Msg::MetOn.text(lang), met.on), ""),
        _ => (with_n(Msg::DaysLeft, lang, days), ""),
    };
    view! {
        <tr data-testid="milestone" data-status=m.status.key()>
            <th scope="row">{m.what.clone()}</th>
            <td><time>{m.due.to_string()}</time></td>
            <td class=format!("state {class}")>
                <span data-testid="milestone-status">{m.status.label(lang)}</span>
                " "
                <span class="detail">{detail}</span>
            </td>
        </tr>
    }
}
