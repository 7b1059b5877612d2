//! Validation of what cadres type. The same functions run in the form before saving and on the
//! server before storing, so the phone and the server can never disagree about what is valid.

use crate::base::money::MAX_FEN;
use crate::base::problem::{EARLIEST_YEAR, Field, FieldError, LATEST_YEAR, Problem};
use crate::records::attachment::{Photo, Signature, is_sha256_hex};
use crate::records::case_step::{CaseStep, Step};
use crate::records::file_edit::{EditableField, FileEdit};
use crate::records::legal::{LegalOpinion, Mediation, MediationOutcome, Referral, VisitPart};
use crate::records::ownership::{MAX_MILESTONES, Milestone};
use crate::records::reception::{MAX_HEADCOUNT, MAX_REPRESENTATIVES, Reception};
use crate::records::record::{Assistance, Note, Record, RecordBody, Visit, Void};
use crate::records::screening::{self, MAX_COVERED, MAX_FINDINGS, Screening, ScreeningLevel};
use crate::records::supervision::{Review, ReviewDecision, Supervision};
use crate::records::tasking::{MAX_EVIDENCE, Tasking};
use chrono::Datelike;

pub const MAX_SHORT: usize = 100;
pub const MAX_NAME: usize = 50;
pub const MAX_TEXT: usize = 4000;
pub const MAX_PARTICIPANTS: usize = 30;

/// Collects the problems of one record, so a form shows all of them at once.
#[derive(Default)]
struct Check(Vec<FieldError>);

impl Check {
    fn fail(&mut self, field: Field, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }

    fn text(&mut self, field: Field, value: &str, required: bool, max: usize) {
        if value.trim().is_empty() {
            if required {
                self.fail(field, Problem::Required);
            }
        } else if value.chars().count() > max {
            self.fail(field, Problem::TooLong { max });
        } else if has_markup(value) {
            self.fail(field, Problem::Markup);
        } else if has_control_characters(value) {
            self.fail(field, Problem::ControlCharacter);
        }
    }

    fn year(&mut self, field: Field, year: i32) {
        if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&year) {
            self.fail(field, Problem::DateOutOfRange);
        }
    }

    fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// Control characters other than line breaks and tabs, which multi-line notes legitimately hold.
pub fn has_control_characters(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// `<` followed by a letter, `/`, `!` or `?` starts a tag in HTML; "a < b" or "<5 岁" does not.
pub fn has_markup(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
        {
            return true;
        }
    }
    false
}

impl Record {
    /// Every problem with this record, or `Ok` when it may be saved and stored.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Check::default();
        c.text(Field::File, &self.file_id.0, true, MAX_SHORT);
        c.text(Field::Author, &self.author.0, true, MAX_SHORT);
        c.text(Field::Author, &self.author_name, true, MAX_NAME);
        c.year(Field::OccurredAt, self.occurred_at.year());
        match &self.body {
            RecordBody::Visit(v) => visit(&mut c, v, self),
            RecordBody::Assistance(a) => assistance(&mut c, a),
            RecordBody::Note(n) => note(&mut c, n),
            RecordBody::Void(v) => void(&mut c, v, self),
            RecordBody::FileEdit(e) => file_edit(&mut c, e),
            RecordBody::CaseStep(s) => case_step(&mut c, s, self),
            RecordBody::Review(r) => review(&mut c, r, self),
            RecordBody::Supervision(s) => supervision(&mut c, s, self),
            RecordBody::Referral(r) => referral(&mut c, r),
            RecordBody::LegalOpinion(o) => legal_opinion(&mut c, o),
            RecordBody::Mediation(m) => mediation(&mut c, m, self),
            RecordBody::VisitPart(p) => visit_part(&mut c, p, self),
            RecordBody::Signature(s) => signature(&mut c, s, self),
            RecordBody::Photo(p) => photo(&mut c, p, self),
            RecordBody::Reception(r) => reception(&mut c, r),
            RecordBody::Warning(w) => {
                c.text(Field::WarningWhat, &w.what, true, MAX_TEXT);
                c.text(Field::WarningMeasures, &w.measures, false, MAX_TEXT);
            }
            RecordBody::Tasking(t) => tasking(&mut c, t, self),
            RecordBody::Screening(s) => screening_body(&mut c, s, self),
        }
        if screening::is_ledger(&self.file_id)
            && !matches!(self.body, RecordBody::Screening(_) | RecordBody::Void(_))
        {
            c.fail(Field::File, Problem::LedgerOnlyScreenings);
        }
        if let Some(target) = self.amends
            && (target == self.id || !self.body.is_amendable())
        {
            c.fail(Field::Corrects, Problem::NotCorrectable);
        }
        c.finish()
    }
}

