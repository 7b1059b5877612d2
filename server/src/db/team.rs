//! The legal team as an account sees it: who serves the villages of the files it reads.

use super::files::{FILE_PLACES, PETITIONER, readable_for, reads_jurisdiction};
use super::{Db, Result};
use xiafang_core::UserId;
use xiafang_core::account::{Account, LegalTitle, Role};
use xiafang_core::leader_accounts::LeaderAccount;
use xiafang_core::legal::{ServedVillage, Team, TeamContact};

impl Db {
    /// The enabled legal team members serving a village where `account` reads a file, each with
    /// all their villages, ordered by name; and the villages `account` serves itself.
    pub async fn team(&self, account: &Account) -> Result<Team> {
        let rows = sqlx::query_as::<_, MemberRow>(&format!(
            "SELECT a.id, a.display_name, a.legal_title, v.name AS village, t.name AS township \
             FROM legal_villages lv JOIN accounts a ON a.id = lv.account_id \
             JOIN places v ON v.id = lv.village_id LEFT JOIN places t ON t.id = v.parent_id \
             WHERE a.role = 'legal' AND a.disabled = 0 AND lv.account_id IN ( \
               SELECT lv2.account_id FROM legal_villages lv2 WHERE lv2.village_id IN ( \
                 SELECT f.village_id FROM {FILE_PLACES} WHERE {} AND {PETITIONER})) \
             ORDER BY a.display_name, a.id, t.name, v.name",
            readable_for(account)
        ))
        .bind(&account.id.0)
        .bind(reads_jurisdiction(account))
        .fetch_all(&self.pool)
        .await?;
        let mut members: Vec<TeamContact> = Vec::new();
        for r in rows {
            let id = UserId(r.id);
            let village = r.village.into();
            match members.last_mut() {
                Some(m) if m.id == id => m.villages.push(village),
                _ => members.push(TeamContact {
                    id,
                    name: r.display_name,
                    title: r.legal_title.and_then(|t| LegalTitle::from_key(&t)),
                    villages: vec![village],
                }),
            }
        }
        let mine = sqlx::query_as::<_, VillageRow>(
            "SELECT v.name AS village, t.name AS township FROM legal_villages lv \
             JOIN places v ON v.id = lv.village_id LEFT JOIN places t ON t.id = v.parent_id \
             WHERE lv.account_id = $1 ORDER BY t.name, v.name",
        )
        .bind(&account.id.0)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(ServedVillage::from)
        .collect();
        let leaders = self.leader_accounts(account).await?;
        Ok(Team {
            members,
            mine,
            leaders,
        })
    }

    /// For a supervisor, the enabled supervisors of their own place and the places below it: the
    /// accounts they may name as case-owning leaders. Nobody else gets any (least privilege: a
    /// township's supervisor never learns another township's accounts).
    async fn leader_accounts(&self, account: &Account) -> Result<Vec<LeaderAccount>> {
        if account.role != Role::Supervisor {
            return Ok(Vec::new());
        }
        let rows = sqlx::query_as::<_, (String, String, String)>(
            "SELECT a.id, a.display_name, p.name FROM accounts a \
             JOIN places p ON p.id = a.place_id LEFT JOIN places pp ON pp.id = p.parent_id \
             WHERE a.role = 'supervisor' AND a.disabled = 0 \
             AND (SELECT place_id FROM accounts WHERE id = $1) IN (p.id, pp.id, pp.parent_id) \
             ORDER BY p.name, a.display_name, a.id",
        )
        .bind(&account.id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, place)| LeaderAccount {
                id: UserId(id),
                name,
                place,
            })
            .collect())
    }
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: String,
    display_name: String,
    legal_title: Option<String>,
    #[sqlx(flatten)]
    village: VillageRow,
}

/// A village a member serves, with its township (none for a village right under the county).
#[derive(sqlx::FromRow)]
struct VillageRow {
    village: String,
    township: Option<String>,
}

impl From<VillageRow> for ServedVillage {
    fn from(r: VillageRow) -> Self {
        ServedVillage {
            township: r.township.unwrap_or_default(),
            village: r.village,
        }
    }
}
