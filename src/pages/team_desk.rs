//! 我包联的村社: on a legal team member's home page, the villages they serve and, in each, the
//! files referred to them or whose visits they joined, with what is asked of them. Read from the
//! phone, so it works offline like the file list below it.

use crate::app::SignedIn;
use crate::changes::use_changes;
use crate::components::loaded;
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, settings};
use leptos::prelude::*;
use xiafang_core::account::Role;
use xiafang_core::{PetitionerFile, Record};
use xiafang_core::{legal::ServedVillage, team::asked_of};

/// One file on the desk and what it asks of the member.
#[derive(Clone)]
struct Asked {
    file: PetitionerFile,
    what: String,
}

#[component]
pub fn TeamDesk() -> impl IntoView {
    let i18n = use_i18n();
    let account = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account);
    // Only legal team members have a desk.
    let me = account.filter(|a| a.role == Role::Legal).map(|a| a.id)?;
    let changes = use_changes();
    let desk = crate::fetched::Fetched::new(move || {
        changes.any();
        let me = me.clone();
        // Read here, not in the future, so that a change of language reads the desk again.
        let lang = i18n.lang();
        async move {
            let overview = store::shared().await?.overview().await?;
            let asked: Vec<Asked> = overview
                .into_iter()
                .filter_map(|(file, local)| {
                    let records: Vec<Record> = local.into_iter().map(|l| l.record).collect();
                    let (needs, joined) = asked_of(&records, &me);
                    let mut what: Vec<&str> = needs.iter().map(|n| n.label(lang)).collect();
                    if joined {
                        what.push(Msg::JointVisit.text(lang));
                    }
                    (!what.is_empty()).then(|| Asked {
                        file,
                        what: what.join("、"),
                    })
                })
                .collect();
            Ok::<_, store::StoreError>(asked)
        }
    });
    let villages = settings::team().mine;
    Some(view! {
        <section class="card team-desk" data-testid="team-desk">
            <h2>{move || i18n.t(Msg::MyVillages)}</h2>
            <p class="villages" data-testid="my-villages">
                {villages.iter().map(|v| format!("{} {}", v.township, v.village)).collect::<Vec<_>>().join("、")}
            </p>
            <h3>{move || i18n.t(Msg::ReferredToMe)}</h3>
            {loaded(desk, move |asked: Vec<Asked>| {
                if asked.is_empty() {
                    return view! { <p class="muted">{i18n.t(Msg::NothingReferred)}</p> }.into_any();
                }
                view! {
                    <ul class="desk" data-testid="referred-files">
                        {asked.into_iter().map(|a| desk_line(a, &villages)).collect_view()}
                    </ul>
                }
                .into_any()
            })}
        </section>
    })
}

fn desk_line(a: Asked, villages: &[ServedVillage]) -> impl IntoView {
    // A file outside the member's villages can only be one assigned to them directly.
    let served = villages
        .iter()
        .any(|v| v.village == a.file.village && v.township == a.file.township);
    view! {
        <li data-served=served.to_string()>
            <a href=format!("/files/{}", a.file.id)>
                <strong class="name">{a.file.name.clone()}</strong>
                <span class="place">{format!("{} · {}", a.file.township, a.file.village)}</span>
                <span class="asked">{a.what}</span>
            </a>
        </li>
    }
}
