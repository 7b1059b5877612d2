//! 一人多档 on 统计: the petitioners with more than one file on this phone (the same ID number,
//! or the same name and phone; `xiafang_core::repeats`), each with links to their files, so a
//! supervisor can check them. Nothing is merged: merging files is a decision for people.

use super::CaseLoad;
use crate::i18n::{Msg, use_i18n};
use crate::store::settings;
use leptos::prelude::*;
use xiafang_core::PetitionerFile;
use xiafang_core::repeats::people_with_several_files;

#[component]
pub(super) fn SeveralFiles(load: CaseLoad) -> impl IntoView {
    let i18n = use_i18n();
    let files: Vec<PetitionerFile> = load.into_iter().map(|(f, _)| f).collect();
    let rules = settings::rules().repeats;
    let groups: Vec<Vec<PetitionerFile>> = people_with_several_files(&files, &rules)
        .into_iter()
        .map(|g| g.into_iter().cloned().collect())
        .collect();
    let list = if groups.is_empty() {
        view! { <p class="muted">{i18n.t(Msg::SeveralFilesNone)}</p> }.into_any()
    } else {
        view! {
            <ul>
                {groups
                    .into_iter()
                    .map(|group| {
                        let name = group[0].name.clone();
                        let links = group
                            .into_iter()
                            .map(|f| {
                                let text = format!("{} {} · {}", f.township, f.village, f.matter.summary);
                                view! { <li><a href=format!("/files/{}", f.id)>{text}</a></li> }
                            })
                            .collect_view();
                        view! { <li><strong>{name}</strong><ul>{links}</ul></li> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card several-files" data-testid="several-files">
            <h2>{i18n.t(Msg::SeveralFiles)}</h2>
            <p class="muted small">{i18n.t(Msg::SeveralFilesExplain)}</p>
            {list}
        </section>
    }
}
