//! A ledger as an Excel workbook: one sheet, a bold frozen header row, dates as real dates and
//! yuan as numbers (so the office can sort and sum), text written as text — a cell typed by a
//! user is never taken for a formula.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use xiafang_core::ledgers::{Cell, Ledger};

pub fn workbook(ledger: &Ledger) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let yuan = Format::new().set_num_format("#,##0.00");
    let sheet = book.add_worksheet();
    sheet.set_name(ledger.title())?;
    for (col, header) in ledger.headers.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *header, &bold)?;
        sheet.set_column_width(col, 14)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    // The footer (the signed statement) follows the rows after one empty row, as in the CSV.
    let footer_at = ledger.rows.len() + 2;
    let lines = ledger.rows.iter().enumerate().chain(
        ledger
            .footer
            .iter()
            .enumerate()
            .map(|(i, line)| (footer_at + i - 1, line)),
    );
    for (i, row) in lines {
        let r = i as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(s) => {
                    sheet.write_string(r, c, s)?;
                }
                Cell::Date(d) => {
                    sheet.write_datetime_with_format(r, c, excel_date(*d)?, &date)?;
                }
                Cell::DateTime(t) => {
                    let at = excel_date(t.date())?.and_hms(
                        chrono::Timelike::hour(t) as u16,
                        chrono::Timelike::minute(t) as u8,
                        0,
                    )?;
                    sheet.write_datetime_with_format(r, c, at, &datetime)?;
                }
                Cell::Yuan(y) => {
                    sheet.write_number_with_format(r, c, *y, &yuan)?;
                }
                Cell::Count(n) => {
                    sheet.write_number(r, c, *n as f64)?;
                }
                Cell::Empty => {}
            }
        }
    }
    book.save_to_buffer()
}

fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}
