//! 我的档案: the petitioner files assigned to the cadre, searchable by name and village.

use super::team_desk::TeamDesk;
use super::todo_desk::TodoDesk;
use crate::changes::use_changes;
use crate::components::{ChainAlerts, LoadFailed, RequireSession};
use crate::i18n::{Msg, use_i18n};
use crate::store;
use leptos::prelude::*;
use xiafang_core::{FileSummary, Lang};

/// File cards drawn at first, and added by each 显示更多.
const PAGE: usize = 50;

#[component]
pub fn FilesPage() -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let query = RwSignal::new(String::new());
    // How many cards are drawn: a township's 2,000 files would take seconds to lay out on a cheap
    // phone at every start and keystroke, and nobody scrolls through them; search narrows instead.
    let shown = RwSignal::new(PAGE);
    let files = crate::fetched::Fetched::new(move || {
        changes.any();
        async move {
            // The list's summary, not the files: one sealed row to open at a cold start.
            let mut files = store::shared().await?.file_list().await?;
            files.sort_by(|a, b| {
                (&a.township, &a.village, &a.name).cmp(&(&b.township, &b.village, &b.name))
            });
            Ok::<_, store::StoreError>(files)
        }
    });
    let list = Memo::new(move |_| {
        let lang = i18n.lang();
        let q = query.get();
        let limit = shown.get();
        files.with(|files| match files {
            Some(Ok(files)) => Some(Ok(List::of(files, &q, limit, lang))),
            Some(Err(e)) => Some(Err(e.clone())),
            None => None,
        })
    });
    let listed = move || list.with(|l| matches!(l, Some(Ok(l)) if !l.cards.is_empty()));
    let cards = move || {
        list.with(|l| match l {
            Some(Ok(l)) => l.cards.clone(),
            _ => Vec::new(),
        })
    };
    let more = move || list.with(|l| l.as_ref().map_or(0, |l| l.as_ref().map_or(0, |l| l.more)));
    let status = move || {
        let message = match list.get() {
            Some(Ok(l)) if l.none_at_all => Msg::NoFilesYet,
            Some(Ok(l)) if l.cards.is_empty() => Msg::NoMatches,
            Some(Ok(_)) => return ().into_any(),
            Some(Err(e)) => {
                return view! { <LoadFailed error=e retry=move || files.refetch() /> }.into_any();
            }
            None => Msg::Loading,
        };
        view! { <p class="muted">{i18n.t(message)}</p> }.into_any()
    };
    view! {
        <RequireSession>
            <ChainAlerts />
            <TeamDesk />
            <TodoDesk list_shown=Signal::derive(move || list.with(|l| matches!(l, Some(Ok(_))))) />
            <super::screening::ScreeningLink />
            <h1>{move || i18n.t(Msg::MyFiles)}</h1>
            <input
                class="search"
                type="search"
                name="search"
                placeholder=move || i18n.t(Msg::SearchPlaceholder)
                prop:value=move || query.get()
                on:input:target=move |ev| {
                    query.set(ev.target().value());
                    shown.set(PAGE);
                }
            />
            {status}
            // Keyed by what each card shows: a reload after a save or a download keeps the cards
            // (and their links) that did not change, and redraws only those that did.
            <Show when=listed>
                <ul class="files" data-testid="file-list">
                    <For each=cards key=|card| card.clone() let:card>
                        <FileCard card />
                    </For>
                </ul>
            </Show>
            <Show when=move || { more() > 0 }>
                <button
                    class="more"
                    data-testid="more-files"
                    on:click=move |_| shown.update(|n| *n += PAGE)
                >
                    {move || format!("{}（{}）", i18n.t(Msg::MoreFiles), more())}
                </button>
            </Show>
        </RequireSession>
    }
}

/// The cards the list draws now, and how many more match.
#[derive(Clone, PartialEq)]
struct List {
    cards: Vec<Card>,
    more: usize,
    /// The phone holds no file at all (rather than none matching).
    none_at_all: bool,
}

impl List {
    fn of(files: &[FileSummary], query: &str, limit: usize, lang: Lang) -> List {
        let matching: Vec<&FileSummary> = files.iter().filter(|f| f.matches(query)).collect();
        List {
            more: matching.len().saturating_sub(limit),
            cards: matching
                .into_iter()
                .take(limit)
                .map(|f| Card::of(f, lang))
                .collect(),
            none_at_all: files.is_empty(),
        }
    }
}

/// What one card shows, in the language of the moment.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Card {
    href: String,
    name: String,
    place: String,
    matter: String,
    flags: String,
}

impl Card {
    fn of(file: &FileSummary, lang: Lang) -> Card {
        let flags: Vec<_> = file.flags.iter().map(|f| f.label(lang)).collect();
        Card {
            href: format!("/files/{}", file.id),
            name: file.name.clone(),
            place: format!("{} · {}{}", file.township, file.village, file.group),
            matter: format!(
                "{} · {}",
                file.category.label(lang),
                file.resolution.label(lang)
            ),
            flags: flags.join("、"),
        }
    }
}

#[component]
fn FileCard(card: Card) -> impl IntoView {
    let Card {
        href,
        name,
        place,
        matter,
        flags,
    } = card;
    view! {
        <li>
            <a href=href>
                <strong class="name">{name}</strong>
                <span class="place">{place}</span>
                <span class="matter">{matter}</span>
                {(!flags.is_empty()).then(|| view! { <span class="flags">{flags}</span> })}
            </a>
        </li>
    }
}
