//! The translation table for the app's own words (zh-CN first, English second). Domain terms
//! and validation messages come from `xiafang_core` (`label`, `message`), in the same two
//! languages.

use leptos::prelude::*;
use leptos::reactive::signal::HeldSubscribers;
use xiafang_core::Lang;

macro_rules! messages {
    ($($key:ident => ($zh:literal, $en:literal)),+ $(,)?) => {
        /// Every sentence the app shows that is not a domain term.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key),+ }

        /// Every text of each language in `Msg`'s order, one after the other, and where each
        /// ends: data, not a match of a few hundred arms compiled to code, and one offset per
        /// text rather than an address and a length (issue 17: the wasm's size).
        const ZH: &str = concat!($($zh),+);
        const EN: &str = concat!($($en),+);
        const ENDS: &[[u32; 2]] = &ends([$([$zh.len(), $en.len()]),+]);

        /// Each message with its two texts as written, for the test below.
        #[cfg(test)]
        const WRITTEN: &[(Msg, &str, &str)] = &[$((Msg::$key, $zh, $en)),+];

        impl Msg {
            pub fn text(self, lang: Lang) -> &'static str {
                let i = self as usize;
                let end = ENDS[i];
                let start = if i == 0 { [0, 0] } else { ENDS[i - 1] };
                let (zh, en) = (&ZH[start[0] as usize..end[0] as usize], &EN[start[1] as usize..end[1] as usize]);
                lang.pick(zh, en)
            }
        }
    };
}

/// Where each text ends in its language's run of texts, from their lengths.
const fn ends<const N: usize>(lengths: [[usize; 2]; N]) -> [[u32; 2]; N] {
    let mut out = [[0u32; 2]; N];
    let mut sum = [0usize; 2];
    let mut i = 0;
    while i < N {
        sum[0] += lengths[i][0];
        sum[1] += lengths[i][1];
        out[i] = [sum[0] as u32, sum[1] as u32];
        i += 1;
    }
    out
}

