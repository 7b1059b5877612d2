//! Reading an uploaded xlsx without trusting it. An xlsx is a zip of XML: a few KiB can declare a
//! sheet reaching Excel's last cell (calamine's `worksheet_range` then allocates the whole
//! rectangle, 17 billion cells, and the process dies) or unpack to gigabytes (a zip bomb; the
//! sizes a zip declares are not checked when it is unpacked). So the zip is first unpacked once
//! into nothing, counting, and refused past `Limits::unzipped_bytes`; then each sheet is read
//! cell by cell, keeping only cells with something in them, refused past `Limits::cells` or
//! right of `MAX_COLUMNS`.

use super::{Limits, MAX_COLUMNS, MAX_ROWS, ReadError, cell_text};
use calamine::{Data, Reader};
use std::io::{Cursor, Read};
use xiafang_core::Lang;
use xiafang_core::ledger_import::{SheetKind, Workbook};

pub(super) fn read_into(
    book: &mut Workbook,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(), ReadError> {
    check_unzipped_size(bytes, limits.unzipped_bytes)?;
    let mut xlsx = calamine::Xlsx::new(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| ReadError::Xlsx(e.to_string()))?;
    let mut cells_left = limits.cells;
    for name in xlsx.sheet_names() {
        let Some(kind) = SheetKind::ALL
            .iter()
            .copied()
            .find(|k| k.label(Lang::Zh) == name.trim())
        else {
            continue;
        };
        let grid = read_sheet(&mut xlsx, &name, &mut cells_left, limits.cells)?;
        book.sheets
            .extend(Workbook::from_grids(vec![(kind, grid)]).sheets);
    }
    Ok(())
}

/// Unpacks every entry into nothing, counting what it really unpacks to.
fn check_unzipped_size(bytes: &[u8], limit: u64) -> Result<(), ReadError> {
    let unreadable = |e: &dyn std::fmt::Display| ReadError::Xlsx(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let mut left = limit;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| unreadable(&e))?;
        let unpacked = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| unreadable(&e))?;
        left = left
            .checked_sub(unpacked)
            .ok_or(ReadError::TooLarge { limit })?;
    }
    Ok(())
}

/// One sheet as rows of text, starting at its first row and column with a value (as
/// calamine's ranges do, so a table typed from B3 reads like one typed from A1).
fn read_sheet(
    xlsx: &mut calamine::Xlsx<Cursor<&[u8]>>,
    name: &str,
    cells_left: &mut usize,
    limit: usize,
) -> Result<Vec<Vec<String>>, ReadError> {
    let mut reader = xlsx
        .worksheet_cells_reader(name)
        .map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let mut cells = Vec::new();
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| ReadError::Xlsx(e.to_string()))?
    {
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (row, column) = cell.get_position();
        if row >= MAX_ROWS {
            return Err(ReadError::TooLong {
                sheet: name.to_owned(),
                row: u64::from(row) + 1,
            });
        }
        if column >= MAX_COLUMNS {
            return Err(ReadError::TooWide {
                sheet: name.to_owned(),
                row: row + 1,
                column: column + 1,
            });
        }
        *cells_left = cells_left
            .checked_sub(1)
            .ok_or(ReadError::TooManyCells { limit })?;
        cells.push((row, column, text));
    }
    let first_row = cells.iter().map(|c| c.0).min().unwrap_or(0);
    let first_column = cells.iter().map(|c| c.1).min().unwrap_or(0);
    // At most MAX_ROWS rows of at most MAX_COLUMNS: bounded however the cells lie.
    let mut grid: Vec<Vec<String>> = Vec::new();
    for (row, column, text) in cells {
        let (r, c) = ((row - first_row) as usize, (column - first_column) as usize);
        if grid.len() <= r {
            grid.resize_with(r + 1, Vec::new);
        }
        let line = &mut grid[r];
        if line.len() <= c {
            line.resize_with(c + 1, String::new);
        }
        line[c] = text;
    }
    Ok(grid)
}
