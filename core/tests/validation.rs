//! What a cadre sees when a form is filled in wrongly: every rule, with its Chinese message.

use xiafang_core::case_step::ApproverRole;
use xiafang_core::fixtures;
use xiafang_core::record::{AssistanceKind, GeoPoint};
use xiafang_core::{Field, FieldError, Lang, Problem, RecordBody};

fn problems(record: &xiafang_core::Record) -> Vec<(Field, Problem)> {
    match record.validate() {
        Ok(()) => vec![],
        Err(errors) => errors.into_iter().map(|e| (e.field, e.problem)).collect(),
    }
}

#[test]
fn example_records_are_valid() {
    for r in [
        fixtures::visit("f1", "u1"),
        fixtures::assistance("f1", "u1"),
        fixtures::note("f1", "u1"),
    ] {
        assert_eq!(r.validate(), Ok(()), "{r:?}");
    }
}

#[test]
fn empty_visit_lists_every_missing_field_at_once() {
    let mut r = fixtures::visit("f1", "u1");
    let RecordBody::Visit(v) = &mut r.body else {
        unreachable!()
    };
    v.place = "  ".into();
    v.participants = vec![" ".into()];
    v.requests = String::new();
    assert_eq!(
        problems(&r),
        vec![
            (Field::Place, Problem::Required),
            (Field::Participants, Problem::Required),
            (Field::Requests, Problem::Required),
        ]
    );
}

#[test]
fn next_due_must_follow_the_visit_and_come_with_a_next_step() {
    let mut r = fixtures::visit("f1", "u1");
    let RecordBody::Visit(v) = &mut r.body else {
        unreachable!()
    };
    v.next_due = chrono::NaiveDate::from_ymd_opt(2026, 11, 1);
    assert_eq!(
        problems(&r),
        vec![(Field::NextDue, Problem::DueBeforeOccurred)]
    );

    let RecordBody::Visit(v) = &mut r.body else {
        unreachable!()
    };
    v.next_due = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
    v.next_step.clear();
    assert_eq!(
        problems(&r),
        vec![(Field::NextDue, Problem::DueWithoutNextStep)]
    );
}

#[test]
fn overlong_text_and_bad_location_are_refused() {
    let mut r = fixtures::visit("f1", "u1");
    let RecordBody::Visit(v) = &mut r.body else {
        unreachable!()
    };
    v.place = "村".repeat(101);
    v.location = Some(GeoPoint {
        lat: 120.0,
        lon: 30.0,
    });
    assert_eq!(
        problems(&r),
        vec![
            (Field::Place, Problem::TooLong { max: 100 }),
            (Field::Location, Problem::LocationOutOfRange)
        ]
    );
}

#[test]
fn condolence_money_needs_a_positive_amount_goods_do_not() {
    let mut r = fixtures::assistance("f1", "u1");
    let RecordBody::Assistance(a) = &mut r.body else {
        unreachable!()
    };
    a.amount_fen = None;
    assert_eq!(problems(&r), vec![(Field::Amount, Problem::Required)]);
    let RecordBody::Assistance(a) = &mut r.body else {
        unreachable!()
    };
    a.amount_fen = Some(0);
    assert_eq!(
        problems(&r),
        vec![(Field::Amount, Problem::AmountNotPositive)]
    );
    let RecordBody::Assistance(a) = &mut r.body else {
        unreachable!()
    };
    a.kind = AssistanceKind::Goods;
    a.amount_fen = None;
    assert_eq!(problems(&r), vec![]);
    let RecordBody::Assistance(a) = &mut r.body else {
        unreachable!()
    };
    a.amount_fen = Some(-1);
    assert_eq!(
        problems(&r),
        vec![(Field::Amount, Problem::AmountNotPositive)]
    );
}

#[test]
fn note_needs_speaker_and_text() {
    let mut r = fixtures::note("f1", "u1");
    let RecordBody::Note(n) = &mut r.body else {
        unreachable!()
    };
    n.speaker.clear();
    n.text = "\n".into();
    assert_eq!(
        problems(&r),
        vec![
            (Field::Speaker, Problem::Required),
            (Field::Text, Problem::Required)
        ]
    );
}

