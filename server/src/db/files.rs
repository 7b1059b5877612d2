//! Who may read or write which petitioner file, and reading files and timelines.

use super::{Db, Result, parse};
use xiafang_core::account::{Account, Role};
use xiafang_core::permissions::Reach;
use xiafang_core::{FileId, PetitionerFile, Record};

/// What an account may do with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    NoSuchFile,
    None,
    Read,
    ReadWrite,
}

/// Joins every query about files uses: the file `f`, its village `v` and township `t`.
pub(crate) const FILE_PLACES: &str = "files f JOIN places v ON v.id = f.village_id \
                                      LEFT JOIN places t ON t.id = v.parent_id";

/// True when file `f` is assigned to account `$1`; a village's screening ledger counts as assigned
/// to the cadres of the village and of its township (`records::screening`).
const ASSIGNED: &str = "(EXISTS (SELECT 1 FROM assignments WHERE account_id = $1 AND file_id = f.id) \
                        OR (f.ledger = 1 AND v.kind = 'village' AND EXISTS (SELECT 1 FROM accounts la \
                        WHERE la.id = $1 AND la.role = 'cadre' AND la.place_id IN (v.id, t.id))))";

/// True when `f` is a petitioner's file rather than a place's screening ledger: every query that
/// hands out files' data (lists, feed, search, ledgers) asks it.
pub(crate) const PETITIONER: &str = "f.ledger = 0";

/// True when file `f` is an accusation naming account `$1` or the place `$1` belongs to.
const ACCUSES_READER: &str = "EXISTS (SELECT 1 FROM file_accused fa WHERE fa.file_id = f.id \
                              AND (fa.account_id = $1 \
                              OR fa.place_id = (SELECT place_id FROM accounts WHERE id = $1)))";

/// True when account `$1` is a legal team member serving file `f`'s village (`legal_villages`)
/// and the file is currently referred to them (`referrals`).
const REFERRED: &str = "EXISTS (SELECT 1 FROM referrals rf \
                        JOIN legal_villages lv ON lv.account_id = rf.account_id \
                        JOIN accounts ra ON ra.id = rf.account_id \
                        WHERE rf.file_id = f.id AND rf.account_id = $1 \
                        AND lv.village_id = f.village_id AND ra.role = 'legal')";

/// True when account `$1` reads by jurisdiction (`$2` = 1) and its place is the file's village,
/// township or county.
const IN_JURISDICTION: &str = "($2 = 1 AND (SELECT place_id FROM accounts WHERE id = $1) \
                               IN (v.id, t.id, t.parent_id))";

/// Files `fv` of the places at or under account `$1`'s place: the place itself, the places
/// whose parent it is, and theirs, each level found through an index (`places_by_parent`,
/// migration 0021) rather than by testing every place of the deployment.
const UNDER_PLACE: &str = "FROM (SELECT pa.place_id AS id FROM accounts pa WHERE pa.id = $1 \
                           UNION ALL SELECT c.id FROM accounts pa \
                           JOIN places c ON c.parent_id = pa.place_id WHERE pa.id = $1 \
                           UNION ALL SELECT g.id FROM accounts pa \
                           JOIN places c ON c.parent_id = pa.place_id \
                           JOIN places g ON g.parent_id = c.id WHERE pa.id = $1) pu \
                           JOIN files fv ON fv.village_id = pu.id WHERE";

/// Every file account `$1` might read, each found through an index: its assignments, its
/// referrals, the screening ledgers of the villages at or under its place, and, with `jurisdiction`
/// (when `$2` = 1), every file of those villages. A superset of what `readable()` allows, which
/// then decides: without it PostgreSQL tested every row of `files` against the correlated
/// conditions below, so each sync cost more the more files the deployment held
/// (docs/OPERATIONS.md, "Sizing"). The ledgers and the jurisdiction are separate branches, not
/// one with `($2 = 1 OR fv.ledger = 1)`: PostgreSQL plans a statement the server runs often once
/// for any `$2` (a generic plan), and then read every file of a cadre's villages to find their
/// few ledgers.
fn candidates(jurisdiction: bool) -> String {
    let all_under = if jurisdiction {
        format!(" UNION ALL SELECT fv.id {UNDER_PLACE} $2 = 1")
    } else {
        String::new()
    };
    format!(
        "f.id IN (SELECT file_id FROM assignments WHERE account_id = $1 \
         UNION ALL SELECT file_id FROM referrals WHERE account_id = $1 \
         UNION ALL SELECT fv.id {UNDER_PLACE} fv.ledger = 1{all_under})"
    )
}

fn readable_from(candidates: &str) -> String {
    format!(
        "({candidates} AND ({ASSIGNED} OR {IN_JURISDICTION} OR {REFERRED}) \
         AND NOT {ACCUSES_READER})"
    )
}

/// The files account `$1` (with `$2` from `reads_jurisdiction`) may read; needs `FILE_PLACES`.
/// A legal team member also reads the files of their villages referred to them. An accusation is
/// never readable by those it names, even when assigned, in jurisdiction or referred.
pub(crate) fn readable() -> String {
    readable_from(&candidates(true))
}

