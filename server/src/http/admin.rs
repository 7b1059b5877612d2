//! Administration in the app: accounts, passwords and assignments, each checked against the
//! administrator's own jurisdiction on the server.

use super::{ApiJson, ApiPath, AppState, HttpError, SignedIn};
use crate::db::{Access, Created};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use xiafang_core::{Lang, UserId};
use xiafang_core::{
    account::{Account, Role},
    admin::{
        AccountSummary, Assignment, FileSummary, LegalVillage, NewAccount, PasswordReset,
        PlaceSummary, password_problem,
    },
};

/// A signed-in administrator; any other account is refused before the handler runs.
pub struct Admin(pub Account);

impl FromRequestParts<AppState> for Admin {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let SignedIn(account) = SignedIn::from_request_parts(parts, state).await?;
        if account.role == Role::Admin {
            Ok(Admin(account))
        } else {
            Err(HttpError::NotAllowed)
        }
    }
}

/// The account, when it exists and belongs to the administrator's jurisdiction.
async fn managed(state: &AppState, admin: &Account, id: &UserId) -> Result<(), HttpError> {
    let place = state
        .db
        .place_of_account(id)
        .await?
        .ok_or(HttpError::NotFound)?;
    if state.db.place_under(admin, &place).await? {
        Ok(())
    } else {
        Err(HttpError::NotAllowed)
    }
}

/// Why an administrator may not create, reset, enable or give villages to an account that would
/// read a file the administrator may not (an accusation naming the administrator or its place):
/// it could sign in as that account. Names no file, so it tells nothing about one.
const READS_BEYOND: &str = "该账号能查看的档案超出您本人可查看的范围，此项操作须由上级管理员办理";

/// Why an administrator may not reset, disable or enable a peer (an administrator of the same
/// place): it could take over the peer's account and whatever only the peer may read.
const PEER: &str = "同级管理员的账号只能由上级管理员重置密码、停用或启用";

/// Refuses `PEER` when `id` is an administrator of the administrator's own place.
async fn not_a_peer(state: &AppState, admin: &Account, id: &UserId) -> Result<(), HttpError> {
    let same_place =
        state.db.place_of_account(id).await? == state.db.place_of_account(&admin.id).await?;
    if same_place && state.db.role_of(id).await? == Some(Role::Admin) {
        return Err(HttpError::Refused(PEER));
    }
    Ok(())
}

/// `READS_BEYOND` unless the change was made.
fn done(applied: bool) -> Result<StatusCode, HttpError> {
    if applied {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(HttpError::Refused(READS_BEYOND))
    }
}

/// The new password's hash, made on the password pool like a sign-in's check: argon2 on the
/// async threads would stall every other request while it runs.
async fn hash(state: &AppState, password: &str) -> Result<String, HttpError> {
    if let Some(problem) = password_problem(password, Lang::Zh) {
        return Err(HttpError::BadRequest(problem));
    }
    state
        .passwords
        .hash(password.to_owned())
        .await?
        .map_err(|e| HttpError::BadRequest(e.to_string()))
}

