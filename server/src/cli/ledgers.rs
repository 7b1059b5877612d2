//! `import-template` and `import`: a county's ledgers from the office's workbook
//! (docs/OPERATIONS.md, "Importing a county's ledgers").

use super::Outcome;
use crate::db::Db;
use crate::demo;

/// `import-template <file.xlsx | directory> [--example]`: writes the empty template, or with
/// `--example` the demo world filled in, as one workbook or as one CSV per sheet.
pub fn import_template(args: &[String]) -> Outcome {
    use crate::import::{example, template_csv, template_xlsx};
    let example_wanted = args.iter().any(|a| a == "--example");
    let Some(target) = args.iter().find(|a| !a.starts_with("--")) else {
        return Err("import-template needs a file.xlsx or a directory for the CSV files".into());
    };
    let book = if example_wanted {
        example::demo_workbook(&demo::demo())
    } else {
        example::empty_template()
    };
    let target = std::path::Path::new(target);
    if target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        std::fs::write(target, template_xlsx(&book)?)?;
    } else {
        std::fs::create_dir_all(target)?;
        for (name, bytes) in template_csv(&book) {
            std::fs::write(target.join(name), bytes)?;
        }
    }
    println!(
        "已写出导入模板 {} (import template written)",
        target.display()
    );
    Ok(())
}

/// What `import [--dry-run] --admin <username> <file>…` asks.
#[derive(Debug, PartialEq)]
pub struct ImportArgs {
    pub files: Vec<String>,
    pub admin: String,
    pub dry_run: bool,
}

/// `import …`, taken off the arguments (the rest are the server's options).
pub fn import_args(args: &mut Vec<String>) -> Result<ImportArgs, String> {
    args.remove(0);
    let mut import = ImportArgs {
        files: Vec::new(),
        admin: String::new(),
        dry_run: false,
    };
    let mut rest = Vec::new();
    let mut it = std::mem::take(args).into_iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--dry-run" => import.dry_run = true,
            "--admin" => import.admin = it.next().unwrap_or_default(),
            "--no-demo" => rest.push(arg),
            // Every other option of the server takes a value.
            a if a.starts_with("--") => {
                rest.push(arg);
                rest.extend(it.next());
            }
            _ => import.files.push(arg),
        }
    }
    *args = rest;
    if import.files.is_empty() || import.admin.is_empty() {
        return Err("usage: xiafang-server import [--dry-run] --admin <username> <file.xlsx | sheet.csv …> [options]".into());
    }
    Ok(import)
}

/// `import`: the dry run's problems by sheet, row and column, or (without `--dry-run` and with
/// none) everything stored in one transaction; exits 1 when there are problems. The accounts it
/// adds have no password; the administrator named by `--admin`, when the workbook adds them,
/// gets a one-time password printed here once, so someone can sign in and set the others'.
pub async fn run_import(db: &Db, import: ImportArgs) -> Outcome {
    let mut book = xiafang_core::ledger_import::Workbook::default();
    for file in &import.files {
        crate::import::read_into(&mut book, &std::fs::read(file)?)
            .map_err(|e| format!("{file}: {e}"))?;
    }
    let admin = xiafang_core::UserId(format!("u-{}", import.admin));
    let had_admin = db.account_by_id(&admin).await?.is_some();
    let started = std::time::Instant::now();
    let report = db.import(&book, None, &admin, import.dry_run).await?;
    for line in &report.problems {
        println!("{line}");
    }
    let lang = xiafang_core::Lang::Zh;
    if !report.problems.is_empty() {
        println!(
            "共 {} 处问题，未导入任何数据 (nothing imported)",
            report.problems.len()
        );
        std::process::exit(1);
    }
    let verb = if report.stored {
        "已导入"
    } else {
        "检查通过，可导入"
    };
    println!(
        "{verb}：新增 {}；已存在 {}（{:.2} 秒）",
        report.new.text(lang),
        report.already.text(lang),
        started.elapsed().as_secs_f64()
    );
    if report.stored && !had_admin {
        let password = crate::auth::new_token().0[..16].to_owned();
        let hash = crate::auth::hash_password(&password)?;
        db.set_password_hash(&admin, &hash).await?;
        println!(
            "管理员 {} 的一次性初始密码（只显示这一次，请登录后立即修改）：{password}",
            import.admin
        );
    }
    Ok(())
}