impl Check {
    /// A list of names, at least one, each a short line.
    fn names(&mut self, field: Field, names: &[String]) {
        if names.iter().all(|p| p.trim().is_empty()) {
            self.fail(field, Problem::Required);
        } else if names.len() > MAX_PARTICIPANTS {
            self.fail(
                field,
                Problem::TooMany {
                    max: MAX_PARTICIPANTS,
                },
            );
        } else if names.iter().any(|p| p.chars().count() > MAX_NAME) {
            self.fail(field, Problem::TooLong { max: MAX_NAME });
        } else if names.iter().any(|p| has_markup(p)) {
            self.fail(field, Problem::Markup);
        } else if names.iter().any(|p| has_control_characters(p)) {
            self.fail(field, Problem::ControlCharacter);
        }
    }
}

fn visit(c: &mut Check, v: &Visit, record: &Record) {
    c.text(Field::Place, &v.place, true, MAX_SHORT);
    c.names(Field::Participants, &v.participants);
    // A petitioner who would not see the visitors asked for nothing to be written down.
    c.text(Field::Requests, &v.requests, !v.was_refused(), MAX_TEXT);
    c.text(Field::PetitionerView, &v.petitioner_view, false, MAX_TEXT);
    let mut refused = v.refused.clone();
    refused.sort_by_key(|r| r.key());
    refused.dedup();
    if refused.len() != v.refused.len() {
        // Each can be declined once; a list naming one twice was not made by the form.
        let max = crate::records::record::Refusal::ALL.len();
        c.fail(Field::Refused, Problem::TooMany { max });
    }
    c.text(Field::Explained, &v.explained, false, MAX_TEXT);
    c.text(Field::Measures, &v.measures, false, MAX_TEXT);
    c.text(Field::NextStep, &v.next_step, false, MAX_TEXT);
    if let Some(due) = v.next_due {
        if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&due.year()) {
            c.fail(Field::NextDue, Problem::DateOutOfRange);
        } else if due < record.occurred_at.date() {
            c.fail(Field::NextDue, Problem::DueBeforeOccurred);
        } else if v.next_step.trim().is_empty() {
            c.fail(Field::NextDue, Problem::DueWithoutNextStep);
        }
    }
    if v.joined.len() > MAX_PARTICIPANTS {
        c.fail(
            Field::Joined,
            Problem::TooMany {
                max: MAX_PARTICIPANTS,
            },
        );
    }
    for m in &v.joined {
        c.text(Field::Joined, &m.id.0, true, MAX_SHORT);
        c.text(Field::Joined, &m.name, true, MAX_NAME);
    }
    if let Some(e) = &v.evaluation {
        c.text(Field::EvaluationComment, &e.comment, false, MAX_TEXT);
    }
    if let Some(p) = v.location {
        let valid = p.lat.is_finite()
            && p.lon.is_finite()
            && (-90.0..=90.0).contains(&p.lat)
            && (-180.0..=180.0).contains(&p.lon);
        if !valid {
            c.fail(Field::Location, Problem::LocationOutOfRange);
        }
    }
}