pub async fn accounts(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<Json<Vec<AccountSummary>>, HttpError> {
    Ok(Json(state.db.accounts_under(&admin).await?))
}

/// The places of the administrator's jurisdiction, for choosing an account's place.
pub async fn places(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<Json<Vec<PlaceSummary>>, HttpError> {
    Ok(Json(state.db.places_under(&admin).await?))
}

/// The files of the administrator's jurisdiction and who is assigned to each, for assigning.
pub async fn files(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<Json<Vec<FileSummary>>, HttpError> {
    Ok(Json(state.db.files_under(&admin).await?))
}

pub async fn create_account(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(new): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<UserId>), HttpError> {
    let problems = new.problems(Lang::Zh);
    if !problems.is_empty() {
        return Err(HttpError::BadRequest(problems.join("；")));
    }
    if !state.db.place_under(&admin, &new.place_id).await? {
        return Err(HttpError::NotAllowed);
    }
    let hash = hash(&state, &new.password).await?;
    match state.db.create_account(&admin, &new, &hash).await? {
        Created::Account(id) => Ok((StatusCode::CREATED, Json(id))),
        Created::NameTaken => Err(HttpError::BadRequest("用户名已存在".into())),
        Created::ReadsBeyond => Err(HttpError::Refused(READS_BEYOND)),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, HttpError> {
    set_disabled(state, admin, id, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, HttpError> {
    set_disabled(state, admin, id, false).await
}

async fn set_disabled(
    state: AppState,
    admin: Account,
    id: String,
    disabled: bool,
) -> Result<StatusCode, HttpError> {
    let id = UserId(id);
    if id == admin.id {
        return Err(HttpError::BadRequest("不能停用自己的账号".into()));
    }
    managed(&state, &admin, &id).await?;
    not_a_peer(&state, &admin, &id).await?;
    done(state.db.set_disabled(&admin, &id, disabled).await?)
}

pub async fn reset_password(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<String>,
    ApiJson(reset): ApiJson<PasswordReset>,
) -> Result<StatusCode, HttpError> {
    let id = UserId(id);
    managed(&state, &admin, &id).await?;
    not_a_peer(&state, &admin, &id).await?;
    let hash = hash(&state, &reset.password).await?;
    done(state.db.reset_password(&admin, &id, &hash).await?)
}

/// Both the file and the account must lie in the administrator's jurisdiction. A file the
/// administrator may not read — another township's, or an accusation naming the administrator
/// or its place — does not exist for it, as everywhere else: "not found", exactly as for a file
/// that never existed, so it may neither learn of it nor choose who handles it.
async fn check_assignment(
    state: &AppState,
    admin: &Account,
    a: &Assignment,
) -> Result<(), HttpError> {
    if !matches!(
        state.db.access(admin, &a.file_id).await?,
        Access::Read | Access::ReadWrite
    ) {
        return Err(HttpError::NotFound);
    }
    managed(state, admin, &a.account_id).await?;
    let village = state
        .db
        .village_of_file(&a.file_id)
        .await?
        .ok_or(HttpError::NotFound)?;
    if !state.db.place_under(admin, &village).await? {
        return Err(HttpError::NotFound);
    }
    Ok(())
}

pub async fn assign(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(a): ApiJson<Assignment>,
) -> Result<StatusCode, HttpError> {
    check_assignment(&state, &admin, &a).await?;
    state.db.assign(&a.file_id, &a.account_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn unassign(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(a): ApiJson<Assignment>,
) -> Result<StatusCode, HttpError> {
    check_assignment(&state, &admin, &a).await?;
    state.db.unassign(&a.file_id, &a.account_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn legal_village(
    state: AppState,
    admin: Account,
    lv: LegalVillage,
    on: bool,
) -> Result<StatusCode, HttpError> {
    managed(&state, &admin, &lv.account_id).await?;
    if state.db.role_of(&lv.account_id).await? != Some(Role::Legal) {
        return Err(HttpError::BadRequest(
            "只能为法律服务团队成员指定包联村".into(),
        ));
    }
    if !state.db.place_under(&admin, &lv.village_id).await? {
        return Err(HttpError::NotAllowed);
    }
    done(
        state
            .db
            .set_legal_village_by(&admin, &lv.account_id, &lv.village_id, on)
            .await?,
    )
}

pub async fn add_legal_village(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(lv): ApiJson<LegalVillage>,
) -> Result<StatusCode, HttpError> {
    legal_village(state, admin, lv, true).await
}

pub async fn remove_legal_village(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiJson(lv): ApiJson<LegalVillage>,
) -> Result<StatusCode, HttpError> {
    legal_village(state, admin, lv, false).await
}

/// Revokes a lost phone: its sessions stop working, and what it hands over next goes to
/// quarantine.
pub async fn revoke_device(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, HttpError> {
    let device: xiafang_core::DeviceId = id
        .parse()
        .map_err(|_| HttpError::BadRequest("设备编号格式不正确".into()))?;
    let owner = state
        .db
        .device_owner(device)
        .await?
        .ok_or(HttpError::NotFound)?;
    managed(&state, &admin, &owner).await?;
    state.db.revoke_device(device, &owner, &admin.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lets a locked name sign in again at once (its owner called the office), for accounts of the
/// administrator's place only.
pub async fn unlock(
    State(state): State<AppState>,
    Admin(admin): Admin,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, HttpError> {
    let id = UserId(id);
    managed(&state, &admin, &id).await?;
    state.db.unlock_sign_in(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
