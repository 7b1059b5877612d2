//! The figures a petition office reports for a period and a place (DOMAIN.md "Supervision …
//! figures"). Counties define them differently, so every formula lives here, next to the text
//! that defines it, and the parts that vary are `FigureRules`. A rate of nothing is no rate:
//! with a zero denominator the value is `None`, never 0% or 100%.
//!
//! Figures describe matters and places, never people: nothing here counts or ranks cadres (no
//! "fingertip formalism"), and breakdowns are ordered by name, not by value.

use crate::base::lang::Lang;
use crate::folds::case::{CaseRules, CaseStatus, DeadlineKind, DeadlineStatus, case_status};
use crate::folds::ledger::effective;
use crate::folds::repeats::{RepeatRules, repeat_receptions};
use crate::folds::tasks::{Task, TaskingRules, Tasks, closed_in_time, tasks};
use crate::records::case_step::Evaluation;
use crate::records::file::{MatterFlag, PetitionerFile, Resolution};
use crate::records::record::{AssistanceKind, AssistanceStatus, Record, RecordBody, VisitKind};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a county may define its own way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FigureRules {
    /// Time limits and the other case rules the deadline-based rates use.
    pub case: CaseRules,
    /// Evaluations that count as satisfied.
    pub satisfied: Vec<Evaluation>,
    /// Resolutions that count as resolved.
    pub resolved: Vec<Resolution>,
    /// Visit kinds that count as visits made (some counties leave out phone calls).
    pub visit_kinds: Vec<VisitKind>,
    /// Resolutions that count as the petitioner having stopped (息诉罢访).
    pub stopped: Vec<Resolution>,
    /// The reminder before a unit's report falls due, and what counts as done in time.
    pub tasking: TaskingRules,
    /// Who is the same person, and which receptions count as 重复访.
    pub repeats: RepeatRules,
    /// How often each level screens for disputes (排查), for 排查按时率 and the 待办.
    pub screening: crate::folds::screenings::ScreeningRules,
}

impl Default for FigureRules {
    fn default() -> Self {
        Self {
            case: CaseRules::default(),
            satisfied: vec![Evaluation::Satisfied, Evaluation::BasicallySatisfied],
            resolved: vec![Resolution::Resolved, Resolution::Stopped],
            visit_kinds: VisitKind::ALL.to_vec(),
            stopped: vec![Resolution::Stopped],
            tasking: TaskingRules::default(),
            repeats: RepeatRules::default(),
            screening: Default::default(),
        }
    }
}

/// The days `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the period ends ({to}) before it starts ({from})")]
pub struct PeriodReversed {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodReversed> {
        if to < from {
            Err(PeriodReversed { from, to })
        } else {
            Ok(Self { from, to })
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.from..=self.to).contains(&day)
    }
}

