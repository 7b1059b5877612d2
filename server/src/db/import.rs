//! Storing an imported workbook (issue 18 item 1): the facts the dry run checks against, read in
//! the same transaction that then stores everything or nothing. Files take feed positions as
//! the demo's do, visits on paper and 包案领导 records go through `insert_record` (feed position, chain link) and
//! every file and record gets its audit line under the importing administrator.

use super::audit::{Actor, WriteLines};
use super::feed::next_position;
use super::seed::{AccountRow, insert_account};
use super::upload::insert_record;
use super::{Backend, Db, DbError, Result, parse, to_json};
use chrono::Utc;
use sqlx::AnyConnection;
use xiafang_core::audit::AuditAction;
use xiafang_core::ledger_import::{
    Facts, FileRef, ImportReport, KnownAccount, KnownFile, KnownPlace, Plan, check,
};
use xiafang_core::supervision::Supervision;
use xiafang_core::{FileId, Lang, PetitionerFile, Record, RecordBody, UserId, account::Role};

/// What an imported account's password hash is: no password matches it, so the account cannot
/// sign in until an administrator sets a password (管理 → 账号 → 重置密码).
pub const NO_PASSWORD: &str = "!imported: no password set";

/// A fixed key for PostgreSQL's advisory lock: one import at a time across instances.
const IMPORT_LOCK: i64 = 0x7869_6d70_6f72_7401;

impl Db {
    /// Checks `book` against the database (as `scope`'s administrator, `None` for the console)
    /// and, unless `dry_run` or a problem was found, stores it in one transaction, audited under
    /// `actor` (an administrator already stored or added by this very workbook).
    pub async fn import(
        &self,
        book: &xiafang_core::ledger_import::Workbook,
        scope: Option<&str>,
        actor: &UserId,
        dry_run: bool,
    ) -> Result<ImportReport> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS turn")
                .bind(IMPORT_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        let today = xiafang_core::case::china_date(Utc::now());
        let facts = facts(&mut tx, scope, today).await?;
        let (plan, problems) = check::plan(book, &facts);
        let mut report = ImportReport {
            problems: problems.iter().map(|p| p.line(Lang::Zh)).collect(),
            new: plan.counts(),
            already: plan.already,
            stored: false,
        };
        let actor_name = facts
            .accounts
            .iter()
            .find(|a| a.id == actor.0 && a.role == Some(Role::Admin))
            .map(|a| a.display_name.clone())
            .or_else(|| {
                plan.accounts
                    .iter()
                    .find(|a| a.id == actor.0 && a.role == Role::Admin)
                    .map(|a| a.display_name.clone())
            });
        let Some(actor_name) = actor_name else {
            return Err(DbError::Demo(format!(
                "{} is no administrator of the database or the workbook",
                actor.0
            )));
        };
        if dry_run || !report.problems.is_empty() {
            tx.rollback().await?;
            return Ok(report);
        }
        store(&mut tx, &plan, actor, &actor_name).await?;
        tx.commit().await?;
        report.stored = true;
        Ok(report)
    }
}

