//! 法律意见: a legal team member's opinion on the matter and the channel it belongs in
//! (依法分类处理: litigation, arbitration, administrative review, legal aid, or the petition).

use super::draft::{Draft, DraftActions, WhenField};
use crate::components::{Choice, TextField};
use crate::i18n::Msg;
use leptos::prelude::*;
use xiafang_core::legal::{Channel, LegalOpinion};
use xiafang_core::{Field, PetitionerFile, Record, RecordBody};

#[component]
pub fn OpinionForm(
    file: PetitionerFile,
    #[prop(optional_no_strip)] original: Option<Record>,
) -> impl IntoView {
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let start = original.and_then(|r| match r.body {
        RecordBody::LegalOpinion(o) => Some(o),
        _ => None,
    });
    let start = start.unwrap_or(LegalOpinion {
        question: file.matter.summary.clone(),
        facts: String::new(),
        law: String::new(),
        opinion: String::new(),
        channel: Channel::Petition,
    });
    let question = RwSignal::new(start.question);
    let facts = RwSignal::new(start.facts);
    let law = RwSignal::new(start.law);
    let opinion = RwSignal::new(start.opinion);
    let channel = RwSignal::new(start.channel);
    let errors = draft.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = LegalOpinion {
            question: question.get(),
            facts: facts.get(),
            law: law.get(),
            opinion: opinion.get(),
            channel: channel.get(),
        };
        draft.save(RecordBody::LegalOpinion(body), Vec::new());
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <WhenField draft />
            <TextField field=Field::Question value=question errors multiline=true />
            <TextField field=Field::Facts value=facts errors multiline=true />
            <TextField field=Field::LawCited value=law errors multiline=true />
            <TextField field=Field::Opinion value=opinion errors multiline=true />
            <Choice name="channel" label=Msg::ChannelLabel value=channel />
            <DraftActions draft />
        </form>
    }
}
