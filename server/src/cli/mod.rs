//! The server's subcommands (`xiafang-server <task> …`): which one the command line asks for,
//! and each one's work, in the module named after what it is about. Serving is the default.

pub mod chains;
pub mod copies;
pub mod ledgers;

use chrono::NaiveDate;
use ledgers::ImportArgs;
use std::path::PathBuf;

/// What a subcommand returns to `main`.
pub type Outcome = Result<(), Box<dyn std::error::Error>>;

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Task {
    Serve,
    Verify,
    VerifyLedger(PathBuf),
    PruneAudit(NaiveDate),
    Backup(String),
    Restore(String),
    Import(ImportArgs),
    /// Its own arguments (it opens no database).
    ImportTemplate(Vec<String>),
    /// Its own arguments (`moving::MoveArgs`).
    MoveToPostgres(Vec<String>),
}

/// The task the arguments ask for, taken off them; what is left are the server's options.
pub fn task(args: &mut Vec<String>) -> Result<Task, String> {
    match args.first().map(String::as_str) {
        Some(crate::moving::COMMAND) => Ok(Task::MoveToPostgres(std::mem::take(args))),
        Some("import-template") => Ok(Task::ImportTemplate(args.split_off(1))),
        Some("verify") => {
            args.remove(0);
            Ok(Task::Verify)
        }
        Some("verify-ledger") => Ok(Task::VerifyLedger(ledger_path(args)?)),
        Some("prune-audit") => Ok(Task::PruneAudit(prune_day(args)?)),
        Some("backup") => Ok(Task::Backup(backup_file(args, "backup")?)),
        Some("restore") => Ok(Task::Restore(backup_file(args, "restore")?)),
        Some("import") => Ok(Task::Import(ledgers::import_args(args)?)),
        _ => Ok(Task::Serve),
    }
}

/// The file of `verify-ledger <file.csv|file.xlsx> [options]`, taken off the arguments.
fn ledger_path(args: &mut Vec<String>) -> Result<PathBuf, String> {
    args.remove(0);
    if args.is_empty() || args[0].starts_with("--") {
        return Err("verify-ledger needs the ledger file (.csv or .xlsx) to check".into());
    }
    Ok(args.remove(0).into())
}

/// The day of `prune-audit YYYY-MM-DD [options]`, taken off the arguments: the operator's
/// explicit order to delete audit lines dated before it, which the server carries out only when
/// the day lies past the retention. Never reachable from the API.
fn prune_day(args: &mut Vec<String>) -> Result<NaiveDate, String> {
    args.remove(0);
    let day = if args.is_empty() {
        String::new()
    } else {
        args.remove(0)
    };
    NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .map_err(|_| format!("prune-audit needs the date YYYY-MM-DD to delete before, not {day:?}"))
}

/// `backup <file>` or `restore <file>`, taken off the arguments.
fn backup_file(args: &mut Vec<String>, task: &str) -> Result<String, String> {
    args.remove(0);
    if args.is_empty() || args[0].starts_with("--") {
        return Err(format!(
            "{task} needs a file name: xiafang-server {task} <file> [options]"
        ));
    }
    Ok(args.remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_task_is_taken_off_and_the_servers_options_are_left() {
        let mut a = args(&["verify", "--data-dir", "d"]);
        assert_eq!(task(&mut a), Ok(Task::Verify));
        assert_eq!(a, args(&["--data-dir", "d"]));
        let mut a = args(&["backup", "b.db", "--data-dir", "d"]);
        assert_eq!(task(&mut a), Ok(Task::Backup("b.db".into())));
        assert_eq!(a, args(&["--data-dir", "d"]));
        let mut a = args(&["prune-audit", "2026-01-01"]);
        assert_eq!(
            task(&mut a),
            Ok(Task::PruneAudit(
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
            ))
        );
        let mut a = args(&[
            "import",
            "--admin",
            "admin",
            "x.xlsx",
            "--no-demo",
            "--data-dir",
            "d",
        ]);
        let Ok(Task::Import(import)) = task(&mut a) else {
            panic!("import");
        };
        assert_eq!((import.admin.as_str(), import.files.len()), ("admin", 1));
        assert_eq!(a, args(&["--no-demo", "--data-dir", "d"]));
        let mut a = args(&["--addr", "127.0.0.1:1"]);
        assert_eq!(task(&mut a), Ok(Task::Serve));
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn a_task_missing_what_it_needs_says_what() {
        for (a, says) in [
            (&["restore"][..], "restore needs a file name"),
            (
                &["verify-ledger", "--data-dir"][..],
                "verify-ledger needs the ledger file",
            ),
            (
                &["prune-audit", "yesterday"][..],
                "prune-audit needs the date",
            ),
            (&["import", "x.xlsx"][..], "usage: xiafang-server import"),
        ] {
            let err = task(&mut args(a)).expect_err(says);
            assert!(err.starts_with(says), "{err}");
        }
    }
}
