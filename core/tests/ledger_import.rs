//! The import's dry run (issue 18 item 1): every fault named by sheet, row and column in
//! Chinese; a clean workbook planned whole; the same rows against a database holding them add
//! nothing.

use chrono::NaiveDate;
use xiafang_core::Lang;
use xiafang_core::ledger_import::check::{parse_day, plan};
use xiafang_core::ledger_import::{
    Facts, KnownAccount, KnownFile, KnownPlace, SheetKind, Workbook, columns,
};

fn grid(kind: SheetKind, rows: &[&[&str]]) -> (SheetKind, Vec<Vec<String>>) {
    let mut g = vec![columns(kind).iter().map(|c| c.name.to_owned()).collect()];
    g.extend(
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect()),
    );
    (kind, g)
}

fn facts() -> Facts {
    Facts {
        places: vec![
            KnownPlace {
                id: "county".into(),
                name: "瑞安市".into(),
                kind: "county".into(),
                parent: None,
                groups: vec![],
            },
            KnownPlace {
                id: "tw".into(),
                name: "南滨街道".into(),
                kind: "township".into(),
                parent: Some("county".into()),
                groups: vec![],
            },
            KnownPlace {
                id: "v".into(),
                name: "阁一村".into(),
                kind: "village".into(),
                parent: Some("tw".into()),
                groups: vec!["三组".into()],
            },
        ],
        accounts: vec![KnownAccount {
            id: "u-wangjg".into(),
            username: "wangjg".into(),
            display_name: "王建国".into(),
            role: Some(xiafang_core::account::Role::Cadre),
            place_id: "tw".into(),
            legal_title: None,
        }],
        files: vec![KnownFile {
            id: "file-guo".into(),
            village_id: "v".into(),
            name: "郭先生".into(),
            id_number: Some("33039919680315011X".into()),
        }],
        assignments: vec![],
        leaders: vec![],
        visit_ids: Default::default(),
        scope: Some("county".into()),
        today: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
    }
}

/// A 信访人档案 row with every required cell filled.
fn file_row<'a>(name: &'a str, id: &'a str, village: &'a str, since: &'a str) -> Vec<&'a str> {
    vec![
        name,
        "女",
        "1970",
        id,
        "13800000009",
        "南滨街道",
        village,
        "",
        "南滨街道某村",
        "",
        "",
        "要求补偿",
        "征地拆迁",
        since,
        "来访",
        "申诉求决类",
        "县",
        "重复访、积案",
        "化解中",
        "",
        "3",
    ]
}

#[test]
fn every_fault_is_named_by_sheet_row_and_column_in_chinese() {
    let r2 = file_row("甲", "330399197001010013", "新村", "2024-02-30");
    let r3 = file_row("乙", "330399197001010014", "阁一村", "2024-03-01");
    let r4 = file_row("丙", "33039919680315011X", "阁一村", "2024-03-01");
    let mut r5 = file_row("丁", "", "火星村", "2030-01-01");
    r5[1] = "未知";
    let book = Workbook::from_grids(vec![
        grid(
            SheetKind::Accounts,
            &[
                &["lihua", "李华", "干部", "", "瑞安市", "南滨街道", ""],
                &["lihua", "李华二", "村长", "", "瑞安市", "", ""],
            ],
        ),
        grid(SheetKind::Files, &[&r2, &r3, &r4, &r5]),
        grid(
            SheetKind::Assignments,
            &[&["无名氏", "", "南滨街道", "阁一村", "nobody", "责任干部"]],
        ),
        grid(
            SheetKind::Visits,
            &[&[
                "郭先生",
                "",
                "南滨街道",
                "阁一村",
                "2026-13-01",
                "上门走访",
                "家中",
                "王建国",
                "wangjg",
                "要求补偿",
                "平稳",
                "一般",
                "",
                "",
                "",
            ]],
        ),
    ]);
    let (_, problems) = plan(&book, &facts());
    let lines: Vec<String> = problems
        .iter()
        .map(|p| p.line(Lang::Zh).to_string())
        .collect();
    let expect = [
        "账号 第 3 行 用户名：用户名与本表第 2 行重复",
        "账号 第 3 行 角色：无法识别",
        "信访人档案 第 2 行 村（社区）：该乡镇（街道）下没有这个村（社区）",
        "信访人档案 第 2 行 首次信访日期：日期不存在",
        "信访人档案 第 3 行 身份证号：身份证号校验位不对",
        "信访人档案 第 4 行 身份证号：身份证号与系统中已有的另一份档案重复",
        "信访人档案 第 5 行 性别：无法识别，应为：男、女",
        "信访人档案 第 5 行 首次信访日期：日期晚于今天",
        "分派 第 2 行 信访人姓名：找不到这份档案",
        "分派 第 2 行 用户名：没有这个用户名的账号",
        "走访记录 第 2 行 走访日期：日期不存在",
    ];
    for e in expect {
        assert!(
            lines.iter().any(|l| l.starts_with(e)),
            "missing {e:?} in {lines:#?}"
        );
    }
}

