//! 包案 (case ownership) as the case fold reads it: the leaders who own the case with their
//! posts and the unit and person responsible, the current resolution plan (化解方案) with each
//! milestone's standing on a day, the working group (专班), and each leader's own visits on the
//! file. A milestone met is on time only if it was also entered by its due day, like any deadline.

use super::{At, CaseProblem, CaseProblemKind, CaseRules, CaseStatus, Dated, DeadlineStatus};
use crate::base::ids::{RecordId, UserId};
use crate::records::record::Visit;
use crate::records::supervision::Supervision;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A leader who owns the case (包案领导), as the latest record for them says.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Leader {
    pub name: String,
    pub account: Option<UserId>,
    /// 职务; empty on records from before it was asked.
    pub post: String,
    /// 责任单位.
    pub unit: String,
    /// 责任人.
    pub responsible: String,
    /// 接访/下访 on the file by the leader: for a leader with an account, visits and receptions
    /// that account wrote or joined; for one without, visits naming the leader among those who
    /// took part and receptions (接访) the leader held.
    pub own_visits: u32,
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub last_own_visit: Option<NaiveDate>,
}

/// The plan that counts now: the latest, after corrections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CasePlan {
    /// The day the plan was made, and the day it was entered.
    pub made: Dated<()>,
    pub plan: String,
    pub team: Vec<String>,
    /// In the plan's order.
    pub milestones: Vec<MilestoneState>,
}

impl CasePlan {
    /// The milestones not yet met, the overdue first, then the soonest due.
    pub fn open(&self) -> Vec<&MilestoneState> {
        let mut open: Vec<&MilestoneState> =
            self.milestones.iter().filter(|m| m.met.is_none()).collect();
        open.sort_by_key(|m| m.due);
        open
    }
}

/// One milestone and how it stands on the day asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MilestoneState {
    pub what: String,
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
    pub due: NaiveDate,
    /// The day it was met, the day that was entered, and the note.
    pub met: Option<Dated<String>>,
    /// `Met`, `MetRecordedLate` (done in time, entered late: never shown on time), `MetLate`,
    /// `Open`, `DueSoon` or `Overdue`.
    pub status: DeadlineStatus,
}

/// What the case fold gathers for 包案 while it reads the records in order.
#[derive(Default)]
pub(super) struct Gathered {
    /// Leaders named by records; while empty, the file's registered leader stands.
    leaders: Vec<Leader>,
    /// The current plan, its milestones not yet stood against the day.
    plan: Option<CasePlan>,
    /// Milestones met, by name, in the order of their records.
    met: Vec<(String, Dated<String>)>,
    /// Each visit's or reception's day and who made it or took part: author, joined accounts,
    /// participants (for a reception, the leader who received).
    visits: Vec<(NaiveDate, Vec<UserId>, Vec<String>)>,
}

impl Gathered {
    /// A 包案 record: a leader named or updated, a plan, a milestone met. Other supervision
    /// is not 包案's.
    pub(super) fn supervision(
        &mut self,
        s: &mut CaseStatus,
        sup: &Supervision,
        at: At,
        id: RecordId,
    ) {
        match sup {
            Supervision::Leader {
                name,
                account,
                post,
                unit,
                responsible,
            } => {
                let named = Leader {
                    name: name.trim().to_owned(),
                    account: account.clone(),
                    post: post.clone(),
                    unit: unit.clone(),
                    responsible: responsible.clone(),
                    ..Leader::default()
                };
                // Two accounts are two people, whatever their names; a name only stands for a
                // leader where one of the two has no account.
                let same = |l: &Leader| match (&l.account, &named.account) {
                    (Some(a), Some(b)) => a == b,
                    _ => l.name == named.name,
                };
                match self.leaders.iter_mut().find(|l| same(l)) {
                    Some(l) => *l = named,
                    None => self.leaders.push(named),
                }
            }
            Supervision::Plan {
                plan,
                milestones,
                team,
            } => {
                self.plan = Some(CasePlan {
                    made: at.dated(()),
                    plan: plan.clone(),
                    team: team.clone(),
                    milestones: milestones
                        .iter()
                        .map(|m| MilestoneState {
                            what: m.what.trim().to_owned(),
                            due: m.due,
                            met: None,
                            status: DeadlineStatus::Open,
                        })
                        .collect(),
                });
            }
            Supervision::MilestoneMet { what, note } => {
                let what = what.trim();
                let in_plan = self
                    .plan
                    .as_ref()
                    .is_some_and(|p| p.milestones.iter().any(|m| m.what == what));
                if in_plan {
                    self.met.push((what.to_owned(), at.dated(note.clone())));
                } else {
                    s.problems.push(CaseProblem {
                        record: id,
                        kind: CaseProblemKind::NoSuchMilestone,
                    });
                }
            }
            Supervision::Listed { .. } | Supervision::Lifted { .. } => {}
        }
    }

    /// A reception (接访) names who received the petitioners, as "张志强（县委副书记）"; its
    /// author is whoever entered it, often the office's clerk: the name counts for a leader
    /// without an account, the author's account for one with an account.
    pub(super) fn reception(&mut self, leader: &str, author: &UserId, on: NaiveDate) {
        self.visits
            .push((on, vec![author.clone()], vec![leader.to_owned()]));
    }

    pub(super) fn visit(&mut self, v: &Visit, author: &UserId, on: NaiveDate) {
        let mut accounts = vec![author.clone()];
        accounts.extend(v.joined.iter().map(|m| m.id.clone()));
        self.visits.push((on, accounts, v.participants.clone()));
    }

    /// The leaders and the plan as of `today`, into `s`.
    pub(super) fn finish(self, s: &mut CaseStatus, rules: &CaseRules, today: NaiveDate) {
        if !self.leaders.is_empty() {
            s.leaders = self.leaders;
        }
        for leader in &mut s.leaders {
            for (on, accounts, participants) in &self.visits {
                // A leader with an account is matched by it alone, so a namesake (another
                // 王副书记 in a participant line) is not taken for them; names are for leaders
                // who never use the app.
                let theirs = match &leader.account {
                    Some(a) => accounts.contains(a),
                    None => participants.iter().any(|p| names(p, &leader.name)),
                };
                if theirs {
                    leader.own_visits += 1;
                    leader.last_own_visit = leader.last_own_visit.max(Some(*on));
                }
            }
        }
        s.plan = self.plan.map(|mut plan| {
            for m in &mut plan.milestones {
                m.met = self
                    .met
                    .iter()
                    .find(|(what, _)| *what == m.what)
                    .map(|(_, met)| met.clone());
                // A day the plan set: no calendar moves it, and it is a duty, not a window.
                m.status = super::status(
                    super::DeadlineKind::Supervision,
                    m.due,
                    m.met.as_ref().map(Dated::when),
                    today,
                    rules.due_soon_days,
                );
            }
            plan
        });
    }
}

/// Whether a participant line ("王副书记（南滨街道党工委副书记）") names `name`.
fn names(participant: &str, name: &str) -> bool {
    let p = participant.trim();
    !name.is_empty()
        && p.strip_prefix(name)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['（', '(', ' ', '·']))
}
