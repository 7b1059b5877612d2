//! The supervisor's console: 案件期限 (deadlines), 交办 (tasks assigned to units), 包案 (case
//! ownership), 统计 (figures) and 台账 (ledgers). Deadlines, tasks,
//! ownership and figures are computed on the phone from its whole case load (`Store::overview`),
//! so they work offline; ledgers are written by the server.

mod cases;
mod charts;
mod figures;
mod ledgers;
mod ownership;
mod several;
mod tasks;

pub use cases::CasesPage;
pub use figures::FiguresPage;
pub use ledgers::LedgersPage;
pub use ownership::OwnershipPage;
pub use tasks::TasksPage;

use crate::changes::use_changes;
use crate::components::PlainField;
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, StoreError};
use chrono::{Datelike, Local, NaiveDate};
use leptos::prelude::*;
use xiafang_core::dates::parse_day;
use xiafang_core::figures::Period;
use xiafang_core::{PetitionerFile, Record};

/// Every file on the phone with the records that count for it.
type CaseLoad = Vec<(PetitionerFile, Vec<Record>)>;

/// The phone's whole case load, read again whenever a download or a save changed it. Records
/// the server refused are left out: they are not part of the matter.
fn case_load() -> crate::fetched::Fetched<Result<CaseLoad, StoreError>> {
    let changes = use_changes();
    crate::fetched::Fetched::new(move || {
        changes.any();
        async move {
            let all = store::shared().await?.overview().await?;
            Ok(all
                .into_iter()
                .map(|(file, records)| (file, store::counted(records)))
                .collect())
        }
    })
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// A text with `{n}` replaced by a number ("逾期 {n} 天").
fn with_n(msg: Msg, lang: xiafang_core::Lang, n: impl std::fmt::Display) -> String {
    msg.text(lang).replace("{n}", &n.to_string())
}

/// The period chosen with two date inputs, from 1 January of this year to today by default.
#[derive(Clone, Copy)]
struct PeriodInput {
    from: RwSignal<String>,
    to: RwSignal<String>,
}

impl PeriodInput {
    fn this_year() -> Self {
        let today = today();
        let first = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        PeriodInput {
            from: RwSignal::new(first.to_string()),
            to: RwSignal::new(today.to_string()),
        }
    }

    /// `None` while a date is missing or the period ends before it starts.
    fn period(self) -> Option<Period> {
        let day = |s: RwSignal<String>| s.with(|s| parse_day(s));
        Period::new(day(self.from)?, day(self.to)?).ok()
    }
}

#[component]
fn PeriodFields(period: PeriodInput) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="period">
            <PlainField name="from" label=Msg::PeriodFrom value=period.from input_type="date" />
            <PlainField name="to" label=Msg::PeriodTo value=period.to input_type="date" />
        </div>
        <Show when=move || period.period().is_none()>
            <p class="error" role="alert">{move || i18n.t(Msg::PeriodInvalid)}</p>
        </Show>
    }
}
