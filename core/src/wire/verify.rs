//! What re-checking every record chain and every signed statement found (issue 19), as data:
//! the server's `POST /api/admin/verify` answers with a `VerifyReport`, and both the command
//! line (`xiafang-server verify`) and the admin screen render each `Finding` with `text`, so a
//! finding reads the same wherever it is shown.

use crate::base::ids::FileId;
use crate::base::lang::Lang;
use crate::records::record::kind_label_of;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The whole check: how much was checked and what no longer matches.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VerifyReport {
    /// Files whose record chains were recomputed.
    pub chains: u64,
    /// Records in those chains.
    pub records: u64,
    /// Signed daily statements checked.
    pub statements: u64,
    /// What no longer matches: about files the caller may read, and about the statements.
    pub findings: Vec<Finding>,
    /// Findings about files the caller may not read: counted, not named, so an administrator
    /// learns that something is wrong elsewhere without learning about another area's files.
    pub elsewhere: u64,
}

impl VerifyReport {
    /// Whether everything matched, here and elsewhere.
    pub fn all_match(&self) -> bool {
        self.findings.is_empty() && self.elsewhere == 0
    }
}

/// One thing that no longer matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Finding {
    /// A record no longer gives the link stored beside it: its content was changed, or a record
    /// before it was removed, inserted or moved. The first one of a file is where it happened.
    Record {
        file: FileId,
        /// Its place in the file's chain, from 0.
        position: u64,
        record: String,
        /// Its kind as stored (`RecordBody::kind_key`).
        kind: String,
        /// The day it says it happened, as stored.
        #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
        occurred_on: Option<NaiveDate>,
        /// The day of the last signed statement the file's records still agree with, before
        /// the first that they do not (none: no statement ever covered them unchanged).
        #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
        last_matched: Option<NaiveDate>,
    },
    /// The file's records no longer give the head statement `seq` (of `day`) signed for it,
    /// although their stored links may agree: rewritten, links recomputed to hide it.
    FileRewritten {
        file: FileId,
        seq: u64,
        #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
        day: NaiveDate,
        #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
        last_matched: Option<NaiveDate>,
    },
    /// The statement's signature does not verify with the public key it names.
    BadSignature { seq: u64 },
    /// A statement before it is missing, or it does not name the one before it.
    BrokenSequence { seq: u64 },
    /// The heads kept for the statement no longer give its signed root.
    HeadsAltered { seq: u64 },
    /// The statement verifies, but with a key that is not one of the deployment's (its key
    /// file, or one it replaced): someone who can write the database signed it.
    ForeignKey { seq: u64, public_key: String },
}

impl Finding {
    /// The file it is about, if it is about one.
    pub fn file(&self) -> Option<&FileId> {
        match self {
            Finding::Record { file, .. } | Finding::FileRewritten { file, .. } => Some(file),
            _ => None,
        }
    }

    /// The finding in words, for a person.
    pub fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let last = |d: &Option<NaiveDate>| match d {
            Some(d) => d.to_string(),
            None => lang.pick("从未", "never").to_owned(),
        };
        match self {
            Finding::Record {
                file,
                position,
                record,
                kind,
                occurred_on,
                last_matched,
            } => {
                let kind = kind_label_of(kind, lang).unwrap_or(kind.as_str());
                let on = occurred_on.map_or_else(|| "?".to_owned(), |d| d.to_string());
                let file = &file.0;
                let n = position + 1;
                let last = last(last_matched);
                if zh {
                    format!(
                        "档案 {file} 第 {n} 条记录（{record}）：{kind}，{on}。与链上的哈希不符：\
                         内容被改动，或其前面的记录被删除、插入或调换。最后一次与签名根相符：{last}"
                    )
                } else {
                    format!(
                        "File {file}, record {n} ({record}): {kind} of {on}. It no longer matches \
                         its chain link: changed, or a record before it was removed, inserted or \
                         moved. Last matched a signed statement: {last}"
                    )
                }
            }
            Finding::FileRewritten {
                file,
                seq,
                day,
                last_matched,
            } => {
                let (file, last) = (&file.0, last(last_matched));
                if zh {
                    format!(
                        "档案 {file} 的记录与 {day} 第 {seq} 份签名根不符（记录被改写且链上哈希被重算）。\
                         最后一次相符：{last}"
                    )
                } else {
                    format!(
                        "File {file} no longer matches statement {seq} of {day} (rewritten, links \
                         recomputed). Last matched: {last}"
                    )
                }
            }
            Finding::BadSignature { seq } => match lang {
                Lang::Zh => format!("第 {seq} 份签名根的签名无效"),
                Lang::En => format!("Statement {seq}: the signature does not verify"),
            },
            Finding::BrokenSequence { seq } => match lang {
                Lang::Zh => format!("第 {seq} 份签名根之前的签名根缺失或被替换"),
                Lang::En => format!("Statement {seq}: one before it is missing or replaced"),
            },
            Finding::HeadsAltered { seq } => match lang {
                Lang::Zh => format!("第 {seq} 份签名根保存的各档案链头被改动"),
                Lang::En => format!("Statement {seq}: the file heads kept for it were altered"),
            },
            Finding::ForeignKey { seq, public_key } => match lang {
                Lang::Zh => format!(
                    "第 {seq} 份签名根不是由本部署的密钥签发（公钥 {public_key}）：签名根可能被整体替换"
                ),
                Lang::En => format!(
                    "Statement {seq} was not signed by this deployment's key (public key \
                     {public_key}): the statements may have been replaced"
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_record_is_named_with_its_file_position_kind_day_and_last_match() {
        let f = Finding::Record {
            file: FileId("f-a1".into()),
            position: 1,
            record: "r-1".into(),
            kind: "assistance".into(),
            occurred_on: NaiveDate::from_ymd_opt(2026, 11, 20),
            last_matched: NaiveDate::from_ymd_opt(2026, 11, 21),
        };
        let zh = f.text(Lang::Zh);
        assert!(
            zh.starts_with("档案 f-a1 第 2 条记录（r-1）：帮扶措施，2026-11-20。"),
            "{zh}"
        );
        assert!(zh.ends_with("最后一次与签名根相符：2026-11-21"), "{zh}");
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["what"], "record");
        assert_eq!(serde_json::from_value::<Finding>(json).unwrap(), f);
    }
}