/// `readable()` as SQL of `account`'s own kind: for one who does not read by jurisdiction, without
/// the branch of every file under its place. In a generic plan PostgreSQL counts that branch's
/// rows even when `$2` = 0 switches it off, and then reads all of `files` to join the few
/// candidates; the reads a sync makes use this, so a cadre's sync reads what the cadre reads.
pub(crate) fn readable_for(account: &Account) -> String {
    readable_from(&candidates(reads_jurisdiction(account) == 1))
}

/// `readable()` for the account and jurisdiction flag in other placeholders (say `$3`, `$4`),
/// to compare what two accounts read in one query.
pub(crate) fn readable_as(account: &str, jurisdiction: &str) -> String {
    readable()
        .replace("$1", account)
        .replace("$2", jurisdiction)
}

/// Supervisors and administrators read every file of their place and the places below it.
pub(crate) fn reads_jurisdiction(account: &Account) -> i64 {
    reads_jurisdiction_of(account.role)
}

pub(crate) fn reads_jurisdiction_of(role: Role) -> i64 {
    i64::from(matches!(role, Role::Supervisor | Role::Admin))
}

/// Where an account stands with a file, as `reach_on` reads it (1 or 0 each).
#[derive(sqlx::FromRow)]
struct ReachRow {
    assigned: i64,
    in_jurisdiction: i64,
    referred: i64,
    accused: i64,
}

/// `Db::reach` through any connection, so an upload's judgement inside its transaction sees what
/// the same batch already stored (a referral opens the file to a team member).
pub(crate) async fn reach_on<'e, E>(
    executor: E,
    account: &Account,
    file: &FileId,
) -> Result<Option<Reach>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query_as::<_, ReachRow>(&format!(
        "SELECT CAST(CASE WHEN {ASSIGNED} THEN 1 ELSE 0 END AS BIGINT) AS assigned, \
         CAST(CASE WHEN {IN_JURISDICTION} THEN 1 ELSE 0 END AS BIGINT) AS in_jurisdiction, \
         CAST(CASE WHEN {REFERRED} THEN 1 ELSE 0 END AS BIGINT) AS referred, \
         CAST(CASE WHEN {ACCUSES_READER} THEN 1 ELSE 0 END AS BIGINT) AS accused \
         FROM {FILE_PLACES} WHERE f.id = $3"
    ))
    .bind(&account.id.0)
    .bind(reads_jurisdiction(account))
    .bind(&file.0)
    .fetch_optional(executor)
    .await?;
    Ok(match row {
        // Those an accusation names are not even told it exists.
        None => None,
        Some(r) if r.accused == 1 => None,
        Some(r) => Some(Reach {
            assigned: r.assigned == 1,
            in_jurisdiction: r.in_jurisdiction == 1,
            referred: r.referred == 1,
        }),
    })
}

impl Db {
    pub async fn access(&self, account: &Account, file: &FileId) -> Result<Access> {
        Ok(match self.reach(account, file).await? {
            None => Access::NoSuchFile,
            Some(r) if r.assigned => Access::ReadWrite,
            Some(r) if r.in_jurisdiction || r.referred => Access::Read,
            Some(_) => Access::None,
        })
    }

    /// Where an account stands with a file (what it may write there is
    /// `xiafang_core::permissions::may_write`); `None` when the file does not exist for it.
    pub async fn reach(&self, account: &Account, file: &FileId) -> Result<Option<Reach>> {
        reach_on(&self.pool, account, file).await
    }

    /// The files an account may read: its assignments, for supervisors its jurisdiction, for
    /// legal team members the files of their villages referred to them.
    pub async fn readable_files(&self, account: &Account) -> Result<Vec<PetitionerFile>> {
        let rows: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT f.data FROM {FILE_PLACES} WHERE {} AND {PETITIONER} ORDER BY f.name",
            readable_for(account)
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|data| parse(data, "files")).collect()
    }

    /// Ids of the files an account may read, sorted: the scope of its downloads.
    pub async fn readable_file_ids(&self, account: &Account) -> Result<Vec<String>> {
        let ids = sqlx::query_scalar(&format!(
            "SELECT f.id FROM {FILE_PLACES} WHERE {} ORDER BY f.id",
            readable_for(account)
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .fetch_all(&self.pool)
        .await?;
        Ok(ids)
    }

    /// One file's timeline, newest first.
    pub async fn records_for_file(&self, file: &FileId) -> Result<Vec<Record>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM records WHERE file_id = $1 ORDER BY occurred_at DESC, feed_seq DESC",
        )
        .bind(&file.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|body| parse(body, "records")).collect()
    }
}

impl Db {
    /// Assigns a file to an account. The account's download scope changes, so its phones rebuild
    /// their copy on the next pull (the scope fingerprint in their cursor no longer matches).
    pub async fn assign(&self, file: &FileId, account: &xiafang_core::UserId) -> Result<()> {
        let _turn = self.write_turn().await;
        sqlx::query(
            "INSERT INTO assignments (account_id, file_id) VALUES ($1, $2) \
             ON CONFLICT (account_id, file_id) DO NOTHING",
        )
        .bind(&account.0)
        .bind(&file.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