fn assistance(c: &mut Check, a: &Assistance) {
    match a.amount_fen {
        None if a.kind.is_money() => c.fail(Field::Amount, Problem::Required),
        None => {}
        Some(fen) if fen <= 0 && a.kind.is_money() => {
            c.fail(Field::Amount, Problem::AmountNotPositive)
        }
        Some(fen) if fen < 0 => c.fail(Field::Amount, Problem::AmountNotPositive),
        Some(fen) if fen > MAX_FEN => c.fail(Field::Amount, Problem::AmountTooLarge),
        Some(_) => {}
    }
    c.text(Field::Items, &a.items, true, MAX_TEXT);
    c.text(Field::FundingSource, &a.funding_source, false, MAX_SHORT);
}

fn note(c: &mut Check, n: &Note) {
    c.text(Field::Speaker, &n.speaker, true, MAX_NAME);
    c.text(Field::Text, &n.text, true, MAX_TEXT);
}

fn void(c: &mut Check, v: &Void, record: &Record) {
    c.text(Field::Reason, &v.reason, true, MAX_TEXT);
    if v.target == record.id {
        c.fail(Field::Corrects, Problem::NotCorrectable);
    }
}

/// Longest phone number accepted, with spaces and an international prefix.
pub const MAX_PHONE: usize = 20;

fn file_edit(c: &mut Check, e: &FileEdit) {
    let (field, max) = match e.field {
        EditableField::Phone => (Field::Phone, MAX_PHONE),
        EditableField::Address => (Field::Address, MAX_SHORT),
        EditableField::Household => (Field::Household, MAX_TEXT),
        EditableField::Tags => (Field::Tags, MAX_SHORT),
        EditableField::IdNumber => (Field::IdNumber, MAX_SHORT),
    };
    // An empty value clears the field; what matters is that it fits.
    c.text(field, &e.value, false, max);
    if e.field == EditableField::Phone
        && !e
            .value
            .chars()
            .all(|ch| ch.is_ascii_digit() || matches!(ch, ' ' | '+' | '-'))
    {
        c.fail(field, Problem::PhoneFormat);
    }
    // An empty value clears it; anything else must be a real ID number.
    if e.field == EditableField::IdNumber && !e.value.trim().is_empty() {
        use crate::records::id_number::{IdNumberError, parse};
        match parse(&e.value) {
            Ok(_) => {}
            Err(IdNumberError::Format) => c.fail(field, Problem::IdNumberFormat),
            Err(IdNumberError::BirthDate) => c.fail(field, Problem::IdNumberBirthDate),
            Err(IdNumberError::CheckDigit) => c.fail(field, Problem::IdNumberCheckDigit),
        }
    }
    // The base is whatever the author saw; bound it like the longest field.
    c.text(Field::Corrects, &e.base, false, MAX_TEXT);
}

/// The longest extension the law allows (§34); a deployment may only shorten it
/// (`deadlines::TimeLimits::extension_max_days`), which the case fold checks.
pub const MAX_EXTENSION_DAYS: u16 = 30;

fn case_step(c: &mut Check, s: &CaseStep, record: &Record) {
    c.text(Field::StepNote, &s.note, false, MAX_TEXT);
    match &s.step {
        Step::Registered { received } => {
            if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&received.year()) {
                c.fail(Field::Received, Problem::DateOutOfRange);
            } else if *received > record.occurred_at.date() {
                c.fail(Field::Received, Problem::AfterRecordDate);
            }
        }
        Step::Routed { to, .. } => c.text(Field::RoutedTo, to, true, MAX_SHORT),
        Step::BodyReceived { body } => c.text(Field::ReceivingBody, body, true, MAX_SHORT),
        Step::Objected { reason } => c.text(Field::ObjectionReason, reason, true, MAX_TEXT),
        // Not accepting without saying where to go leaves the petitioner nowhere (§23).
        Step::Notified { accepted, go_to } => c.text(Field::GoTo, go_to, !accepted, MAX_TEXT),
        Step::Extended {
            days,
            approver,
            reason,
            ..
        } => {
            if !(1..=MAX_EXTENSION_DAYS).contains(days) {
                c.fail(
                    Field::ExtensionDays,
                    Problem::DaysOutOfRange {
                        max: MAX_EXTENSION_DAYS,
                    },
                );
            }
            c.text(Field::Approver, approver, true, MAX_NAME);
            c.text(Field::ExtensionReason, reason, true, MAX_TEXT);
        }
        Step::Rated { comment, .. } => c.text(Field::RatingComment, comment, false, MAX_TEXT),
        Step::Accepted { .. }
        | Step::Replied { .. }
        | Step::Served { .. }
        | Step::Closed
        | Step::ReviewRequested
        | Step::ReviewDecided { .. }
        | Step::ReReviewRequested
        | Step::ReReviewDecided { .. }
        | Step::Final
        | Step::FollowUpDone { .. }
        | Step::LegalRoute { .. }
        | Step::Resolution { .. } => {}
    }
}

