//! `--import-files N`: how long a county's ledgers take to import (issue 18 item 1). Makes a
//! county's workbook — 20 townships of 10 villages, 400 cadres and an administrator, N files
//! each with two responsible cadres and 10 visits on paper — writes it as the office would
//! (xlsx, through the template writer), and runs the real `xiafang-server import` on an empty
//! deployment twice: the import, then the same workbook again, which must add nothing.
//! Keys `import_<backend>_{files,visits,first_s,again_s,xlsx_bytes,unpacked_bytes}`.

use super::{Result, figure};
use std::io::Read;
use std::path::Path;
use std::time::Instant;
use xiafang_core::ledger_import::{SheetKind, Workbook, col, columns};
use xiafang_server::import::template_xlsx;

const TOWNSHIPS: usize = 20;
const VILLAGES: usize = 10;
const CADRES_PER_TOWNSHIP: usize = 20;
const VISITS_PER_FILE: usize = 10;

pub async fn import_pass(
    server_bin: &str,
    backend: &str,
    data_dir: &Path,
    db_url: &str,
    files: usize,
) -> Result<()> {
    let xlsx = template_xlsx(&county(files))?;
    let path = data_dir.join("county.xlsx");
    std::fs::write(&path, &xlsx)?;
    let b = backend;
    figure(&format!("import_{b}_files"), files as f64, "files");
    figure(
        &format!("import_{b}_visits"),
        (files * VISITS_PER_FILE) as f64,
        "records",
    );
    figure(&format!("import_{b}_xlsx_bytes"), xlsx.len() as f64, "B");
    figure(
        &format!("import_{b}_unpacked_bytes"),
        unpacked(&xlsx)? as f64,
        "B",
    );
    for key in ["first_s", "again_s"] {
        let started = Instant::now();
        let out = tokio::process::Command::new(server_bin)
            .args(["import", "--no-demo", "--admin", "admin"])
            .arg(&path)
            .arg("--data-dir")
            .arg(data_dir)
            .env("XIAFANG_DATABASE_URL", db_url)
            .env("RUST_LOG", "warn")
            .output()
            .await?;
        let seconds = started.elapsed().as_secs_f64();
        let said = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!(
                "import failed: {said}{}",
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        if key == "again_s"
            && !said.contains(
                "新增 档案 0 份、账号 0 个、地点 0 个、分派 0 条、包案领导 0 条、走访记录 0 条",
            )
        {
            return Err(format!("the second import added something: {said}").into());
        }
        figure(&format!("import_{b}_{key}"), seconds, "s");
    }
    Ok(())
}

/// What the workbook's zip unpacks to (what `import::LIMITS` bounds).
fn unpacked(xlsx: &[u8]) -> Result<u64> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx))?;
    let mut total = 0;
    for i in 0..zip.len() {
        total += std::io::copy(&mut zip.by_index(i)?.take(u64::MAX), &mut std::io::sink())?;
    }
    Ok(total)
}

/// An ID number of a person born in 瑞安 (330381) with a valid check digit, different per `i`
/// below 60,000.
fn id_number(i: usize) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let base = format!(
        "330381{:04}{:02}{:02}{:03}",
        1940 + i % 60,
        1 + i % 12,
        1 + i % 28,
        i / 60 % 1000
    );
    let sum: u32 = base
        .bytes()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{base}{check}")
}

/// One row of `kind`, each column's cell from `cell` by the column's name.
fn row(kind: SheetKind, cell: impl Fn(&str) -> String) -> Vec<String> {
    columns(kind).iter().map(|c| cell(c.name)).collect()
}

fn sheet(kind: SheetKind, rows: Vec<Vec<String>>) -> (SheetKind, Vec<Vec<String>>) {
    let headers = columns(kind).iter().map(|c| c.name.to_owned()).collect();
    let mut grid = vec![headers];
    grid.extend(rows);
    (kind, grid)
}

