//! Workbooks built to hurt the server (issue 18 item 1, found in review): an xlsx is a zip of
//! XML, so a few KiB of upload can declare a sheet of 17 billion cells (one cell in A1 and one
//! in the last cell Excel has) or unpack to gigabytes (a zip bomb). Either used to be read whole
//! into memory on the request's thread, which stops the server for everyone. Each must be refused
//! with a specific message, quickly, while the server keeps answering.

mod common;

use common::{TestServer, small_world};
use std::io::{Cursor, Write};
use xiafang_core::Lang;
use xiafang_core::ledger_import::{SheetKind, Workbook, columns};
use xiafang_server::import::{Limits, ReadError, read_into, read_into_within};

/// A workbook with the 信访人档案 sheet's header row and `extra` cells written after it.
fn workbook_with(extra: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(SheetKind::Files.label(Lang::Zh))
        .expect("name");
    for (col, header) in columns(SheetKind::Files).iter().enumerate() {
        sheet
            .write_string(0, col as u16, header.name)
            .expect("header");
    }
    for &(row, col, text) in extra {
        sheet.write_string(row, col, text).expect("cell");
    }
    book.save_to_buffer().expect("xlsx")
}

/// `bytes` (an xlsx) with every entry copied as it is, and one more entry that unpacks to
/// `unpacked` bytes of XML whitespace: a zip bomb in the shape of a workbook.
fn with_bomb(bytes: &[u8], unpacked: usize) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let entry = source.by_index(i).expect("entry");
        out.raw_copy_file(entry).expect("copy");
    }
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(unpacked > u32::MAX as usize);
    out.start_file("xl/padding.xml", options).expect("start");
    let chunk = vec![b' '; 1 << 20];
    let mut left = unpacked;
    while left > 0 {
        let n = left.min(chunk.len());
        out.write_all(&chunk[..n]).expect("write");
        left -= n;
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn a_sheet_reaching_the_last_cell_excel_has_is_refused_by_its_position() {
    let bytes = workbook_with(&[(1, 0, "张三"), (1_048_575, 16_383, "x")]);
    assert!(bytes.len() < 20_000, "a few KiB: {}", bytes.len());
    let err = read_into(&mut Workbook::default(), &bytes).expect_err("refused");
    assert!(matches!(err, ReadError::TooWide { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "“信访人档案”表第 1048576 行第 16384 列有内容：导入的表最多 64 列，请删去模板以外的列"
    );
}

#[test]
fn a_sheet_far_down_but_inside_the_columns_reads_without_the_empty_rows_costing_much() {
    // One stray value in Excel's last row: the grid holds a million empty rows, which is cheap,
    // and the dry run reads the row like any other.
    let bytes = workbook_with(&[(1, 0, "张三"), (1_048_575, 0, "李四")]);
    let mut book = Workbook::default();
    read_into(&mut book, &bytes).expect("read");
    let sheet = &book.sheets[0].1;
    assert_eq!(sheet.rows.len(), 1_048_575, "the rows after the header");
}

/// `bytes` (an xlsx) with `from` replaced by `to` in every sheet's XML: a hand-made file.
fn edited(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let mut entry = source.by_index(i).expect("entry");
        let name = entry.name().to_owned();
        if !name.starts_with("xl/worksheets/") {
            out.raw_copy_file(entry).expect("copy");
            continue;
        }
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut entry, &mut xml).expect("xml");
        drop(entry);
        assert!(xml.contains(from), "{name} holds {from}");
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(xml.replace(from, to).as_bytes())
            .expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn a_row_below_excels_last_is_refused_by_its_number() {
    let bytes = workbook_with(&[(1, 0, "张三"), (1_048_575, 0, "x")]);
    let bytes = edited(&bytes, "1048576", "2000000");
    let err = read_into(&mut Workbook::default(), &bytes).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "“信访人档案”表第 2000000 行超出 Excel 的最后一行（1048576）"
    );
}

#[test]
fn more_cells_than_the_limit_are_refused_by_count() {
    let cells: Vec<(u32, u16, &str)> = (1..=30).map(|r| (r, 0, "王五")).collect();
    let bytes = workbook_with(&cells);
    let limits = Limits {
        unzipped_bytes: 64 << 20,
        cells: 20,
    };
    let err = read_into_within(&mut Workbook::default(), &bytes, &limits).expect_err("refused");
    assert!(matches!(err, ReadError::TooManyCells { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "工作簿超过 20 个有内容的单元格，请按乡镇分开导入"
    );
    read_into(&mut Workbook::default(), &bytes).expect("the real limit is far above 30");
}

#[test]
fn a_workbook_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_read() {
    let good = workbook_with(&[(1, 0, "张三")]);
    let bomb = with_bomb(&good, 3 << 20);
    assert!(bomb.len() < 64 << 10, "packed small: {}", bomb.len());
    let limits = Limits {
        unzipped_bytes: 2 << 20,
        cells: 1_000,
    };
    let err = read_into_within(&mut Workbook::default(), &bomb, &limits).expect_err("refused");
    assert!(matches!(err, ReadError::TooLarge { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "Excel 文件解压后超过 2 MiB，请按乡镇分开导入"
    );
    // The same workbook under the limit reads: only the unpacked size decided.
    let small = with_bomb(&good, 1 << 20);
    read_into_within(&mut Workbook::default(), &small, &limits).expect("under the limit");
}

#[tokio::test]
async fn the_server_refuses_a_hostile_workbook_and_keeps_answering() {
    sqlx::any::install_default_drivers();
    let huge_sheet = workbook_with(&[(1, 0, "张三"), (1_048_575, 16_383, "x")]);
    let bomb = with_bomb(&workbook_with(&[]), 300 << 20);
    for server in TestServer::each(&small_world()).await {
        let admin = server.login("admin-a").await;
        for (what, bytes) in [("huge sheet", &huge_sheet), ("zip bomb", &bomb)] {
            let req = common::authorised(
                axum::http::Request::post("/api/admin/import?dry_run=1"),
                &admin,
            )
            .body(axum::body::Body::from(bytes.clone()))
            .expect("request");
            let (status, body) = server.send(req).await;
            assert_eq!(
                status,
                axum::http::StatusCode::BAD_REQUEST,
                "{what}: {body}"
            );
            let message = body.to_string();
            assert!(
                message.contains("64 列") || message.contains("解压后超过 256 MiB"),
                "{what}: {message}"
            );
        }
        let again = server.login("admin-a").await;
        assert!(!again.is_empty(), "still answering");
    }
}

#[tokio::test]
async fn a_second_import_while_one_runs_is_answered_busy_not_queued() {
    sqlx::any::install_default_drivers();
    let server = TestServer::each(&small_world()).await.remove(0);
    let admin = server.login("admin-a").await;
    let post = || {
        common::authorised(
            axum::http::Request::post("/api/admin/import?dry_run=1"),
            &admin,
        )
        .body(axum::body::Body::from(workbook_with(&[])))
        .expect("request")
    };
    let running = server.state.importing.clone();
    let held = running.lock().await;
    let (status, body) = server.send(post()).await;
    assert_eq!(
        status,
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "{body}"
    );
    drop(held);
    let (status, body) = server.send(post()).await;
    assert_eq!(status, axum::http::StatusCode::OK, "{body}");
}
