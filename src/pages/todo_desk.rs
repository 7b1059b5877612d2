//! 待办: on a cadre's home screen, what falls due on their files — next steps a visit promised,
//! the matters' deadlines (follow-ups among them), files due a visit — overdue first, each one
//! tap from its file. Read from the phone, so it works offline like the list below it.
//!
//! Working it out reads every record on the phone, so it waits until the file list has been
//! painted and a moment more (`after_the_list`), and afterwards works out again only the files
//! that changed (`Changes::since`): a save or a download costs one file's records, not the whole
//! phone's.

use crate::app::SignedIn;
use crate::changes::{Since, use_changes};
use crate::i18n::{Msg, use_i18n};
use crate::store::{self, LocalRecord, settings};
use chrono::{Local, NaiveDate};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use xiafang_core::account::Role;
use xiafang_core::case::CaseRules;
use xiafang_core::figures::FigureRules;
use xiafang_core::screening::{LedgerPlace, is_ledger};
use xiafang_core::todo::{Standing, Todo, TodoKind, file_todos, screening_todo, to_do};
use xiafang_core::{FileId, Lang, PetitionerFile, UserId};

/// Items drawn before 显示全部.
const FIRST: usize = 8;

/// What was worked out, per file, for one account on one day under one set of rules.
struct Worked {
    account: UserId,
    day: NaiveDate,
    rules: FigureRules,
    version: u64,
    by_file: HashMap<FileId, Vec<Todo>>,
}

thread_local! {
    // Kept across screens: coming back to the list costs only what changed meanwhile.
    static WORKED: RefCell<Option<Worked>> = const { RefCell::new(None) };
}

#[component]
pub fn TodoDesk(
    /// Set once the file list has shown: the list comes first.
    list_shown: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let account = expect_context::<SignedIn>()
        .0
        .get_untracked()
        .map(|s| s.account);
    // A cadre's own files; legal team members have their desk, supervisors the console.
    let me = account.filter(|a| a.role == Role::Cadre).map(|a| a.id)?;
    let changes = use_changes();
    let all = RwSignal::new(false);
    let items = crate::fetched::Fetched::new(move || {
        changes.any();
        let shown = list_shown.get();
        let me = me.clone();
        async move {
            if !shown {
                return Ok(None);
            }
            // Only the first reading of the session reads every record; later ones are cheap.
            let first = WORKED.with_borrow(|w| w.as_ref().is_none_or(|w| w.account != me));
            if first {
                after_the_list().await;
            }
            refresh(me, changes.version(), |v| changes.since(v))
                .await
                .map(Some)
        }
    });
    let body = move || {
        let lang = i18n.lang();
        let today = Local::now().date_naive();
        let rules = settings::rules().case;
        let list = match items.get() {
            Some(Ok(Some(list))) => list,
            Some(Err(_)) => {
                return view! { <p class="muted">{i18n.t(Msg::TodoFailed)}</p> }.into_any();
            }
            _ => return view! { <p class="muted">{i18n.t(Msg::Loading)}</p> }.into_any(),
        };
        if list.is_empty() {
            return view! { <p class="muted" data-testid="todo-empty">{i18n.t(Msg::TodoEmpty)}</p> }.into_any();
        }
        let total = list.len();
        let limit = if all.get() { total } else { FIRST };
        let rows = list
            .iter()
            .take(limit)
            .map(|t| row(t, today, &rules, lang))
            .collect_view();
        view! {
            <ul class="todo" data-testid="todo-list">{rows}</ul>
            {(total > limit).then(|| view! {
                <button class="more" data-testid="todo-all" on:click=move |_| all.set(true)>
                    {format!("{}（{total}）", i18n.t(Msg::TodoShowAll))}
                </button>
            })}
        }
        .into_any()
    };
    Some(view! {
        <section class="card todo-desk" data-testid="todo-desk">
            <h2>{move || i18n.t(Msg::TodoTitle)}</h2>
            {body}
        </section>
    })
}

/// How long after the list's frame the first reading starts: a cadre's first tap on a file
/// right after unlocking is not kept waiting behind it.
const AFTER_LIST_MS: i32 = 300;

/// Resolves `AFTER_LIST_MS` after the browser has painted the frame in progress (the list).
async fn after_the_list() {
    let promise = js_sys::Promise::new(&mut |resolve: js_sys::Function, _| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let later = window.clone();
        let then = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = later
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, AFTER_LIST_MS);
        });
        let _ = window.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&then));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The items to show today, working out again only the files changed since the last time.
