//! The `move-to-postgres` command's arguments and what it prints (the copy itself is
//! `db::move_to_postgres`). The target's URL carries the database password, so it comes from a
//! file or the environment: the command line is readable by every user of the machine (`ps`).

use crate::db::Moved;
use std::path::Path;

pub const COMMAND: &str = "move-to-postgres";
/// The environment variable that may name the target instead of `--to-file`.
pub const TARGET_VAR: &str = "XIAFANG_MOVE_TO";

/// The target database and the arguments left for the usual options (`--data-dir`).
#[derive(Debug, PartialEq, Eq)]
pub struct MoveArgs {
    pub target: String,
    pub rest: Vec<String>,
}

impl MoveArgs {
    /// `move-to-postgres [--to-file FILE | --to URL-without-password] [options]`; `from_env` is
    /// `XIAFANG_MOVE_TO`, used when neither is given.
    pub fn parse(args: Vec<String>, from_env: Option<String>) -> Result<MoveArgs, String> {
        let mut args = args.into_iter().skip_while(|a| a == COMMAND);
        let mut rest = Vec::new();
        let mut given = Vec::new();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--to" | "--to-file" => {
                    let value = args.next().ok_or(format!("{arg} needs a value"))?;
                    given.push(if arg == "--to" {
                        on_command_line(value)?
                    } else {
                        from_file(Path::new(&value))?
                    });
                }
                _ => rest.push(arg),
            }
        }
        given.extend(from_env.filter(|u| !u.trim().is_empty()));
        match given.len() {
            1 => Ok(MoveArgs {
                target: given.remove(0).trim().to_owned(),
                rest,
            }),
            0 => Err(format!(
                "{COMMAND} needs the PostgreSQL database to move to: --to-file FILE (the URL in a \
                 file only root reads) or {TARGET_VAR}"
            )),
            _ => Err(format!(
                "{COMMAND}: give the target once (--to-file, --to or {TARGET_VAR})"
            )),
        }
    }
}

/// A URL with a password is refused on the command line rather than shown to `ps`.
fn on_command_line(url: String) -> Result<String, String> {
    let userinfo = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .map(|(userinfo, _)| userinfo);
    if userinfo.is_some_and(|u| u.contains(':')) {
        return Err(format!(
            "--to: a password on the command line shows in the process list; put the URL in a \
             file (--to-file) or in {TARGET_VAR}"
        ));
    }
    Ok(url)
}

fn from_file(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--to-file: cannot read {}: {e}", path.display()))?;
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| format!("--to-file: {} holds no URL", path.display()))
}

/// What the command prints after a move: each table and its rows, then the chain check.
pub fn report(moved: &Moved) -> Vec<String> {
    let mut lines: Vec<String> = moved
        .tables
        .iter()
        .map(|(table, rows)| format!("  {table:<24} {rows:>10} 行 (rows)"))
        .collect();
    let rows: i64 = moved.tables.iter().map(|(_, n)| n).sum();
    lines.push(format!(
        "已复制 {} 张表共 {rows} 行，两边逐表行数相同 (every table copied, row counts equal)",
        moved.tables.len()
    ));
    let v = &moved.verified;
    for finding in &v.findings {
        lines.push(finding.text(xiafang_core::Lang::Zh));
    }
    if !v.all_match() {
        lines.push(
            "数据已复制并提交，但 PostgreSQL 上的记录链校验发现以上问题：请在 SQLite 文件上运行 \
             xiafang-server verify 比较，相同的问题在迁移之前就已存在 (copied, but the chain \
             check names the records above)"
                .into(),
        );
    } else {
        lines.push(format!(
            "PostgreSQL 上的记录链校验通过：{} 份档案的记录链（{} 条记录）与 {} 份签名根均相符 \
             (every record chain matches)",
            v.chains, v.records, v.statements
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_password_stays_off_the_command_line() {
        let with_password =
            MoveArgs::parse(args(&[COMMAND, "--to", "postgres://xf:secret@db/xf"]), None);
        assert!(with_password.unwrap_err().contains("process list"));
        let peer = MoveArgs::parse(
            args(&[COMMAND, "--to", "postgres://xf@db/xf", "--data-dir", "d"]),
            None,
        )
        .unwrap();
        assert_eq!(peer.target, "postgres://xf@db/xf");
        assert_eq!(peer.rest, args(&["--data-dir", "d"]));
        let from_env =
            MoveArgs::parse(args(&[COMMAND]), Some("postgres://xf:s@db/xf\n".into())).unwrap();
        assert_eq!(from_env.target, "postgres://xf:s@db/xf");
        assert!(MoveArgs::parse(args(&[COMMAND]), None).is_err());
        assert!(
            MoveArgs::parse(
                args(&[COMMAND, "--to", "postgres://a@b/c"]),
                Some("postgres://x@y/z".into())
            )
            .is_err(),
            "two targets"
        );
    }

    #[test]
    fn the_url_file_may_end_with_a_newline() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("url");
        std::fs::write(&file, "\npostgres://xf:s@db/xf\n").unwrap();
        let parsed =
            MoveArgs::parse(args(&[COMMAND, "--to-file", file.to_str().unwrap()]), None).unwrap();
        assert_eq!(parsed.target, "postgres://xf:s@db/xf");
    }
}