labeled_enum!(
    FigureKey {
        VisitsMade = "visits_made" => ("走访次数", "Visits made"),
        FilesVisited = "files_visited" => ("走访档案数", "Files visited"),
        MattersAccepted = "matters_accepted" => ("受理事项数", "Matters accepted"),
        MattersClosed = "matters_closed" => ("办结事项数", "Matters closed"),
        TimelyAcceptance = "timely_acceptance" => ("及时受理率", "Timely acceptance"),
        OnTimeCompletion = "on_time_completion" => ("按期办结率", "On-time completion"),
        Participation = "participation" => ("参评率", "Participation in evaluation"),
        Satisfaction = "satisfaction" => ("满意率", "Satisfaction"),
        Resolution = "resolution" => ("化解率", "Resolution"),
        LeaderResolution = "leader_resolution" => ("包案化解率", "Resolution of leader-owned cases"),
        FollowUpVerification = "follow_up_verification" => ("回访核实率", "Follow-up verification"),
        RepeatPetitions = "repeat_petitions" => ("重复访", "Repeat petitions"),
        SkipLevelPetitions = "skip_level_petitions" => ("越级访", "Skip-level petitions"),
        UrgentMatters = "urgent_matters" => ("重大紧急事项", "Major or urgent matters"),
        FirstTimeOnTime = "first_time_on_time" => ("初信初访到期办结率", "First-time matters closed by their deadline"),
        BacklogResolution = "backlog_resolution" => ("积案化解率", "Resolution of backlog cases"),
        StoppedPetitioning = "stopped_petitioning" => ("息诉罢访率", "Petitioners who stopped"),
        ProperHandling = "proper_handling" => ("规范办理率", "Handled by the procedure"),
        ReceptionBatches = "reception_batches" => ("接访批次", "Receptions (batches)"),
        ReceptionPersons = "reception_persons" => ("接访人次", "Receptions (person-visits)"),
        EarlyWarnings = "early_warnings" => ("苗头预警", "Early warnings"),
        AssistanceDelivered = "assistance_delivered" => ("帮扶措施（已发放/已落实）", "Assistance delivered"),
        AssistanceAmount = "assistance_amount" => ("帮扶金额", "Assistance amount"),
        AssignedClosure = "assigned_closure" => ("上级交办案件办结率", "Assigned cases closed"),
        RepeatReceptions = "repeat_receptions" => ("重复访批次", "Repeat petitions received (batches)"),
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Count,
    /// `value` is numerator / denominator, between 0 and 1.
    Rate,
    /// `numerator` is in fen, `value` in yuan.
    Money,
}

/// Text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// One figure with the definition it was computed by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub key: FigureKey,
    pub label: Text,
    pub definition: Text,
    pub unit: Unit,
    pub numerator: i64,
    /// Only rates have one.
    pub denominator: Option<i64>,
    /// `None` for a rate of nothing (denominator 0).
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssistanceLine {
    pub kind: AssistanceKind,
    pub count: i64,
    pub fen: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub period: Period,
    /// In `FigureKey::ALL` order.
    pub figures: Vec<Figure>,
    /// Delivered assistance by kind, every kind in `AssistanceKind::ALL` order.
    pub assistance_by_kind: Vec<AssistanceLine>,
}

impl Figures {
    pub fn get(&self, key: FigureKey) -> Option<&Figure> {
        self.figures.iter().find(|f| f.key == key)
    }
}

/// One file as the figures see it: its matter as of the period's last day, and the records
/// that count.
struct Facts<'a> {
    file: &'a PetitionerFile,
    status: CaseStatus,
    counted: Vec<&'a Record>,
    /// The 交办 rounds as of the period's last day.
    tasks: Tasks,
}

impl Facts<'_> {
    fn in_period<'r>(&'r self, period: &Period) -> impl Iterator<Item = &'r Record> + 'r {
        let period = *period;
        self.counted
            .iter()
            .copied()
            .filter(move |r| period.contains(r.occurred_at.date()))
    }
}

fn facts<'a>(
    data: &'a [(PetitionerFile, Vec<Record>)],
    period: &Period,
    rules: &FigureRules,
) -> Vec<Facts<'a>> {
    data.iter()
        .map(|(file, records)| Facts {
            file,
            status: case_status(file, records, &rules.case, period.to),
            counted: effective(records)
                .into_iter()
                .filter(|r| r.file_id == file.id)
                .collect(),
            tasks: tasks(
                &records
                    .iter()
                    .filter(|r| r.file_id == file.id)
                    .cloned()
                    .collect::<Vec<_>>(),
                &rules.tasking,
                &rules.case.limits.calendar,
                period.to,
            ),
        })
        .collect()
}

fn counted_visit(r: &Record, rules: &FigureRules) -> bool {
    matches!(&r.body, RecordBody::Visit(v) if rules.visit_kinds.contains(&v.kind))
}

