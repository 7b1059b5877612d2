//! Validation of what cadres type. The same functions run in the form before saving and on the
//! server before storing, so the phone and the server can never disagree about what is valid.

use crate::attachment::{Photo, Signature, is_sha256_hex};
use crate::case_step::{CaseStep, Step};
use crate::file_edit::{EditableField, FileEdit};
use crate::lang::Lang;
use crate::legal::{LegalOpinion, Mediation, MediationOutcome, Referral, VisitPart};
use crate::money::MAX_FEN;
use crate::record::{Assistance, Note, Record, RecordBody, Visit, Void};
use crate::supervision::{Review, ReviewDecision, Supervision};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

pub const MAX_SHORT: usize = 100;
pub const MAX_NAME: usize = 50;
pub const MAX_TEXT: usize = 4000;
pub const MAX_PARTICIPANTS: usize = 30;
/// Dates before the founding year or far in the future are typing errors, not history.
pub const EARLIEST_YEAR: i32 = 1949;
pub const LATEST_YEAR: i32 = 2100;

labeled_enum!(
    /// A form field, named so an error can point at it.
    Field {
        File = "file" => ("档案", "File"),
        Author = "author" => ("记录人", "Recorder"),
        OccurredAt = "occurred_at" => ("时间", "Date and time"),
        Place = "place" => ("走访地点", "Place"),
        Participants = "participants" => ("参加人员", "Participants"),
        Requests = "requests" => ("诉求及反映的问题", "What the petitioner asked for"),
        Explained = "explained" => ("释法明理情况", "Law and policy explained"),
        Measures = "measures" => ("采取的措施", "Measures taken"),
        NextStep = "next_step" => ("下一步工作", "Next step"),
        NextDue = "next_due" => ("下一步完成时限", "Next step due"),
        Location = "location" => ("位置", "Location"),
        Amount = "amount" => ("金额", "Amount"),
        Items = "items" => ("帮扶内容", "What was handed over"),
        FundingSource = "funding_source" => ("资金来源", "Funding source"),
        Speaker = "speaker" => ("谈话人", "Who spoke"),
        Text = "text" => ("谈话内容", "What was said"),
        Reason = "reason" => ("作废原因", "Reason for voiding"),
        Corrects = "corrects" => ("所更正的记录", "Record corrected"),
        Phone = "phone" => ("联系电话", "Phone"),
        Address = "address" => ("住址", "Address"),
        Household = "household" => ("家庭情况", "Household situation"),
        Tags = "tags" => ("标签", "Tags"),
        Received = "received" => ("收到信访事项日期", "Date the petition was received"),
        RoutedTo = "routed_to" => ("转送/交办单位", "Body it was routed to"),
        GoTo = "go_to" => ("告知的去向", "Where the petitioner was told to go"),
        ExtensionDays = "extension_days" => ("延期天数", "Days of extension"),
        Approver = "approver" => ("批准人", "Approved by"),
        ExtensionReason = "extension_reason" => ("延期理由", "Reason for the extension"),
        RatingComment = "rating_comment" => ("评价意见", "Petitioner's comment"),
        StepNote = "step_note" => ("备注", "Remark"),
        Reviewed = "reviewed" => ("所审核的记录", "Record reviewed"),
        ReviewComment = "review_comment" => ("审核意见", "Review comment"),
        Deadline = "deadline" => ("督办期限", "Supervision deadline"),
        SupervisionReason = "supervision_reason" => ("督办事由", "Reason for supervision"),
        Leader = "leader" => ("包案领导", "Case-owning leader"),
        LiftNote = "lift_note" => ("销号说明", "Note on lifting supervision"),
        ReferredTo = "referred_to" => ("转介对象", "Referred to"),
        ReferralNote = "referral_note" => ("转介说明", "Note for the legal team"),
        Question = "question" => ("咨询的问题", "Question"),
        Facts = "facts" => ("所依据的事实", "Facts relied on"),
        LawCited = "law_cited" => ("法律依据", "Law cited"),
        Opinion = "opinion" => ("法律意见", "Opinion"),
        Parties = "parties" => ("当事人", "Parties"),
        Dispute = "dispute" => ("纠纷事项", "Dispute"),
        Sessions = "sessions" => ("调解日期", "Mediation sessions"),
        Terms = "terms" => ("协议内容", "Terms agreed"),
        MediationChannel = "mediation_channel" => ("引导的法定途径", "Legal channel pointed to"),
        PartOf = "part_of" => ("所属走访记录", "Visit this part belongs to"),
        PartRole = "part_role" => ("参与身份", "Role on the visit"),
        PartText = "part_text" => ("本人记录内容", "Your part of the record"),
        ConfirmedFacts = "confirmed_facts" => ("经调解确认的事实", "Facts the parties confirm"),
        Joined = "joined" => ("参加走访的法律服务团队成员", "Legal team members on the visit"),
        EvaluationComment = "evaluation_comment" => ("信访人评价意见", "Petitioner's comment"),
        Signer = "signer" => ("签名人", "Who signs"),
        SignedText = "signed_text" => ("签名确认的内容", "Text signed"),
        AttachedTo = "attached_to" => ("所附记录", "Record attached to"),
        Image = "image" => ("图片", "Image"),
        Caption = "caption" => ("照片说明", "Caption"),
    }
);

