//! What can be wrong with one cell (or row) of an imported workbook, worded for the office.

use crate::base::lang::Lang;

/// One problem's kind; `text` words it in Chinese (the office's language) or English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// A required column is not in the header row.
    MissingColumn,
    /// A required cell is empty.
    Required,
    /// Longer than the API accepts.
    TooLong {
        max: usize,
    },
    /// Looks like markup (`<b>`) or holds control characters.
    Markup,
    /// Not one of the choices; `choices` lists them.
    NotAChoice {
        choices: String,
    },
    /// No such county or 乡镇 among the database's and the 地点 sheet's places.
    UnknownPlace,
    /// The township exists but has no such village.
    UnknownVillage,
    /// The village has no such villager group.
    UnknownGroup,
    /// Several places of the administrator's area carry this name.
    AmbiguousPlace,
    /// A place outside the importing administrator's area.
    OutOfScope,
    /// Not 17 digits and a digit or X.
    IdFormat,
    /// Digits 7–14 are not a real birth date.
    IdBirthDate,
    /// The check character does not match.
    IdCheckDigit,
    /// The same ID number already appears on row `first_row` of this sheet.
    DuplicateIdInSheet {
        first_row: u32,
    },
    /// Another file in the database has this ID number (under another name or village).
    DuplicateIdInDatabase,
    /// Not a date, or a day that does not exist (2026-02-30).
    ImpossibleDate,
    /// A day after today.
    FutureDate,
    /// Not a whole number in range.
    BadNumber {
        min: i64,
        max: i64,
    },
    /// The user name does not have the accepted shape.
    UsernameShape,
    /// The same user name already appears on row `first_row`.
    DuplicateUsername {
        first_row: u32,
    },
    /// The user name belongs to an account with another name, role or place.
    UsernameTaken,
    /// A legal team member needs a title; nobody else has one.
    LegalTitleMissing,
    LegalTitleNotLegal,
    /// No account with this user name in the database or the 账号 sheet.
    UnknownAccount,
    /// No file with this ID number (or name and village) in the database or the 信访人档案 sheet.
    UnknownFile,
    /// The account's role does not fit the duty (责任干部 are cadres, 包案领导 supervisors).
    WrongRole {
        need: &'static str,
    },
    /// A 包案领导 must belong to the file's village, township or county.
    LeaderElsewhere,
    /// The record's own rules refused it; `text` is their message.
    Invalid {
        text: String,
    },
}

impl Fault {
    pub fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let s = |zh_text: &str, en: &str| if zh { zh_text } else { en }.to_owned();
        match self {
            Fault::MissingColumn => s("缺少此列", "This column is missing"),
            Fault::Required => s("必填，不能为空", "Required"),
            Fault::TooLong { max } => {
                if zh {
                    format!("超过 {max} 个字")
                } else {
                    format!("Longer than {max} characters")
                }
            }
            Fault::Markup => s(
                "含有不允许的字符（尖括号标记或控制字符）",
                "Contains markup or control characters",
            ),
            Fault::NotAChoice { choices } => {
                if zh {
                    format!("无法识别，应为：{choices}")
                } else {
                    format!("Not recognised; one of: {choices}")
                }
            }
            Fault::UnknownPlace => s(
                "未知的地点：系统和“地点”表中都没有",
                "Unknown place: neither the system nor the Places sheet has it",
            ),
            Fault::UnknownVillage => s(
                "该乡镇（街道）下没有这个村（社区）",
                "The township has no such village",
            ),
            Fault::UnknownGroup => s(
                "该村（社区）下没有这个村民小组",
                "The village has no such villager group",
            ),
            Fault::AmbiguousPlace => s(
                "您的管辖范围内有多个同名地点，无法确定",
                "Several places of your area have this name",
            ),
            Fault::OutOfScope => s("不在您的管辖范围内", "Outside your area"),
            Fault::IdFormat => s(
                "身份证号格式不对：应为 17 位数字加 1 位数字或 X",
                "An ID number is 17 digits and a digit or X",
            ),
            Fault::IdBirthDate => s(
                "身份证号中的出生日期不存在",
                "The birth date in the ID number does not exist",
            ),
            Fault::IdCheckDigit => s(
                "身份证号校验位不对，请核对",
                "The ID number's check character does not match",
            ),
            Fault::DuplicateIdInSheet { first_row } => {
                if zh {
                    format!("身份证号与本表第 {first_row} 行重复")
                } else {
                    format!("Same ID number as row {first_row} of this sheet")
                }
            }
            Fault::DuplicateIdInDatabase => s(
                "身份证号与系统中已有的另一份档案重复",
                "Another file in the system has this ID number",
            ),
            Fault::ImpossibleDate => s(
                "日期不存在或无法识别（应为 2024-03-15 这样的日期）",
                "Not a real date (write it as 2024-03-15)",
            ),
            Fault::FutureDate => s("日期晚于今天", "The date is after today"),
            Fault::BadNumber { min, max } => {
                if zh {
                    format!("应为 {min} 到 {max} 之间的整数")
                } else {
                    format!("A whole number from {min} to {max}")
                }
            }
            Fault::UsernameShape => s(
                "用户名须为 3–32 位小写字母、数字或 . _ -",
                "User name: 3–32 lower-case letters, digits or . _ -",
            ),
            Fault::DuplicateUsername { first_row } => {
                if zh {
                    format!("用户名与本表第 {first_row} 行重复")
                } else {
                    format!("Same user name as row {first_row} of this sheet")
                }
            }
            Fault::UsernameTaken => s(
                "系统中已有此用户名，且姓名、角色或所属地区不同",
                "The system has this user name with another name, role or place",
            ),
            Fault::LegalTitleMissing => s(
                "法律服务团队成员须填写法律身份",
                "A legal team member needs a legal title",
            ),
            Fault::LegalTitleNotLegal => s(
                "只有法律服务团队成员才有法律身份",
                "Only legal team members have a legal title",
            ),
            Fault::UnknownAccount => s(
                "没有这个用户名的账号（系统和“账号”表中都没有）",
                "No account with this user name in the system or the Accounts sheet",
            ),
            Fault::UnknownFile => s(
                "找不到这份档案（系统和“信访人档案”表中都没有，或不在您的管辖范围内）",
                "No such file in the system or the Petitioner files sheet, or outside your area",
            ),
            Fault::WrongRole { need } => {
                if zh {
                    format!("此职责须由{need}担任")
                } else {
                    format!("This duty needs the role {need}")
                }
            }
            Fault::Invalid { text } => text.clone(),
            Fault::LeaderElsewhere => s(
                "包案领导须属于档案所在的村、乡镇（街道）或县",
                "A case-owning leader must belong to the file's village, township or county",
            ),
        }
    }
}
