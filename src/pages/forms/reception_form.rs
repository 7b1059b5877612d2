//! 接访: petitioners received in person — on a leader's reception day, a leader's 带案下访 or a
//! joint reception. One record is one batch (批次); its headcount the person-visits (人次). A
//! group of more than five names the representatives who speak for it (XF22 §20).

use super::draft::{Draft, DraftActions, WhenField};
use crate::components::{Choice, TextField};
use crate::i18n::Msg;
use leptos::prelude::*;
use xiafang_core::reception::{MAX_HEADCOUNT, Reception, ReceptionKind};
use xiafang_core::{Field, FieldError, PetitionerFile, Problem, Record, RecordBody, Visit};

#[component]
pub fn ReceptionForm(
    file: PetitionerFile,
    /// The reception this form amends: its values fill the form, and the save amends it.
    #[prop(optional_no_strip)]
    original: Option<Record>,
) -> impl IntoView {
    let draft = Draft::new(file.id.clone(), original.as_ref());
    let start = original.and_then(|r| match r.body {
        RecordBody::Reception(r) => Some(r),
        _ => None,
    });
    let start = start.unwrap_or_else(|| Reception {
        kind: ReceptionKind::LeaderDay,
        leader: file.matter.case_leader.clone().unwrap_or_default(),
        place: String::new(),
        headcount: 1,
        representatives: Vec::new(),
        requests: file.matter.summary.clone(),
        response: String::new(),
    });
    let kind = RwSignal::new(start.kind);
    let leader = RwSignal::new(start.leader);
    let place = RwSignal::new(start.place);
    let headcount = RwSignal::new(start.headcount.to_string());
    let representatives = RwSignal::new(start.representatives.join("、"));
    let requests = RwSignal::new(start.requests);
    let response = RwSignal::new(start.response);
    let errors = draft.errors;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        // A count that is not a number is out of range as far as the reader can tell.
        let count = headcount
            .get_untracked()
            .trim()
            .parse::<u32>()
            .unwrap_or_else(|_| {
                problems.push(FieldError::new(
                    Field::Headcount,
                    Problem::CountOutOfRange { max: MAX_HEADCOUNT },
                ));
                1
            });
        let reception = Reception {
            kind: kind.get_untracked(),
            leader: leader.get_untracked().trim().to_owned(),
            place: place.get_untracked().trim().to_owned(),
            headcount: count,
            representatives: Visit::split_participants(&representatives.get_untracked()),
            requests: requests.get_untracked(),
            response: response.get_untracked(),
        };
        draft.save(RecordBody::Reception(reception), problems);
    };
    view! {
        <form class="card record-form" on:submit=submit novalidate>
            <Choice name="reception_kind" label=Msg::ReceptionKindLabel value=kind />
            <WhenField draft />
            <TextField field=Field::ReceptionLeader value=leader errors hint=Msg::ReceptionLeaderHint />
            <TextField field=Field::ReceptionPlace value=place errors />
            <TextField field=Field::Headcount value=headcount errors input_type="number" />
            <TextField field=Field::Representatives value=representatives errors hint=Msg::RepresentativesHint />
            <TextField field=Field::Requests value=requests errors multiline=true />
            <TextField field=Field::ReceptionResponse value=response errors multiline=true />
            <DraftActions draft />
        </form>
    }
}