/// Delivered assistance: the kind and fen of `r`, when it is one.
fn delivered(r: &Record) -> Option<(AssistanceKind, i64)> {
    match &r.body {
        RecordBody::Assistance(a) if a.status == AssistanceStatus::Delivered => {
            Some((a.kind, a.amount_fen.unwrap_or(0)))
        }
        _ => None,
    }
}

/// The figures of `data` (files the caller already chose by place) for `period`.
pub fn figures(
    data: &[(PetitionerFile, Vec<Record>)],
    period: Period,
    rules: &FigureRules,
) -> Figures {
    let facts = facts(data, &period, rules);
    let mut by_kind: Vec<AssistanceLine> = AssistanceKind::ALL
        .iter()
        .map(|&kind| AssistanceLine {
            kind,
            count: 0,
            fen: 0,
        })
        .collect();
    for (kind, fen) in facts
        .iter()
        .flat_map(|f| f.in_period(&period))
        .filter_map(delivered)
    {
        if let Some(line) = by_kind.iter_mut().find(|l| l.kind == kind) {
            line.count += 1;
            line.fen += fen;
        }
    }
    Figures {
        period,
        figures: FigureKey::ALL
            .iter()
            .map(|&key| figure(key, &facts, &period, rules))
            .collect(),
        assistance_by_kind: by_kind,
    }
}

/// Counts the matters that satisfy `test`, as a figure's numerator or denominator.
fn count(facts: &[Facts], test: impl Fn(&Facts) -> bool) -> i64 {
    facts.iter().filter(|f| test(f)).count() as i64
}

/// Whether a deadline of `kind` fell due in the period, and whether every one that did (a
/// matter handled again has one per round) was met in time. Met late, or entered after the
/// deadline passed (`MetRecordedLate`), is not in time.
fn due_in(f: &Facts, kind: DeadlineKind, period: &Period) -> Option<bool> {
    let mut due = f
        .status
        .deadlines
        .iter()
        .filter(|d| d.kind == kind && period.contains(d.due))
        .peekable();
    due.peek()?;
    Some(due.all(|d| d.status == DeadlineStatus::Met))
}

/// Whether the matter went by the procedure up to the period's end: every duty deadline that
/// fell due by then met in time and entered in time, every document served, a forwarded matter's
/// receipt recorded, and no step that did not count (a late extension, a second one, …).
fn by_the_procedure(f: &Facts, period: &Period) -> bool {
    let s = &f.status;
    s.deadlines
        .iter()
        .filter(|d| !d.kind.is_window() && d.due <= period.to)
        .all(|d| d.status == DeadlineStatus::Met)
        && s.unserved.is_empty()
        && !s.unreceived
        && s.problems.is_empty()
}

/// Receptions (接访) dated in the period.
fn receptions<'a>(
    facts: &'a [Facts],
    period: &'a Period,
) -> impl Iterator<Item = &'a crate::records::reception::Reception> + 'a {
    facts
        .iter()
        .flat_map(move |f| f.in_period(period))
        .filter_map(|r| match &r.body {
            RecordBody::Reception(rec) => Some(rec),
            _ => None,
        })
}

fn on_in(day: Option<NaiveDate>, period: &Period) -> bool {
    day.is_some_and(|d| period.contains(d))
}

/// "满意、基本满意" / "satisfied, basically satisfied".
fn listed<T: crate::base::labeled::Labeled>(items: &[T]) -> Text {
    let join = |lang: Lang, sep| {
        items
            .iter()
            .map(|i| i.label(lang))
            .collect::<Vec<_>>()
            .join(sep)
    };
    Text {
        zh: join(Lang::Zh, "、"),
        en: join(Lang::En, ", ").to_lowercase(),
    }
}

