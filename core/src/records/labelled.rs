//! A record's field as the timeline, the print page and the exports name it: with the label the
//! form that wrote it gives the field (`Field`), taken from that one constant rather than typed
//! again, so the words cannot drift apart (an old "下次走访" for what the form calls 下一步完成时限).

use crate::base::lang::Lang;
use crate::base::problem::Field;

/// "label：value" (Chinese) or "label: value"; `None` when the value is empty, so a field left
/// blank is left out.
pub fn labelled(field: Field, value: impl AsRef<str>, lang: Lang) -> Option<String> {
    let value = value.as_ref().trim();
    (!value.is_empty()).then(|| format!("{}{}{value}", field.label(lang), lang.pick("：", ": ")))
}

/// The parts that are there, in order, joined as the timeline joins them.
pub fn join(parts: impl IntoIterator<Item = Option<String>>) -> String {
    parts
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A value that names itself (a choice's own label), as one of the parts.
pub fn plain(value: impl Into<String>) -> Option<String> {
    Some(value.into())
}
