//! The 走访记录 sheet: visits already on paper, stored as records of their files.

use super::*;
use crate::records::record::{Mood, RiskLevel, Visit, VisitKind};
use crate::wire::ledger_import::NewVisit;

impl Run<'_> {
    pub(super) fn visit_row(&mut self, row: &mut Row) {
        let petitioner = row.text(col::PETITIONER, MAX_NAME);
        let file = petitioner.and_then(|name| self.file_of(row, &name));
        let day = self.past_day(row, col::VISIT_DATE);
        let kind = row.required_choice::<VisitKind>(col::VISIT_KIND);
        let place = row.text(col::VISIT_PLACE, MAX_SHORT);
        let participants = row.text(col::PARTICIPANTS, MAX_TEXT);
        let recorder = row.text(col::RECORDER, 32);
        let author = recorder.and_then(|u| self.account_of(row, &u));
        let requests = row.text(col::REQUESTS, MAX_TEXT);
        let mood = row.required_choice::<Mood>(col::MOOD);
        let risk = row.required_choice::<RiskLevel>(col::RISK);
        let explained = row.text(col::EXPLAINED, MAX_TEXT);
        let measures = row.text(col::MEASURES, MAX_TEXT);
        let next_step = row.text(col::NEXT_STEP, MAX_TEXT);
        if let Some((_, role, _)) = &author
            && !matches!(role, Some(Role::Cadre | Role::Legal | Role::Supervisor))
        {
            row.fail(
                col::RECORDER,
                Fault::WrongRole {
                    need: "干部、法律服务团队成员或督办人员",
                },
            );
        }
        if !row.problems.is_empty() {
            return;
        }
        let (
            Some(file),
            Some(day),
            Some(kind),
            Some(place),
            Some(participants),
            Some((author, _, _)),
            Some(requests),
            Some(mood),
            Some(risk),
            Some(explained),
            Some(measures),
            Some(next_step),
        ) = (
            file,
            day,
            kind,
            place,
            participants,
            author,
            requests,
            mood,
            risk,
            explained,
            measures,
            next_step,
        )
        else {
            return;
        };
        let visit = NewVisit {
            file: file.clone(),
            author_name: self.display_name(&author),
            author,
            occurred_at: day.and_hms_opt(0, 0, 0).unwrap_or_default(),
            visit: Visit {
                kind,
                place,
                participants: Visit::split_participants(&participants),
                requests,
                mood,
                risk,
                explained,
                measures,
                next_step,
                next_due: None,
                location: None,
                joined: Vec::new(),
                evaluation: None,
                refused: Vec::new(),
                petitioner_view: String::new(),
            },
        };
        // The record's own rules (the form's and the upload's), on a stand-in file id.
        let record = visit.record(
            "-",
            self.facts
                .today
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc(),
        );
        if let Err(errors) = record.validate() {
            for e in errors {
                use crate::base::problem::Field;
                let column = match e.field {
                    Field::Place => col::VISIT_PLACE,
                    Field::Participants => col::PARTICIPANTS,
                    Field::Explained => col::EXPLAINED,
                    Field::Measures => col::MEASURES,
                    Field::NextStep => col::NEXT_STEP,
                    _ => col::REQUESTS,
                };
                row.fail(
                    column,
                    Fault::Invalid {
                        text: e.message(Lang::Zh),
                    },
                );
            }
            return;
        }
        let key = (
            file.clone(),
            visit.author.clone(),
            visit.occurred_at.to_string(),
            visit.visit.kind.key().to_owned(),
            visit.visit.requests.clone(),
        );
        let stored = match &file {
            FileRef::Stored(id) => self
                .facts
                .visit_ids
                .contains(&visit.record(id, record.saved_at).id),
            FileRef::New(_) => false,
        };
        if stored || !self.visit_keys.insert(key) {
            self.plan.already.visits += 1;
            return;
        }
        self.plan.visits.push(visit);
    }
}