async fn refresh(
    me: UserId,
    version: u64,
    since: impl Fn(u64) -> Since,
) -> Result<Vec<Todo>, store::StoreError> {
    let today = Local::now().date_naive();
    let rules = settings::rules();
    let changed = WORKED.with_borrow(|w| match w {
        Some(w) if w.account == me && w.day == today && w.rules == rules => since(w.version),
        _ => Since::Everything,
    });
    let store = store::shared().await?;
    let mut by_file = match changed {
        Since::Everything => HashMap::new(),
        Since::Files(_) => WORKED
            .with_borrow_mut(|w| w.take().map(|w| w.by_file))
            .unwrap_or_default(),
    };
    match changed {
        Since::Everything => {
            for (file, local) in store.overview().await? {
                let items = worked_out(&file, local, &rules, today);
                by_file.insert(file.id, items);
            }
            for place in settings::screening_places() {
                let items = screening_items(&store, &place, &rules, today).await?;
                by_file.insert(place.ledger, items);
            }
        }
        Since::Files(files) => {
            for id in files {
                if is_ledger(&id) {
                    let places = settings::screening_places();
                    match places.iter().find(|p| p.ledger == id) {
                        Some(place) => {
                            let items = screening_items(&store, place, &rules, today).await?;
                            by_file.insert(id, items);
                        }
                        None => {
                            by_file.remove(&id);
                        }
                    }
                    continue;
                }
                match store.file(&id).await? {
                    Some(file) => {
                        let local = store.timeline(&id).await?;
                        by_file.insert(id, worked_out(&file, local, &rules, today));
                    }
                    None => {
                        by_file.remove(&id);
                    }
                }
            }
        }
    }
    let shown = to_do(by_file.values().flatten().cloned(), today);
    WORKED.set(Some(Worked {
        account: me,
        day: today,
        rules,
        version,
        by_file,
    }));
    Ok(shown)
}

/// 本周排查 of one of the cadre's villages, from its ledger's records on the phone.
async fn screening_items(
    store: &store::Store,
    place: &LedgerPlace,
    rules: &FigureRules,
    today: NaiveDate,
) -> Result<Vec<Todo>, store::StoreError> {
    let records = store.counted_timeline(&place.ledger).await?;
    Ok(screening_todo(place, &records, &rules.screening, today)
        .into_iter()
        .collect())
}

/// One file's items from its records on the phone; a record the server refused does not count.
fn worked_out(
    file: &PetitionerFile,
    local: Vec<LocalRecord>,
    rules: &FigureRules,
    today: NaiveDate,
) -> Vec<Todo> {
    file_todos(
        file,
        &store::counted(local),
        &rules.case,
        &rules.tasking,
        today,
    )
}

fn row(t: &Todo, today: NaiveDate, rules: &CaseRules, lang: Lang) -> impl IntoView + use<> {
    let standing = t.standing(today, rules);
    let left = (t.due - today).num_days();
    let (class, when) = match standing {
        Standing::Overdue => ("overdue", with_n(Msg::DaysOverdue, lang, -left)),
        _ if left == 0 => ("due-soon", Msg::DueToday.text(lang).to_owned()),
        Standing::DueSoon => ("due-soon", with_n(Msg::DaysLeft, lang, left)),
        Standing::Ahead => ("ahead", with_n(Msg::DaysLeft, lang, left)),
    };
    let what = match &t.kind {
        TodoKind::NextStep { step } => format!("{}：{step}", Msg::TodoNextStep.text(lang)),
        TodoKind::Deadline { kind } => {
            format!("{}：{}", Msg::TodoDeadline.text(lang), kind.label(lang))
        }
        TodoKind::Report { unit } => format!("{}：{unit}", Msg::TodoReport.text(lang)),
        TodoKind::Milestone { what } => format!("{}：{what}", Msg::TodoMilestone.text(lang)),
        TodoKind::Visit { last: Some(last) } => {
            format!(
                "{}（{} {last}）",
                Msg::TodoVisit.text(lang),
                Msg::LastVisit.text(lang)
            )
        }
        TodoKind::Visit { last: None } => {
            format!(
                "{}（{}）",
                Msg::TodoVisit.text(lang),
                Msg::NeverVisited.text(lang)
            )
        }
        TodoKind::Screening { rhythm } => rhythm.this_period(lang).to_owned(),
    };
    let kind = match t.kind {
        TodoKind::NextStep { .. } => "next-step",
        TodoKind::Deadline { .. } => "deadline",
        TodoKind::Report { .. } => "report",
        TodoKind::Milestone { .. } => "milestone",
        TodoKind::Visit { .. } => "visit",
        TodoKind::Screening { .. } => "screening",
    };
    let href = match t.kind {
        TodoKind::Screening { .. } => format!("/screening/{}", t.file),
        _ => format!("/files/{}", t.file),
    };
    let name = t.name.clone();
    let when = format!("{} · {when}", t.due);
    view! {
        <li class=format!("todo-item {class}") data-kind=kind data-standing=class>
            <a href=href>
                <strong class="name">{name}</strong>
                <span class="what">{what}</span>
                <span class="when">{when}</span>
            </a>
        </li>
    }
}

fn with_n(msg: Msg, lang: Lang, n: i64) -> String {
    msg.text(lang).replace("{n}", &n.to_string())
}
