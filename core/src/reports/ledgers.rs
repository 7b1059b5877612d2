//! The office's ledgers (台账) for a period and a place: the visit ledger (走访台账), the
//! assistance ledger (帮扶台账), the case ledger (案件台账) and the reception ledger (接访台账,
//! `receptions.rs`). One row per record (per file for
//! the case ledger), Chinese headers, typed cells — dates as dates and yuan as numbers — so the
//! server can write the same ledger as .xlsx or as CSV for Excel.
//!
//! Only records that still count are listed: an amended record appears once, as amended, and a
//! voided one not at all, as in the visit count.

use crate::base::dates::DayMinute;
use crate::base::lang::Lang;
use crate::base::problem::Field;
use crate::folds::case::{CaseRules, DeadlineKind, DeadlineStatus, case_status, china_date};
use crate::folds::ledger::effective;
use crate::records::file::PetitionerFile;
use crate::records::record::{Record, RecordBody};
use crate::reports::export::{BOM, cell};
use chrono::{NaiveDate, NaiveDateTime};

labeled_enum!(
    /// Which ledger.
    LedgerKind {
        Visits = "visits" => ("走访台账", "Visit ledger"),
        Assistance = "assistance" => ("帮扶台账", "Assistance ledger"),
        Cases = "cases" => ("案件台账", "Case ledger"),
        Receptions = "receptions" => ("接访台账", "Reception ledger"),
        Tasks = "tasks" => ("交办台账", "Assignment ledger"),
    }
);

/// One cell, typed so a spreadsheet can sort and sum it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// Yuan, from fen: exact to the fen in any f64 a ledger will hold.
    Yuan(f64),
    Count(i64),
    Empty,
}

impl Cell {
    pub(crate) fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    fn yuan(fen: Option<i64>) -> Cell {
        fen.map_or(Cell::Empty, |f| Cell::Yuan(f as f64 / 100.0))
    }

    /// The cell as CSV shows it: ISO dates, yuan without grouping, text neutralised.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(s) => cell(s),
            Cell::Date(d) => d.to_string(),
            Cell::DateTime(t) => DayMinute(*t).to_string(),
            Cell::Yuan(y) => crate::base::money::plain_yuan((y * 100.0).round() as i64),
            Cell::Count(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// What a ledger row was made from: where its chain hash comes from (`ledger_chain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowSource {
    Record(crate::base::ids::RecordId),
    /// A row about the file as a whole: its hash is the file's head.
    File(crate::base::ids::FileId),
}

/// A ledger ready to be written out.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    pub kind: LedgerKind,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// What each row was made from, in `rows`' order (`ledger_chain`: its hash).
    pub sources: Vec<RowSource>,
    /// Lines written after the rows, past one empty line: the signed statement.
    pub footer: Vec<Vec<Cell>>,
}

