//! `xiafang-server`: reads its configuration, opens the database, loads the demo on first start
//! and serves the PWA and the API.

use xiafang_server::config::Config;
use xiafang_server::db::Db;
use xiafang_server::{AppState, app, demo, logs, shutdown};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(xiafang_server::moving::COMMAND) {
        return move_to_postgres(args).await;
    }
    let verify = args.first().map(String::as_str) == Some("verify");
    if verify {
        args.remove(0);
    }
    let ledger = ledger_path(&mut args)?;
    let prune = prune_day(&mut args)?;
    let copy = backup_file(&mut args)?;
    if args.first().map(String::as_str) == Some("import-template") {
        return import_template(&args[1..]);
    }
    let import = import_args(&mut args)?;
    let config = Config::from_args(args)?;
    let log = config.log_format;
    logs::init(log);
    std::fs::create_dir_all(&config.data_dir)?;
    let db_url = config.database_url();
    if let Some((task, file)) = copy {
        // The reason in Chinese for the operator, not the error's debug form.
        if let Err(e) = backup_or_restore(task, &file, &db_url).await {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return Ok(());
    }
    let db = Db::connect(&db_url).await?;
    if verify {
        return verify_chains(&db, &config).await;
    }
    if let Some(path) = ledger {
        return verify_ledger(&db, &path, &config).await;
    }
    if let Some(import) = import {
        return run_import(&db, import).await;
    }
    let chain_key = xiafang_server::chain_key::ChainKey::load_or_create_for(
        config.chain_signature,
        &config.chain_key_path(),
    )?;
    if let Some(before) = prune {
        let deleted = db.prune_audit(before, chrono::Utc::now()).await?;
        println!("已删除 {before} 之前的审计记录 {deleted} 条 (audit lines pruned)");
        return Ok(());
    }
    let mut demo_accounts = Vec::new();
    // Instances starting together on an empty database: one loads the demo, the others find it.
    let turn = db.startup_turn().await?;
    if config.demo && !db.has_accounts().await? {
        demo_accounts = match &config.demo_file {
            None => {
                let today = xiafang_core::case::china_date(chrono::Utc::now());
                demo::seed(&db, today).await?
            }
            Some(path) => demo::seed_from(&db, demo::from_file(path)?).await?,
        };
        logs::say(log, "首次启动：已载入演示数据 (demo data loaded)");
    }
    turn.end().await?;
    start_signing(&db, &chain_key, &config, log).await?;
    if !config.dist.join("index.html").exists() {
        eprintln!(
            "warning: {} has no index.html; build the PWA first (cargo xtask run does)",
            config.dist.display()
        );
    }
    let rules = config.figure_rules()?;
    let state = AppState::new(db, Some(config.dist.clone()))
        .with_device_cipher(config.device_cipher)
        .with_rules(rules)
        .with_metrics_token(config.metrics_token.clone())
        .with_trusted_chain_keys(xiafang_server::chain_key::trusted_public_keys(
            &config.chain_key_files(),
        ));
    // Abandoned uploads and images no record shows go once they are a week old; an hour late
    // matters to nobody.
    tokio::spawn(xiafang_server::db::sweep_blobs_every(
        state.db.clone(),
        std::time::Duration::from_secs(60 * 60),
    ));
    // The day's signed statement over every record chain: at start if today has none, then
    // whenever the day (China time) turns.
    tokio::spawn(xiafang_server::db::publish_roots_daily(
        state.db.clone(),
        chain_key,
        std::time::Duration::from_secs(10 * 60),
    ));
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    logs::say(log, &format!("下访 Xiafang 已启动: http://{addr}/"));
    let db_shown = xiafang_server::db::redact(&db_url);
    logs::say(log, &format!("数据库 (database): {db_shown}"));
    // Demo passwords are for a person at the console, never for a log collector.
    for a in demo_accounts
        .iter()
        .filter(|_| log == logs::LogFormat::Text)
    {
        println!(
            "  演示账号 demo account: {:<8} 密码 password: {:<12} {}（{}）",
            a.username,
            a.password,
            a.display_name,
            a.role.label(xiafang_core::Lang::Zh)
        );
    }
    shutdown::serve(listener, app(state), config.shutdown_grace).await?;
    Ok(())
}

