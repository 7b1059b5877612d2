//! Importing a county's existing ledgers (issue 18): the template's sheets and columns (names in
//! Chinese, as the office's Excel files have them), the problems a dry run lists by sheet, row and
//! column, and what an import stores. The server reads the workbook (xlsx or CSV) into `Sheet`s
//! and gathers `Facts` from its database; `check::plan` decides. No I/O.

pub mod check;
mod faults;

use crate::base::lang::Lang;
use crate::records::account::{LegalTitle, Role};
use crate::records::file::PetitionerFile;
use serde::{Deserialize, Serialize};

pub use faults::Fault;

labeled_enum!(
    /// The template's sheets, in the order they are read: places first, since the others name them.
    SheetKind {
        Places = "places" => ("地点", "Places"),
        Accounts = "accounts" => ("账号", "Accounts"),
        Files = "files" => ("信访人档案", "Petitioner files"),
        Assignments = "assignments" => ("分派", "Assignments"),
        Visits = "visits" => ("走访记录", "Visits"),
    }
);

/// Column names, as the template's header rows carry them.
pub mod col {
    pub const COUNTY: &str = "县（市、区）";
    pub const TOWNSHIP: &str = "乡镇（街道）";
    pub const VILLAGE: &str = "村（社区）";
    pub const GROUP: &str = "村民小组";
    pub const USERNAME: &str = "用户名";
    pub const NAME: &str = "姓名";
    pub const ROLE: &str = "角色";
    pub const LEGAL_TITLE: &str = "法律身份";
    pub const SEX: &str = "性别";
    pub const BIRTH_YEAR: &str = "出生年份";
    pub const ID_NUMBER: &str = "身份证号";
    pub const PHONE: &str = "联系电话";
    pub const ADDRESS: &str = "住址";
    pub const HOUSEHOLD: &str = "家庭情况";
    pub const TAGS: &str = "标签";
    pub const SUMMARY: &str = "诉求";
    pub const CATEGORY: &str = "诉求类别";
    pub const SINCE: &str = "首次信访日期";
    pub const CHANNEL: &str = "信访渠道";
    pub const CLASSIFICATION: &str = "事项分类";
    pub const LEVEL: &str = "最高到达层级";
    pub const FLAGS: &str = "事项标记";
    pub const RESOLUTION: &str = "化解状态";
    pub const CASE_LEADER: &str = "包案领导（职务）";
    pub const VISITS_BEFORE: &str = "此前走访次数";
    pub const PETITIONER: &str = "信访人姓名";
    pub const DUTY: &str = "职责";
    pub const VISIT_DATE: &str = "走访日期";
    pub const VISIT_KIND: &str = "走访方式";
    pub const VISIT_PLACE: &str = "走访地点";
    pub const PARTICIPANTS: &str = "参加人员";
    pub const RECORDER: &str = "记录人用户名";
    pub const REQUESTS: &str = "诉求及反映情况";
    pub const MOOD: &str = "思想动态";
    pub const RISK: &str = "风险等级";
    pub const EXPLAINED: &str = "释法明理";
    pub const MEASURES: &str = "稳控化解措施";
    pub const NEXT_STEP: &str = "下一步工作";
}

/// One column of a sheet: its header and whether every row must fill it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

const fn c(name: &'static str, required: bool) -> Column {
    Column { name, required }
}

use col::*;

const PLACES: &[Column] = &[
    c(COUNTY, true),
    c(TOWNSHIP, true),
    c(VILLAGE, false),
    c(GROUP, false),
];

const ACCOUNTS: &[Column] = &[
    c(USERNAME, true),
    c(NAME, true),
    c(ROLE, true),
    c(LEGAL_TITLE, false),
    c(COUNTY, true),
    c(TOWNSHIP, false),
    c(VILLAGE, false),
];

const FILES: &[Column] = &[
    c(NAME, true),
    c(SEX, true),
    c(BIRTH_YEAR, false),
    c(ID_NUMBER, false),
    c(PHONE, false),
    c(TOWNSHIP, true),
    c(VILLAGE, true),
    c(GROUP, false),
    c(ADDRESS, true),
    c(HOUSEHOLD, false),
    c(TAGS, false),
    c(SUMMARY, true),
    c(CATEGORY, true),
    c(SINCE, true),
    c(CHANNEL, true),
    c(CLASSIFICATION, true),
    c(LEVEL, true),
    c(FLAGS, false),
    c(RESOLUTION, true),
    c(CASE_LEADER, false),
    c(VISITS_BEFORE, false),
];

const ASSIGNMENTS: &[Column] = &[
    c(PETITIONER, true),
    c(ID_NUMBER, false),
    c(TOWNSHIP, true),
    c(VILLAGE, true),
    c(USERNAME, true),
    c(DUTY, true),
];

