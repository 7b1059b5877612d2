//! The tabs above 案件期限, 包案 and 排查. Not in the office chunk: a cadre's phone shows 排查
//! too, and a supervisor who follows a tab before the chunk came fetches it.

use crate::i18n::{Msg, use_i18n};
use crate::nav::current;
use leptos::prelude::*;

/// 案件期限, 包案 and 排查: the second and third are reached from the first (the console's row in
/// the header holds no more on a 360 px phone).
#[component]
pub fn CaseTabs() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="tabs" data-testid="case-tabs" aria-label=move || i18n.t(Msg::CaseViews)>
            <a href="/cases" class="tab" aria-current=current("/cases")>{move || i18n.t(Msg::NavCases)}</a>
            <a href="/ownership" class="tab" aria-current=current("/ownership")>{move || i18n.t(Msg::NavOwnership)}</a>
            <a href="/screening" class="tab" aria-current=current("/screening")>{move || i18n.t(Msg::NavScreening)}</a>
        </nav>
    }
}
