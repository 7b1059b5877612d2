//! The record chains' subcommands: `verify`, `verify-ledger`, and the check every start makes
//! that this instance signs with the deployment's key.

use super::Outcome;
use crate::config::Config;
use crate::db::Db;
use crate::logs;

/// `verify [options]`: recomputes every file's record chain and checks every signed statement,
/// naming each record that no longer matches (the same words as the admin screen's,
/// `xiafang_core::verify::Finding::text`); exits 1 if anything does, so a cron job or a script
/// can act on it.
pub async fn verify_chains(db: &Db, config: &Config) -> Outcome {
    let trusted = crate::chain_key::trusted_public_keys(&config.chain_key_files());
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

/// A server whose signing key is not the deployment's does not serve: it says how to share the
/// key file and exits 1. Asked to replace the key, it signs a statement with it at once, so the
/// other instances (still holding the old key) are the ones that stop publishing.
pub async fn start_signing(
    db: &Db,
    key: &crate::chain_key::ChainKey,
    config: &Config,
    log: logs::LogFormat,
) -> Outcome {
    match db.check_chain_key(key).await {
        Ok(()) => Ok(()),
        Err(e @ crate::db::DbError::ChainKeyDiffers { .. }) if !config.replace_chain_key => {
            eprintln!("{e}");
            std::process::exit(1);
        }
        Err(crate::db::DbError::ChainKeyDiffers { deployment }) => {
            // Listed first: the statements the old key signed stay the deployment's.
            crate::chain_key::retire(&config.chain_key_path(), &deployment)?;
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
pub async fn verify_ledger(db: &Db, path: &std::path::Path, config: &Config) -> Outcome {
    // Never made here: a key that is not there cannot have signed anything.
    let own_keys =
        crate::chain_key::trusted_public_keys(&config.chain_key_files()).unwrap_or_default();
    let found = crate::ledger_check::verify_ledger(db, path, &own_keys).await?;
    for line in found.lines(xiafang_core::Lang::Zh) {
        println!("{line}");
    }
    if found.consistent() {
        return Ok(());
    }
    std::process::exit(1);
}