#[test]
fn a_duplicate_id_number_within_the_sheet_names_the_first_row() {
    let a = file_row("甲", "330399197001010013", "阁一村", "2024-03-01");
    let b = file_row("乙", "330399197001010013", "阁一村", "2024-03-01");
    let book = Workbook::from_grids(vec![grid(SheetKind::Files, &[&a, &b])]);
    let (_, problems) = plan(&book, &facts());
    let lines: Vec<String> = problems
        .iter()
        .map(|p| p.line(Lang::Zh).to_string())
        .collect();
    assert_eq!(
        lines,
        ["信访人档案 第 3 行 身份证号：身份证号与本表第 2 行重复"]
    );
}

#[test]
fn a_clean_workbook_is_planned_whole_and_again_adds_nothing() {
    let a = file_row("甲", "330399197001010013", "新村", "2024-03-01");
    let book = Workbook::from_grids(vec![
        grid(
            SheetKind::Places,
            &[&["瑞安市", "南滨街道", "新村", "一组"]],
        ),
        grid(
            SheetKind::Accounts,
            &[&["lihua", "李华", "干部", "", "瑞安市", "南滨街道", ""]],
        ),
        grid(SheetKind::Files, &[&a]),
        grid(
            SheetKind::Assignments,
            &[&[
                "甲",
                "330399197001010013",
                "南滨街道",
                "新村",
                "lihua",
                "责任干部",
            ]],
        ),
        grid(
            SheetKind::Visits,
            &[&[
                "郭先生",
                "",
                "南滨街道",
                "阁一村",
                "2026年3月1日",
                "上门走访",
                "家中",
                "王建国",
                "wangjg",
                "要求补偿",
                "平稳",
                "一般",
                "",
                "",
                "",
            ]],
        ),
    ]);
    let (planned, problems) = plan(&book, &facts());
    assert!(problems.is_empty(), "{problems:?}");
    let n = planned.counts();
    assert_eq!((n.places, n.accounts, n.files, n.assignments), (1, 1, 1, 1));
    assert_eq!(planned.groups.len(), 1);
    assert_eq!(
        n.text(Lang::Zh),
        "档案 1 份、账号 1 个、地点 1 个、分派 1 条、包案领导 0 条、走访记录 1 条"
    );
    assert_eq!(planned.files[0].file.matter.flags.len(), 2);

    // The database after that import: the same rows add nothing.
    let mut after = facts();
    let village = planned.places[0].clone();
    after.places.push(KnownPlace {
        id: village.id.clone(),
        name: village.name,
        kind: village.kind.into(),
        parent: village.parent,
        groups: vec!["一组".into()],
    });
    after.accounts.push(KnownAccount {
        id: "u-lihua".into(),
        username: "lihua".into(),
        display_name: "李华".into(),
        role: Some(xiafang_core::account::Role::Cadre),
        place_id: "tw".into(),
        legal_title: None,
    });
    after.files.push(KnownFile {
        id: "f1".into(),
        village_id: village.id,
        name: "甲".into(),
        id_number: Some("330399197001010013".into()),
    });
    after.assignments.push(("f1".into(), "u-lihua".into()));
    assert_eq!(planned.visits.len(), 1, "{:?}", planned.already);
    let stored = planned.visits[0].record("file-guo", chrono::Utc::now());
    after.visit_ids.insert(stored.id);
    let (again, problems) = plan(&book, &after);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(again.counts().total(), 0);
    assert_eq!(again.already.total(), 5);
}

#[test]
fn a_place_outside_the_administrators_area_is_refused() {
    let book = Workbook::from_grids(vec![grid(
        SheetKind::Places,
        &[&["平阳县", "昆阳镇", "城东村", ""]],
    )]);
    let (_, problems) = plan(&book, &facts());
    let lines: Vec<String> = problems
        .iter()
        .map(|p| p.line(Lang::Zh).to_string())
        .collect();
    assert_eq!(lines, ["地点 第 2 行 县（市、区）：不在您的管辖范围内"]);
}

#[test]
fn days_are_read_as_offices_write_them() {
    let d = NaiveDate::from_ymd_opt(2024, 3, 15);
    for typed in [
        "2024-03-15",
        "2024/3/15",
        "2024年3月15日",
        "20240315",
        "2024.3.15",
    ] {
        assert_eq!(parse_day(typed), d, "{typed}");
    }
    assert_eq!(parse_day("2024-02-30"), None);
    assert_eq!(parse_day("15/03/2024"), None);
}