#[test]
fn dates_outside_living_memory_are_refused() {
    let mut r = fixtures::note("f1", "u1");
    r.occurred_at = chrono::NaiveDate::from_ymd_opt(1900, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    assert_eq!(
        problems(&r),
        vec![(Field::OccurredAt, Problem::DateOutOfRange)]
    );
}

#[test]
fn messages_are_specific_chinese_sentences() {
    let cases = [
        (Field::Place, Problem::Required, "请填写走访地点"),
        (
            Field::Text,
            Problem::TooLong { max: 4000 },
            "谈话内容不能超过 4000 个字",
        ),
        (
            Field::Amount,
            Problem::AmountFormat,
            "金额格式不正确，请填写数字，例如 200 或 200.50",
        ),
        (
            Field::NextDue,
            Problem::DueBeforeOccurred,
            "下一步完成时限不能早于本次走访",
        ),
    ];
    for (field, problem, zh) in cases {
        assert_eq!(FieldError::new(field, problem).message(Lang::Zh), zh);
    }
    assert_eq!(
        FieldError::new(Field::Place, Problem::Required).message(Lang::En),
        "Place is required"
    );
}

#[test]
fn corrections_need_a_reason_and_a_correctable_target() {
    use xiafang_core::RecordBody;
    let note = fixtures::note("f1", "u1");
    let void = fixtures::void(&note, "  ");
    assert_eq!(
        void.validate().unwrap_err(),
        vec![FieldError::new(Field::Reason, Problem::Required)]
    );
    let mut self_void = fixtures::void(&note, "记错了");
    if let RecordBody::Void(v) = &mut self_void.body {
        v.target = self_void.id;
    }
    assert_eq!(
        self_void.validate().unwrap_err(),
        vec![FieldError::new(Field::Corrects, Problem::NotCorrectable)]
    );
    let mut amended_void = fixtures::void(&note, "记错了");
    amended_void.amends = Some(note.id);
    assert_eq!(
        amended_void.validate().unwrap_err(),
        vec![FieldError::new(Field::Corrects, Problem::NotCorrectable)]
    );
    assert!(
        fixtures::amendment(&note, note.body.clone())
            .validate()
            .is_ok()
    );
}

#[test]
fn file_edits_are_checked_per_field() {
    use xiafang_core::file_edit::EditableField;
    let stamp = xiafang_core::hlc::Hlc {
        wall_ms: 0,
        counter: 0,
        device: xiafang_core::DeviceId::new_random(),
    };
    let edit = |field, value: &str| fixtures::file_edit("f1", "u1", field, "", value, stamp);
    assert!(
        edit(EditableField::Phone, "+86 138-0000-0001")
            .validate()
            .is_ok()
    );
    assert!(
        edit(EditableField::Phone, "").validate().is_ok(),
        "clearing is allowed"
    );
    assert_eq!(
        edit(EditableField::Phone, "一三八").validate().unwrap_err(),
        vec![FieldError::new(Field::Phone, Problem::PhoneFormat)]
    );
    assert_eq!(
        edit(EditableField::Address, &"村".repeat(101))
            .validate()
            .unwrap_err(),
        vec![FieldError::new(
            Field::Address,
            Problem::TooLong { max: 100 }
        )]
    );
    assert_eq!(
        FieldError::new(Field::Phone, Problem::PhoneFormat).message(xiafang_core::Lang::Zh),
        "联系电话格式不正确，只能包含数字、空格、+ 和 -"
    );
}

#[test]
fn markup_is_refused_in_every_text_field_but_a_plain_less_than_is_fine() {
    use xiafang_core::validation::has_markup;
    assert!(has_markup("<script>alert(1)</script>"));
    assert!(has_markup("见 <img src=x onerror=alert(1)>"));
    assert!(has_markup("</b>"));
    assert!(!has_markup("年龄 <5 岁的子女"));
    assert!(!has_markup("a < b, 《信访工作条例》"));
    let evil = "<script>alert('x')</script>";
    let mut visit = fixtures::visit("f1", "u1");
    if let RecordBody::Visit(v) = &mut visit.body {
        v.place = evil.into();
        v.participants = vec![evil.into()];
        v.requests = evil.into();
        v.explained = evil.into();
        v.measures = evil.into();
        v.next_step = evil.into();
    }
    let fields: Vec<_> = problems(&visit).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        vec![
            Field::Place,
            Field::Participants,
            Field::Requests,
            Field::Explained,
            Field::Measures,
            Field::NextStep
        ]
    );
    assert!(problems(&visit).iter().all(|(_, p)| *p == Problem::Markup));
    assert_eq!(
        FieldError::new(Field::Requests, Problem::Markup).message(Lang::Zh),
        "诉求及反映的问题不能包含“<”开头的网页标记，请删去尖括号"
    );
}

