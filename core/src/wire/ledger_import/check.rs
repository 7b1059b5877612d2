//! The dry run: every row of every sheet checked against the template, the database's facts and
//! the rows before it, giving either what to store or every problem by sheet, row and column.

use super::{
    Counts, Facts, Fault, FileRef, ImportProblem, KnownPlace, NewAccount, NewFile, NewPlace, Plan,
    Sheet, SheetKind, Workbook, col, columns,
};
use crate::base::ids::FileId;
use crate::base::labeled::Labeled;
use crate::base::lang::Lang;
use crate::checks::validation::{
    MAX_NAME, MAX_PHONE, MAX_SHORT, MAX_TEXT, has_control_characters, has_markup,
};
use crate::records::account::{LegalTitle, Role};
use crate::records::file::{
    Category, Channel, Classification, Level, Matter, MatterFlag, PetitionerFile, Resolution, Sex,
};
use crate::records::id_number::{self, IdNumberError};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

mod files;
mod people;
mod places;
mod visits;

/// The earliest first petition a file may name: the People's Republic's first year.
const EARLIEST_SINCE: i32 = 1949;
/// Visits on paper before the file came into Xiafang.
const MAX_VISITS_BEFORE: i64 = 10_000;

/// What importing `book` would store, and every problem found. Store the plan only when there
/// are no problems.
pub fn plan(book: &Workbook, facts: &Facts) -> (Plan, Vec<ImportProblem>) {
    let mut run = Run {
        facts,
        places: facts.places.clone(),
        plan: Plan::default(),
        problems: Vec::new(),
        usernames: HashMap::new(),
        id_rows: HashMap::new(),
        visit_keys: std::collections::HashSet::new(),
    };
    for kind in SheetKind::ALL {
        let Some(sheet) = book.sheet(*kind) else {
            continue;
        };
        let Some(index) = run.headers(*kind, sheet) else {
            continue;
        };
        for (i, cells) in sheet.rows.iter().enumerate() {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let mut row = Row {
                sheet: *kind,
                number: u32::try_from(i + 2).unwrap_or(u32::MAX),
                index: &index,
                cells,
                problems: Vec::new(),
            };
            match kind {
                SheetKind::Places => run.place_row(&mut row),
                SheetKind::Accounts => run.account_row(&mut row),
                SheetKind::Files => run.file_row(&mut row),
                SheetKind::Assignments => run.assignment_row(&mut row),
                SheetKind::Visits => run.visit_row(&mut row),
            }
            run.problems.append(&mut row.problems);
        }
    }
    (run.plan, run.problems)
}

struct Run<'f> {
    facts: &'f Facts,
    /// The database's places and those the 地点 sheet adds.
    places: Vec<KnownPlace>,
    plan: Plan,
    problems: Vec<ImportProblem>,
    /// Each user name of the 账号 sheet and the row it is on.
    usernames: HashMap<String, u32>,
    /// Each ID number of the 信访人档案 sheet and the row it is on.
    id_rows: HashMap<String, u32>,
    /// The visits of the 走访记录 sheet so far, by file, recorder, time, kind and what was said.
    visit_keys: std::collections::HashSet<(FileRef, String, String, String, String)>,
}

/// One row being read: its cells by column, and the problems found so far.
struct Row<'a> {
    sheet: SheetKind,
    number: u32,
    index: &'a HashMap<&'static str, usize>,
    cells: &'a [String],
    problems: Vec<ImportProblem>,
}

impl Row<'_> {
    fn raw(&self, column: &'static str) -> &str {
        self.index
            .get(column)
            .and_then(|&i| self.cells.get(i))
            .map_or("", |c| c.trim())
    }

    fn fail(&mut self, column: &'static str, fault: Fault) {
        self.problems.push(ImportProblem {
            sheet: self.sheet,
            row: self.number,
            column,
            fault,
        });
    }

    /// The cell's text when it fits: filled if required, at most `max` characters, no markup.
    fn text(&mut self, column: &'static str, max: usize) -> Option<String> {
        let value = self.raw(column).to_owned();
        let required = columns(self.sheet)
            .iter()
            .any(|c| c.name == column && c.required);
        if value.is_empty() {
            if required {
                self.fail(column, Fault::Required);
                return None;
            }
            return Some(value);
        }
        if value.chars().count() > max {
            self.fail(column, Fault::TooLong { max });
            return None;
        }
        if has_markup(&value) || has_control_characters(&value) {
            self.fail(column, Fault::Markup);
            return None;
        }
        Some(value)
    }

    /// One of a closed list of choices, by its Chinese or English label or its key.
    fn choice<T: Labeled>(&mut self, column: &'static str) -> Option<Option<T>> {
        let value = self.text(column, MAX_SHORT)?;
        if value.is_empty() {
            return Some(None);
        }
        match find_choice::<T>(&value) {
            Some(choice) => Some(Some(choice)),
            None => {
                self.fail(column, not_a_choice::<T>());
                None
            }
        }
    }

    fn required_choice<T: Labeled>(&mut self, column: &'static str) -> Option<T> {
        self.choice(column).flatten()
    }

    /// A whole number in `min..=max`, when the cell is filled.
    fn number(&mut self, column: &'static str, min: i64, max: i64) -> Option<Option<i64>> {
        let value = self.raw(column);
        if value.is_empty() {
            return Some(None);
        }
        match value.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Some(Some(n)),
            _ => {
                self.fail(column, Fault::BadNumber { min, max });
                None
            }
        }
    }
}