messages! {
    AppName => ("下访", "Xiafang"),
    AppCrashed => ("应用出错，当前页面已无法继续使用。已保存到手机的记录不会丢失，请重新打开应用。", "The app ran into an error and this page cannot go on. Everything saved on the phone is safe: reopen the app."),
    AppReopen => ("重新打开", "Reopen"),
    Loading => ("正在读取…", "Loading…"),
    OfficeLoading => ("正在下载办公页面（每台手机只需一次）…", "Downloading the office screens (once per phone)…"),
    OfficeNeedsNetwork => ("办公页面需要联网下载一次，当前无法下载。请连上网络后重试；外勤页面照常可用。", "The office screens must be downloaded once and cannot be now. Connect and retry; the field screens keep working."),
    Retry => ("重试", "Retry"),
    Back => ("返回", "Back"),
    NotFound => ("找不到这个页面", "Page not found"),
    ToMyFiles => ("回到我的档案", "Back to my files"),
    SwitchLanguage => ("English", "中文"),
    SignOut => ("退出登录", "Sign out"),
    SignedOutOffline => ("已在本机退出，但没有网络、未能通知服务器：服务器上的这次登录仍有效至 ", "Signed out on this phone, but the server could not be reached: the server keeps this session (usable only with this phone) until "),
    SessionDaysLeft => ("登录后 30 天", "30 days after the sign-in"),
    DeviceKeyProblem => ("本机的设备密钥无法使用，请检查浏览器是否允许本站存储数据", "This phone's device key is unavailable; check that the browser lets this site store data"),
    SignIn => ("登录", "Sign in"),
    SigningIn => ("正在登录…", "Signing in…"),
    SignInTitle => ("干部登录", "Sign in"),
    Username => ("用户名", "User name"),
    Password => ("密码", "Password"),
    SignInNeedsNetwork => ("首次登录需要联网，请到有信号的地方再试", "The first sign-in needs a connection; try again where there is signal"),
    SignInFailed => ("登录失败，请稍后再试", "Sign-in failed; please try again later"),
    FillUsernamePassword => ("请填写用户名和密码", "Please enter user name and password"),
    Online => ("在线", "Online"),
    Offline => ("离线", "Offline"),
    PendingUploads => ("条待上传", "waiting to upload"),
    AllUploaded => ("全部已上传", "All uploaded"),
    LastUpload => ("上次上传", "Last upload"),
    NeverUploaded => ("尚未上传", "Not uploaded yet"),
    NothingToUpload => ("没有待上传的记录", "Nothing to upload"),
    LastHeard => ("上次收到服务器消息", "Last heard from the server"),
    UploadNow => ("立即上传", "Upload now"),
    Uploading => ("正在上传…", "Uploading…"),
    SessionEnded => ("登录已失效，请重新登录后上传（记录仍保存在手机上）", "Session ended: sign in again to upload (records stay on the phone)"),
    ServerProblem => ("服务器暂时无法接收，稍后自动重试", "The server cannot take uploads now; retrying automatically"),
    StorageProblem => ("手机存储出错", "Phone storage error"),
    StorageNotPersistent => ("浏览器未允许永久保存，清理浏览器数据可能丢失未上传的记录", "The browser did not agree to keep this app's data: clearing browser data may lose records not yet uploaded"),
    MyFiles => ("我的档案", "My files"),
    SearchPlaceholder => ("按姓名或村名搜索", "Search by name or village"),
    NoFilesYet => ("还没有档案。联网后会自动下载分配给您的档案。", "No files yet. Your assigned files download when you are online."),
    NoMatches => ("没有符合条件的档案", "No matching files"),
    Visits => ("次走访", "visits"),
    Petitioner => ("信访人", "Petitioner"),
    Matter => ("信访事项", "Petition matter"),
    BornIn => ("出生", "born"),
    YearsOld => ("岁", "years old"),
    Since => ("首次信访", "First petition"),
    YearsAgo => ("年", "years"),
    LevelReached => ("最高到", "Reached"),
    Resolution => ("化解情况", "Resolution"),
    CaseLeader => ("包案领导", "Case-owning leader"),
    VisitCount => ("走访次数", "Visits so far"),
    Timeline => ("工作记录", "Timeline"),
    EmptyTimeline => ("还没有记录", "Nothing recorded yet"),
    AddVisit => ("记走访", "Log visit"),
    AddAssistance => ("记帮扶", "Log assistance"),
    AddNote => ("记谈心", "Log conversation"),
    NewVisit => ("新增走访记录", "New home visit"),
    NewAssistance => ("新增帮扶措施", "New assistance action"),
    NewNote => ("新增谈心记录", "New conversation note"),
    VisitKindLabel => ("走访方式", "Kind of visit"),
    MoodLabel => ("思想动态", "State of mind"),
    RiskLabel => ("风险等级", "Risk level"),
    AssistanceKindLabel => ("帮扶类别", "Kind of assistance"),
    StatusLabel => ("状态", "Status"),
    AmountHint => ("单位：元", "in yuan"),
    ParticipantsHint => ("多人用顿号或逗号分隔，写明身份", "Separate names with commas, with each role"),
    LocationOff => ("不记录位置（位置信息从不强制）", "Location is not recorded (never required)"),
    Save => ("保存到手机", "Save on phone"),
    Saving => ("正在保存…", "Saving…"),
    Cancel => ("取消", "Cancel"),
    FixErrors => ("请先改正标出的问题", "Please correct the marked fields"),
    StorageFull => ("手机存储空间已满，未能保存。请清理手机空间后再点保存，已填内容不会丢失。", "Phone storage is full; not saved. Free some space and tap save again; what you typed is kept."),
    SaveFailed => ("未能保存到手机，请再试一次，已填内容不会丢失。", "Could not save on the phone; please try again. What you typed is kept."),
    StatePending => ("已保存在手机，待上传", "Saved on phone"),
    StateUploaded => ("已上传", "Uploaded"),
    StateRejected => ("未被服务器接收", "Not accepted by the server"),
    Recorder => ("记录人", "Recorder"),
    NextStep => ("下一步", "Next step"),
    Due => ("时限", "due"),
    Yuan => ("元", "yuan"),
    FileMissing => ("手机上没有这份档案（可能尚未下载，或已不再分配给您）", "This file is not on the phone (not downloaded yet, or no longer assigned to you)"),
    DeviceRevokedWaiting => ("此设备已被管理员停用；手机上还有其他账号未上传的记录，请联系管理员", "This device was revoked; records of other accounts still wait on it — contact your administrator"),
    DeviceErased => ("此设备已被管理员停用，手机上的档案数据已清除。未上传的记录已交给督办人员审核。", "This device was revoked by an administrator and its data erased. Records not yet uploaded were handed over for review."),
    LegalTitleLabel => ("法律身份", "Legal title"),
    StandingAmended => ("已被更正（以更正后的记录为准）", "Amended (the correction counts instead)"),
    StandingVoided => ("已作废", "Voided"),
    AmendsEarlier => ("更正了之前的一条记录", "Corrects an earlier record"),
    VoidsEarlier => ("作废了之前的一条记录", "Voids an earlier record"),
    FieldChangedTo => ("改为", "changed to"),
    FieldCleared => ("已清空", "cleared"),
    Amend => ("更正", "Amend"),
    Void => ("作废", "Void"),
    EditFile => ("修改", "Edit"),
    AmendTitle => ("更正记录", "Amend a record"),
    AmendExplain => ("原记录仍保留在工作记录中并标为“已被更正”，以更正后的记录为准。", "The original stays in the timeline, marked as amended; the correction counts instead."),
    VoidTitle => ("作废记录", "Void a record"),
    VoidExplain => ("作废后这条记录不再计入，但仍保留在工作记录中，并注明作废原因。", "A voided record no longer counts, but stays in the timeline with the reason."),
    ConfirmVoid => ("确认作废", "Void this record"),
    RecordMissing => ("手机上没有这条记录", "This record is not on the phone"),
    NotCorrectable => ("这条记录不能更正或作废：只能更正本人写的、尚未被更正或作废、也未被服务器拒收的走访、帮扶和谈心记录。", "This record cannot be amended or voided: only your own visits, assistance actions and notes that were not amended, voided or refused by the server can."),
    EditFileTitle => ("修改档案信息", "Edit the file"),
    EditFileExplain => ("修改先保存在手机上，联网后上传。若他人同时修改了同一项，以较新的修改为准，另一项记入“字段冲突”。", "Changes are saved on the phone and uploaded when online. If someone changed the same item at the same time, the newer change is kept and the other is listed under field conflicts."),
    TagsHint => ("多个标签用顿号分隔", "Separate tags with commas"),
    NothingChanged => ("没有修改任何内容，未保存", "Nothing was changed, so nothing was saved"),
    PendingEdits => ("含本机的修改，待上传", "Includes changes made on this phone, not uploaded yet"),
    Conflicts => ("字段冲突", "Field conflicts"),
    ConflictsExplain => ("以下修改与他人的修改同时发生，未被采用：", "These changes were made at the same time as others and were not kept:"),
    ConflictKept => ("保留", "kept"),
    ConflictLost => ("未采用", "not kept"),
    EmptyValue => ("（空）", "(empty)"),
    Admin => ("管理", "Admin"),
    AdminTitle => ("账号与分配管理", "Accounts and assignments"),
    AdminExplain => ("只能管理本辖区内的账号、档案和地点。所有操作直接提交到服务器。", "You manage the accounts, files and places of your own area. Every change goes straight to the server."),
    AdminNeedsNetwork => ("管理功能需要联网，请到有信号的地方再试", "Administration needs a connection; try again where there is signal"),
    AdminForbidden => ("服务器拒绝：只有管理员可以使用管理功能，且只能管理本辖区的账号、档案和地点", "Refused by the server: only administrators may do this, and only within their own area"),
    AdminNotFound => ("服务器找不到该账号、档案、地点或设备，请核对编号", "The server has no such account, file, place or device; check the id"),
    AdminUnreadable => ("服务器的回答无法识别，请稍后再试", "The server's answer could not be read; try again later"),
    Sending => ("正在提交…", "Sending…"),
    Accounts => ("账号", "Accounts"),
    NoAccounts => ("辖区内还没有账号", "No accounts in your area yet"),
    DisabledBadge => ("已停用", "Disabled"),
    Disable => ("停用", "Disable"),
    Enable => ("启用", "Enable"),
    AccountDisabled => ("账号已停用，其登录已全部失效", "Account disabled; its sessions have ended"),
    AccountEnabled => ("账号已启用", "Account enabled"),
    NewAccountTitle => ("新建账号", "New account"),
    DisplayName => ("姓名", "Name"),
    UsernameHint => ("3–32 位小写字母、数字或 . _ -", "3–32 lower-case letters, digits or . _ -"),
    RoleLabel => ("角色", "Role"),
    PlaceLabel => ("所属地点", "Place"),
    ChoosePlace => ("请选择地点", "Choose a place"),
    FirstPassword => ("初始密码", "First password"),
    PasswordHint => ("至少 10 位", "At least 10 characters"),
    CreateAccount => ("创建账号", "Create account"),
    AccountCreated => ("账号已创建", "Account created"),
    ResetPasswordTitle => ("重置密码", "Reset a password"),
    NewPassword => ("新密码", "New password"),
    PasswordWasReset => ("密码已重置，该账号须用新密码重新登录", "Password reset; the account must sign in again with the new one"),
    AccountLabel => ("账号", "Account"),
    ChooseAccount => ("请选择账号", "Choose an account"),
    AssignTitle => ("分配档案", "Assign files"),
    FileLabel => ("档案", "File"),
    ChooseFile => ("请选择档案", "Choose a file"),
    Assign => ("分配", "Assign"),
    Unassign => ("取消分配", "Unassign"),
    Assigned => ("档案已分配", "File assigned"),
    Unassigned => ("已取消分配", "Assignment removed"),
    LegalTitle => ("法律服务团队包联村", "Villages of the legal team"),
    VillageLabel => ("包联村", "Village"),
    GiveVillage => ("指定包联", "Give village"),
    TakeVillage => ("取消包联", "Take village away"),
    VillageGiven => ("已指定包联村", "Village given"),
    VillageTaken => ("已取消包联村", "Village taken away"),
    RevokeTitle => ("停用丢失的手机", "Revoke a lost phone"),
    RevokeExplain => ("停用后该手机上的登录立即失效；它下次联网时交出未上传的记录（交督办人员审核）并清除手机上的档案。", "The phone's sessions end at once; next time it is online it hands over what it had not uploaded (for a supervisor to review) and erases its files."),
    DeviceId => ("设备编号", "Device id"),
    DeviceIdHint => ("36 位编号，形如 0f8c2b1e-…", "The 36-character id, like 0f8c2b1e-…"),
    Revoke => ("停用此手机", "Revoke this phone"),
    DeviceRevoked => ("手机已停用", "Phone revoked"),
    PinWrong => ("解锁码不正确，剩余尝试次数：", "Wrong PIN. Tries left: "),
    UnlockTitle => ("输入解锁码", "Enter your PIN"),
    UnlockExplain => ("手机上的数据已加密并锁定。输入 6 位解锁码继续，无需联网。", "The data on this phone is encrypted and locked. Enter your 6-digit PIN to go on; no connection needed."),
    Pin => ("解锁码", "PIN"),
    PinAgain => ("再输入一次解锁码", "PIN again"),
    Unlock => ("解锁", "Unlock"),
    Unlocking => ("正在解锁…", "Unlocking…"),
    UsePassword => ("改用密码联网登录", "Sign in online with the password instead"),
    SetPinTitle => ("设置解锁码", "Set a PIN"),
    SetPinExplain => ("没有信号时，用 6 位数字的解锁码打开手机上的数据。不要用生日、相同或连续的数字。", "Without signal, a 6-digit PIN opens the data on this phone. Avoid birthdays and repeated or consecutive digits."),
    SavePin => ("保存解锁码", "Save PIN"),
    PinsDiffer => ("两次输入的解锁码不一致", "The two PINs differ"),
    Lock => ("锁定", "Lock"),
    SignInToUnlock => ("请联网用密码登录，以打开手机上已加密的数据", "Sign in online with your password to open the encrypted data on this phone"),
    OthersPending => ("此手机上还有其他账号尚未上传的记录，请先由该账号登录上传。条数：", "Records of another account on this phone are not uploaded yet; that account must sign in and upload them first. Records: "),
    NoDeviceSecret => ("服务器未返回本机解锁密钥，无法加密手机上的数据，请联系管理员", "The server sent no unlock secret for this phone, so its data cannot be encrypted; please contact the administrator"),
    NewStep => ("记录办理环节", "Record a step of the matter"),
    NewSupervision => ("督办", "Supervision"),
    AddStep => ("记办理环节", "Record a step"),
    AddSupervision => ("督办", "Supervise"),
    NewReception => ("记录接访", "Record a reception"),
    AddReception => ("接访", "Reception"),
    NewWarning => ("报告苗头", "Report an early sign"),
    AddWarning => ("报苗头", "Early sign"),
    SignKindLabel => ("苗头类别", "Kind of sign"),
    ReportedToLabel => ("报告至", "Reported to"),
    SettledLabel => ("已稳控化解（本次报告结束该苗头）", "Settled (this report closes the sign)"),
    ReceptionKindLabel => ("接访方式", "Kind of reception"),
    ReceptionLeaderHint => ("姓名及职务，例如：张志强（县委副书记）", "Name and post, e.g. 张志强（县委副书记）"),
    RepresentativesHint => ("五人以上来访须推选代表，不超过 5 人，用顿号分隔", "More than five: name at most 5 representatives, separated by 、"),
    StepLabel => ("办理环节", "Step"),
    RouteLabel => ("分流方式", "Routing"),
    AcceptedLabel => ("予以受理", "Accepted"),
    SimplifiedLabel => ("简易办理", "Simplified handling"),
    ReplyOutcomeLabel => ("答复结果", "Outcome of the reply"),
    EvaluationLabel => ("信访人评价", "Petitioner's evaluation"),
    ReviewOutcomeLabel => ("复查/复核结果", "Review outcome"),
    ApproverRoleLabel => ("批准人职务", "Approver's post"),
    ReasonToldLabel => ("已向信访人告知延期理由", "The petitioner was told the reason"),
    ServedDocumentLabel => ("送达文书", "Document served"),
    ServiceMethodLabel => ("送达方式", "How it was served"),
    Unserved => ("未记录送达", "service not recorded"),
    Unreceived => ("承办机关收件日期未记录", "receipt by the handling body not recorded"),
    CarriedOutLabel => ("处理意见已落实", "The outcome was carried out"),
    LegalRouteLabel => ("法定途径", "Legal channel"),
    ResolutionLabel => ("化解情况", "Resolution"),
    SupervisionModeLabel => ("督办方式", "Mode of supervision"),
    SupervisionActionLabel => ("督办事项", "Action"),
    CaseTitle => ("办理进度与期限", "Progress and time limits"),
    CaseNotStarted => ("尚未登记办理环节", "No step of the matter recorded yet"),
    Stage => ("当前环节", "Stage"),
    DueOn => ("期限", "due"),
    Supervised => ("挂牌督办", "Listed for supervision"),
    ReviewQueueTitle => ("待审核的工作记录", "Records waiting for review"),
    ReviewQueueExplain => ("辖区干部上传的走访记录和帮扶措施在此审核；谈心记录涉及隐私，不在审核之列。", "Visit logs and assistance actions uploaded by cadres of your area wait here; conversation notes are private and are not reviewed."),
    ReviewQueueEmpty => ("没有待审核的记录", "Nothing waits for review"),
    ReviewIt => ("审核", "Review"),
    ReviewCommentHint => ("退回时请写明需要补充或更正的内容", "When returning, say what must be added or corrected"),
    Approve => ("审核通过", "Approve"),
    ReturnIt => ("退回修改", "Return for changes"),
    ReviewNotOwn => ("不能审核自己的记录", "You cannot review your own record"),
    ReviewNotPending => ("这条记录已审核或已更正，无需再审", "This record was already reviewed or corrected"),
    FileHistory => ("档案全部记录", "The file's history"),
    ReviewPending => ("待审核", "Waiting for review"),
    ReviewApproved => ("审核通过", "Approved"),
    ReviewReturned => ("已退回，请更正", "Returned: please amend"),
    ReviewAnswered => ("已按退回意见更正", "Amended as asked"),
    // The supervisor's console: 案件期限, 统计, 台账 and the printable case file.
    ComputedOnPhone => ("根据手机上已同步的档案和记录计算，离线也可查看。", "Computed from the files and records synced to this phone; works offline."),
    GroupBy => ("分组", "Group by"),
    GroupTownship => ("按乡镇/街道", "By township"),
    GroupVillage => ("按村/社区", "By village"),
    GroupCadre => ("按干部", "By cadre"),
    GroupLeader => ("按包案领导", "By case-owning leader"),
    NoCadre => ("（尚无走访、帮扶或谈心记录）", "(no visits, assistance or notes yet)"),
    NoLeader => ("（无包案领导）", "(no case-owning leader)"),
    SectionOverdue => ("已逾期", "Overdue"),
    SectionDueSoon => ("即将到期", "Due soon"),
    SectionSupervised => ("挂牌督办", "Under supervision"),
    SectionWarnings => ("苗头预警（未稳控化解）", "Early signs not yet settled"),
    ReportedTo => ("报告至", "reported to "),
    DaysSinceReported => ("已报告 {n} 天", "reported {n} days ago"),
    SectionFollowUp => ("待回访", "Follow-up visit due"),
    SectionNoVisit => ("{n} 天以上未走访", "No visit for {n} days or more"),
    ShortNoVisit => ("久未走访", "No recent visit"),
    ShortWarnings => ("苗头预警", "Early signs"),
    NothingDue => ("没有", "None"),
    DaysOverdue => ("逾期 {n} 天", "{n} days overdue"),
    DaysLeft => ("还剩 {n} 天", "{n} days left"),
    DueToday => ("今天到期", "Due today"),
    DaysSinceVisit => ("{n} 天未走访", "{n} days since the last visit"),
    NeverVisited => ("应用中尚无走访记录", "No visit recorded in the app"),
    LastVisit => ("上次走访", "last visit"),
    BacklogYears => ("积案 {n} 年", "Backlog, {n} years"),
    Workload => ("工作量", "Workload"),
    WorkloadExplain => ("仅供安排工作：按名称排列，只计件数，不排名、不作考核。", "For planning only: ordered by name, plain counts, no ranking and no assessment."),
    FilesCount => ("档案", "Files"),
    PeriodFrom => ("开始日期", "From"),
    PeriodTo => ("结束日期", "To"),
    PeriodInvalid => ("请填写起止日期，开始日期不能晚于结束日期", "Enter both dates; the start may not be after the end"),
    PlaceFilter => ("地区", "Place"),
    AllPlaces => ("全部（本机所有档案）", "All (every file on this phone)"),
    Definition => ("口径", "Definition"),
    NoValue => ("—", "—"),
    NavOwnership => ("包案", "Case ownership"),
    CaseViews => ("案件视图", "Case views"),
    NoOwnedCases => ("手机上的档案中还没有包案领导", "No file on this phone has a case-owning leader yet"),
    OwnedCount => ("包案 {n} 件", "{n} cases owned"),
    ResponsibleUnit => ("责任单位", "Responsible unit"),
    ResponsiblePerson => ("责任人", "Person responsible"),
    OwnVisits => ("本人接访/下访 {n} 次", "{n} visits by the leader"),
    NoPlanYet => ("尚未制定化解方案", "No resolution plan yet"),
    MilestonesTable => ("化解方案里程碑", "Milestones of the resolution plan"),
    TeamLabel => ("工作专班", "Working group"),
    MilestoneWhat => ("里程碑", "Milestone"),
    MilestoneDue => ("完成时限", "Due"),
    MilestoneState => ("完成情况", "State"),
    MetOn => ("完成于", "met on"),
    AddMilestone => ("添加里程碑", "Add a milestone"),
    RemoveMilestone => ("删除此里程碑", "Remove this milestone"),
    TeamHint => ("用顿号或逗号分隔，例如：王副书记（专班负责人）、王建国（驻村干部）", "Separate names with commas, e.g. 王副书记（专班负责人）, 王建国（驻村干部）"),
    AssistanceByKind => ("已发放/已落实的帮扶（按类别）", "Assistance delivered, by kind"),
    MonthlyVisits => ("每月走访次数", "Visits per month"),
    MonthlyAssistance => ("每月帮扶金额（元）", "Assistance per month (yuan)"),
    MonthSuffix => ("月", ""),
    ByVillage => ("按村统计", "By village"),
    ByVillageExplain => ("按地名排列，不排名。", "Ordered by place name, not ranked."),
    LedgerExplain => ("台账由服务器按本辖区您可查阅的档案生成，下载记入审计日志，不保存在手机上。", "The server writes ledgers from the files of your area you may read; downloads are audited and nothing is kept on the phone."),
    LedgerNeedsNetwork => ("当前离线：台账需要联网下载，请到有信号的地方再试。案件期限和统计离线也可查看。", "Offline: ledgers need a connection; try again where there is signal. Deadlines and figures work offline."),
    LedgerScope => ("范围：本辖区 ", "Area: "),
    LedgerLabel => ("台账", "Ledger"),
    FormatLabel => ("格式", "Format"),
    FormatXlsx => ("Excel（.xlsx）", "Excel (.xlsx)"),
    FormatCsv => ("CSV（可用 Excel 打开）", "CSV (opens in Excel)"),
    Download => ("下载", "Download"),
    Downloading => ("正在下载…", "Downloading…"),
    LedgerSaved => ("已下载：", "Downloaded: "),
    LedgerForbidden => ("服务器拒绝：只有督办人员和管理员可以下载本辖区的台账", "Refused by the server: only supervisors and administrators may download the ledgers of their area"),
    PrintFile => ("打印档案", "Print file"),
    Print => ("打印", "Print"),
    PrintTitle => ("信访人档案", "Petitioner file"),
    PrintedOn => ("打印日期", "Printed on"),
    PrintRecords => ("工作记录（按时间顺序）", "Records, oldest first"),
    NavReview => ("审核", "Review"),
    NavCases => ("案件期限", "Deadlines"),
    NavFigures => ("统计", "Figures"),
    NavLedgers => ("台账", "Ledgers"),
    // The legal team (三官两师一员): referrals, opinions, mediation, joint visits.
    NewReferral => ("转介法律服务团队", "Refer to the legal team"),
    NewOpinion => ("出具法律意见", "Give a legal opinion"),
    NewMediation => ("人民调解记录", "Record a mediation"),
    AddReferral => ("转介法律服务团队", "Refer to legal team"),
    AddOpinion => ("法律意见", "Legal opinion"),
    AddMediation => ("人民调解", "Mediation"),
    AddVisitPart => ("补充我的记录", "Add my part"),
    NoTeamForVillage => ("本村暂无包联的法律服务团队成员（联网同步后会更新名单）", "No legal team member serves this village yet (the list updates when you sync)"),
    ReferralNeedLabel => ("需要", "Needed"),
    ChannelLabel => ("建议途径", "Channel recommended"),
    OutcomeLabel => ("调解结果", "Outcome"),
    MediationChannelLabel => ("引导的法定途径", "Legal channel pointed to"),
    ConfirmedFactsHint => ("保存后请当事人在屏幕上签名确认（事实确认书）", "After saving, the parties sign this on the screen (fact confirmation)"),
    SessionsHint => ("多次调解用逗号分隔，例如 2026-11-13，2026-11-20", "Separate several days with commas, e.g. 2026-11-13, 2026-11-20"),
    SignAfterSaving => ("保存后可在记录下方请当事人签名", "After saving, the parties can sign under the record"),
    NotEvaluated => ("本次未评价", "Not asked this time"),
    MyVillages => ("我包联的村社", "Villages I serve"),
    ReferredToMe => ("转介和联合走访", "Referrals and joint visits"),
    NothingReferred => ("暂无转介给您的档案", "No files referred to you"),
    JointVisit => ("联合走访", "Joint visit"),
    MoreFiles => ("显示更多档案", "Show more files"),
    TodoTitle => ("待办", "To do"),
    TodoEmpty => ("近两周没有到期的事项", "Nothing falls due in the next two weeks"),
    TodoFailed => ("待办事项读取失败，档案列表不受影响", "The to-do list could not be read; the file list is not affected"),
    TodoShowAll => ("显示全部待办", "Show all"),
    TodoNextStep => ("下一步", "Next step"),
    TodoDeadline => ("期限", "Deadline"),
    TodoReport => ("承办单位限期报告", "Unit's report due"),
    TodoMilestone => ("包案化解方案节点", "Milestone of the resolution plan"),
    TodoVisit => ("应再次走访", "Due a visit"),
    EarlierRecords => ("显示更早的记录", "Show earlier records"),
    CryptoFailed => ("手机上的数据无法解密", "The data on this phone cannot be decrypted"),
    PinLockedSignInOnline => ("解锁码错误次数过多，手机上的数据已锁定，请联网重新登录", "Too many wrong PINs: the data on this phone is locked until you sign in online"),
    SignAction => ("签名确认", "Have it signed"),
    PhotoAction => ("拍照", "Add a photo"),
    SignTitle => ("签名确认", "Signature"),
    SignExplain => ("请签名人核对以下内容，确认无误后在下方签名。", "Let the signer read the text below, then sign underneath."),
    SignerLabel => ("签名人", "Signed by"),
    SignerRoleLabel => ("签名人身份", "Signing as"),
    SignHere => ("请在框内签名", "Sign inside the box"),
    ClearPad => ("清除", "Clear"),
    ConfirmSignature => ("确认签名", "Confirm signature"),
    PadEmpty => ("签名框是空的，请先签名再确认", "The box is empty: sign first, then confirm"),
    SignatureImage => ("签名", "Signature"),
    PhotoTitle => ("拍照", "Add a photo"),
    PhotoImage => ("照片", "Photo"),
    TakePhoto => ("拍照或选择照片", "Take or choose a photo"),
    PhotoSubjectLabel => ("照片内容", "What it shows"),
    Compressing => ("正在压缩照片…", "Compressing the photo…"),
    PhotoSize => ("压缩后大小", "Size after compression"),
    SavePhoto => ("保存照片", "Save photo"),
    PhotoMissing => ("请先拍照或选择照片", "Take or choose a photo first"),
    PhotoTooBig => ("照片压缩后仍超过 8 MB，无法保存，请重新拍摄", "Even compressed, the photo is over 8 MB; please take it again"),
    PhotoUnreadable => ("无法读取这张照片，请重新拍摄或换一张", "This photo cannot be read; take it again or choose another"),
    ImageNotUploaded => ("附件尚未上传", "Attachment not uploaded yet"),
    ImageOffline => ("附件未下载（离线）", "Attachment not downloaded (offline)"),
    NewTasking => ("交办", "Assigned to a unit"),
    AddTasking => ("交办/销号", "Assign / sign off"),
    AddUnitReport => ("记办结报告", "Enter the unit's report"),
    TaskingActionLabel => ("事项", "Action"),
    UrgeMethodLabel => ("催办方式", "How the unit was urged"),
    ReportResolved => ("承办单位报告信访人诉求已化解", "The unit reports the request resolved"),
    NewReportByHint => ("可重新限期；不填则仍按原限期", "A new deadline, if any; otherwise the one set stands"),
    NoTaskYet => ("该档案尚未交办", "Nothing assigned on this file yet"),
    TaskTitle => ("交办", "Assigned to units"),
    TaskUrged => ("已催办 {n} 次", "urged {n} times"),
    TaskLate => ("报告逾期", "reported late"),
    TaskRemind => ("提醒：电话催办", "Reminder: phone the unit"),
    NavTasks => ("交办", "Tasks"),
    TasksExplain => ("交办给承办单位的事项，按限期报告日期排列：逾期未报告的在前；即将到期的请电话催办；已报告的待审核销号。", "Matters assigned to handling units by their report deadline: overdue first; phone the units whose deadline is near; reported ones await sign-off."),
    TasksOpen => ("待办结", "Open"),
    TasksAwaiting => ("待审核销号", "Awaiting sign-off"),
    TasksDone => ("已销号", "Signed off"),
    TasksNone => ("暂无", "None"),
    ColFile => ("档案", "File"),
    ColUnit => ("承办单位", "Unit"),
    ColLeft => ("剩余", "Left"),
    ColUrged => ("催办", "Urged"),
    ColState => ("状态", "State"),
    ImageFailed => ("附件无法显示", "The attachment cannot be shown"),
    ImageStorageFull => ("手机存储空间不足，照片或签名未保存。请清理手机空间后再试，已填内容不会丢失。", "Not enough room on the phone: the photo or signature was not saved. Free some space and try again; what you entered is kept."),
    PendingImages => ("个附件待上传", "attachments waiting to upload"),
    NotAttachable => ("这条记录已作废或被服务器拒收，不能再签名或拍照", "This record was voided or refused by the server: it can no longer be signed or photographed"),
    AttachNotAllowed => ("只有负责这份档案的干部和法律顾问可以添加签名或照片", "Only the cadres and legal team members on this file can add signatures or photos"),
    NotSignable => ("这类记录不需要签名确认", "Records of this kind are not signed"),
    NotPhotographable => ("这类记录不能附照片", "Photos cannot be attached to records of this kind"),
    LeaderAccountLabel => ("从账号中选择包案领导", "Pick the leader from the accounts"),
    LeaderNoAccount => ("未开通账号（手动填写姓名和职务）", "No account (type the name and post)"),
    IdNumberHint => ("18 位，最后一位可以是 X；只在本表单完整显示，其他地方都遮挡中间 10 位", "18 characters, the last may be X; shown in full only in this form, elsewhere the middle 10 are hidden"),
    SamePersonFiles => ("同一信访人另有档案", "The same petitioner has other files"),
    SamePersonExplain => ("按身份号码相同，或一方未登记身份号码时姓名和电话均相同认定；只列出本机上有的档案，系统不会自动合并。", "Matched by the same ID number, or the same name and phone when either file lacks one; only files on this phone are listed, and nothing is merged automatically."),
    SeveralFiles => ("一人多档", "People with several files"),
    SeveralFilesExplain => ("同一信访人（身份号码相同，或姓名和电话相同）在本机上有多份档案。请核实后人工处理，系统不会自动合并。", "The same petitioner (same ID number, or same name and phone) has several files on this phone. Check and handle them by hand; nothing is merged automatically."),
    SeveralFilesNone => ("没有一人多档的情况", "No one has several files"),
    NavScreening => ("排查", "Screening"),
    ScreeningTitle => ("矛盾纠纷排查", "Dispute screening"),
    ScreeningRecord => ("记录排查", "Record a screening"),
    ScreeningHome => ("矛盾纠纷排查（本周排查、逾期情况）", "Dispute screening (this week, overdue)"),
    ScreeningNoPlaces => ("还没有排查地点。联网同步后会列出您负责排查的村（社区）。", "No places yet. The places you screen are listed after you sync online."),
    ScreeningUnknownPlace => ("找不到这个排查地点。请联网同步后再试。", "This place is not on the phone. Sync online and try again."),
    ScreeningNotYours => ("您的账号不能记录这一级的排查，保存后服务器会拒收", "Your account cannot record screenings at this level: the server would refuse it"),
    ScreeningWholeVillage => ("全村（不分村民小组）", "Whole village (not by group)"),
    ScreeningParticipantsHint => ("多人用顿号或逗号分隔；法律服务团队成员一同排查的也写在这里", "Separate names with 、 or commas; legal team members who took part go here too"),
    ScreeningNothingNew => ("无新增矛盾", "Nothing new found"),
    ScreeningFindingsHint => ("每行一件：当事人和矛盾纠纷事由；没有发现的，请勾选“无新增矛盾”", "One per line: who and what; if nothing was found, tick \"Nothing new found\""),
    ScreeningThisPeriod => ("本期", "This period"),
    ScreeningMissed => ("逾期未排查 {n} 期", "{n} periods not screened"),
    ScreeningLate => ("逾期补录 {n} 期", "{n} periods entered late"),
    ScreeningOnTimeRate => ("排查按时率", "Screened on time"),
    // Issue 19, office side ("office"): 核验记录链 on the admin screen.
    VerifyTitle => ("核验记录链", "Check the record chains"),
    VerifyExplain => ("重新计算每份档案的记录链，并核对服务器每天签发的签名根，列出内容或顺序已不相符的记录。", "Recomputes every file's record chain and checks the statements the server signs each day, listing each record whose content or order no longer matches."),
    VerifyRun => ("开始核验", "Check now"),
    VerifyRunning => ("正在核验…", "Checking…"),
    VerifyAllMatch => ("全部相符：{chains} 份档案的记录链（{records} 条记录）与 {statements} 份签名根均未被改动。", "All match: the record chains of {chains} files ({records} records) and {statements} signed statements are unchanged."),
    VerifyFound => ("发现 {n} 处不符：", "{n} mismatches found:"),
    VerifyElsewhere => ("另有 {elsewhere} 处不符涉及您辖区以外的档案，请告知上级管理员。", "{elsewhere} more concern files outside your area: tell the administrator above you."),
    VerifyBusy => ("已有一次核验正在进行，请稍后再试。", "A check is already running; try again shortly."),
    // Issue 19 (helper "phone"): the phone's copy against the server's chain.
    ChainWarningTitle => ("服务器上的记录与本机保存的不一致", "The server's records no longer match this phone's copy"),
    ChainChanged => ("服务器上的第 {n} 条记录（{what}）与本机保存的不一致", "Record {n} on the server ({what}) differs from the copy on this phone"),
    ChainVanished => ("服务器上已没有本机保存的第 {n} 条记录（{what}）", "Record {n} kept on this phone ({what}) is gone from the server"),
    ChainMoved => ("服务器上第 {n} 条记录（{what}）的先后顺序被改动", "Record {n} ({what}) was moved to another place on the server"),
    ChainInserted => ("服务器上在第 {n} 条的位置多出一条本机从未收到的记录", "The server has, at place {n}, a record this phone never received"),
    ChainRelinked => ("服务器上第 {n} 条记录（{what}）的校验值被改动", "The check value of record {n} ({what}) was changed on the server"),
    ChainKeptHere => ("本机保留原来的记录，下方显示的是本机保存的内容；已报告给上级核查。", "This phone keeps the original records, shown below, and has reported it for checking."),
    ChainLastMatched => ("最后一次核对一致：{d}", "Last matched on {d}"),
    ChainNeverMatched => ("本机此前未核对过这份档案", "This phone had not checked this file before"),
    ChainMatched => ("本机保存的 {n} 条记录与服务器核对一致（{d}）", "The {n} records on this phone match the server's ({d})"),
    ChainAlerts => ("以下档案在服务器上的记录与本机保存的不一致，请联系上级核查：", "These files' records on the server no longer match this phone's copy; ask your supervisor to check:"),
    // Issue 18 item 1 (helper "import"): 管理 → 导入台账.
    ImportTitle => ("导入台账", "Import ledgers"),
    ImportExplain => ("选择按模板填写的 Excel 文件（.xlsx），或其中一张表的 CSV 文件。先检查，列出全部问题；没有问题才能导入，要么全部导入，要么一条也不导入。同一文件重复导入不会新增任何内容。导入的账号没有密码，请在上方为其设置。", "Choose the workbook (.xlsx) filled in from the template, or one sheet as CSV. Check it first: every problem is listed; it can be imported only when there are none, all of it or nothing. Importing the same file again adds nothing. Imported accounts have no password: set one above."),
    ImportFile => ("台账文件", "Ledger file"),
    ImportCheck => ("检查", "Check"),
    ImportRun => ("导入", "Import"),
    ImportChecking => ("正在检查…", "Checking…"),
    ImportNoFile => ("请先选择文件", "Choose a file first"),
    ImportTooLarge => ("文件超过 16 MB，请分表导入", "The file is over 16 MB; import it sheet by sheet"),
    ImportUnreadableFile => ("无法读取所选文件", "The chosen file cannot be read"),
    ImportProblems => ("发现 {n} 处问题，未导入任何内容。请在文件中改正后重新选择：", "{n} problems found; nothing was imported. Correct them in the file and choose it again:"),
    ImportSheet => ("表", "Sheet"),
    ImportRow => ("行", "Row"),
    ImportColumn => ("列", "Column"),
    ImportProblem => ("问题", "Problem"),
    ImportReady => ("检查通过，可以导入。将新增：{new}；已存在：{already}", "No problems. It would add: {new}; already there: {already}"),
    ImportDone => ("已导入。新增：{new}；已存在：{already}", "Imported. Added: {new}; already there: {already}"),
}