#[test]
fn case_steps_refuse_what_the_regulations_refuse() {
    use chrono::NaiveDate;
    use xiafang_core::case_step::Step;
    let step = |s| problems(&fixtures::case_step("f1", "o1", s));
    let extended = |days, approver: &str, reason: &str| Step::Extended {
        days,
        approver: approver.into(),
        reason: reason.into(),
        approver_role: Some(ApproverRole::Head),
        reason_told: true,
    };
    assert_eq!(
        step(extended(31, "李局长", "需补充调查")),
        vec![(Field::ExtensionDays, Problem::DaysOutOfRange { max: 30 })]
    );
    assert_eq!(
        step(extended(0, " ", "")),
        vec![
            (Field::ExtensionDays, Problem::DaysOutOfRange { max: 30 }),
            (Field::Approver, Problem::Required),
            (Field::ExtensionReason, Problem::Required),
        ]
    );
    assert_eq!(
        step(Step::Notified {
            accepted: false,
            go_to: "".into()
        }),
        vec![(Field::GoTo, Problem::Required)],
        "not accepted must say where to go"
    );
    assert!(
        step(Step::Notified {
            accepted: true,
            go_to: "".into()
        })
        .is_empty()
    );
    // The fixtures happen on 2026-11-20: a petition cannot arrive after it was registered.
    assert_eq!(
        step(Step::Registered {
            received: NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")
        }),
        vec![(Field::Received, Problem::AfterRecordDate)]
    );
    assert_eq!(
        step(Step::Routed {
            route: xiafang_core::case_step::Route::Forwarded,
            to: "".into()
        }),
        vec![(Field::RoutedTo, Problem::Required)]
    );
    assert_eq!(
        FieldError::new(Field::ExtensionDays, Problem::DaysOutOfRange { max: 30 })
            .message(Lang::Zh),
        "延期天数应为 1 至 30 天"
    );
    assert_eq!(
        FieldError::new(Field::Received, Problem::AfterRecordDate).message(Lang::En),
        "Date the petition was received cannot be after this record's date"
    );
}

#[test]
fn a_return_needs_a_comment_and_a_review_cannot_name_itself() {
    use xiafang_core::supervision::{Review, ReviewDecision};
    let visit = fixtures::visit("f1", "u1");
    let back = fixtures::review(&visit, "s1", ReviewDecision::Return, " ");
    assert_eq!(
        problems(&back),
        vec![(Field::ReviewComment, Problem::Required)]
    );
    assert!(problems(&fixtures::review(&visit, "s1", ReviewDecision::Approve, "")).is_empty());
    let mut itself = fixtures::review(&visit, "s1", ReviewDecision::Approve, "");
    itself.body = RecordBody::Review(Review {
        of: itself.id,
        decision: ReviewDecision::Approve,
        comment: String::new(),
    });
    assert_eq!(
        problems(&itself),
        vec![(Field::Reviewed, Problem::SelfReference)]
    );
    assert_eq!(
        FieldError::new(Field::ReviewComment, Problem::Required).message(Lang::Zh),
        "请填写审核意见"
    );
}

#[test]
fn supervision_needs_a_deadline_ahead_a_reason_a_leader_and_a_lifting_note() {
    use chrono::NaiveDate;
    use xiafang_core::supervision::{Supervision, SupervisionMode};
    let sup = |s| problems(&fixtures::supervision("f1", "s1", s));
    assert_eq!(
        sup(Supervision::Listed {
            deadline: NaiveDate::from_ymd_opt(2026, 11, 19).expect("date"),
            mode: SupervisionMode::Written,
            reason: "".into(),
        }),
        vec![
            (Field::Deadline, Problem::BeforeRecordDate),
            (Field::SupervisionReason, Problem::Required),
        ]
    );
    assert_eq!(
        sup(Supervision::Leader {
            name: "".into(),
            account: None,
            post: String::new(),
            unit: String::new(),
            responsible: String::new(),
        }),
        vec![(Field::Leader, Problem::Required)]
    );
    assert_eq!(
        sup(Supervision::Lifted {
            note: "<b>完成</b>".into()
        }),
        vec![(Field::LiftNote, Problem::Markup)]
    );
    assert_eq!(
        FieldError::new(Field::Deadline, Problem::BeforeRecordDate).message(Lang::Zh),
        "督办期限不能早于本记录的日期"
    );
}

