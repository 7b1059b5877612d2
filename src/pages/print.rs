//! `/files/{id}/print`: one petitioner's case file on paper — the person, the matter and every
//! record, oldest first — styled for printing (`@media print`), read from the phone. In the field
//! bundle: a cadre prints the files they hold.

use crate::components::{RequireSession, Timeline, file_from_address, loaded};
use crate::i18n::{Msg, use_i18n};
use crate::store::FileOnPhone;
use leptos::prelude::*;
use xiafang_core::Field;

#[component]
pub fn PrintPage() -> impl IntoView {
    let i18n = use_i18n();
    let (id, data) = file_from_address();
    let print = move |_| {
        if let Err(e) = window().print() {
            web_sys::console::warn_1(&e);
        }
    };
    view! {
        <RequireSession>
            <nav class="no-print print-actions">
                <a href=move || format!("/files/{}", id().0) class="back">
                    {move || format!("‹ {}", i18n.t(Msg::Back))}
                </a>
                <button class="primary" on:click=print>{move || i18n.t(Msg::Print)}</button>
            </nav>
            {loaded(data, move |shown: Option<FileOnPhone>| match shown {
                None => view! { <p class="card problem">{i18n.t(Msg::FileMissing)}</p> }.into_any(),
                Some(shown) => view! { <PrintedFile shown /> }.into_any(),
            })}
        </RequireSession>
    }
}

#[component]
fn PrintedFile(shown: FileOnPhone) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let FileOnPhone { file, timeline, .. } = shown;
    let m = &file.matter;
    let visits = file.visit_count(timeline.iter().map(|r| &r.record));
    let mut records = timeline;
    records.sort_by_key(|l| (l.record.occurred_at, l.record.saved_at));
    let flags: Vec<_> = m.flags.iter().map(|f| f.label(lang)).collect();
    view! {
        <article class="print-file" data-testid="print-file">
            <h1>{format!("{} · {}", i18n.t(Msg::PrintTitle), file.name)}</h1>
            <p class="muted">
                {format!("{} {}", i18n.t(Msg::PrintedOn), chrono::Local::now().date_naive())}
            </p>
            <dl>
                <dt>{i18n.t(Msg::Petitioner)}</dt>
                <dd>
                    {format!("{} {}", file.name, file.sex.label(lang))}
                    {file.birth_year.map(|y| format!(" · {} {y}", i18n.t(Msg::BornIn)))}
                </dd>
                // The file's fields under the words of the form that edits them.
                <dt>{Field::Address.label(lang)}</dt>
                <dd>{format!("{} {} {}", file.township, file.village, file.address)}</dd>
                {file.phone.clone().map(|p| view! { <dt>{Field::Phone.label(lang)}</dt><dd>{p}</dd> })}
                {file.id_number.as_deref().map(xiafang_core::id_number::mask).map(|id| view! { <dt>{Field::IdNumber.label(lang)}</dt><dd>{id}</dd> })}
                <dt>{Field::Household.label(lang)}</dt>
                <dd>{file.household.clone()}</dd>
                <dt>{i18n.t(Msg::Matter)}</dt>
                <dd>{format!("{} · {}", m.category.label(lang), m.summary)}</dd>
                <dt>{i18n.t(Msg::Since)}</dt>
                <dd>{m.since.to_string()} " · " {m.level_reached.label(lang)} " · " {m.classification.label(lang)}</dd>
                <dt>{i18n.t(Msg::Resolution)}</dt>
                <dd>{m.resolution.label(lang)} {(!flags.is_empty()).then(|| format!(" · {}", flags.join("、")))}</dd>
                {m.case_leader.clone().map(|l| view! { <dt>{i18n.t(Msg::CaseLeader)}</dt><dd>{l}</dd> })}
                <dt>{i18n.t(Msg::VisitCount)}</dt>
                <dd>{visits}</dd>
            </dl>
            <h2>{i18n.t(Msg::PrintRecords)}</h2>
            <Timeline records />
        </article>
    }
}