/// The current language, provided once by the app.
#[derive(Clone, Copy)]
pub struct I18n(RwSignal<Lang>);

impl I18n {
    /// Creates the handle in `lang` and provides it as context.
    pub fn install(lang: Lang) {
        let signal = RwSignal::new(lang);
        crate::probe::held_by(crate::probe::Source::Lang, move || {
            signal.held_subscribers()
        });
        provide_context(I18n(signal));
        mark_page_lang(lang);
        crate::crash::say_in(lang);
    }

    /// Shows the app in `lang` from now on.
    pub fn set_lang(self, lang: Lang) {
        self.0.set(lang);
        mark_page_lang(lang);
        crate::crash::say_in(lang);
    }

    /// The language of the moment, without subscribing (in an event handler, a task).
    pub fn lang_untracked(self) -> Lang {
        self.0.get_untracked()
    }

    pub fn lang(self) -> Lang {
        crate::probe::tracked(crate::probe::Source::Lang);
        self.0.get()
    }

    /// The text in the current language; reactive when called inside a view closure.
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.lang())
    }
}

/// Tells the browser (and a screen reader, which picks its voice by it) the page's language.
fn mark_page_lang(lang: Lang) {
    let html = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(html) = html
        && let Err(e) = html.set_attribute("lang", lang.pick("zh-CN", "en"))
    {
        web_sys::console::warn_1(&e);
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::{Lang, WRITTEN};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    /// The runs of texts and their ends give back every text as written, the first and the last
    /// included, in both languages.
    #[wasm_bindgen_test]
    fn every_message_reads_as_written() {
        for &(msg, zh, en) in WRITTEN {
            assert_eq!(msg.text(Lang::Zh), zh);
            assert_eq!(msg.text(Lang::En), en);
        }
        assert!(WRITTEN.len() > 400);
    }
}