fn review(c: &mut Check, r: &Review, record: &Record) {
    if r.of == record.id {
        c.fail(Field::Reviewed, Problem::SelfReference);
    }
    let returning = r.decision == ReviewDecision::Return;
    c.text(Field::ReviewComment, &r.comment, returning, MAX_TEXT);
}

fn supervision(c: &mut Check, s: &Supervision, record: &Record) {
    match s {
        Supervision::Listed {
            deadline, reason, ..
        } => {
            c.deadline(Field::Deadline, *deadline, record);
            c.text(Field::SupervisionReason, reason, true, MAX_TEXT);
        }
        Supervision::Leader {
            name,
            account,
            post,
            unit,
            responsible,
        } => {
            c.text(Field::Leader, name, true, MAX_NAME);
            if let Some(account) = account {
                c.text(Field::Leader, &account.0, false, MAX_SHORT);
            }
            c.text(Field::LeaderPost, post, false, MAX_SHORT);
            c.text(Field::ResponsibleUnit, unit, false, MAX_SHORT);
            c.text(Field::Responsible, responsible, false, MAX_NAME);
        }
        Supervision::Lifted { note } => c.text(Field::LiftNote, note, true, MAX_TEXT),
        Supervision::Plan {
            plan,
            milestones,
            team,
        } => {
            c.text(Field::Plan, plan, true, MAX_TEXT);
            c.milestones(milestones, record);
            c.names(Field::Team, team);
        }
        Supervision::MilestoneMet { what, note } => {
            c.text(Field::MilestoneMet, what, true, MAX_SHORT);
            c.text(Field::MilestoneNote, note, false, MAX_TEXT);
        }
    }
}

