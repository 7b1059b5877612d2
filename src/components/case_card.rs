//! Where the petition matter stands and what falls due, computed on the phone from the file's
//! records (`core::case`), so a cadre offline still sees the time limits.

use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use leptos::prelude::*;
use xiafang_core::case::{DeadlineStatus, case_status};
use xiafang_core::{Lang, PetitionerFile, Record};

/// "还剩 3 天" / "逾期 2 天" from a template with `{n}`.
fn days(msg: Msg, lang: Lang, n: i64) -> String {
    msg.text(lang).replace("{n}", &n.to_string())
}

#[component]
pub fn CaseCard(file: PetitionerFile, records: Vec<Record>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let today = chrono::Local::now().date_naive();
    let status = case_status(&file, &records, &settings::rules().case, today);
    let Some(stage) = status.stage else {
        return view! {
            <section class="card case" data-testid="case">
                <h2>{i18n.t(Msg::CaseTitle)}</h2>
                <p class="muted">{i18n.t(Msg::CaseNotStarted)}</p>
            </section>
        }
        .into_any();
    };
    // What is still open, soonest first; met deadlines are history (the timeline has them).
    let mut open: Vec<_> = status
        .deadlines
        .iter()
        .filter(|d| d.met_on.is_none() && d.status != DeadlineStatus::Lapsed)
        .cloned()
        .collect();
    open.sort_by_key(|d| d.due);
    let supervision = status
        .supervision
        .as_ref()
        .filter(|s| s.lifted.is_none())
        .map(|s| {
            format!(
                "{}：{} · {} {}",
                Msg::Supervised.text(lang),
                s.mode.label(lang),
                Msg::DueOn.text(lang),
                s.deadline
            )
        });
    // Each leader with their post, in the order they were named (1+1 联合包案 has two).
    let leaders = (!status.leaders.is_empty()).then(|| {
        status
            .leaders
            .iter()
            .map(|l| match l.post.as_str() {
                "" => l.name.clone(),
                post => format!("{}（{post}）", l.name),
            })
            .collect::<Vec<_>>()
            .join("、")
    });
    view! {
        <section class="card case" data-testid="case">
            <h2>{i18n.t(Msg::CaseTitle)}</h2>
            <p>
                <span class="label">{i18n.t(Msg::Stage)}"："</span>
                <strong data-testid="stage">{stage.label(lang)}</strong>
            </p>
            {supervision.map(|s| view! { <p class="supervised" data-testid="supervised">{s}</p> })}
            {leaders.map(|l| view! { <p data-testid="leaders"><span class="label">{i18n.t(Msg::CaseLeader)}"："</span>{l}</p> })}
            <ul class="deadlines" data-testid="deadlines">
                {open
                    .into_iter()
                    .map(|d| {
                        let left = (d.due - today).num_days();
                        let when = if left < 0 {
                            days(Msg::DaysOverdue, lang, -left)
                        } else {
                            days(Msg::DaysLeft, lang, left)
                        };
                        view! {
                            <li class=format!("deadline {}", d.status.key()) data-kind=d.kind.key()>
                                <strong>{d.kind.label(lang)}</strong>
                                " " {format!("{} {}", Msg::DueOn.text(lang), d.due)}
                                " · " {d.status.label(lang)} " · " {when}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
