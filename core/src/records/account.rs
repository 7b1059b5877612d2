//! Who uses the app: an account, its role and, on the legal team, its title.

use crate::base::ids::UserId;
use serde::{Deserialize, Serialize};

labeled_enum!(
    Role {
        Cadre = "cadre" => ("干部", "Cadre"),
        Legal = "legal" => ("法律服务团队成员", "Legal team member"),
        Supervisor = "supervisor" => ("督办人员", "Supervisor"),
        Admin = "admin" => ("管理员", "Administrator"),
    }
);

labeled_enum!(
    /// Who a legal team member is in the "three officials, two advisors" scheme.
    LegalTitle {
        Judge = "judge" => ("法官", "Judge"),
        Prosecutor = "prosecutor" => ("检察官", "Prosecutor"),
        Police = "police" => ("警官", "Police officer"),
        Lawyer = "lawyer" => ("律师/法律顾问", "Lawyer or legal advisor"),
        Mediator = "mediator" => ("人民调解员", "People's mediator"),
        Counsellor = "counsellor" => ("心理咨询师", "Counsellor"),
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The place the account belongs to, e.g. "南滨街道".
    pub place: String,
    /// For legal team members: judge, prosecutor, police officer, lawyer, mediator, counsellor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_title: Option<LegalTitle>,
}
