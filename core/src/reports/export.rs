//! A file's case record as CSV (`GET /api/files/{id}/export`), made for Excel as county offices
//! use it: UTF-8 with a byte-order mark, Chinese headers, one row per record in time order.
//! Cells typed by users are neutralised so a spreadsheet never runs them as formulas.

use crate::base::dates::Minute;
use crate::base::lang::Lang;
use crate::base::money::plain_yuan;
use crate::base::problem::Field;
use crate::folds::ledger::{Standing, standings};
use crate::records::record::{Record, RecordBody};
use crate::records::tasking::Tasking;

/// Excel only reads a CSV file as UTF-8 when it starts with this mark.
pub const BOM: &str = "\u{feff}";

/// The header row.
pub const HEADERS: [&str; 16] = [
    "记录编号",
    "日期",
    "时间",
    "类型",
    "记录人",
    "地点",
    "参加人员",
    "内容",
    "思想动态",
    "风险等级",
    "帮扶类别",
    "金额（元）",
    "资金来源",
    "帮扶状态",
    "下一步完成时限",
    "更正情况",
];

/// The CSV text of `records` (one file's, as its reader may see them): the BOM, the header row,
/// then one row per record ordered by when it happened (records of the same moment keep the
/// order given). Lines end in CRLF as RFC 4180 says.
pub fn case_record_csv(records: &[Record]) -> String {
    let standing = standings(records);
    let mut ordered: Vec<&Record> = records.iter().collect();
    ordered.sort_by_key(|r| r.occurred_at);
    let mut out = String::from(BOM);
    push_row(&mut out, HEADERS.iter().map(|h| (*h).to_owned()));
    for r in ordered {
        push_row(&mut out, row(r, standing.get(&r.id)));
    }
    out
}

fn row(r: &Record, standing: Option<&Standing>) -> [String; 16] {
    let zh = Lang::Zh;
    let mut cells: [String; 16] = Default::default();
    cells[0] = r.id.to_string();
    cells[1] = r.occurred_at.date().to_string();
    cells[2] = Minute(r.occurred_at).to_string();
    cells[3] = r.body.kind_label(zh).to_owned();
    cells[4] = r.author_name.clone();
    let mut corrections = Vec::new();
    if let Some(target) = r.amends {
        corrections.push(format!("更正记录 {target}"));
    }
    match &r.body {
        RecordBody::Visit(v) => {
            cells[5] = v.place.clone();
            cells[6] = v.participants.join("、");
            let refused: Vec<&str> = v.refused.iter().map(|r| r.label(zh)).collect();
            cells[7] = labelled(&[
                (Field::Requests.label(zh), &v.requests),
                (Field::Explained.label(zh), &v.explained),
                (Field::Measures.label(zh), &v.measures),
                (Field::NextStep.label(zh), &v.next_step),
                (Field::PetitionerView.label(zh), &v.petitioner_view),
                (Field::Refused.label(zh), &refused.join("、")),
            ]);
            cells[8] = v.mood.label(zh).to_owned();
            cells[9] = v.risk.label(zh).to_owned();
            cells[14] = v.next_due.map(|d| d.to_string()).unwrap_or_default();
        }
        RecordBody::Assistance(a) => {
            cells[7] = a.items.clone();
            cells[10] = a.kind.label(zh).to_owned();
            cells[11] = a.amount_fen.map(plain_yuan).unwrap_or_default();
            cells[12] = a.funding_source.clone();
            cells[13] = a.status.label(zh).to_owned();
        }
        RecordBody::Note(n) => {
            cells[6] = n.speaker.clone();
            cells[7] = n.text.clone();
        }
        RecordBody::Void(v) => {
            cells[7] = format!("{}：{}", Field::Reason.label(zh), v.reason);
            corrections.push(format!("作废记录 {}", v.target));
        }
        RecordBody::FileEdit(e) => {
            // Sensitive values (the ID number) leave the server masked.
            cells[7] = format!(
                "{}：{} → {}",
                e.field.label(zh),
                e.field.shown(&e.base),
                e.field.shown(&e.value)
            );
        }
        RecordBody::CaseStep(_)
        | RecordBody::Review(_)
        | RecordBody::Supervision(_)
        | RecordBody::Referral(_)
        | RecordBody::VisitPart(_)
        | RecordBody::Photo(_)
        | RecordBody::Warning(_) => {
            cells[7] = r.body.summary(zh);
        }
        RecordBody::Reception(rec) => {
            cells[5] = rec.place.clone();
            cells[6] = rec.representatives.join("、");
            cells[7] = labelled(&[
                (Field::ReceptionLeader.label(zh), &rec.leader),
                (Field::Headcount.label(zh), &rec.headcount.to_string()),
                (Field::Requests.label(zh), &rec.requests),
                (Field::ReceptionResponse.label(zh), &rec.response),
            ]);
        }
        RecordBody::Signature(sig) => {
            cells[6] = sig.signer.clone();
            cells[7] = format!("{} · 所签记录 {}", r.body.summary(zh), sig.of);
        }
        RecordBody::LegalOpinion(o) => {
            cells[7] = labelled(&[
                (Field::Question.label(zh), &o.question),
                (Field::Facts.label(zh), &o.facts),
                (Field::LawCited.label(zh), &o.law),
                (Field::Opinion.label(zh), &o.opinion),
                ("建议途径", o.channel.label(zh)),
            ]);
        }
        RecordBody::Mediation(m) => {
            cells[6] = m.parties.join("、");
            cells[7] = labelled(&[
                (Field::Dispute.label(zh), &m.dispute),
                (Field::ConfirmedFacts.label(zh), &m.facts),
                ("调解结果", m.outcome.label(zh)),
                (Field::Terms.label(zh), &m.terms),
                (
                    Field::MediationChannel.label(zh),
                    m.channel.map_or("", |c| c.label(zh)),
                ),
            ]);
        }
        // A sign-off names the records it rests on, so the ledger can be checked against them.
        RecordBody::Tasking(Tasking::SignedOff { evidence, .. }) => {
            let ids: Vec<String> = evidence.iter().map(|id| id.to_string()).collect();
            cells[7] = format!("{}（{}）", r.body.summary(zh), ids.join("、"));
        }
        RecordBody::Tasking(_) => cells[7] = r.body.summary(zh),
        RecordBody::Screening(sc) => {
            cells[5] = sc.place_name.clone();
            cells[6] = sc.participants.join("、");
            let found: Vec<&str> = sc.findings.iter().map(|f| f.what.as_str()).collect();
            cells[7] = labelled(&[
                ("排查", &r.body.summary(zh)),
                (Field::ScreeningScope.label(zh), &sc.scope),
                (Field::Findings.label(zh), &found.join("；")),
            ]);
        }
    }
    match standing {
        Some(Standing::Amended { by }) => corrections.push(format!("已被记录 {by} 更正")),
        Some(Standing::Voided { by, .. }) => corrections.push(format!("已被记录 {by} 作废")),
        Some(Standing::Current) | None => {}
    }
    cells[15] = corrections.join("；");
    cells
}