/// Every formula, each with its definition. "In the period" means dated from `from` to `to`;
/// states (resolution, leader, rating, follow-up) are as of `to`.
fn figure(key: FigureKey, facts: &[Facts], p: &Period, rules: &FigureRules) -> Figure {
    let l = &rules.case.limits;
    let handled = |f: &Facts| {
        f.in_period(p).any(|r| {
            matches!(r.body, RecordBody::CaseStep(_) | RecordBody::Assistance(_))
                || counted_visit(r, rules)
        })
    };
    let resolved = |f: &Facts| {
        f.status
            .resolution
            .is_some_and(|r| rules.resolved.contains(&r))
    };
    let first_time = |f: &Facts| f.file.matter.flags.contains(&MatterFlag::FirstTime);
    let backlog = |f: &Facts| f.file.matter.flags.contains(&MatterFlag::Backlog);
    let registrations_in = |f: &Facts, also_first: bool| {
        f.status
            .registrations
            .iter()
            .enumerate()
            .filter(|(i, day)| p.contains(**day) && (*i > 0 || also_first))
            .count() as i64
    };
    use FigureKey as K;
    let (numerator, denominator, zh, en): (i64, Option<i64>, String, String) = match key {
        K::VisitsMade => (
            facts.iter().map(|f| f.in_period(p).filter(|r| counted_visit(r, rules)).count() as i64).sum(),
            None,
            format!("期内走访记录数（{}；更正的记录计一次，作废的不计；建档前的纸质走访不计）", listed(&rules.visit_kinds).zh),
            format!("Visit records dated in the period ({}; an amended record once, a voided one not; paper visits before the app not)", listed(&rules.visit_kinds).en),
        ),
        K::FilesVisited => (
            count(facts, |f| f.in_period(p).any(|r| counted_visit(r, rules))),
            None,
            "期内至少走访一次的档案数".into(),
            "Files with at least one visit in the period".into(),
        ),
        K::MattersAccepted => (
            count(facts, |f| on_in(f.status.accepted.as_ref().map(|a| a.on), p)),
            None,
            "受理日期在期内的事项数".into(),
            "Matters accepted in the period".into(),
        ),
        K::MattersClosed => (
            count(facts, |f| on_in(f.status.closed_on, p)),
            None,
            "办结日期在期内的事项数".into(),
            "Matters closed in the period".into(),
        ),
        K::TimelyAcceptance => (
            count(facts, |f| due_in(f, DeadlineKind::Notify, p) == Some(true)),
            Some(count(facts, |f| due_in(f, DeadlineKind::Notify, p).is_some())),
            format!("自收到之日起 {} 日内书面告知的事项数 ÷ 告知期限在期内届满的事项数", l.notify_days),
            format!("Matters notified within {} days of receipt ÷ matters whose notice fell due in the period", l.notify_days),
        ),
        K::OnTimeCompletion => (
            count(facts, |f| due_in(f, DeadlineKind::Handling, p) == Some(true)),
            Some(count(facts, |f| due_in(f, DeadlineKind::Handling, p).is_some())),
            format!("按期答复的事项数 ÷ 办理期限在期内届满的事项数（受理后 {} 日，延期不超过 {} 日，简易办理 {} 个工作日）", l.handling_days, l.extension_max_days, l.simplified_working_days),
            format!("Matters replied in time ÷ matters whose handling fell due in the period ({} days from acceptance, one extension of at most {}, simplified {} working days)", l.handling_days, l.extension_max_days, l.simplified_working_days),
        ),
        K::Participation => (
            count(facts, |f| on_in(f.status.reply.as_ref().map(|r| r.on), p) && f.status.rating.is_some()),
            Some(count(facts, |f| on_in(f.status.reply.as_ref().map(|r| r.on), p))),
            "期内答复且已评价的事项数 ÷ 期内答复的事项数".into(),
            "Matters replied in the period and rated ÷ matters replied in the period".into(),
        ),
        K::Satisfaction => (
            count(facts, |f| {
                f.status.rating.as_ref().is_some_and(|r| p.contains(r.on) && rules.satisfied.contains(&r.what.0))
            }),
            Some(count(facts, |f| on_in(f.status.rating.as_ref().map(|r| r.on), p))),
            format!("期内评价为{}的事项数 ÷ 期内评价的事项数", listed(&rules.satisfied).zh),
            format!("Matters rated {} in the period ÷ matters rated in the period", listed(&rules.satisfied).en),
        ),
        K::Resolution => (
            count(facts, |f| handled(f) && resolved(f)),
            Some(count(facts, handled)),
            format!("期末为{}的事项数 ÷ 期内办理的事项数（有办理步骤、走访或帮扶记录）", listed(&rules.resolved).zh),
            format!("Matters {} at the period's end ÷ matters handled in the period (a case step, visit or assistance in it)", listed(&rules.resolved).en),
        ),
        K::LeaderResolution => (
            count(facts, |f| !f.status.leaders.is_empty() && handled(f) && resolved(f)),
            Some(count(facts, |f| !f.status.leaders.is_empty() && handled(f))),
            format!("期末有至少一名包案领导的事项中，期末为{}的 ÷ 期内办理的（有办理步骤、走访或帮扶记录）", listed(&rules.resolved).zh),
            format!("Of the matters with at least one case-owning leader at the period's end and handled in it (a case step, visit or assistance), those {} at its end ÷ all of them", listed(&rules.resolved).en),
        ),
        K::FollowUpVerification => (
            count(facts, |f| on_in(f.status.closed_on, p) && f.status.follow_up_on.is_some()),
            Some(count(facts, |f| on_in(f.status.closed_on, p))),
            "期内办结且期末前已回访的事项数 ÷ 期内办结的事项数".into(),
            "Matters closed in the period with a follow-up by its end ÷ matters closed in the period".into(),
        ),
        K::RepeatPetitions => (
            facts
                .iter()
                .map(|f| registrations_in(f, f.file.matter.flags.contains(&MatterFlag::Repeat)))
                .sum(),
            None,
            "期内登记的重复访次数（同一事项再次登记，或标为重复访的事项）".into(),
            "Registrations in the period of a matter registered before or flagged as repeat".into(),
        ),
        K::SkipLevelPetitions => (
            facts
                .iter()
                .filter(|f| f.status.flags.skip_level)
                .map(|f| registrations_in(f, true))
                .sum(),
            None,
            format!("期内登记的越级访次数（标为越级访或已到{}及以上）", rules.case.skip_level_from.label(Lang::Zh)),
            format!("Registrations in the period of matters flagged skip-level or taken to {} or above", rules.case.skip_level_from.label(Lang::En).to_lowercase()),
        ),
        K::UrgentMatters => (
            facts
                .iter()
                .filter(|f| f.status.flags.urgent)
                .map(|f| registrations_in(f, true))
                .sum(),
            None,
            "期内登记的重大紧急信访事项数（须即时报告，条例第二十五条）".into(),
            "Registrations in the period of matters flagged major or urgent (reported at once, §25)".into(),
        ),
        K::FirstTimeOnTime => (
            count(facts, |f| first_time(f) && due_in(f, DeadlineKind::Handling, p) == Some(true)),
            Some(count(facts, |f| first_time(f) && due_in(f, DeadlineKind::Handling, p).is_some())),
            "初信初访事项中按期答复的 ÷ 办理期限在期内届满的初信初访事项数".into(),
            "First-time matters replied in time ÷ first-time matters whose handling fell due in the period".into(),
        ),
        K::BacklogResolution => (
            count(facts, |f| backlog(f) && handled(f) && resolved(f)),
            Some(count(facts, |f| backlog(f) && handled(f))),
            format!("积案中，期末为{}的 ÷ 期内办理的积案数", listed(&rules.resolved).zh),
            format!("Of the backlog cases handled in the period, those {} at its end ÷ all of them", listed(&rules.resolved).en),
        ),
        K::StoppedPetitioning => (
            count(facts, |f| on_in(f.status.closed_on, p) && f.status.resolution.is_some_and(|r| rules.stopped.contains(&r))),
            Some(count(facts, |f| on_in(f.status.closed_on, p))),
            format!("期内办结且期末为{}的事项数 ÷ 期内办结的事项数", listed(&rules.stopped).zh),
            format!("Matters closed in the period and {} at its end ÷ matters closed in the period", listed(&rules.stopped).en),
        ),
        K::ProperHandling => (
            count(facts, |f| on_in(f.status.closed_on, p) && by_the_procedure(f, p)),
            Some(count(facts, |f| on_in(f.status.closed_on, p))),
            "期内办结的事项中，各法定期限均按期完成且按时录入、文书均已送达、转送交办事项有收件记录、无不计入的环节记录的 ÷ 期内办结的事项数".into(),
            "Of the matters closed in the period, those whose every statutory deadline was met and entered in time, every document served, a forwarded matter's receipt recorded, and no step that did not count ÷ all of them".into(),
        ),
        K::ReceptionBatches => (
            receptions(facts, p).count() as i64,
            None,
            "期内接访记录数（领导接访日、带案下访、联合接访、日常接访；一次来访一批）".into(),
            "Receptions dated in the period (leaders' reception days, cases taken down, joint and everyday receptions; one group once)".into(),
        ),
        K::ReceptionPersons => (
            receptions(facts, p).map(|r| i64::from(r.headcount)).sum(),
            None,
            "期内接访的来访人数合计（集体访按实到人数计）".into(),
            "People received in the period (a group counted by everyone who came)".into(),
        ),
        K::EarlyWarnings => (
            facts
                .iter()
                .flat_map(|f| crate::folds::warnings::episodes(f.counted.iter().copied(), p.to))
                .filter(|w| p.contains(w.since))
                .count() as i64,
            None,
            "期内首次报告的苗头性问题数（同一苗头逐级上报只计一次）".into(),
            "Early signs first reported in the period (one sign reported up the levels counts once)".into(),
        ),
        K::AssistanceDelivered => (
            facts.iter().flat_map(|f| f.in_period(p)).filter_map(delivered).count() as i64,
            None,
            "期内已发放或已落实的帮扶措施数".into(),
            "Assistance actions delivered in the period".into(),
        ),
        K::AssistanceAmount => (
            facts.iter().flat_map(|f| f.in_period(p)).filter_map(delivered).map(|(_, fen)| fen).sum(),
            None,
            "期内已发放帮扶的金额合计（元）".into(),
            "Total amount of assistance delivered in the period (yuan)".into(),
        ),
        K::AssignedClosure => {
            let closure = rules.tasking.closure;
            let due = || facts.iter().flat_map(|f| &f.tasks.rounds).filter(|t: &&Task| p.contains(t.first_report_by));
            (
                due().filter(|t| closed_in_time(t, closure)).count() as i64,
                Some(due().count() as i64),
                format!("{}的交办事项数 ÷ 限期报告日期在期内的交办事项数（以首次限期为准；未收到办结报告的销号不计；逾期补录不计为按期）", closure.label(Lang::Zh)),
                format!("Assigned matters {} ÷ assigned matters whose report fell due in the period (by the first deadline set; a sign-off without a report does not count; a record entered after the deadline is not on time)", closure.label(Lang::En)),
            )
        }
        K::RepeatReceptions => {
            let r = &rules.repeats;
            let data: Vec<(&PetitionerFile, Vec<&Record>)> =
                facts.iter().map(|f| (f.file, f.counted.clone())).collect();
            let repeats = repeat_receptions(&data, r);
            let in_period = facts
                .iter()
                .flat_map(|f| f.in_period(p))
                .filter(|rec| repeats.contains(&rec.id))
                .count() as i64;
            let (zh_match, en_match) = if r.name_and_phone {
                ("公民身份号码相同，或一方未登记身份号码时姓名和联系电话均相同", "the same ID number, or, when either file lacks one, the same name and phone")
            } else {
                ("公民身份号码相同", "the same ID number")
            };
            let (zh_before, en_before) = if r.earlier_matter {
                ("此前已登记信访事项或已接访过", "already had a matter registered before that day or an earlier reception")
            } else {
                ("此前已接访过", "already had an earlier reception")
            };
            let (zh_within, en_within) = match r.within_days {
                Some(n) => (format!("（{n} 日内）"), format!(" (within {n} days)")),
                None => (String::new(), String::new()),
            };
            (
                in_period,
                None,
                format!("期内接访记录中，同一信访人（{zh_match}）{zh_before}{zh_within}的批次数"),
                format!("Receptions in the period of a petitioner ({en_match}) who {en_before}{en_within}"),
            )
        }
    };
    let unit = match (key, denominator) {
        (K::AssistanceAmount, _) => Unit::Money,
        (_, Some(_)) => Unit::Rate,
        (_, None) => Unit::Count,
    };
    let value = match (unit, denominator) {
        (Unit::Rate, Some(0)) | (Unit::Rate, None) => None,
        (Unit::Rate, Some(den)) => Some(numerator as f64 / den as f64),
        (Unit::Money, _) => Some(numerator as f64 / 100.0),
        (Unit::Count, _) => Some(numerator as f64),
    };
    Figure {
        key,
        label: Text {
            zh: key.label(Lang::Zh).into(),
            en: key.label(Lang::En).into(),
        },
        definition: Text { zh, en },
        unit,
        numerator,
        denominator,
        value,
    }
}