/// `verify [options]`: recomputes every file's record chain and checks every signed statement,
/// naming each record that no longer matches (the same words as the admin screen's,
/// `xiafang_core::verify::Finding::text`); exits 1 if anything does, so a cron job or a script
/// can act on it.
async fn verify_chains(db: &Db, config: &Config) -> Result<(), Box<dyn std::error::Error>> {
    let trusted = xiafang_server::chain_key::trusted_public_keys(&config.chain_key_files());
    if trusted.is_none() {
        println!(
            "未核对签名根由谁的密钥签发：读不到本部署的密钥文件（请以服务器的用户运行） \
             (the deployment's key files are unreadable: whose key signed each statement is not checked)"
        );
    }
    let report = db.verify_report(None, trusted.as_deref()).await?;
    for f in &report.findings {
        println!("{}", f.text(xiafang_core::Lang::Zh));
    }
    if report.all_match() {
        println!(
            "全部记录链校验通过：{} 份档案的记录链（{} 条记录）与 {} 份签名根均相符 \
             (every record chain matches)",
            report.chains, report.records, report.statements
        );
        return Ok(());
    }
    std::process::exit(1);
}

/// `move-to-postgres [--to-file FILE] [--data-dir DIR]`: copies the stopped SQLite deployment of
/// the data directory into an empty PostgreSQL database and checks the record chains there;
/// exits 1 with the reason (in Chinese) otherwise. docs/OPERATIONS.md, "Moving from SQLite to
/// PostgreSQL".
async fn move_to_postgres(args: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
    use xiafang_server::moving::{MoveArgs, TARGET_VAR, report};
    let wanted = MoveArgs::parse(args, std::env::var(TARGET_VAR).ok())?;
    let config = Config::from_args(wanted.rest)?;
    logs::init(config.log_format);
    let source = config.data_dir.join("xiafang.db");
    match xiafang_server::db::move_to_postgres(&source, &wanted.target).await {
        Ok(moved) => {
            for line in report(&moved) {
                println!("{line}");
            }
            if !moved.verified.all_match() {
                std::process::exit(1);
            }
            Ok(())
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

/// The file of `verify-ledger <file.csv|file.xlsx> [options]`, taken off the arguments.
fn ledger_path(args: &mut Vec<String>) -> Result<Option<std::path::PathBuf>, String> {
    if args.first().map(String::as_str) != Some("verify-ledger") {
        return Ok(None);
    }
    args.remove(0);
    if args.is_empty() || args[0].starts_with("--") {
        return Err("verify-ledger needs the ledger file (.csv or .xlsx) to check".into());
    }
    Ok(Some(args.remove(0).into()))
}

/// A server whose signing key is not the deployment's does not serve: it says how to share the
/// key file and exits 1. Asked to replace the key, it signs a statement with it at once, so the
/// other instances (still holding the old key) are the ones that stop publishing.
async fn start_signing(
    db: &Db,
    key: &xiafang_server::chain_key::ChainKey,
    config: &Config,
    log: logs::LogFormat,
) -> Result<(), Box<dyn std::error::Error>> {
    match db.check_chain_key(key).await {
        Ok(()) => Ok(()),
        Err(e @ xiafang_server::db::DbError::ChainKeyDiffers { .. })
            if !config.replace_chain_key =>
        {
            eprintln!("{e}");
            std::process::exit(1);
        }
        Err(xiafang_server::db::DbError::ChainKeyDiffers { deployment }) => {
            // Listed first: the statements the old key signed stay the deployment's.
            xiafang_server::chain_key::retire(&config.chain_key_path(), &deployment)?;
            let today = xiafang_core::case::china_date(chrono::Utc::now());
            let statement = db.publish_root(key, today).await?;
            logs::say(
                log,
                &format!(
                    "已更换链签名密钥：第 {} 号声明起由公钥 {} 签发，此前为 {deployment} (chain key replaced)",
                    statement.seq,
                    key.public_hex()
                ),
            );
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// `verify-ledger`: says, row by row, whether an exported ledger still agrees with the database
/// and whether the statement it names is published and signed by this deployment's key; exits
/// 1 if not.
async fn verify_ledger(
    db: &Db,
    path: &std::path::Path,
    config: &Config,
) -> Result<(), Box<dyn std::error::Error>> {
    // Never made here: a key that is not there cannot have signed anything.
    let own_keys = xiafang_server::chain_key::trusted_public_keys(&config.chain_key_files())
        .unwrap_or_default();
    let found = xiafang_server::ledger_check::verify_ledger(db, path, &own_keys).await?;
    for line in found.lines(xiafang_core::Lang::Zh) {
        println!("{line}");
    }
    if found.consistent() {
        return Ok(());
    }
    std::process::exit(1);
}

/// The day of `prune-audit YYYY-MM-DD [options]`, taken off the arguments: the operator's
/// explicit order to delete audit lines dated before it, which the server carries out only when
/// the day lies past the retention. Never reachable from the API.
/// `backup <file>` or `restore <file>`, taken off the arguments.
fn backup_file(args: &mut Vec<String>) -> Result<Option<(&'static str, String)>, String> {
    let task = match args.first().map(String::as_str) {
        Some("backup") => "backup",
        Some("restore") => "restore",
        _ => return Ok(None),
    };
    args.remove(0);
    if args.is_empty() || args[0].starts_with("--") {
        return Err(format!(
            "{task} needs a file name: xiafang-server {task} <file> [options]"
        ));
    }
    Ok(Some((task, args.remove(0))))
}

/// `backup <file>`: a consistent copy of the running server's SQLite database.
/// `restore <file>`: puts a backup back while the server is stopped.
async fn backup_or_restore(
    task: &str,
    file: &str,
    db_url: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    use xiafang_server::backup;
    let db = backup::sqlite_file(db_url)?;
    let file = std::path::Path::new(file);
    if task == "backup" {
        let bytes = backup::backup(&db, file).await?;
        println!(
            "已备份到 {} ({bytes} 字节) (backup written)",
            file.display()
        );
    } else {
        backup::restore(file, &db).await?;
        println!(
            "已从 {} 恢复数据库；手机下次同步时会重新上传备份之后保存的记录 (restored; phones upload \
             again what the backup lacks at their next sync)",
            file.display()
        );
    }
    Ok(())
}

fn prune_day(args: &mut Vec<String>) -> Result<Option<chrono::NaiveDate>, String> {
    if args.first().map(String::as_str) != Some("prune-audit") {
        return Ok(None);
    }
    args.remove(0);
    let day = if args.is_empty() {
        String::new()
    } else {
        args.remove(0)
    };
    chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("prune-audit needs the date YYYY-MM-DD to delete before, not {day:?}"))
}

/// `import-template <file.xlsx | directory> [--example]`: writes the empty template, or with
/// `--example` the demo world filled in, as one workbook or as one CSV per sheet.
fn import_template(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    use xiafang_server::import::{example, template_csv, template_xlsx};
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
struct ImportArgs {
    files: Vec<String>,
    admin: String,
    dry_run: bool,
}

/// `import …`, taken off the arguments (the rest are the server's options).
fn import_args(args: &mut Vec<String>) -> Result<Option<ImportArgs>, String> {
    if args.first().map(String::as_str) != Some("import") {
        return Ok(None);
    }
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
    Ok(Some(import))
}

/// `import`: the dry run's problems by sheet, row and column, or (without `--dry-run` and with
/// none) everything stored in one transaction; exits 1 when there are problems. The accounts it
/// adds have no password; the administrator named by `--admin`, when the workbook adds them,
/// gets a one-time password printed here once, so someone can sign in and set the others'.
async fn run_import(db: &Db, import: ImportArgs) -> Result<(), Box<dyn std::error::Error>> {
    let mut book = xiafang_core::ledger_import::Workbook::default();
    for file in &import.files {
        xiafang_server::import::read_into(&mut book, &std::fs::read(file)?)
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
        let password = xiafang_server::auth::new_token().0[..16].to_owned();
        let hash = xiafang_server::auth::hash_password(&password)?;
        db.set_password_hash(&admin, &hash).await?;
        println!(
            "管理员 {} 的一次性初始密码（只显示这一次，请登录后立即修改）：{password}",
            import.admin
        );
    }
    Ok(())
}
