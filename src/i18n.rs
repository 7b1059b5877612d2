//! The translation table for the app's own words (zh-CN first, English second). Domain terms
//! and validation messages come from `xiafang_core` (`label`, `message`), in the same two
//! languages.

use leptos::prelude::*;
use xiafang_core::Lang;

macro_rules! messages {
    ($($key:ident => ($zh:literal, $en:literal)),+ $(,)?) => {
        /// Every sentence the app shows that is not a domain term.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key),+ }

        impl Msg {
            pub fn text(self, lang: Lang) -> &'static str {
                match self { $(Msg::$key => lang.pick($zh, $en)),+ }
            }
        }
    };
}

messages! {
    AppName => ("下访", "Xiafang"),
    Loading => ("正在读取…", "Loading…"),
    Retry => ("重试", "Retry"),
    Back => ("返回", "Back"),
    NotFound => ("找不到这个页面", "Page not found"),
    ToMyFiles => ("回到我的档案", "Back to my files"),
    SwitchLanguage => ("English", "中文"),
    SignOut => ("退出登录", "Sign out"),
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
    Address => ("住址", "Address"),
    Phone => ("电话", "Phone"),
    Household => ("家庭情况", "Household"),
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
    CryptoFailed => ("手机上的数据无法解密", "The data on this phone cannot be decrypted"),
    PinLockedSignInOnline => ("解锁码错误次数过多，手机上的数据已锁定，请联网重新登录", "Too many wrong PINs: the data on this phone is locked until you sign in online"),
}

/// The current language, provided once by the app.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// The text in the current language; reactive when called inside a view closure.
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.0.get())
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
