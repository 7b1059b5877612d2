//! What each kind of record allows: which kinds are signed, photographed or reviewed, the text
//! a signer confirms, and the image a signature or photo holds.

use crate::base::dates::DayMinute;
use crate::base::lang::Lang;
use crate::base::money;
use crate::records::attachment::BlobRef;
use crate::records::record::{Record, RecordBody};

/// The blob a record carries, if it is a signature or a photo.
pub fn blob_of(body: &RecordBody) -> Option<&BlobRef> {
    match body {
        RecordBody::Signature(s) => Some(&s.image),
        RecordBody::Photo(p) => Some(&p.image),
        _ => None,
    }
}

/// The text a signer confirms for `record`, line by line as the phone shows it, or `None` for
/// kinds nobody outside the office signs. Written in Chinese whatever the screen's language:
/// the signed document is the Chinese one, and its hash must not depend on a setting.
pub fn signed_text(record: &Record) -> Option<String> {
    let zh = Lang::Zh;
    let when = DayMinute(record.occurred_at);
    let lines: Vec<String> = match &record.body {
        RecordBody::Visit(v) => {
            let mut lines = vec![
                format!("{}：{when}", v.kind.label(zh)),
                format!("地点：{}", v.place),
                format!("参加人员：{}", v.participants.join("、")),
                format!("诉求及反映的问题：{}", v.requests),
                format!("释法明理情况：{}", v.explained),
                format!("采取的措施：{}", v.measures),
                format!("下一步工作：{}", v.next_step),
            ];
            // Only when given, so the text (and hash) signed on visits saved before the field
            // existed stays the same.
            if !v.petitioner_view.trim().is_empty() {
                lines.push(format!("信访人意见：{}", v.petitioner_view));
            }
            lines
        }
        RecordBody::Assistance(a) => vec![
            format!("{}：{when}", a.kind.label(zh)),
            format!("帮扶内容：{}", a.items),
            format!(
                "金额：{}",
                a.amount_fen
                    .map(|fen| format!("{}元", money::format_yuan(fen)))
                    .unwrap_or_default()
            ),
            format!("资金来源：{}", a.funding_source),
            format!("状态：{}", a.status.label(zh)),
        ],
        // The 事实确认书: what the parties confirm as fact and, if any, what they agreed.
        RecordBody::Mediation(m) => vec![
            format!("人民调解：{when}"),
            format!("当事人：{}", m.parties.join("、")),
            format!("纠纷事项：{}", m.dispute),
            format!("经调解确认的事实：{}", m.facts),
            format!("调解结果：{}", m.outcome.label(zh)),
            format!("协议内容：{}", m.terms),
        ],
        _ => return None,
    };
    Some(lines.join("\n"))
}

/// Whether `record` can be signed (see `signed_text`).
pub fn is_signable(body: &RecordBody) -> bool {
    matches!(
        body,
        RecordBody::Visit(_) | RecordBody::Assistance(_) | RecordBody::Mediation(_)
    )
}

/// Whether a photo can be attached to `body`: the casework and legal records that happen in
/// front of something worth a picture (a receipt, the house, a document).
pub fn is_photographable(body: &RecordBody) -> bool {
    matches!(
        body,
        RecordBody::Visit(_)
            | RecordBody::Assistance(_)
            | RecordBody::Mediation(_)
            | RecordBody::LegalOpinion(_)
            | RecordBody::VisitPart(_)
    )
}

/// Whether a record of this kind goes to a supervisor.
pub fn needs_review(body: &RecordBody) -> bool {
    matches!(body, RecordBody::Visit(_) | RecordBody::Assistance(_))
}
