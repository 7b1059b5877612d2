//! The ledger import's adapter (issue 18 item 1): reads the office's workbook (xlsx, or one CSV
//! per sheet) into `xiafang_core::ledger_import::Workbook`, writes the template and the demo
//! world as a filled-in example. What the rows mean is decided in `core`
//! (`ledger_import::check`); storing is `Db::import` (`db/import.rs`).

pub mod example;
mod xlsx;

use calamine::Data;
use rust_xlsxwriter::{Format, XlsxError};
use xiafang_core::Lang;
use xiafang_core::ledger_import::{SheetKind, Workbook, columns, sheet_of_headers};

/// The largest file the admin screen may upload (a county's 20,000 files fit in a few MiB).
pub const MAX_UPLOAD_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a workbook calamine can open.
    #[error("无法读取 Excel 文件：{0}")]
    Xlsx(String),
    /// A CSV whose header row names no sheet of the template.
    #[error("无法识别的 CSV 文件：第一行须为模板中某一张表的列名")]
    UnknownCsv,
    /// Neither .xlsx nor CSV.
    #[error("只能导入 .xlsx 或 .csv 文件")]
    UnknownKind,
    /// The workbook's zip unpacks to more than `Limits::unzipped_bytes`.
    #[error("Excel 文件解压后超过 {} MiB，请按乡镇分开导入", .limit >> 20)]
    TooLarge { limit: u64 },
    /// More cells with something in them than `Limits::cells`.
    #[error("工作簿超过 {limit} 个有内容的单元格，请按乡镇分开导入")]
    TooManyCells { limit: usize },
    /// A value far right of any sheet of the template (1-based, as Excel numbers them).
    #[error(
        "“{sheet}”表第 {row} 行第 {column} 列有内容：导入的表最多 {MAX_COLUMNS} 列，请删去模板以外的列"
    )]
    TooWide {
        sheet: String,
        row: u32,
        column: u32,
    },
    /// A row below Excel's last (only a hand-made file has one).
    #[error("“{sheet}”表第 {row} 行超出 Excel 的最后一行（{MAX_ROWS}）")]
    TooLong { sheet: String, row: u64 },
}

/// The widest sheet an import reads: the template's widest has 21 columns.
pub const MAX_COLUMNS: u32 = 64;
/// Excel's own last row.
pub const MAX_ROWS: u32 = 1_048_576;

/// How much one workbook may cost to read: its unpacked XML (a county's 20,000 files and 20,000
/// visits unpack to 15 MB, `cargo xtask bench`'s import pass) and the cells with something in them.
#[derive(Debug, Clone)]
pub struct Limits {
    pub unzipped_bytes: u64,
    pub cells: usize,
}

pub const LIMITS: Limits = Limits {
    unzipped_bytes: 256 << 20,
    cells: 5_000_000,
};

/// Whether the bytes are an xlsx workbook (a zip archive).
fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads one uploaded file into `book`: an xlsx workbook's sheets by their names (others are
/// left alone: an office's workbook may hold notes), or a CSV by its header row. Within `LIMITS`.
pub fn read_into(book: &mut Workbook, bytes: &[u8]) -> Result<(), ReadError> {
    read_into_within(book, bytes, &LIMITS)
}

/// `read_into` within other limits (tests use small ones).
pub fn read_into_within(
    book: &mut Workbook,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(), ReadError> {
    if is_xlsx(bytes) {
        return xlsx::read_into(book, bytes, limits);
    }
    let text = decode_csv(bytes).ok_or(ReadError::UnknownKind)?;
    let grid = xiafang_core::ledger_chain::csv_grid(&text);
    let headers = grid.first().cloned().unwrap_or_default();
    let kind = sheet_of_headers(&headers).ok_or(ReadError::UnknownCsv)?;
    for (k, sheet) in Workbook::from_grids(vec![(kind, grid)]).sheets {
        book.add(k, sheet);
    }
    Ok(())
}

/// A CSV's text: UTF-8 (with or without a byte-order mark), else GB18030 as Excel and WPS save
/// it on a Chinese Windows. `None` for bytes that are neither (a binary file).
fn decode_csv(bytes: &[u8]) -> Option<String> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(text.to_owned());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    (!had_errors).then(|| text.into_owned())
}

/// A cell as the office typed it: whole numbers without ".0" (a birth year, a phone number), a
/// date as 2024-03-15.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| t.date().to_string())
            .unwrap_or_else(|| d.to_string()),
        other => other.to_string(),
    }
}

/// The template (or an example) as an xlsx workbook: one sheet per `SheetKind`, bold frozen
/// header, every cell written as text so an ID number keeps its 18 digits.
pub fn template_xlsx(book: &Workbook) -> Result<Vec<u8>, XlsxError> {
    let mut out = rust_xlsxwriter::Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for kind in SheetKind::ALL {
        let sheet = out.add_worksheet();
        sheet.set_name(kind.label(Lang::Zh))?;
        for (c, column) in columns(*kind).iter().enumerate() {
            let c = c as u16;
            sheet.write_string_with_format(0, c, column.name, &bold)?;
            sheet.set_column_width(c, 14)?;
            sheet.set_column_format(c, &text)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (r, row) in rows_of(book, *kind).iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string_with_format(r as u32 + 1, c as u16, cell, &text)?;
                }
            }
        }
    }
    out.save_to_buffer()
}

/// The template as CSV, one file per sheet (UTF-8 with a byte-order mark, so Excel opens it in
/// the right encoding): (file name, bytes).
pub fn template_csv(book: &Workbook) -> Vec<(String, Vec<u8>)> {
    SheetKind::ALL
        .iter()
        .map(|kind| {
            let mut text = String::from("\u{feff}");
            let headers = columns(*kind).iter().map(|c| c.name.to_owned()).collect();
            for row in std::iter::once(headers).chain(rows_of(book, *kind)) {
                let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
                text.push_str(&cells.join(","));
                text.push_str("\r\n");
            }
            (format!("{}.csv", kind.label(Lang::Zh)), text.into_bytes())
        })
        .collect()
}

fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// A sheet's rows in the template's column order.
fn rows_of(book: &Workbook, kind: SheetKind) -> Vec<Vec<String>> {
    let Some(sheet) = book.sheet(kind) else {
        return Vec::new();
    };
    sheet
        .rows
        .iter()
        .map(|row| {
            columns(kind)
                .iter()
                .map(|c| {
                    sheet
                        .headers
                        .iter()
                        .position(|h| h == c.name)
                        .and_then(|i| row.get(i).cloned())
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}