impl Check {
    /// A plan's milestones: at least one, at most `MAX_MILESTONES`, each a short text (a
    /// `MilestoneMet` names it by that text, so no two alike) due on or after the plan's day.
    fn milestones(&mut self, milestones: &[Milestone], record: &Record) {
        let field = Field::Milestones;
        if milestones.is_empty() {
            return self.fail(field, Problem::Required);
        }
        if milestones.len() > MAX_MILESTONES {
            return self.fail(
                field,
                Problem::TooMany {
                    max: MAX_MILESTONES,
                },
            );
        }
        let before = self.0.len();
        for m in milestones {
            self.text(field, &m.what, true, MAX_SHORT);
            if self.0.len() > before {
                return;
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        if !milestones.iter().all(|m| seen.insert(m.what.trim())) {
            return self.fail(field, Problem::Duplicate);
        }
        if milestones
            .iter()
            .any(|m| !(EARLIEST_YEAR..=LATEST_YEAR).contains(&m.due.year()))
        {
            self.fail(field, Problem::DateOutOfRange);
        } else if milestones.iter().any(|m| m.due < record.occurred_at.date()) {
            self.fail(field, Problem::BeforeRecordDate);
        }
    }
}

fn referral(c: &mut Check, r: &Referral) {
    c.text(Field::ReferredTo, &r.to.0, true, MAX_SHORT);
    c.text(Field::ReferredTo, &r.to_name, true, MAX_NAME);
    c.text(Field::ReferralNote, &r.note, false, MAX_TEXT);
}

fn legal_opinion(c: &mut Check, o: &LegalOpinion) {
    c.text(Field::Question, &o.question, true, MAX_TEXT);
    c.text(Field::Facts, &o.facts, true, MAX_TEXT);
    c.text(Field::LawCited, &o.law, true, MAX_TEXT);
    c.text(Field::Opinion, &o.opinion, true, MAX_TEXT);
}

/// Most sessions one mediation record lists.
pub const MAX_SESSIONS: usize = 30;

fn mediation(c: &mut Check, m: &Mediation, record: &Record) {
    c.names(Field::Parties, &m.parties);
    c.text(Field::Dispute, &m.dispute, true, MAX_TEXT);
    c.text(Field::ConfirmedFacts, &m.facts, false, MAX_TEXT);
    if m.sessions.is_empty() {
        c.fail(Field::Sessions, Problem::Required);
    } else if m.sessions.len() > MAX_SESSIONS {
        c.fail(Field::Sessions, Problem::TooMany { max: MAX_SESSIONS });
    } else if m
        .sessions
        .iter()
        .any(|d| !(EARLIEST_YEAR..=LATEST_YEAR).contains(&d.year()))
    {
        c.fail(Field::Sessions, Problem::DateOutOfRange);
    } else if m.sessions.iter().any(|d| *d > record.occurred_at.date()) {
        c.fail(Field::Sessions, Problem::AfterRecordDate);
    }
    // What was agreed is the point of an agreement; a failed mediation must leave the parties
    // somewhere to go (the legal channel), or it leaves them nowhere.
    let agreed = m.outcome != MediationOutcome::Failed;
    c.text(Field::Terms, &m.terms, agreed, MAX_TEXT);
    if !agreed && m.channel.is_none() {
        c.fail(Field::MediationChannel, Problem::Required);
    }
}

fn visit_part(c: &mut Check, p: &VisitPart, record: &Record) {
    if p.of == record.id {
        c.fail(Field::PartOf, Problem::SelfReference);
    }
    c.text(Field::PartRole, &p.role, true, MAX_NAME);
    c.text(Field::PartText, &p.text, true, MAX_TEXT);
}

fn signature(c: &mut Check, s: &Signature, record: &Record) {
    if s.of == record.id {
        c.fail(Field::AttachedTo, Problem::SelfReference);
    }
    c.text(Field::Signer, &s.signer, true, MAX_NAME);
    if !is_sha256_hex(&s.text_hash) {
        c.fail(Field::SignedText, Problem::Required);
    }
    if !s.image.is_well_formed() {
        c.fail(Field::Image, Problem::ImageFormat);
    }
}

fn photo(c: &mut Check, p: &Photo, record: &Record) {
    if p.of == record.id {
        c.fail(Field::AttachedTo, Problem::SelfReference);
    }
    c.text(Field::Caption, &p.caption, false, MAX_SHORT);
    if !p.image.is_well_formed() {
        c.fail(Field::Image, Problem::ImageFormat);
    }
}

fn reception(c: &mut Check, r: &Reception) {
    c.text(Field::ReceptionLeader, &r.leader, true, MAX_NAME);
    c.text(Field::ReceptionPlace, &r.place, true, MAX_SHORT);
    if !(1..=MAX_HEADCOUNT).contains(&r.headcount) {
        c.fail(
            Field::Headcount,
            Problem::CountOutOfRange { max: MAX_HEADCOUNT },
        );
    }
    if r.representatives.len() > MAX_REPRESENTATIVES {
        c.fail(
            Field::Representatives,
            Problem::TooMany {
                max: MAX_REPRESENTATIVES,
            },
        );
    } else if r.needs_representatives() && r.representatives.iter().all(|n| n.trim().is_empty()) {
        c.fail(Field::Representatives, Problem::GroupNeedsRepresentatives);
    } else if !r.representatives.is_empty() {
        c.names(Field::Representatives, &r.representatives);
    }
    c.text(Field::Requests, &r.requests, true, MAX_TEXT);
    c.text(Field::ReceptionResponse, &r.response, false, MAX_TEXT);
}

impl Check {
    /// A deadline the record sets: a plausible year, not before the record's own date.
    fn deadline(&mut self, field: Field, day: chrono::NaiveDate, record: &Record) {
        if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&day.year()) {
            self.fail(field, Problem::DateOutOfRange);
        } else if day < record.occurred_at.date() {
            self.fail(field, Problem::BeforeRecordDate);
        }
    }
}

fn tasking(c: &mut Check, t: &Tasking, record: &Record) {
    match t {
        Tasking::Assigned {
            unit,
            task,
            report_by,
        } => {
            c.text(Field::TaskUnit, unit, true, MAX_SHORT);
            c.text(Field::Task, task, true, MAX_TEXT);
            c.deadline(Field::ReportBy, *report_by, record);
        }
        Tasking::Urged { note, .. } => c.text(Field::UrgeNote, note, false, MAX_TEXT),
        Tasking::Reported { summary, .. } => c.text(Field::ReportSummary, summary, true, MAX_TEXT),
        // Which records the evidence names, and that they are of this file, is the judge's to
        // check against what the server holds (`judge::refusal`).
        Tasking::SignedOff { evidence, note } => {
            if evidence.is_empty() {
                c.fail(Field::Evidence, Problem::Required);
            } else if evidence.len() > MAX_EVIDENCE {
                c.fail(Field::Evidence, Problem::TooMany { max: MAX_EVIDENCE });
            } else if evidence.contains(&record.id) {
                c.fail(Field::Evidence, Problem::SelfReference);
            }
            c.text(Field::SignOffNote, note, true, MAX_TEXT);
        }
        Tasking::SentBack { reason, report_by } => {
            c.text(Field::SendBackReason, reason, true, MAX_TEXT);
            if let Some(day) = report_by {
                c.deadline(Field::ReportBy, *day, record);
            }
        }
    }
}

/// A screening: on its own place's ledger, who and what it covered, and what it found — or, said
/// explicitly, that it found nothing new.
fn screening_body(c: &mut Check, s: &Screening, record: &Record) {
    c.text(Field::ScreeningPlace, &s.place, true, MAX_SHORT);
    c.text(Field::ScreeningPlace, &s.place_name, true, MAX_SHORT);
    if !s.place.trim().is_empty() && s.ledger() != record.file_id {
        c.fail(Field::File, Problem::WrongLedger);
    }
    match s.level {
        ScreeningLevel::Group => c.text(Field::VillagerGroup, &s.group, true, MAX_NAME),
        _ if !s.group.trim().is_empty() => c.fail(Field::VillagerGroup, Problem::OnlyAtGroupLevel),
        _ => {}
    }
    c.names(Field::Participants, &s.participants);
    c.text(Field::ScreeningScope, &s.scope, true, MAX_TEXT);
    if !(1..=MAX_COVERED).contains(&s.covered) {
        c.fail(
            Field::Covered,
            Problem::CountOutOfRange { max: MAX_COVERED },
        );
    }
    match (s.nothing_new, s.findings.is_empty()) {
        (true, false) => c.fail(Field::Findings, Problem::NothingNewWithFindings),
        (false, true) => c.fail(Field::Findings, Problem::FindingsOrNothingNew),
        _ => {}
    }
    if s.findings.len() > MAX_FINDINGS {
        c.fail(Field::Findings, Problem::TooMany { max: MAX_FINDINGS });
    }
    for f in &s.findings {
        c.text(Field::Findings, &f.what, true, MAX_TEXT);
        if let Some(file) = &f.file {
            c.text(Field::Findings, &file.0, true, MAX_SHORT);
        }
        if f.warning == Some(record.id) {
            c.fail(Field::Findings, Problem::SelfReference);
        }
    }
}