fn county(files: usize) -> Workbook {
    let township = |t: usize| format!("第{t}镇");
    let village = |t: usize, v: usize| format!("第{t}镇{v}村");
    let s = |x: &str| x.to_owned();
    let mut places = Vec::new();
    for t in 0..TOWNSHIPS {
        for v in 0..VILLAGES {
            places.push(row(SheetKind::Places, |c| match c {
                col::COUNTY => s("试验县"),
                col::TOWNSHIP => township(t),
                col::VILLAGE => village(t, v),
                _ => String::new(),
            }));
        }
    }
    let mut accounts = vec![row(SheetKind::Accounts, |c| match c {
        col::USERNAME => s("admin"),
        col::NAME => s("管理员甲"),
        col::ROLE => s("管理员"),
        col::COUNTY => s("试验县"),
        _ => String::new(),
    })];
    for t in 0..TOWNSHIPS {
        for k in 0..CADRES_PER_TOWNSHIP {
            accounts.push(row(SheetKind::Accounts, |c| match c {
                col::USERNAME => format!("c{t}x{k}"),
                col::NAME => format!("干部{t}-{k}"),
                col::ROLE => s("干部"),
                col::COUNTY => s("试验县"),
                col::TOWNSHIP => township(t),
                _ => String::new(),
            }));
        }
    }
    let (mut petitioners, mut assignments, mut visits) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..files {
        let (t, v) = (i % TOWNSHIPS, i / TOWNSHIPS % VILLAGES);
        let name = format!("信访人{i}");
        petitioners.push(row(SheetKind::Files, |c| match c {
            col::NAME => name.clone(),
            col::SEX => s("男"),
            col::BIRTH_YEAR => s("1970"),
            col::ID_NUMBER => id_number(i),
            col::PHONE => s("13800000000"),
            col::TOWNSHIP => township(t),
            col::VILLAGE => village(t, v),
            col::ADDRESS => format!("{}{i}号", village(t, v)),
            col::HOUSEHOLD => s("低保户"),
            col::TAGS => s("重点"),
            col::SUMMARY => s("要求解决宅基地纠纷"),
            col::CATEGORY => s("征地拆迁"),
            col::SINCE => s("2023-05-01"),
            col::CHANNEL => s("来访"),
            col::CLASSIFICATION => s("申诉求决类"),
            col::LEVEL => s("县"),
            col::FLAGS => s("重复访"),
            col::RESOLUTION => s("化解中"),
            col::VISITS_BEFORE => s("3"),
            _ => String::new(),
        }));
        for k in [i % CADRES_PER_TOWNSHIP, (i + 1) % CADRES_PER_TOWNSHIP] {
            assignments.push(row(SheetKind::Assignments, |c| match c {
                col::PETITIONER => name.clone(),
                col::ID_NUMBER => id_number(i),
                col::TOWNSHIP => township(t),
                col::VILLAGE => village(t, v),
                col::USERNAME => format!("c{t}x{k}"),
                col::DUTY => s("责任干部"),
                _ => String::new(),
            }));
        }
        let recorder = i % CADRES_PER_TOWNSHIP;
        for n in 0..VISITS_PER_FILE {
            visits.push(row(SheetKind::Visits, |c| match c {
                col::PETITIONER => name.clone(),
                col::ID_NUMBER => id_number(i),
                col::TOWNSHIP => township(t),
                col::VILLAGE => village(t, v),
                col::VISIT_DATE => format!("2025-{:02}-{:02}", 1 + n, 1 + i % 28),
                col::VISIT_KIND => s("上门走访"),
                col::VISIT_PLACE => s("家中"),
                col::PARTICIPANTS => format!("干部{t}-{recorder}"),
                col::RECORDER => format!("c{t}x{recorder}"),
                col::REQUESTS => format!("第{}次走访：仍要求解决宅基地纠纷", n + 1),
                col::MOOD => s("平稳"),
                col::RISK => s("一般"),
                col::EXPLAINED => s("讲解了土地管理法"),
                col::MEASURES => s("联系村委会协调"),
                _ => String::new(),
            }));
        }
    }
    Workbook::from_grids(vec![
        sheet(SheetKind::Places, places),
        sheet(SheetKind::Accounts, accounts),
        sheet(SheetKind::Files, petitioners),
        sheet(SheetKind::Assignments, assignments),
        sheet(SheetKind::Visits, visits),
    ])
}