const VISITS: &[Column] = &[
    c(PETITIONER, true),
    c(ID_NUMBER, false),
    c(TOWNSHIP, true),
    c(VILLAGE, true),
    c(VISIT_DATE, true),
    c(VISIT_KIND, true),
    c(VISIT_PLACE, true),
    c(PARTICIPANTS, true),
    c(RECORDER, true),
    c(REQUESTS, true),
    c(MOOD, true),
    c(RISK, true),
    c(EXPLAINED, false),
    c(MEASURES, false),
    c(NEXT_STEP, false),
];

/// The columns of each sheet, in the template's order.
pub fn columns(sheet: SheetKind) -> &'static [Column] {
    match sheet {
        SheetKind::Places => PLACES,
        SheetKind::Accounts => ACCOUNTS,
        SheetKind::Files => FILES,
        SheetKind::Assignments => ASSIGNMENTS,
        SheetKind::Visits => VISITS,
    }
}

/// Which sheet a CSV file is, by its header row: each sheet has a column no other has.
pub fn sheet_of_headers(headers: &[String]) -> Option<SheetKind> {
    let has = |name: &str| headers.iter().any(|h| h.trim() == name);
    if has(col::VISIT_KIND) {
        Some(SheetKind::Visits)
    } else if has(col::SUMMARY) {
        Some(SheetKind::Files)
    } else if has(col::DUTY) {
        Some(SheetKind::Assignments)
    } else if has(col::ROLE) {
        Some(SheetKind::Accounts)
    } else if has(col::VILLAGE) && has(col::COUNTY) {
        Some(SheetKind::Places)
    } else {
        None
    }
}

/// A sheet as read: its header row and the rows below it, every cell as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The sheets of one workbook (or of several CSV files), by kind.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workbook {
    pub sheets: Vec<(SheetKind, Sheet)>,
}

impl Workbook {
    pub fn sheet(&self, kind: SheetKind) -> Option<&Sheet> {
        self.sheets.iter().find(|(k, _)| *k == kind).map(|(_, s)| s)
    }

    /// Adds a sheet's rows; a second CSV of the same sheet continues it.
    pub fn add(&mut self, kind: SheetKind, sheet: Sheet) {
        match self.sheets.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, s)) if s.headers == sheet.headers => s.rows.extend(sheet.rows),
            _ => self.sheets.push((kind, sheet)),
        }
    }

    /// The workbook from a grid per sheet: the first row the headers, empty rows dropped.
    pub fn from_grids(grids: Vec<(SheetKind, Vec<Vec<String>>)>) -> Workbook {
        let mut book = Workbook::default();
        for (kind, grid) in grids {
            let mut rows = grid.into_iter();
            let headers = rows.next().unwrap_or_default();
            book.add(
                kind,
                Sheet {
                    headers: headers.iter().map(|h| h.trim().to_owned()).collect(),
                    rows: rows.collect(),
                },
            );
        }
        book
    }
}

/// One problem of a dry run, where the office finds it: sheet, row (as Excel numbers it, the
/// header being row 1) and column.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportProblem {
    pub sheet: SheetKind,
    pub row: u32,
    pub column: &'static str,
    pub fault: Fault,
}

impl ImportProblem {
    pub fn line(&self, lang: Lang) -> ProblemLine {
        ProblemLine {
            sheet: self.sheet.label(lang).to_owned(),
            row: self.row,
            column: self.column.to_owned(),
            text: self.fault.text(lang),
        }
    }
}

/// A problem as the admin screen and the command show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemLine {
    pub sheet: String,
    pub row: u32,
    pub column: String,
    pub text: String,
}

impl std::fmt::Display for ProblemLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} 第 {} 行 {}：{}",
            self.sheet, self.row, self.column, self.text
        )
    }
}

/// How many of each thing an import adds, or found already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub places: u32,
    pub accounts: u32,
    pub files: u32,
    pub assignments: u32,
    pub leaders: u32,
    /// Visits already on paper (走访记录), stored as records of their files.
    #[serde(default)]
    pub visits: u32,
}

impl Counts {
    pub fn total(&self) -> u32 {
        self.places + self.accounts + self.files + self.assignments + self.leaders + self.visits
    }

    /// "新增：档案 N 份、账号 N 个……" in the user's language.
    pub fn text(&self, lang: Lang) -> String {
        let parts = [
            (self.files, lang.pick("档案 {} 份", "{} files")),
            (self.accounts, lang.pick("账号 {} 个", "{} accounts")),
            (self.places, lang.pick("地点 {} 个", "{} places")),
            (self.assignments, lang.pick("分派 {} 条", "{} assignments")),
            (
                self.leaders,
                lang.pick("包案领导 {} 条", "{} case-owning leaders"),
            ),
            (self.visits, lang.pick("走访记录 {} 条", "{} visits")),
        ];
        parts
            .iter()
            .map(|(n, pattern)| pattern.replace("{}", &n.to_string()))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "))
    }
}

