//! The demo world as a filled-in import workbook, made from the very data the demo loads
//! (`demo::demo()`), so the example can never drift from the template: `server/tests/import.rs`
//! imports it into an empty database and finds the demo's places, accounts, files and
//! assignments.

use crate::demo::{Demo, DemoPlace};
use xiafang_core::Lang;
use xiafang_core::ledger_import::{SheetKind, Workbook, col, columns};

/// The demo's places, accounts, files, assignments and visits as the template's rows.
/// Passwords, the legal team's villages and the other records (steps, notes…) are not in the
/// template; a visit's time of day, joined members and evaluation are not either.
pub fn demo_workbook(demo: &Demo) -> Workbook {
    let place = |id: &str| demo.places.iter().find(|p| p.id == id);
    // County, township and village names of a place, from the top.
    let path = |id: &str| -> [String; 3] {
        let mut names = Vec::new();
        let mut at = place(id);
        while let Some(p) = at {
            names.push(p.name.clone());
            at = p.parent.as_deref().and_then(place);
        }
        names.reverse();
        names.resize(3, String::new());
        [names[0].clone(), names[1].clone(), names[2].clone()]
    };
    let mut places = Vec::new();
    for p in demo.places.iter().filter(|p| is_leaf(demo, p)) {
        let [county, township, village] = path(&p.id);
        let groups = if p.groups.is_empty() {
            vec![String::new()]
        } else {
            p.groups.clone()
        };
        for group in groups {
            places.push(row(SheetKind::Places, |c| match c {
                col::COUNTY => county.clone(),
                col::TOWNSHIP => township.clone(),
                col::VILLAGE => village.clone(),
                col::GROUP => group.clone(),
                _ => String::new(),
            }));
        }
    }
    let accounts = demo
        .accounts
        .iter()
        .map(|a| {
            let [county, township, village] = path(&a.place);
            row(SheetKind::Accounts, |c| match c {
                col::USERNAME => a.username.clone(),
                col::NAME => a.display_name.clone(),
                col::ROLE => a.role.label(Lang::Zh).to_owned(),
                col::LEGAL_TITLE => a
                    .legal_title
                    .map(|t| t.label(Lang::Zh).to_owned())
                    .unwrap_or_default(),
                col::COUNTY => county.clone(),
                col::TOWNSHIP => township.clone(),
                col::VILLAGE => village.clone(),
                _ => String::new(),
            })
        })
        .collect();
    let files = demo
        .files
        .iter()
        .map(|f| {
            let p = &f.file;
            let m = &p.matter;
            row(SheetKind::Files, |c| match c {
                col::NAME => p.name.clone(),
                col::SEX => p.sex.label(Lang::Zh).to_owned(),
                col::BIRTH_YEAR => p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                col::ID_NUMBER => p.id_number.clone().unwrap_or_default(),
                col::PHONE => p.phone.clone().unwrap_or_default(),
                col::TOWNSHIP => p.township.clone(),
                col::VILLAGE => p.village.clone(),
                col::GROUP => p.group.clone(),
                col::ADDRESS => p.address.clone(),
                col::HOUSEHOLD => p.household.clone(),
                col::TAGS => p.tags.join("、"),
                col::SUMMARY => m.summary.clone(),
                col::CATEGORY => m.category.label(Lang::Zh).to_owned(),
                col::SINCE => m.since.to_string(),
                col::CHANNEL => m.channel.label(Lang::Zh).to_owned(),
                col::CLASSIFICATION => m.classification.label(Lang::Zh).to_owned(),
                col::LEVEL => m.level_reached.label(Lang::Zh).to_owned(),
                col::FLAGS => m
                    .flags
                    .iter()
                    .map(|f| f.label(Lang::Zh))
                    .collect::<Vec<_>>()
                    .join("、"),
                col::RESOLUTION => m.resolution.label(Lang::Zh).to_owned(),
                col::CASE_LEADER => m.case_leader.clone().unwrap_or_default(),
                col::VISITS_BEFORE => m.visits_before_app.to_string(),
                _ => String::new(),
            })
        })
        .collect();
    let mut assignments = Vec::new();
    for f in &demo.files {
        for account in &f.assigned {
            let Some(a) = demo.accounts.iter().find(|a| &a.id == account) else {
                continue;
            };
            assignments.push(row(SheetKind::Assignments, |c| match c {
                col::PETITIONER => f.file.name.clone(),
                col::ID_NUMBER => f.file.id_number.clone().unwrap_or_default(),
                col::TOWNSHIP => f.file.township.clone(),
                col::VILLAGE => f.file.village.clone(),
                col::USERNAME => a.username.clone(),
                col::DUTY => "责任干部".to_owned(),
                _ => String::new(),
            }));
        }
    }
    let mut visits = Vec::new();
    for r in demo.records.iter().filter(|r| r.amends.is_none()) {
        let xiafang_core::RecordBody::Visit(v) = &r.body else {
            continue;
        };
        let (Some(f), Some(a)) = (
            demo.files.iter().find(|f| f.file.id == r.file_id),
            demo.accounts.iter().find(|a| a.id == r.author.0),
        ) else {
            continue;
        };
        visits.push(row(SheetKind::Visits, |c| match c {
            col::PETITIONER => f.file.name.clone(),
            col::ID_NUMBER => f.file.id_number.clone().unwrap_or_default(),
            col::TOWNSHIP => f.file.township.clone(),
            col::VILLAGE => f.file.village.clone(),
            col::VISIT_DATE => r.occurred_at.date().to_string(),
            col::VISIT_KIND => v.kind.label(Lang::Zh).to_owned(),
            col::VISIT_PLACE => v.place.clone(),
            col::PARTICIPANTS => v.participants.join("、"),
            col::RECORDER => a.username.clone(),
            col::REQUESTS => v.requests.clone(),
            col::MOOD => v.mood.label(Lang::Zh).to_owned(),
            col::RISK => v.risk.label(Lang::Zh).to_owned(),
            col::EXPLAINED => v.explained.clone(),
            col::MEASURES => v.measures.clone(),
            col::NEXT_STEP => v.next_step.clone(),
            _ => String::new(),
        }));
    }
    let header = |kind: SheetKind| -> Vec<String> {
        columns(kind).iter().map(|c| c.name.to_owned()).collect()
    };
    Workbook::from_grids(
        [
            (SheetKind::Places, places),
            (SheetKind::Accounts, accounts),
            (SheetKind::Files, files),
            (SheetKind::Assignments, assignments),
            (SheetKind::Visits, visits),
        ]
        .into_iter()
        .map(|(kind, rows)| (kind, std::iter::once(header(kind)).chain(rows).collect()))
        .collect(),
    )
}

/// A place no other place names as its parent: a village, or a township without villages.
fn is_leaf(demo: &Demo, p: &DemoPlace) -> bool {
    p.kind != "county" && !demo.places.iter().any(|c| c.parent.as_ref() == Some(&p.id))
}

/// One row of `kind`, each column's cell from `cell`.
fn row(kind: SheetKind, cell: impl Fn(&str) -> String) -> Vec<String> {
    columns(kind).iter().map(|c| cell(c.name)).collect()
}

/// The empty template: the header rows only.
pub fn empty_template() -> Workbook {
    Workbook::from_grids(
        SheetKind::ALL
            .iter()
            .map(|k| {
                let header = columns(*k).iter().map(|c| c.name.to_owned()).collect();
                (*k, vec![header])
            })
            .collect(),
    )
}
