//! `xiafang-server`: reads its configuration, opens the database, loads the demo on first start
//! and serves the PWA and the API; or runs one of the subcommands (`xiafang_server::cli`).

use xiafang_server::cli::{Outcome, Task, chains, copies, ledgers, task};
use xiafang_server::config::Config;
use xiafang_server::db::Db;
use xiafang_server::{AppState, app, demo, logs, shutdown};

#[tokio::main]
async fn main() -> Outcome {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let task = task(&mut args)?;
    match task {
        Task::MoveToPostgres(args) => return copies::move_to_postgres(args).await,
        Task::ImportTemplate(args) => return ledgers::import_template(&args),
        _ => {}
    }
    let config = Config::from_args(args)?;
    let log = config.log_format;
    logs::init(log);
    std::fs::create_dir_all(&config.data_dir)?;
    let db_url = config.database_url();
    let copy = match &task {
        Task::Backup(file) => Some(("backup", file)),
        Task::Restore(file) => Some(("restore", file)),
        _ => None,
    };
    if let Some((what, file)) = copy {
        // The reason in Chinese for the operator, not the error's debug form.
        if let Err(e) = copies::backup_or_restore(what, file, &db_url).await {
            eprintln!("{e}");
            std::process::exit(1);
        }
        return Ok(());
    }
    let db = Db::connect(&db_url).await?;
    match task {
        Task::Verify => return chains::verify_chains(&db, &config).await,
        Task::VerifyLedger(path) => return chains::verify_ledger(&db, &path, &config).await,
        Task::Import(import) => return ledgers::run_import(&db, import).await,
        _ => {}
    }
    let chain_key = xiafang_server::chain_key::ChainKey::load_or_create_for(
        config.chain_signature,
        &config.chain_key_path(),
    )?;
    if let Task::PruneAudit(before) = task {
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
    chains::start_signing(&db, &chain_key, &config, log).await?;
    if !config.dist.join("index.html").exists() {
        eprintln!(
            "warning: {} has no index.html; build the PWA first (cargo xtask run does)",
            config.dist.display()
        );
    }
    let rules = config.figure_rules()?;
    // The last releases' wasm, for updates as deltas. Without it (an unreadable dist/, a full
    // disk) the app is served whole, as before.
    let shell = config.data_dir.join("shell");
    let history = match xiafang_server::http::ShellHistory::open(&shell, &config.dist) {
        Ok(history) => Some(history),
        // Warned about above.
        Err(_) if !config.dist.is_dir() => None,
        Err(e) => {
            eprintln!("warning: {}: {e}; updates are sent whole", shell.display());
            None
        }
    };
    let state = AppState::new(db, Some(config.dist.clone()))
        .with_shell_history(history)
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