/// "诉求及反映的问题：…；下一步工作：…", leaving out the parts left empty; labels are the
/// forms' (`Field`).
fn labelled(parts: &[(&str, &str)]) -> String {
    parts
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(label, text)| format!("{label}：{text}"))
        .collect::<Vec<_>>()
        .join("；")
}

fn push_row(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().map(|c| cell(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One CSV cell. Text a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, or a tab or
/// carriage return before one) gets a leading `'`, so it shows as typed instead of running
/// (OWASP "CSV injection"); then the cell is quoted when it holds a separator, quote or newline.
pub fn cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn cells_are_quoted_only_when_needed_and_quotes_doubled() {
        assert_eq!(cell("郭先生"), "郭先生");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("说\"不\""), "\"说\"\"不\"\"\"");
        assert_eq!(cell("第一行\n第二行"), "\"第一行\n第二行\"");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(cell("+86 138"), "'+86 138");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\t=1"), "'\t=1");
        assert_eq!(
            cell("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        // Only the start of a cell matters.
        assert_eq!(cell("1+1=2"), "1+1=2");
    }

    #[test]
    fn rows_follow_time_order_with_iso_dates_and_plain_yuan() {
        let mut late = fixtures::note("f1", "u1");
        late.occurred_at += chrono::Duration::days(2);
        let mut early = fixtures::assistance("f1", "u1");
        early.occurred_at -= chrono::Duration::days(2);
        let visit = fixtures::visit("f1", "u1");
        let void = fixtures::void(&visit, "录错档案");
        let csv = case_record_csv(&[late.clone(), visit.clone(), early.clone(), void.clone()]);

        assert!(csv.starts_with(BOM));
        let lines: Vec<&str> = csv[BOM.len()..].split("\r\n").collect();
        assert_eq!(lines[0], HEADERS.join(","));
        assert!(lines[1].starts_with(&format!("{},2026-11-18,09:30,帮扶措施,", early.id)));
        assert!(lines[1].contains(",慰问金,2000,街道帮扶资金,已发放/已落实,"));
        assert!(lines[2].starts_with(&format!("{},2026-11-20,", visit.id)));
        assert!(lines[2].contains(",2026-11-27,"));
        assert!(lines[2].ends_with(&format!(",已被记录 {} 作废", void.id)));
        assert!(lines[3].contains(&format!("作废记录 {}", visit.id)));
        assert!(lines[4].starts_with(&format!("{},2026-11-22,", late.id)));
        assert_eq!(lines[5], "");
        assert_eq!(lines.len(), 6);
    }
}