/// One calendar month's bars: visits made and assistance delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    pub visits: i64,
    pub assistance: i64,
    pub assistance_fen: i64,
}

/// Every month the period touches (clipped to the period), empty months included, so a bar
/// chart has no gaps.
pub fn monthly(
    data: &[(PetitionerFile, Vec<Record>)],
    period: Period,
    rules: &FigureRules,
) -> Vec<Month> {
    let mut months: BTreeMap<(i32, u32), Month> = BTreeMap::new();
    let (mut year, mut month) = (period.from.year(), period.from.month());
    while (year, month) <= (period.to.year(), period.to.month()) {
        months.insert(
            (year, month),
            Month {
                year,
                month,
                visits: 0,
                assistance: 0,
                assistance_fen: 0,
            },
        );
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    for f in facts(data, &period, rules) {
        for r in f.in_period(&period) {
            let day = r.occurred_at.date();
            let Some(m) = months.get_mut(&(day.year(), day.month())) else {
                continue;
            };
            if counted_visit(r, rules) {
                m.visits += 1;
            }
            if let Some((_, fen)) = delivered(r) {
                m.assistance += 1;
                m.assistance_fen += fen;
            }
        }
    }
    months.into_values().collect()
}

/// The figures of one village.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VillageFigures {
    pub township: String,
    pub village: String,
    pub figures: Figures,
}

/// The figures village by village, ordered by township and village name — never by value,
/// so the breakdown informs and does not rank.
pub fn by_village(
    data: &[(PetitionerFile, Vec<Record>)],
    period: Period,
    rules: &FigureRules,
) -> Vec<VillageFigures> {
    let places: BTreeSet<(&str, &str)> = data
        .iter()
        .map(|(f, _)| (f.township.as_str(), f.village.as_str()))
        .collect();
    places
        .into_iter()
        .map(|(township, village)| {
            let here: Vec<(PetitionerFile, Vec<Record>)> = data
                .iter()
                .filter(|(f, _)| f.township == township && f.village == village)
                .cloned()
                .collect();
            VillageFigures {
                township: township.into(),
                village: village.into(),
                figures: figures(&here, period, rules),
            }
        })
        .collect()
}
