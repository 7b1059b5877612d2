//! Form controls that know their field: the label comes from the domain's field name and the
//! field's problems from the last validation are shown right under it.

use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use std::sync::Arc;
use xiafang_core::{Field, FieldError, Labeled, Lang};

/// The problems the last validation found, shown next to their fields.
#[derive(Clone, Copy)]
pub struct FormErrors(pub RwSignal<Vec<FieldError>>);

impl FormErrors {
    pub fn new() -> Self {
        FormErrors(RwSignal::new(Vec::new()))
    }

    pub fn message_for(self, field: Field) -> Option<String> {
        let lang = use_i18n().lang();
        let messages: Vec<String> = self
            .0
            .get()
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message(lang))
            .collect();
        (!messages.is_empty()).then(|| messages.join("；"))
    }
}

#[component]
pub fn TextField(
    field: Field,
    value: RwSignal<String>,
    errors: FormErrors,
    /// The input's type: "text", "date", "datetime-local", …
    #[prop(default = "text")]
    input_type: &'static str,
    /// A textarea for longer text.
    #[prop(optional)]
    multiline: bool,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = move || errors.message_for(field);
    let control = if multiline {
        view! {
            <textarea
                name=field.key()
                rows="3"
                aria-invalid=move || error().is_some().to_string()
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                name=field.key()
                type=input_type
                inputmode=inputmode
                aria-invalid=move || error().is_some().to_string()
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
        }
        .into_any()
    };
    view! {
        <label class="field" class:invalid=move || error().is_some()>
            <span class="label">{move || field.label(i18n.lang())}</span>
            {hint.map(|h| view! { <small class="hint">{move || i18n.t(h)}</small> })}
            {control}
            {move || error().map(|e| view! { <span class="error" role="alert">{e}</span> })}
        </label>
    }
}

/// A drop-down over one of the domain's closed lists (visit kind, mood, …).
///
/// Only the step between the list's type and its position is compiled for each list; the
/// drop-down itself is `drop_down`, compiled once (24 lists used it, each a copy of the view).
#[component]
pub fn Choice<T: Labeled>(name: &'static str, label: Msg, value: RwSignal<T>) -> impl IntoView {
    drop_down(
        name,
        label,
        T::all().iter().map(|o| o.key()).collect(),
        Arc::new(|i, lang| T::all()[i].label(lang)),
        Arc::new(move || T::all().iter().position(|&o| o == value.get())),
        Box::new(move |i| value.set(T::all()[i])),
    )
}

type OptionLabel = Arc<dyn Fn(usize, Lang) -> &'static str + Send + Sync>;

fn drop_down(
    name: &'static str,
    label: Msg,
    keys: Vec<&'static str>,
    option_label: OptionLabel,
    chosen: Arc<dyn Fn() -> Option<usize> + Send + Sync>,
    choose: Box<dyn Fn(usize) + Send + Sync>,
) -> AnyView {
    let i18n = use_i18n();
    let options = keys
        .iter()
        .enumerate()
        .map(|(i, &key)| {
            let (chosen, option_label) = (chosen.clone(), option_label.clone());
            view! {
                <option value=key selected=move || chosen() == Some(i)>
                    {move || option_label(i, i18n.lang())}
                </option>
            }
        })
        .collect_view();
    view! {
        <label class="field">
            <span class="label">{move || i18n.t(label)}</span>
            <select
                name=name
                on:change:target=move |ev| {
                    let key = ev.target().value();
                    if let Some(i) = keys.iter().position(|&k| k == key) {
                        choose(i);
                    }
                }
            >
                {options}
            </select>
        </label>
    }
    .into_any()
}

/// A labelled text input that is not a field of a record.
#[component]
pub fn PlainField(
    name: &'static str,
    label: Msg,
    value: RwSignal<String>,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// The keyboard a phone shows, e.g. "numeric" for a PIN.
    #[prop(default = "text")]
    inputmode: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span class="label">{move || i18n.t(label)}</span>
            {hint.map(|h| view! { <small class="hint">{move || i18n.t(h)}</small> })}
            <input
                name=name
                type=input_type
                autocomplete=autocomplete
                autocapitalize="off"
                inputmode=inputmode
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
        </label>
    }
}

/// A yes/no box.
#[component]
pub fn Check(name: &'static str, label: Msg, value: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field check">
            <input
                type="checkbox"
                name=name
                prop:checked=move || value.get()
                on:change:target=move |ev| value.set(ev.target().checked())
            />
            <span class="label">{move || i18n.t(label)}</span>
        </label>
    }
}
