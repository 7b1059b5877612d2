//! 接访台账: every reception (接访) in the period — who received whom, how many came and who
//! spoke for them — so the office's batches (批次) and person-visits (人次) can be checked row by
//! row against the figures.

use crate::base::lang::Lang;
use crate::base::problem::Field;
use crate::folds::case::china_date;
use crate::records::file::PetitionerFile;
use crate::records::record::{Record, RecordBody};
use crate::reports::ledgers::{Cell, ENTERED, Ledger, LedgerKind, RowSource, in_period};
use chrono::NaiveDate;

/// The reception ledger of `files` for `[from, to]`, oldest first.
pub fn reception_ledger(
    files: &[(PetitionerFile, Vec<Record>)],
    from: NaiveDate,
    to: NaiveDate,
) -> Ledger {
    let zh = Lang::Zh;
    let (sources, rows) = in_period(files, from, to)
        .into_iter()
        .filter_map(|(file, r)| match &r.body {
            RecordBody::Reception(rec) => Some((
                RowSource::Record(r.id),
                vec![
                    Cell::DateTime(r.occurred_at),
                    Cell::text(&file.township),
                    Cell::text(&file.village),
                    Cell::text(&file.name),
                    Cell::text(rec.kind.label(zh)),
                    Cell::text(&rec.leader),
                    Cell::text(&rec.place),
                    Cell::Count(i64::from(rec.headcount)),
                    Cell::text(rec.representatives.join("、")),
                    Cell::text(&rec.requests),
                    Cell::text(&rec.response),
                    Cell::text(&r.author_name),
                    Cell::Date(china_date(r.saved_at)),
                ],
            )),
            _ => None,
        })
        .unzip();
    Ledger {
        kind: LedgerKind::Receptions,
        headers: vec![
            "接访时间",
            "乡镇（街道）",
            "村（社区）",
            "信访人",
            "接访方式",
            Field::ReceptionLeader.label(zh),
            Field::ReceptionPlace.label(zh),
            Field::Headcount.label(zh),
            Field::Representatives.label(zh),
            Field::Requests.label(zh),
            Field::ReceptionResponse.label(zh),
            "记录人",
            ENTERED,
        ],
        rows,
        sources,
        footer: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn each_reception_is_a_row_with_its_headcount_as_a_number() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let kept = fixtures::on(fixtures::reception("f1", "s1"), day(10));
        let wrong = fixtures::on(fixtures::reception("f1", "s1"), day(12));
        let void = fixtures::void(&wrong, "记错了档案");
        let outside = fixtures::on(fixtures::reception("f1", "s1"), day(28));
        let files = vec![(fixtures::file("f1"), vec![kept, wrong, void, outside])];
        let ledger = reception_ledger(&files, day(1), day(20));
        assert_eq!(ledger.title(), "接访台账");
        assert_eq!(
            ledger.rows.len(),
            1,
            "the voided one and the one after the period are out"
        );
        assert_eq!(ledger.headers.len(), ledger.rows[0].len());
        let row = &ledger.rows[0];
        assert_eq!(row[4], Cell::Text("领导接访日".into()));
        assert_eq!(row[7], Cell::Count(8));
        assert_eq!(row[8], Cell::Text("郭某、郭某某、李某".into()));
        assert_eq!(ledger.headers[7], "来访人数");
    }
}
