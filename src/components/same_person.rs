//! 同一信访人另有档案: the other files of the same petitioner (the same ID number, or the same
//! name and phone when either lacks one; `xiafang_core::repeats`) among the files on this phone.
//! The phone holds only the files its account may read, so nothing outside that shows; nothing
//! is merged.

use crate::i18n::{Msg, use_i18n};
use crate::store::{self, settings};
use leptos::prelude::*;
use xiafang_core::PetitionerFile;
use xiafang_core::repeats::other_files;

/// The other files of `file`'s person, as links; nothing when there are none.
#[component]
pub fn SamePerson(file: PetitionerFile) -> impl IntoView {
    let i18n = use_i18n();
    let rules = settings::rules().repeats;
    let others = crate::fetched::Fetched::new(move || {
        let file = file.clone();
        async move {
            let Ok(store) = store::shared().await else {
                return Vec::new();
            };
            let all = store.files().await.unwrap_or_default();
            other_files(&file, &all, &rules)
                .into_iter()
                .cloned()
                .collect::<Vec<PetitionerFile>>()
        }
    });
    move || {
        let others = others.get().unwrap_or_default();
        (!others.is_empty()).then(|| {
            view! {
                <section class="card same-person" data-testid="same-person">
                    <h2>{i18n.t(Msg::SamePersonFiles)}</h2>
                    <ul>
                        {others
                            .into_iter()
                            .map(|f| {
                                let place = format!("{} {} · {}", f.township, f.village, f.matter.summary);
                                view! {
                                    <li>
                                        <a href=format!("/files/{}", f.id)>{f.name.clone()}</a>
                                        " "
                                        <span class="muted">{place}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <p class="muted small">{i18n.t(Msg::SamePersonExplain)}</p>
                </section>
            }
        })
    }
}
