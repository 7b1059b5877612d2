//! `xiafang-server`: reads its configuration, opens the database, loads the demo on first start
//! and serves the PWA and the API.

use xiafang_server::config::Config;
use xiafang_server::db::Db;
use xiafang_server::{AppState, app, demo, logs, shutdown};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let prune = prune_day(&mut args)?;
    let config = Config::from_args(args)?;
    let log = config.log_format;
    logs::init(log);
    std::fs::create_dir_all(&config.data_dir)?;
    let db_url = config.database_url();
    let db = Db::connect(&db_url).await?;
    if let Some(before) = prune {
        let deleted = db.prune_audit(before, chrono::Utc::now()).await?;
        println!("已删除 {before} 之前的审计记录 {deleted} 条 (audit lines pruned)");
        return Ok(());
    }
    let mut demo_accounts = Vec::new();
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
        .with_metrics_token(config.metrics_token.clone());
    // Abandoned uploads and images no record shows go once they are a week old; an hour late
    // matters to nobody.
    tokio::spawn(xiafang_server::db::sweep_blobs_every(
        state.db.clone(),
        std::time::Duration::from_secs(60 * 60),
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

/// The day of `prune-audit YYYY-MM-DD [options]`, taken off the arguments: the operator's
/// explicit order to delete audit lines dated before it, which the server carries out only when
/// the day lies past the retention. Never reachable from the API.
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
