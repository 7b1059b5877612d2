//! What can be wrong with a value someone typed, named by the field it belongs to, so a form
//! shows the problem next to that field and the server answers with the same words.

use crate::base::lang::Lang;
use serde::{Deserialize, Serialize};

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
        ReceivingBody = "receiving_body" => ("收件的承办机关", "Body that received it"),
        ObjectionReason = "objection_reason" => ("异议理由", "Reason for the objection"),
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
        Refused = "refused" => ("信访人拒绝事项", "What the petitioner declined"),
        PetitionerView = "petitioner_view" => ("信访人意见", "The petitioner's view"),
        ReceptionLeader = "reception_leader" => ("接访领导", "Received by"),
        ReceptionPlace = "reception_place" => ("接访地点", "Place of reception"),
        Headcount = "headcount" => ("来访人数", "People who came"),
        Representatives = "representatives" => ("推选的代表", "Representatives"),
        ReceptionResponse = "reception_response" => ("答复及处理意见", "Response and next steps"),
        WarningWhat = "warning_what" => ("苗头情况", "What was seen"),
        WarningMeasures = "warning_measures" => ("稳控化解措施", "What is being done"),
        TaskUnit = "task_unit" => ("承办单位", "Handling unit"),
        Task = "task" => ("交办事项及要求", "What the unit must do"),
        ReportBy = "report_by" => ("限期报告日期", "Report due by"),
        UrgeNote = "urge_note" => ("催办情况", "What was said"),
        ReportSummary = "report_summary" => ("办结报告", "Unit's report"),
        Evidence = "evidence" => ("销号依据的记录", "Records the sign-off rests on"),
        SignOffNote = "sign_off_note" => ("审核意见", "Review of the report"),
        SendBackReason = "send_back_reason" => ("退回理由", "Why it is sent back"),
        LeaderPost = "leader_post" => ("领导职务", "Leader's post"),
        ResponsibleUnit = "responsible_unit" => ("责任单位", "Responsible unit"),
        Responsible = "responsible" => ("责任人", "Person responsible"),
        Plan = "plan" => ("化解方案", "Resolution plan"),
        Milestones = "milestones" => ("里程碑", "Milestones"),
        Team = "team" => ("工作专班成员", "Working group members"),
        MilestoneMet = "milestone_met" => ("完成的里程碑", "Milestone met"),
        MilestoneNote = "milestone_note" => ("完成情况", "How it was done"),
        IdNumber = "id_number" => ("公民身份号码", "ID number"),
        ScreeningPlace = "screening_place" => ("排查地点", "Place screened"),
        VillagerGroup = "villager_group" => ("村民小组", "Villager group"),
        ScreeningScope = "screening_scope" => ("排查范围", "What was covered"),
        Covered = "covered" => ("排查户数（单位数）", "Households or units covered"),
        Findings = "findings" => ("排查发现的矛盾纠纷", "Disputes found"),
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
    /// A count outside 1..=max (people at a reception).
    CountOutOfRange {
        max: u32,
    },
    /// More than five came on a shared matter without naming who speaks for them (XF22 §20).
    GroupNeedsRepresentatives,
    /// The same entry twice in a list whose entries are named by their text (milestones).
    Duplicate,
    /// An ID number that is not 17 digits and a digit or X.
    IdNumberFormat,
    /// An ID number whose digits 7–14 are no real birth date.
    IdNumberBirthDate,
    /// An ID number whose last character does not match the first 17 (GB 11643).
    IdNumberCheckDigit,
    /// A screening neither lists what it found nor says it found nothing new (无新增矛盾).
    FindingsOrNothingNew,
    /// A screening says it found nothing new and still lists disputes.
    NothingNewWithFindings,
    /// A villager group named on a screening that is not at group level.
    OnlyAtGroupLevel,
    /// A screening on a ledger other than its own place's (`screening::ledger_id`).
    WrongLedger,
    /// A record other than a screening (or a correction of one) on a place's screening ledger.
    LedgerOnlyScreenings,
}

/// One problem with one field, shown next to that field in the form. Written flat
/// (`{"field", "problem", "max"?}`) through `#[serde(flatten)]`; read by hand (below).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: Field,
    #[serde(flatten)]
    pub problem: Problem,
}