impl Db {
    /// Sets the password of the administrator an import just added (the console's one-time
    /// initial password).
    pub async fn set_password_hash(&self, account: &UserId, hash: &str) -> Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(&account.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

async fn facts(
    conn: &mut AnyConnection,
    scope: Option<&str>,
    today: chrono::NaiveDate,
) -> Result<Facts> {
    let places: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, name, kind, parent_id FROM places")
            .fetch_all(&mut *conn)
            .await?;
    let groups: Vec<(String, String)> =
        sqlx::query_as("SELECT village_id, name FROM villager_groups")
            .fetch_all(&mut *conn)
            .await?;
    let places = places
        .into_iter()
        .map(|(id, name, kind, parent)| KnownPlace {
            groups: groups
                .iter()
                .filter(|(v, _)| v == &id)
                .map(|(_, g)| g.clone())
                .collect(),
            id,
            name,
            kind,
            parent,
        })
        .collect();
    let accounts: Vec<(String, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, username, display_name, role, place_id, legal_title FROM accounts",
    )
    .fetch_all(&mut *conn)
    .await?;
    let accounts = accounts
        .into_iter()
        .map(
            |(id, username, display_name, role, place_id, title)| KnownAccount {
                id,
                username,
                display_name,
                role: Role::from_key(&role),
                place_id,
                legal_title: title
                    .as_deref()
                    .and_then(xiafang_core::account::LegalTitle::from_key),
            },
        )
        .collect();
    let files: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, village_id, data FROM files WHERE ledger = 0")
            .fetch_all(&mut *conn)
            .await?;
    let files = files
        .iter()
        .map(|(id, village_id, data)| {
            let file: PetitionerFile = parse(data, "files")?;
            Ok(KnownFile {
                id: id.clone(),
                village_id: village_id.clone(),
                name: file.name,
                id_number: file.id_number,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let assignments = sqlx::query_as("SELECT file_id, account_id FROM assignments")
        .fetch_all(&mut *conn)
        .await?;
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM records WHERE kind = 'supervision'")
            .fetch_all(&mut *conn)
            .await?;
    let mut leaders = Vec::new();
    for body in &bodies {
        let record: Record = parse(body, "records")?;
        if let RecordBody::Supervision(Supervision::Leader {
            account: Some(a), ..
        }) = &record.body
        {
            leaders.push((record.file_id.0.clone(), a.0.clone()));
        }
    }
    let visit_ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM records WHERE kind = 'visit' AND device_id IS NULL")
            .fetch_all(&mut *conn)
            .await?;
    let visit_ids = visit_ids.iter().filter_map(|id| id.parse().ok()).collect();
    Ok(Facts {
        visit_ids,
        places,
        accounts,
        files,
        assignments,
        leaders,
        scope: scope.map(str::to_owned),
        today,
    })
}

async fn store(
    conn: &mut AnyConnection,
    plan: &Plan,
    actor: &UserId,
    actor_name: &str,
) -> Result<()> {
    for p in &plan.places {
        sqlx::query("INSERT INTO places (id, name, kind, parent_id) VALUES ($1, $2, $3, $4)")
            .bind(&p.id)
            .bind(&p.name)
            .bind(p.kind)
            .bind(&p.parent)
            .execute(&mut *conn)
            .await?;
    }
    for (village, group) in &plan.groups {
        sqlx::query("INSERT INTO villager_groups (village_id, name) VALUES ($1, $2)")
            .bind(village)
            .bind(group)
            .execute(&mut *conn)
            .await?;
    }
    super::screening::ensure_ledgers(&mut *conn).await?;
    for a in &plan.accounts {
        let row = AccountRow {
            id: &a.id,
            username: &a.username,
            display_name: &a.display_name,
            role: a.role,
            place_id: &a.place_id,
            password_hash: NO_PASSWORD,
            legal_title: a.legal_title,
        };
        insert_account(&mut *conn, &row).await?;
    }
    let actor_line = Actor {
        account: actor,
        device: None,
    };
    let mut lines = WriteLines::default();
    let mut ids = Vec::with_capacity(plan.files.len());
    for f in &plan.files {
        let mut file = f.file.clone();
        file.id = FileId(format!("file-{}", uuid::Uuid::new_v4()));
        let position = next_position(&mut *conn).await?;
        sqlx::query(
            "INSERT INTO files (id, village_id, name, data, feed_seq) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&file.id.0)
        .bind(&f.village_id)
        .bind(&file.name)
        .bind(to_json(&file))
        .bind(position)
        .execute(&mut *conn)
        .await?;
        lines.add(&actor_line, AuditAction::Create, &file.id.0, None);
        ids.push(file.id);
    }
    let file_id = |r: &FileRef| match r {
        FileRef::Stored(id) => FileId(id.clone()),
        FileRef::New(i) => ids[*i].clone(),
    };
    for (file, account) in &plan.assignments {
        sqlx::query("INSERT INTO assignments (account_id, file_id) VALUES ($1, $2)")
            .bind(account)
            .bind(&file_id(file).0)
            .execute(&mut *conn)
            .await?;
    }
    let now = Utc::now();
    let occurred_at = (now + chrono::TimeDelta::hours(8)).naive_utc();
    for (file, account, name) in &plan.leaders {
        let file = file_id(file);
        let record = Record {
            id: xiafang_core::ledger_import::leader_record_id(&file.0, account),
            file_id: file.clone(),
            author: actor.clone(),
            author_name: actor_name.to_owned(),
            occurred_at,
            saved_at: now,
            amends: None,
            body: RecordBody::Supervision(Supervision::Leader {
                name: name.clone(),
                account: Some(UserId(account.clone())),
                post: String::new(),
                unit: String::new(),
                responsible: String::new(),
            }),
        };
        if let Err(errors) = record.validate() {
            return Err(DbError::Demo(format!("imported leader record: {errors:?}")));
        }
        insert_record(&mut *conn, &record, None).await?;
        lines.add(&actor_line, AuditAction::Create, &file.0, Some(record.id));
    }
    for visit in &plan.visits {
        let record = visit.record(&file_id(&visit.file).0, now);
        if let Err(errors) = record.validate() {
            return Err(DbError::Demo(format!("imported visit: {errors:?}")));
        }
        insert_record(&mut *conn, &record, None).await?;
        lines.add(
            &actor_line,
            AuditAction::Create,
            &record.file_id.0,
            Some(record.id),
        );
    }
    lines.insert(&mut *conn).await?;
    Ok(())
}
