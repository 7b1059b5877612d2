//! 谈心记录: a conversation note — who spoke with the petitioner and what was said.

use super::draft::{Draft, DraftActions, WhenField};
use crate::app::SignedIn;
use crate::components::TextField;
use leptos::prelude::*;
use xiafang_core::{Field, Note, PetitionerFile, Record, RecordBody};

#[component]
pub fn NoteForm(
    file: PetitionerFile,
    /// The note this form amends: its values fill the form, and the save amends it.
    #[prop(optional_no_strip)]
    original: Option<Record>,
) -> impl IntoView {
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let start = original.and_then(|r| match r.body {
        RecordBody::Note(n) => Some(n),
        _ => None,
    });
    let (speaker, text) = match start {
        Some(n) => (n.speaker, n.text),
        None => {
            let me = expect_context::<SignedIn>()
                .0
                .get_untracked()
                .map(|s| s.account.display_name)
                .unwrap_or_default();
            (me, String::new())
        }
    };
    let speaker = RwSignal::new(speaker);
    let text = RwSignal::new(text);
    let errors = draft.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let note = Note {
            speaker: speaker.get(),
            text: text.get(),
        };
        draft.save(RecordBody::Note(note), Vec::new());
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <WhenField draft />
            <TextField field=Field::Speaker value=speaker errors />
            <TextField field=Field::Text value=text errors multiline=true />
            <DraftActions draft />
        </form>
    }
}