/// What is wrong with a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    TooMany {
        max: usize,
    },
    AmountFormat,
    AmountTooLarge,
    AmountNotPositive,
    DateOutOfRange,
    DueBeforeOccurred,
    DueWithoutNextStep,
    LocationOutOfRange,
    PhoneFormat,
    /// HTML-like markup (`<script>`, `<img …>`): never needed in a visit log, and refused so no
    /// later export or screen can be tricked by it.
    Markup,
    /// A control character (a NUL, an escape sequence, …): nothing typed on a phone contains
    /// one, and in an export or a terminal it could hide or rewrite what is shown.
    ControlCharacter,
    /// A correction names itself, or a kind of record that cannot be corrected.
    NotCorrectable,
    /// A number of days outside 1..=max (an extension beyond what the law allows).
    DaysOutOfRange {
        max: u16,
    },
    /// A date the record depends on lies after the record's own date.
    AfterRecordDate,
    /// A deadline lies before the record's own date.
    BeforeRecordDate,
    /// A review names itself.
    SelfReference,
    /// An image that is not a JPEG, PNG or WebP of at most `attachment::MAX_BLOB_BYTES`, or
    /// whose hash is not a SHA-256.
    ImageFormat,
}

/// One problem with one field, shown next to that field in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    #[serde(flatten)]
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }

    /// A full sentence a cadre understands, naming the field.
    pub fn message(&self, lang: Lang) -> String {
        let label = self.field.label(lang);
        match (lang, self.problem) {
            (Lang::Zh, Problem::Required) => format!("请填写{label}"),
            (Lang::Zh, Problem::TooLong { max }) => format!("{label}不能超过 {max} 个字"),
            (Lang::Zh, Problem::TooMany { max }) => format!("{label}最多 {max} 项"),
            (Lang::Zh, Problem::AmountFormat) => {
                format!("{label}格式不正确，请填写数字，例如 200 或 200.50")
            }
            (Lang::Zh, Problem::AmountTooLarge) => format!("{label}不能超过 1,000,000 元"),
            (Lang::Zh, Problem::AmountNotPositive) => format!("{label}必须大于 0"),
            (Lang::Zh, Problem::DateOutOfRange) => {
                format!("{label}不在合理范围（{EARLIEST_YEAR}—{LATEST_YEAR} 年）")
            }
            (Lang::Zh, Problem::DueBeforeOccurred) => format!("{label}不能早于本次走访"),
            (Lang::Zh, Problem::DueWithoutNextStep) => {
                format!("填写了{label}，请同时写明下一步工作")
            }
            (Lang::Zh, Problem::LocationOutOfRange) => format!("{label}坐标无效"),
            (Lang::Zh, Problem::PhoneFormat) => {
                format!("{label}格式不正确，只能包含数字、空格、+ 和 -")
            }
            (Lang::Zh, Problem::NotCorrectable) => format!("{label}无法被更正或作废"),
            (Lang::Zh, Problem::ControlCharacter) => {
                format!("{label}包含无法显示的控制字符，请删去后重新输入")
            }
            (Lang::Zh, Problem::Markup) => {
                format!("{label}不能包含“<”开头的网页标记，请删去尖括号")
            }
            (Lang::Zh, Problem::DaysOutOfRange { max }) => {
                format!("{label}应为 1 至 {max} 天")
            }
            (Lang::Zh, Problem::AfterRecordDate) => format!("{label}不能晚于本记录的日期"),
            (Lang::Zh, Problem::BeforeRecordDate) => format!("{label}不能早于本记录的日期"),
            (Lang::Zh, Problem::SelfReference) => format!("{label}不能是本记录自身"),
            (Lang::Zh, Problem::ImageFormat) => {
                format!("{label}无效：仅支持 JPEG、PNG、WebP 格式，且不超过 8 MB")
            }
            (Lang::En, Problem::Required) => format!("{label} is required"),
            (Lang::En, Problem::TooLong { max }) => {
                format!("{label} must be at most {max} characters")
            }
            (Lang::En, Problem::TooMany { max }) => format!("{label}: at most {max} entries"),
            (Lang::En, Problem::AmountFormat) => {
                format!("{label} must be a number such as 200 or 200.50")
            }
            (Lang::En, Problem::AmountTooLarge) => {
                format!("{label} must not exceed 1,000,000 yuan")
            }
            (Lang::En, Problem::AmountNotPositive) => format!("{label} must be more than 0"),
            (Lang::En, Problem::DateOutOfRange) => {
                format!("{label} must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
            }
            (Lang::En, Problem::DueBeforeOccurred) => {
                format!("{label} cannot be before this visit")
            }
            (Lang::En, Problem::DueWithoutNextStep) => {
                format!("{label} is set: please also describe the next step")
            }
            (Lang::En, Problem::LocationOutOfRange) => format!("{label} is not a valid position"),
            (Lang::En, Problem::PhoneFormat) => {
                format!("{label} may contain only digits, spaces, + and -")
            }
            (Lang::En, Problem::NotCorrectable) => format!("{label} cannot be amended or voided"),
            (Lang::En, Problem::DaysOutOfRange { max }) => {
                format!("{label} must be between 1 and {max} days")
            }
            (Lang::En, Problem::AfterRecordDate) => {
                format!("{label} cannot be after this record's date")
            }
            (Lang::En, Problem::BeforeRecordDate) => {
                format!("{label} cannot be before this record's date")
            }
            (Lang::En, Problem::SelfReference) => format!("{label} cannot be this record itself"),
            (Lang::En, Problem::ImageFormat) => {
                format!("{label} must be a JPEG, PNG or WebP image of at most 8 MB")
            }
            (Lang::En, Problem::ControlCharacter) => {
                format!("{label} contains invisible control characters; remove them")
            }
            (Lang::En, Problem::Markup) => {
                format!(
                    "{label} may not contain markup starting with \"<\"; remove the angle brackets"
                )
            }
        }
    }
}

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
    c.text(Field::Requests, &v.requests, true, MAX_TEXT);
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
        // Not accepting without saying where to go leaves the petitioner nowhere (§23).
        Step::Notified { accepted, go_to } => c.text(Field::GoTo, go_to, !accepted, MAX_TEXT),
        Step::Extended {
            days,
            approver,
            reason,
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
            if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&deadline.year()) {
                c.fail(Field::Deadline, Problem::DateOutOfRange);
            } else if *deadline < record.occurred_at.date() {
                c.fail(Field::Deadline, Problem::BeforeRecordDate);
            }
            c.text(Field::SupervisionReason, reason, true, MAX_TEXT);
        }
        Supervision::Leader { name, account } => {
            c.text(Field::Leader, name, true, MAX_NAME);
            if let Some(account) = account {
                c.text(Field::Leader, &account.0, false, MAX_SHORT);
            }
        }
        Supervision::Lifted { note } => c.text(Field::LiftNote, note, true, MAX_TEXT),
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