#[test]
fn attachments_need_a_signer_a_text_hash_and_a_real_image() {
    let visit = fixtures::visit("f1", "u1");
    let mut sig = fixtures::signature(&visit, "u1");
    assert_eq!(sig.validate(), Ok(()));
    if let RecordBody::Signature(s) = &mut sig.body {
        s.signer = " ".into();
        s.text_hash = "not a hash".into();
        s.image.mime = "text/html".into();
    }
    assert_eq!(
        problems(&sig),
        vec![
            (Field::Signer, Problem::Required),
            (Field::SignedText, Problem::Required),
            (Field::Image, Problem::ImageFormat),
        ]
    );
    let mut photo = fixtures::photo(&visit, "u1");
    assert_eq!(photo.validate(), Ok(()));
    if let RecordBody::Photo(p) = &mut photo.body {
        p.image.size = 9 * 1024 * 1024;
        p.of = photo.id;
    }
    assert_eq!(
        problems(&photo),
        vec![
            (Field::AttachedTo, Problem::SelfReference),
            (Field::Image, Problem::ImageFormat),
        ]
    );
    // An image is withdrawn and taken again, never amended; a visit part is amended like a visit.
    let sig = fixtures::signature(&visit, "u1");
    let redo = fixtures::amendment(&sig, sig.body.clone());
    assert_eq!(
        problems(&redo),
        vec![(Field::Corrects, Problem::NotCorrectable)]
    );
    assert_eq!(fixtures::void(&sig, "签错了记录").validate(), Ok(()));
    let part = fixtures::visit_part(&visit, "law");
    assert_eq!(
        fixtures::amendment(&part, part.body.clone()).validate(),
        Ok(())
    );
    let err = FieldError::new(Field::Image, Problem::ImageFormat);
    assert_eq!(
        err.message(Lang::Zh),
        "图片无效：仅支持 JPEG、PNG、WebP 格式，且不超过 8 MB"
    );
}

#[test]
fn control_characters_are_refused_but_line_breaks_and_tabs_are_kept() {
    use xiafang_core::validation::has_control_characters;
    assert!(has_control_characters("谈心\u{0}记录"));
    assert!(has_control_characters("\u{1b}[31m红字"));
    assert!(has_control_characters("隐藏\u{85}换行"));
    assert!(!has_control_characters("第一行\n第二行\r\n\t缩进"));
    let mut note = fixtures::note("f1", "u1");
    if let RecordBody::Note(n) = &mut note.body {
        n.text = "老人说\u{1b}[2J清屏".into();
    }
    assert_eq!(
        problems(&note),
        vec![(Field::Text, Problem::ControlCharacter)]
    );
    assert_eq!(
        FieldError::new(Field::Text, Problem::ControlCharacter).message(xiafang_core::Lang::Zh),
        "谈话内容包含无法显示的控制字符，请删去后重新输入"
    );
}