/// The derived reader of a flattened, internally tagged enum buffers the object in serde's
/// `Content` and reads it twice: ≈ 10 KB of the field wasm more than reading the flat object
/// into a plain struct (issue 17). `core/tests/wire_golden.rs` holds every shape to the text
/// the derive wrote and read.
impl<'de> Deserialize<'de> for FieldError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Flat {
            field: Field,
            problem: String,
            #[serde(default)]
            max: Option<u64>,
        }
        use serde::de::Error;
        let flat = Flat::deserialize(deserializer)?;
        let max = || flat.max.ok_or_else(|| D::Error::missing_field("max"));
        let fit = |max: u64| {
            move |_| D::Error::invalid_value(serde::de::Unexpected::Unsigned(max), &"a smaller max")
        };
        use Problem::*;
        let problem = match flat.problem.as_str() {
            "required" => Required,
            "too_long" => TooLong {
                max: max()?.try_into().map_err(fit(max()?))?,
            },
            "too_many" => TooMany {
                max: max()?.try_into().map_err(fit(max()?))?,
            },
            "amount_format" => AmountFormat,
            "amount_too_large" => AmountTooLarge,
            "amount_not_positive" => AmountNotPositive,
            "date_out_of_range" => DateOutOfRange,
            "due_before_occurred" => DueBeforeOccurred,
            "due_without_next_step" => DueWithoutNextStep,
            "location_out_of_range" => LocationOutOfRange,
            "phone_format" => PhoneFormat,
            "markup" => Markup,
            "control_character" => ControlCharacter,
            "not_correctable" => NotCorrectable,
            "days_out_of_range" => DaysOutOfRange {
                max: max()?.try_into().map_err(fit(max()?))?,
            },
            "after_record_date" => AfterRecordDate,
            "before_record_date" => BeforeRecordDate,
            "self_reference" => SelfReference,
            "image_format" => ImageFormat,
            "count_out_of_range" => CountOutOfRange {
                max: max()?.try_into().map_err(fit(max()?))?,
            },
            "group_needs_representatives" => GroupNeedsRepresentatives,
            "duplicate" => Duplicate,
            "id_number_format" => IdNumberFormat,
            "id_number_birth_date" => IdNumberBirthDate,
            "id_number_check_digit" => IdNumberCheckDigit,
            "findings_or_nothing_new" => FindingsOrNothingNew,
            "nothing_new_with_findings" => NothingNewWithFindings,
            "only_at_group_level" => OnlyAtGroupLevel,
            "wrong_ledger" => WrongLedger,
            "ledger_only_screenings" => LedgerOnlyScreenings,
            other => return Err(D::Error::unknown_variant(other, &[])),
        };
        Ok(Self {
            field: flat.field,
            problem,
        })
    }
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
            (Lang::Zh, Problem::CountOutOfRange { max }) => format!("{label}应为 1 至 {max}"),
            (Lang::Zh, Problem::GroupNeedsRepresentatives) => {
                format!("五人以上来访须推选代表，请填写{label}（不超过 5 人）")
            }
            (Lang::Zh, Problem::AfterRecordDate) => format!("{label}不能晚于本记录的日期"),
            (Lang::Zh, Problem::BeforeRecordDate) => format!("{label}不能早于本记录的日期"),
            (Lang::Zh, Problem::SelfReference) => format!("{label}不能是本记录自身"),
            (Lang::Zh, Problem::ImageFormat) => {
                format!("{label}无效：仅支持 JPEG、PNG、WebP 格式，且不超过 8 MB")
            }
            (Lang::Zh, Problem::Duplicate) => format!("{label}有重复的项，请改写或删去"),
            (Lang::Zh, Problem::IdNumberFormat) => {
                format!("{label}应为 18 位：17 位数字加 1 位数字或 X")
            }
            (Lang::Zh, Problem::IdNumberBirthDate) => {
                format!("{label}中的出生日期（第 7 至 14 位）不是有效日期，请核对")
            }
            (Lang::Zh, Problem::IdNumberCheckDigit) => {
                format!("{label}校验位不符，请逐位核对是否输错")
            }
            (Lang::Zh, Problem::FindingsOrNothingNew) => {
                format!("请逐条填写{label}，或勾选“无新增矛盾”")
            }
            (Lang::Zh, Problem::NothingNewWithFindings) => {
                format!("已勾选“无新增矛盾”，不能同时填写{label}")
            }
            (Lang::Zh, Problem::OnlyAtGroupLevel) => {
                format!("只有按村民小组排查时才填写{label}")
            }
            (Lang::Zh, Problem::WrongLedger) => format!("{label}与排查地点和层级不符"),
            (Lang::Zh, Problem::LedgerOnlyScreenings) => {
                format!("{label}是排查台账，只能记录矛盾纠纷排查")
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
            (Lang::En, Problem::CountOutOfRange { max }) => {
                format!("{label} must be between 1 and {max}")
            }
            (Lang::En, Problem::GroupNeedsRepresentatives) => {
                format!("More than five came: name the {label} who speak for them (at most 5)")
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
            (Lang::En, Problem::Duplicate) => {
                format!("{label} lists the same entry twice; reword or remove one")
            }
            (Lang::En, Problem::IdNumberFormat) => {
                format!("{label} must be 18 characters: 17 digits and a digit or X")
            }
            (Lang::En, Problem::IdNumberBirthDate) => {
                format!("{label}: the birth date in digits 7 to 14 is not a real date")
            }
            (Lang::En, Problem::IdNumberCheckDigit) => {
                format!("{label}: the check character does not match; check each digit")
            }
            (Lang::En, Problem::FindingsOrNothingNew) => {
                format!("List the {label} one by one, or tick \"nothing new\"")
            }
            (Lang::En, Problem::NothingNewWithFindings) => {
                format!("\"Nothing new\" is ticked: leave {label} empty")
            }
            (Lang::En, Problem::OnlyAtGroupLevel) => {
                format!("{label} is only given for a screening by villager group")
            }
            (Lang::En, Problem::WrongLedger) => {
                format!("{label} does not match the place and level screened")
            }
            (Lang::En, Problem::LedgerOnlyScreenings) => {
                format!("{label} is a screening ledger: only screenings are recorded on it")
            }
        }
    }
}
