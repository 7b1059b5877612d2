//! The accounts a supervisor may name as a case-owning leader (包案领导): the supervisors of their
//! own place and the places below it. Kept on the phone with the legal team list (`Team`), so a
//! leader is picked from a list offline and their own 接访/下访 are matched by account, not by a
//! name a namesake could share. A leader who never uses the app (a county party secretary, say)
//! is still typed by name and post, and shown as 未开通账号.

use crate::base::ids::UserId;
use serde::{Deserialize, Serialize};

/// One account that may own a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderAccount {
    pub id: UserId,
    /// The account's display name, as the server names it on records.
    pub name: String,
    /// The name of the account's place (瑞安市, 南滨街道), so two namesakes can be told apart.
    pub place: String,
}

/// What a leader without an account is shown with.
pub fn no_account_label(lang: crate::base::lang::Lang) -> &'static str {
    lang.pick("未开通账号", "No account")
}
