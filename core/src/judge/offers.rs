//! What a phone offers on a file it holds: the judge's own permission rule applied to what the
//! phone knows of its account's standing, so no button leads to a record the server refuses.

use crate::base::ids::UserId;
use crate::checks::permissions::{Reach, Writes, may_write};
use crate::folds::ledger::Standing;
use crate::records::account::Role;
use crate::records::record::Record;
use crate::records::tasking::TaskingAction;

/// A button on a file's page that starts a new record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Offer {
    /// 走访
    Visit,
    /// 帮扶
    Assistance,
    /// 备注
    Note,
    /// 修改档案信息
    EditFile,
    /// A step of the matter's lifecycle.
    CaseStep,
    /// 挂牌督办, 包案领导, 销号
    Supervision,
    /// 转介 to the legal team.
    Referral,
    /// 法律意见
    LegalOpinion,
    /// 人民调解
    Mediation,
    /// 接访: petitioners received in person.
    Reception,
    /// 苗头: an early sign reported up the levels.
    Warning,
    /// 交办 (the office's actions; the unit's 办结报告 for a cadre on the file).
    Tasking,
}

impl Offer {
    /// Every offer, in the order a file page shows them.
    pub const ALL: [Offer; 12] = [
        Offer::Visit,
        Offer::Assistance,
        Offer::Note,
        Offer::EditFile,
        Offer::CaseStep,
        Offer::Supervision,
        Offer::Referral,
        Offer::LegalOpinion,
        Offer::Mediation,
        Offer::Reception,
        Offer::Warning,
        Offer::Tasking,
    ];

    /// The group of kinds the record it starts belongs to (`permissions::Writes::of`).
    pub fn writes(self) -> Writes {
        match self {
            Offer::Visit | Offer::Assistance | Offer::Note | Offer::EditFile => Writes::Casework,
            Offer::CaseStep | Offer::Reception | Offer::Warning => Writes::CaseStep,
            Offer::Supervision => Writes::Supervising,
            Offer::Referral => Writes::Referral,
            Offer::LegalOpinion | Offer::Mediation => Writes::Legal,
            // The widest of the loop's rules: which actions the form shows is `Writes::of` each.
            Offer::Tasking => Writes::UnitReport,
        }
    }
}

/// The standing a phone may assume its account has with a file it holds, knowing only the role:
/// cadres hold only files assigned to them; supervisors and administrators the files of their
/// place; legal team members files assigned or referred to them, which the phone cannot tell
/// apart, so both are assumed and the server decides in the end.
pub fn phone_reach(role: Role) -> Reach {
    match role {
        Role::Cadre => Reach {
            assigned: true,
            ..Reach::default()
        },
        Role::Supervisor | Role::Admin => Reach {
            in_jurisdiction: true,
            ..Reach::default()
        },
        Role::Legal => Reach {
            assigned: true,
            referred: true,
            ..Reach::default()
        },
    }
}

/// The buttons a file offers to `role` standing `reach`: exactly the kinds the judge lets them
/// record there.
pub fn offers(role: Role, reach: Reach) -> Vec<Offer> {
    Offer::ALL
        .into_iter()
        .filter(|offer| may_write(role, reach, offer.writes()).is_ok())
        .collect()
}

/// Whether `role` standing `reach` may add a part of a joint visit, a signature or a photo.
pub fn may_attach(role: Role, reach: Reach) -> bool {
    may_write(role, reach, Writes::VisitPart).is_ok()
}

/// Whether to offer `me` to amend or void `record`, which stands `standing` in its file: the
/// judge takes a correction only from the record's author, of a correctable record that still
/// counts, and only if they may still record its kind there.
pub fn correction_offered(
    me: &UserId,
    role: Role,
    reach: Reach,
    record: &Record,
    standing: &Standing,
) -> bool {
    &record.author == me
        && record.body.is_correctable()
        && *standing == Standing::Current
        && may_write(role, reach, Writes::of(&record.body)).is_ok()
}

/// The 交办 actions `role` standing `reach` may record, in the order a form offers them: the
/// office all five, the cadre on the file the unit's 办结报告 (`Writes::of` each).
pub fn tasking_actions(role: Role, reach: Reach) -> Vec<TaskingAction> {
    TaskingAction::ALL
        .iter()
        .copied()
        .filter(|action| {
            let writes = match action {
                TaskingAction::Reported => Writes::UnitReport,
                _ => Writes::Supervising,
            };
            may_write(role, reach, writes).is_ok()
        })
        .collect()
}