/// What a dry run (or an import) answers: the problems, or what would be (was) stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub problems: Vec<ProblemLine>,
    /// New things stored (an import) or to be stored (a dry run).
    pub new: Counts,
    /// Rows whose thing the database already holds: importing the same sheet again adds nothing.
    pub already: Counts,
    /// Whether this answer stored anything (false for a dry run and whenever there are problems).
    pub stored: bool,
}

/// A place the database already has (or the workbook adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPlace {
    pub id: String,
    pub name: String,
    /// "county", "township" or "village".
    pub kind: String,
    pub parent: Option<String>,
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAccount {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Option<Role>,
    pub place_id: String,
    pub legal_title: Option<LegalTitle>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownFile {
    pub id: String,
    pub village_id: String,
    pub name: String,
    pub id_number: Option<String>,
}

/// What the database holds that an import must fit with, gathered by the server.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub places: Vec<KnownPlace>,
    pub accounts: Vec<KnownAccount>,
    pub files: Vec<KnownFile>,
    /// (file id, account id) of every assignment.
    pub assignments: Vec<(String, String)>,
    /// (file id, account id) of every 包案领导 record naming an account.
    pub leaders: Vec<(String, String)>,
    /// The place the importing administrator answers for; `None` for the operator at the
    /// server's console, who answers for the whole deployment.
    pub scope: Option<String>,
    /// Ids of the visits stored without a phone (imported or loaded): an imported visit's id
    /// comes from its content, so a second import finds it here.
    pub visit_ids: std::collections::HashSet<crate::base::ids::RecordId>,
    /// Today (China time): no petition began in the future.
    pub today: chrono::NaiveDate,
}

/// A place the import adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlace {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub parent: Option<String>,
}

/// An account the import adds; it gets no usable password (an administrator sets one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub place_id: String,
    pub legal_title: Option<LegalTitle>,
}

/// A file the import adds, with its id still to be given (the server draws a random one).
#[derive(Debug, Clone, PartialEq)]
pub struct NewFile {
    pub village_id: String,
    pub file: PetitionerFile,
}

/// A file an assignment names: one already stored, or the `n`th new one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FileRef {
    Stored(String),
    New(usize),
}

/// Everything an import stores, when its dry run found no problem.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub places: Vec<NewPlace>,
    /// (village id, group name) of each villager group added.
    pub groups: Vec<(String, String)>,
    pub accounts: Vec<NewAccount>,
    pub files: Vec<NewFile>,
    /// Cadres responsible for a file (责任干部): an assignment.
    pub assignments: Vec<(FileRef, String)>,
    /// 包案领导: (file, account id, display name), stored as a supervision record.
    pub leaders: Vec<(FileRef, String, String)>,
    /// Visits on paper, stored as records of their files.
    pub visits: Vec<NewVisit>,
    pub already: Counts,
}

/// A visit of the 走访记录 sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVisit {
    pub file: FileRef,
    /// The recorder's account id and name.
    pub author: String,
    pub author_name: String,
    pub occurred_at: chrono::NaiveDateTime,
    pub visit: crate::records::record::Visit,
}

impl NewVisit {
    /// The record it becomes on `file`, saved `now`. Its id comes from the file, recorder, day,
    /// kind and what was said, so importing the same row again names the same record.
    pub fn record(
        &self,
        file: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::records::record::Record {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(b"xiafang-import-visit\0")
            .chain_update(file.as_bytes())
            .chain_update([0])
            .chain_update(self.author.as_bytes())
            .chain_update([0])
            .chain_update(self.occurred_at.to_string().as_bytes())
            .chain_update([0])
            .chain_update(self.visit.kind.key().as_bytes())
            .chain_update([0])
            .chain_update(self.visit.requests.as_bytes())
            .finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        crate::records::record::Record {
            id: crate::base::ids::RecordId(uuid::Builder::from_sha1_bytes(bytes).into_uuid()),
            file_id: crate::base::ids::FileId(file.to_owned()),
            author: crate::base::ids::UserId(self.author.clone()),
            author_name: self.author_name.clone(),
            occurred_at: self.occurred_at,
            saved_at: now,
            amends: None,
            body: crate::records::record::RecordBody::Visit(self.visit.clone()),
        }
    }
}

impl Plan {
    pub fn counts(&self) -> Counts {
        let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        Counts {
            places: n(self.places.len()),
            accounts: n(self.accounts.len()),
            files: n(self.files.len()),
            assignments: n(self.assignments.len()),
            leaders: n(self.leaders.len()),
            visits: n(self.visits.len()),
        }
    }
}

/// The id of the 包案领导 record an import writes for `account` on `file`: the same pair always
/// gives the same record, so importing the same sheet again stores nothing.
pub fn leader_record_id(file: &str, account: &str) -> crate::base::ids::RecordId {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"xiafang-import-leader\0")
        .chain_update(file.as_bytes())
        .chain_update([0])
        .chain_update(account.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    crate::base::ids::RecordId(uuid::Builder::from_sha1_bytes(bytes).into_uuid())
}
