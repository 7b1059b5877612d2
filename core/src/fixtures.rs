//! Valid example records for tests (here and in the server's tests), one per kind.

use crate::ids::{FileId, RecordId, UserId};
use crate::record::*;
use chrono::{NaiveDate, TimeZone, Utc};

fn record(file: &str, author: &str, body: RecordBody) -> Record {
    Record {
        id: RecordId::new_random(),
        file_id: FileId::from(file),
        author: UserId::from(author),
        author_name: "王建国".into(),
        occurred_at: NaiveDate::from_ymd_opt(2026, 11, 20)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .expect("valid date"),
        saved_at: Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap(),
        body,
    }
}

pub fn visit(file: &str, author: &str) -> Record {
    record(
        file,
        author,
        RecordBody::Visit(Visit {
            kind: VisitKind::Home,
            place: "阁一村郭先生家中".into(),
            participants: vec!["王建国（驻村干部）".into(), "李律师（法律顾问）".into()],
            requests: "要求重新核算集体资产分配款".into(),
            mood: Mood::Calm,
            risk: RiskLevel::Watch,
            explained: "解释了村集体资产分配的政策依据".into(),
            measures: "约定下周由街道召集村委会再议".into(),
            next_step: "街道召集村委会议".into(),
            next_due: NaiveDate::from_ymd_opt(2026, 11, 27),
            location: None,
        }),
    )
}

pub fn assistance(file: &str, author: &str) -> Record {
    record(
        file,
        author,
        RecordBody::Assistance(Assistance {
            kind: AssistanceKind::CondolenceMoney,
            amount_fen: Some(200_000),
            items: "春节慰问金".into(),
            funding_source: "街道帮扶资金".into(),
            status: AssistanceStatus::Delivered,
        }),
    )
}

pub fn note(file: &str, author: &str) -> Record {
    record(
        file,
        author,
        RecordBody::Note(Note {
            speaker: "王建国".into(),
            text: "谈及父亲身体，情绪平稳，愿意接受调解".into(),
        }),
    )
}