#[test]
fn a_group_of_more_than_five_names_at_most_five_representatives() {
    use xiafang_core::reception::Reception;
    let with = |headcount: u32, names: &[&str]| {
        let mut r = fixtures::reception("f1", "s1");
        let RecordBody::Reception(rec) = &mut r.body else {
            unreachable!()
        };
        rec.headcount = headcount;
        rec.representatives = names.iter().map(|n| (*n).to_owned()).collect();
        problems(&r)
    };
    let six = ["甲", "乙", "丙", "丁", "戊", "己"];
    type Case<'a> = (u32, &'a [&'a str], Vec<(Field, Problem)>);
    let cases: [Case; 7] = [
        (1, &[], vec![]),
        (5, &[], vec![]),
        (8, &six[..3], vec![]),
        (
            8,
            &[],
            vec![(Field::Representatives, Problem::GroupNeedsRepresentatives)],
        ),
        (
            8,
            &six,
            vec![(Field::Representatives, Problem::TooMany { max: 5 })],
        ),
        (
            0,
            &[],
            vec![(Field::Headcount, Problem::CountOutOfRange { max: 1000 })],
        ),
        (
            1001,
            &six[..1],
            vec![(Field::Headcount, Problem::CountOutOfRange { max: 1000 })],
        ),
    ];
    for (headcount, names, expected) in cases {
        assert_eq!(
            with(headcount, names),
            expected,
            "{headcount} people, {names:?}"
        );
    }
    let r = fixtures::reception("f1", "s1");
    let RecordBody::Reception(rec) = &r.body else {
        unreachable!()
    };
    assert!(rec.is_collective() && rec.needs_representatives());
    assert!(
        !Reception {
            headcount: 4,
            ..rec.clone()
        }
        .is_collective()
    );
    let message = FieldError::new(Field::Representatives, Problem::GroupNeedsRepresentatives)
        .message(Lang::Zh);
    assert_eq!(
        message,
        "五人以上来访须推选代表，请填写推选的代表（不超过 5 人）"
    );
}

#[test]
fn tasking_records_need_their_fields_and_a_deadline_after_their_date() {
    use xiafang_core::tasking::{Tasking, UrgeMethod};
    use xiafang_core::{Field, Problem, Record, fixtures};
    let day = |text: &str| text.parse::<chrono::NaiveDate>().expect("date");
    let with = |t: Tasking| fixtures::tasking("f1", "s1", t);
    let problems = |r: &Record| -> Vec<(Field, Problem)> {
        r.validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    };
    // The fixtures' records are dated 2026-11-20.
    let early = with(Tasking::Assigned {
        unit: " ".into(),
        task: "核实".into(),
        report_by: day("2026-11-19"),
    });
    assert_eq!(
        problems(&early),
        vec![
            (Field::TaskUnit, Problem::Required),
            (Field::ReportBy, Problem::BeforeRecordDate)
        ]
    );
    assert!(problems(&fixtures::assigned("f1", "s1")).is_empty());
    let urged = with(Tasking::Urged {
        how: UrgeMethod::Phone,
        note: String::new(),
    });
    assert!(problems(&urged).is_empty(), "a 催办 may go without a note");
    let report = with(Tasking::Reported {
        summary: "<b>办结</b>".into(),
        resolved: false,
    });
    assert_eq!(
        problems(&report),
        vec![(Field::ReportSummary, Problem::Markup)]
    );
    let mut nothing = with(Tasking::SignedOff {
        evidence: vec![],
        note: String::new(),
    });
    assert_eq!(
        problems(&nothing),
        vec![
            (Field::Evidence, Problem::Required),
            (Field::SignOffNote, Problem::Required)
        ]
    );
    nothing.body = xiafang_core::RecordBody::Tasking(Tasking::SignedOff {
        evidence: vec![nothing.id],
        note: "属实".into(),
    });
    assert_eq!(
        problems(&nothing),
        vec![(Field::Evidence, Problem::SelfReference)]
    );
    let back = with(Tasking::SentBack {
        reason: "未附答复书".into(),
        report_by: Some(day("2026-11-01")),
    });
    assert_eq!(
        problems(&back),
        vec![(Field::ReportBy, Problem::BeforeRecordDate)]
    );
}

#[test]
fn a_refused_visit_needs_no_requests_and_a_refusal_is_named_once() {
    use xiafang_core::record::Refusal;
    let mut r = fixtures::visit("f1", "u1");
    let RecordBody::Visit(v) = &mut r.body else {
        unreachable!()
    };
    v.requests = String::new();
    v.refused = vec![Refusal::Signature];
    assert_eq!(problems(&r), vec![(Field::Requests, Problem::Required)]);
    let RecordBody::Visit(v) = &mut r.body else {
        unreachable!()
    };
    v.refused = vec![Refusal::Visit, Refusal::Signature];
    assert_eq!(problems(&r), vec![]);
    let RecordBody::Visit(v) = &mut r.body else {
        unreachable!()
    };
    v.refused = vec![Refusal::Visit, Refusal::Visit];
    assert_eq!(
        problems(&r),
        vec![(Field::Refused, Problem::TooMany { max: 2 })]
    );
}

#[test]
fn a_visit_signed_before_the_petitioners_view_existed_keeps_its_signed_text() {
    use xiafang_core::kinds::signed_text;
    let mut r = fixtures::visit("f1", "u1");
    let before = signed_text(&r).unwrap();
    assert!(!before.contains("信访人意见"));
    let RecordBody::Visit(v) = &mut r.body else {
        unreachable!()
    };
    v.petitioner_view = "补偿款已到账，不再上访".into();
    let after = signed_text(&r).unwrap();
    assert_eq!(
        after,
        format!("{before}\n信访人意见：补偿款已到账，不再上访")
    );
}

#[test]
fn tasking_records_keep_their_wire_names() {
    let r = xiafang_core::fixtures::assigned("f1", "s1");
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["body"]["type"], "tasking");
    assert_eq!(json["body"]["action"], "assigned");
    assert_eq!(json["body"]["report_by"], "2026-12-10");
    let back: xiafang_core::Record = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, r);
}