impl Ledger {
    /// UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends.
    pub fn csv(&self) -> String {
        let mut out = String::from(BOM);
        out.push_str(
            &self
                .headers
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
        for row in &self.rows {
            out.push_str(&row.iter().map(Cell::csv).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        if !self.footer.is_empty() {
            out.push_str("\r\n");
        }
        for line in &self.footer {
            out.push_str(&line.iter().map(Cell::csv).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// The sheet's name and the file name's stem, in Chinese.
    pub fn title(&self) -> &'static str {
        self.kind.label(Lang::Zh)
    }
}

/// A record's field is headed by the label the form gives it (`Field`), so one field reads the
/// same in the form, the timeline, the ledger and the export.
fn visit_headers() -> Vec<&'static str> {
    let zh = Lang::Zh;
    vec![
        "走访时间",
        "乡镇（街道）",
        "村（社区）",
        "信访人",
        "走访方式",
        Field::Place.label(zh),
        Field::Participants.label(zh),
        Field::Requests.label(zh),
        "思想动态",
        "风险等级",
        Field::Explained.label(zh),
        Field::Measures.label(zh),
        Field::NextDue.label(zh),
        "记录人",
        Field::PetitionerView.label(zh),
        Field::Refused.label(zh),
        ENTERED,
    ]
}

/// The day a record was entered into the app (China time): a record entered after the fact
/// shows it here, next to the day it says it happened.
pub(crate) const ENTERED: &str = "录入日期";

const ASSISTANCE_HEADERS: [&str; 12] = [
    "日期",
    "乡镇（街道）",
    "村（社区）",
    "信访人",
    "帮扶类别",
    "金额（元）",
    "帮扶内容",
    "资金来源",
    "帮扶状态",
    "记录人",
    "更正情况",
    ENTERED,
];

/// The records of each file that still count and happened within `[from, to]`, oldest first.
pub(crate) fn in_period(
    files: &[(PetitionerFile, Vec<Record>)],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(&PetitionerFile, Record)> {
    let mut out: Vec<(&PetitionerFile, Record)> = files
        .iter()
        .flat_map(|(file, records)| {
            effective(records)
                .into_iter()
                .filter(|r| (from..=to).contains(&r.occurred_at.date()))
                .map(move |r| (file, r.clone()))
        })
        .collect();
    out.sort_by(|a, b| {
        (a.1.occurred_at, &a.0.township, &a.0.village, &a.0.name).cmp(&(
            b.1.occurred_at,
            &b.0.township,
            &b.0.village,
            &b.0.name,
        ))
    });
    out
}

/// 走访台账: every visit in the period, with the file it belongs to.
pub fn visit_ledger(
    files: &[(PetitionerFile, Vec<Record>)],
    from: NaiveDate,
    to: NaiveDate,
) -> Ledger {
    let zh = Lang::Zh;
    let (sources, rows) = in_period(files, from, to)
        .into_iter()
        .filter_map(|(file, r)| match &r.body {
            RecordBody::Visit(v) => Some((
                RowSource::Record(r.id),
                vec![
                    Cell::DateTime(r.occurred_at),
                    Cell::text(&file.township),
                    Cell::text(&file.village),
                    Cell::text(&file.name),
                    Cell::text(v.kind.label(zh)),
                    Cell::text(&v.place),
                    Cell::text(v.participants.join("、")),
                    Cell::text(&v.requests),
                    Cell::text(v.mood.label(zh)),
                    Cell::text(v.risk.label(zh)),
                    Cell::text(&v.explained),
                    Cell::text(&v.measures),
                    v.next_due.map_or(Cell::Empty, Cell::Date),
                    Cell::text(&r.author_name),
                    Cell::text(&v.petitioner_view),
                    Cell::text(
                        v.refused
                            .iter()
                            .map(|x| x.label(zh))
                            .collect::<Vec<_>>()
                            .join("、"),
                    ),
                    Cell::Date(china_date(r.saved_at)),
                ],
            )),
            _ => None,
        })
        .unzip();
    Ledger {
        kind: LedgerKind::Visits,
        headers: visit_headers(),
        rows,
        sources,
        footer: Vec::new(),
    }
}

/// 帮扶台账: every assistance action in the period, the amount in yuan as a number.
pub fn assistance_ledger(
    files: &[(PetitionerFile, Vec<Record>)],
    from: NaiveDate,
    to: NaiveDate,
) -> Ledger {
    let zh = Lang::Zh;
    let (sources, rows) = in_period(files, from, to)
        .into_iter()
        .filter_map(|(file, r)| match &r.body {
            RecordBody::Assistance(a) => Some((
                RowSource::Record(r.id),
                vec![
                    Cell::Date(r.occurred_at.date()),
                    Cell::text(&file.township),
                    Cell::text(&file.village),
                    Cell::text(&file.name),
                    Cell::text(a.kind.label(zh)),
                    Cell::yuan(a.amount_fen),
                    Cell::text(&a.items),
                    Cell::text(&a.funding_source),
                    Cell::text(a.status.label(zh)),
                    Cell::text(&r.author_name),
                    Cell::text(if r.amends.is_some() { "已更正" } else { "" }),
                    Cell::Date(china_date(r.saved_at)),
                ],
            )),
            _ => None,
        })
        .unzip();
    Ledger {
        kind: LedgerKind::Assistance,
        headers: ASSISTANCE_HEADERS.to_vec(),
        rows,
        sources,
        footer: Vec::new(),
    }
}

const CASE_HEADERS: [&str; 18] = [
    "乡镇（街道）",
    "村（社区）",
    "信访人",
    "信访事项",
    "类别",
    "首次信访日期",
    "积案年限",
    "当前环节",
    "受理日期",
    "办理期限",
    "是否延期",
    "最近期限",
    "期限状态",
    "化解情况",
    "包案领导",
    "挂牌督办期限",
    "走访次数",
    "逾期补录的期限",
];

/// The deadlines met on paper by a record entered only after they had passed (逾期补录), with
/// the day each was entered: never counted on time, and never hidden.
fn recorded_late(status: &crate::folds::case::CaseStatus) -> String {
    let zh = Lang::Zh;
    status
        .deadlines
        .iter()
        .filter(|d| d.status == DeadlineStatus::MetRecordedLate)
        .map(|d| match d.recorded_on {
            Some(on) => format!("{}（{on} 录入）", d.kind.label(zh)),
            None => d.kind.label(zh).to_owned(),
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// 案件台账: one row per file, the matter as it stood on the period's last day (`to`), under the
/// deployment's case rules.
pub fn case_ledger(
    files: &[(PetitionerFile, Vec<Record>)],
    to: NaiveDate,
    rules: &CaseRules,
) -> Ledger {
    let zh = Lang::Zh;
    let rows = files
        .iter()
        .map(|(file, records)| {
            let status = case_status(file, records, rules, to);
            let handling = status.deadline(DeadlineKind::Handling);
            // The open deadline that falls first is the one the office acts on.
            let next = status
                .deadlines
                .iter()
                .filter(|d| d.met_on.is_none() && !d.kind.is_window())
                .min_by_key(|d| d.due);
            let supervised = status.supervision.as_ref().filter(|s| s.lifted.is_none());
            let counted: Vec<&Record> = records
                .iter()
                .filter(|r| r.occurred_at.date() <= to)
                .collect();
            vec![
                Cell::text(&file.township),
                Cell::text(&file.village),
                Cell::text(&file.name),
                Cell::text(&file.matter.summary),
                Cell::text(file.matter.category.label(zh)),
                Cell::Date(file.matter.since),
                status
                    .flags
                    .backlog_years
                    .map_or(Cell::Empty, |y| Cell::Count(i64::from(y))),
                status
                    .stage
                    .map_or(Cell::Empty, |s| Cell::text(s.label(zh))),
                status
                    .accepted
                    .as_ref()
                    .map_or(Cell::Empty, |a| Cell::Date(a.on)),
                handling.map_or(Cell::Empty, |d| Cell::Date(d.due)),
                Cell::text(if status.extension.is_some() {
                    "是"
                } else {
                    ""
                }),
                next.map_or(Cell::Empty, |d| {
                    Cell::text(format!("{} {}", d.kind.label(zh), d.due))
                }),
                next.map_or(Cell::Empty, |d| Cell::text(d.status.label(zh))),
                status
                    .resolution
                    .map_or(Cell::Empty, |r| Cell::text(r.label(zh))),
                match status.leaders.as_slice() {
                    [] => Cell::Empty,
                    leaders => Cell::text(
                        leaders
                            .iter()
                            .map(|l| l.name.as_str())
                            .collect::<Vec<_>>()
                            .join("、"),
                    ),
                },
                supervised.map_or(Cell::Empty, |s| Cell::Date(s.deadline)),
                Cell::Count(i64::from(file.visit_count(counted))),
                Cell::text(recorded_late(&status)),
            ]
        })
        .collect();
    Ledger {
        kind: LedgerKind::Cases,
        headers: CASE_HEADERS.to_vec(),
        rows,
        sources: files
            .iter()
            .map(|(file, _)| RowSource::File(file.id.clone()))
            .collect(),
        footer: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use chrono::Duration;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn world() -> (Vec<(PetitionerFile, Vec<Record>)>, Record, Record) {
        let mut guo = fixtures::file("f1");
        guo.name = "郭先生".into();
        guo.matter
            .flags
            .push(crate::records::file::MatterFlag::Backlog);
        let visit = fixtures::visit("f1", "u1"); // 2026-11-20 09:30
        let mut late = fixtures::visit("f1", "u1");
        late.occurred_at += Duration::days(5); // 2026-11-25, after the period below
        let wrong = fixtures::visit("f1", "u1");
        let void = fixtures::void(&wrong, "录错档案");
        let mut early = fixtures::assistance("f1", "u1");
        early.occurred_at -= Duration::days(2); // 2026-11-18, 慰问金 2000 元
        let fixed = fixtures::amendment(&early, early.body.clone());
        let mut other = fixtures::file("f2");
        other.name = "=HYPERLINK(\"x\")".into();
        let mut theirs = fixtures::visit("f2", "u2");
        theirs.occurred_at -= Duration::days(1);
        let files = vec![
            (
                guo,
                vec![visit.clone(), late, wrong, void, early, fixed.clone()],
            ),
            (other, vec![theirs.clone()]),
        ];
        (files, visit, fixed)
    }

    #[test]
    fn the_visit_ledger_lists_counting_visits_of_the_period_in_time_order() {
        let (files, visit, _) = world();
        let ledger = visit_ledger(&files, day(19), day(21));
        // theirs (11-19), then visit (11-20); the voided one and the one of 11-25 are left out.
        assert_eq!(ledger.rows.len(), 2);
        assert_eq!(ledger.rows[1][0], Cell::DateTime(visit.occurred_at));
        assert_eq!(ledger.rows[1][3], Cell::Text("郭先生".into()));
        assert_eq!(ledger.headers.len(), ledger.rows[0].len());
        assert_eq!(ledger.title(), "走访台账");
    }

    #[test]
    fn the_assistance_ledger_holds_yuan_as_numbers_and_amendments_once() {
        let (files, _, fixed) = world();
        let ledger = assistance_ledger(&files, day(1), day(30));
        assert_eq!(ledger.rows.len(), 1, "the amended action counts once");
        let row = &ledger.rows[0];
        assert_eq!(row[0], Cell::Date(fixed.occurred_at.date()));
        assert_eq!(row[5], Cell::Yuan(2000.0));
        assert_eq!(row[10], Cell::Text("已更正".into()));
    }

    #[test]
    fn csv_has_the_bom_chinese_headers_and_neutralised_cells() {
        let (files, _, _) = world();
        let csv = visit_ledger(&files, day(19), day(21)).csv();
        let body = csv.strip_prefix(BOM).expect("starts with the BOM");
        let lines: Vec<&str> = body.split("\r\n").collect();
        assert_eq!(lines[0], visit_headers().join(","));
        assert!(lines[1].starts_with("2026-11-19 09:30,"));
        assert!(
            lines[1].contains(",\"'=HYPERLINK(\"\"x\"\")\","),
            "{}",
            lines[1]
        );
        assert_eq!(lines.len(), 4, "two rows and the final line end");
        let money = assistance_ledger(&files, day(1), day(30)).csv();
        assert!(money.contains(",慰问金,2000,"), "{money}");
    }

    #[test]
    fn the_case_ledger_has_a_row_per_file_with_its_visits() {
        let (files, _, _) = world();
        let ledger = case_ledger(&files, day(30), &CaseRules::default());
        assert_eq!(ledger.rows.len(), 2);
        assert_eq!(ledger.headers.len(), ledger.rows[0].len());
        let guo = &ledger.rows[0];
        assert_eq!(guo[2], Cell::Text("郭先生".into()));
        // 102 on paper, then the visit of 11-20 and the one of 11-25 (the voided one not).
        assert_eq!(guo[16], Cell::Count(104));
        // Since 2014-03-01, as of 2026-11-30: 12 whole years.
        assert_eq!(guo[6], Cell::Count(12));
        // As of 11-22 the visit of 11-25 had not happened yet.
        assert_eq!(
            case_ledger(&files, day(22), &CaseRules::default()).rows[0][16],
            Cell::Count(103)
        );
    }

    #[test]
    fn ledgers_show_when_a_record_was_entered_and_what_was_entered_late() {
        use crate::records::case_step::Step;
        use crate::records::record::Refusal;
        let file = fixtures::file("f1");
        // A visit on 20 Nov entered on 2 Dec; the petitioner gave their view and would not sign.
        let mut visit = fixtures::entered(
            fixtures::visit("f1", "u1"),
            day(20),
            day(20) + Duration::days(12),
        );
        if let RecordBody::Visit(v) = &mut visit.body {
            v.petitioner_view = "要求尽快答复".into();
            v.refused = vec![Refusal::Signature];
        }
        let ledger = visit_ledger(&[(file.clone(), vec![visit])], day(1), day(30));
        let row = &ledger.rows[0];
        let column = |name: &str| ledger.headers.iter().position(|h| *h == name).expect(name);
        assert_eq!(row[column("下一步完成时限")], Cell::Date(day(27)));
        assert_eq!(row[column("信访人意见")], Cell::Text("要求尽快答复".into()));
        assert_eq!(row[column("信访人拒绝事项")], Cell::Text("拒绝签字".into()));
        assert_eq!(
            row[column(ENTERED)],
            Cell::Date(day(20) + Duration::days(12))
        );
        // Registered on 2 Nov, routed on 10 Nov but entered on 20 Nov, after its 17 Nov limit.
        let step = |on: u32, entered: u32, s: Step| {
            fixtures::entered(fixtures::case_step("f1", "o1", s), day(on), day(entered))
        };
        let records = vec![
            step(2, 2, Step::Registered { received: day(2) }),
            step(
                10,
                20,
                Step::Routed {
                    route: crate::records::case_step::Route::Own,
                    to: "南滨街道".into(),
                },
            ),
        ];
        let ledger = case_ledger(&[(file, records)], day(25), &CaseRules::default());
        let late = ledger
            .headers
            .iter()
            .position(|h| *h == "逾期补录的期限")
            .unwrap();
        assert_eq!(
            ledger.rows[0][late],
            Cell::Text("登记分流（2026-11-20 录入）".into())
        );
    }
}
