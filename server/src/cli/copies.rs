//! The database's copies: `backup`, `restore` (SQLite) and `move-to-postgres`.

use super::Outcome;
use crate::config::Config;
use crate::logs;

/// `backup <file>`: a consistent copy of the running server's SQLite database.
/// `restore <file>`: puts a backup back while the server is stopped.
pub async fn backup_or_restore(task: &str, file: &str, db_url: &str) -> Outcome {
    use crate::backup;
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

/// `move-to-postgres [--to-file FILE] [--data-dir DIR]`: copies the stopped SQLite deployment of
/// the data directory into an empty PostgreSQL database and checks the record chains there;
/// exits 1 with the reason (in Chinese) otherwise. docs/OPERATIONS.md, "Moving from SQLite to
/// PostgreSQL".
pub async fn move_to_postgres(args: Vec<String>) -> Outcome {
    use crate::moving::{MoveArgs, TARGET_VAR, report};
    let wanted = MoveArgs::parse(args, std::env::var(TARGET_VAR).ok())?;
    let config = Config::from_args(wanted.rest)?;
    logs::init(config.log_format);
    let source = config.data_dir.join("xiafang.db");
    match crate::db::move_to_postgres(&source, &wanted.target).await {
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