fn find_choice<T: Labeled>(value: &str) -> Option<T> {
    T::all().iter().copied().find(|c| {
        let zh = c.label(Lang::Zh);
        value == zh
            || value.eq_ignore_ascii_case(c.label(Lang::En))
            || value == c.key()
            || zh.split('/').any(|part| part == value)
    })
}

fn not_a_choice<T: Labeled>() -> Fault {
    let labels: Vec<&str> = T::all().iter().map(|c| c.label(Lang::Zh)).collect();
    Fault::NotAChoice {
        choices: labels.join("、"),
    }
}

/// A day as offices write it: 2024-03-15, 2024/3/15, 2024.3.15, 2024年3月15日 or 20240315.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let parts: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => (*y, *m, *d),
        [all] if all.len() == 8 => (&all[..4], &all[4..6], &all[6..]),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Several choices in one cell, separated by 、 , ， ; or ；.
fn split_list(text: &str) -> Vec<&str> {
    text.split(['、', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The id a place the import adds gets: the same place (by its parent and name) always gets the
/// same id, so a second import finds it.
fn place_id(kind: &str, parent: Option<&str>, name: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"xiafang-import-place\0")
        .chain_update(kind.as_bytes())
        .chain_update([0])
        .chain_update(parent.unwrap_or("").as_bytes())
        .chain_update([0])
        .chain_update(name.as_bytes())
        .finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("pl-{hex}")
}

impl Run<'_> {
    /// The columns of a sheet by name; `None` (and a problem per missing column) when a
    /// required one is missing.
    fn headers(&mut self, kind: SheetKind, sheet: &Sheet) -> Option<HashMap<&'static str, usize>> {
        let mut index = HashMap::new();
        let mut complete = true;
        for column in columns(kind) {
            match sheet.headers.iter().position(|h| h.trim() == column.name) {
                Some(i) => {
                    index.insert(column.name, i);
                }
                None if column.required => {
                    complete = false;
                    self.problems.push(ImportProblem {
                        sheet: kind,
                        row: 1,
                        column: column.name,
                        fault: Fault::MissingColumn,
                    });
                }
                None => {}
            }
        }
        complete.then_some(index)
    }

    /// A required day no later than today and no earlier than `EARLIEST_SINCE`.
    fn past_day(&self, row: &mut Row, column: &'static str) -> Option<NaiveDate> {
        let typed = row.raw(column).to_owned();
        if typed.is_empty() {
            row.fail(column, Fault::Required);
            return None;
        }
        match parse_day(&typed) {
            Some(day) if day > self.facts.today => {
                row.fail(column, Fault::FutureDate);
                None
            }
            Some(day) if day.year() >= EARLIEST_SINCE => Some(day),
            _ => {
                row.fail(column, Fault::ImpossibleDate);
                None
            }
        }
    }

    fn place(&self, id: &str) -> Option<&KnownPlace> {
        self.places.iter().find(|p| p.id == id)
    }

    /// Whether the importing administrator answers for `id`: it is their place or lies below it.
    fn in_scope(&self, id: &str) -> bool {
        let Some(scope) = &self.facts.scope else {
            return true;
        };
        let mut at = Some(id.to_owned());
        for _ in 0..8 {
            match at {
                Some(ref here) if here == scope => return true,
                Some(ref here) => at = self.place(here).and_then(|p| p.parent.clone()),
                None => return false,
            }
        }
        false
    }

    /// The places named `name` of `kind` under `parent` (any parent for `None` and a county).
    fn named(&self, kind: &str, parent: Option<&str>, name: &str) -> Vec<String> {
        self.places
            .iter()
            .filter(|p| p.kind == kind && p.name == name && p.parent.as_deref() == parent)
            .map(|p| p.id.clone())
            .collect()
    }

    /// The place `name` of `kind` under `parent`, added if it is not there (and may be).
    fn find_or_add(
        &mut self,
        row: &mut Row,
        column: &'static str,
        kind: &'static str,
        parent: Option<&str>,
        name: &str,
    ) -> Option<String> {
        let found = self.named(kind, parent, name);
        if let [id] = found.as_slice() {
            return Some(id.clone());
        }
        if found.len() > 1 {
            row.fail(column, Fault::AmbiguousPlace);
            return None;
        }
        // Adding a place needs the place above it (or, for a county, the whole deployment).
        let allowed = match parent {
            Some(parent) => self.in_scope(parent),
            None => self.facts.scope.is_none(),
        };
        if !allowed {
            row.fail(column, Fault::OutOfScope);
            return None;
        }
        let id = place_id(kind, parent, name);
        self.places.push(KnownPlace {
            id: id.clone(),
            name: name.to_owned(),
            kind: kind.to_owned(),
            parent: parent.map(str::to_owned),
            groups: Vec::new(),
        });
        self.plan.places.push(NewPlace {
            id: id.clone(),
            name: name.to_owned(),
            kind,
            parent: parent.map(str::to_owned),
        });
        Some(id)
    }
}
