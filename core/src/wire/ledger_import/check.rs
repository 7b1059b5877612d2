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

    fn place_row(&mut self, row: &mut Row) {
        let county = row.text(col::COUNTY, MAX_NAME);
        let township = row.text(col::TOWNSHIP, MAX_NAME);
        let village = row.text(col::VILLAGE, MAX_NAME);
        let group = row.text(col::GROUP, MAX_NAME);
        let (Some(county), Some(township), Some(village), Some(group)) =
            (county, township, village, group)
        else {
            return;
        };
        let before = self.plan.places.len();
        let Some(county) = self.find_or_add(row, col::COUNTY, "county", None, &county) else {
            return;
        };
        let Some(township) =
            self.find_or_add(row, col::TOWNSHIP, "township", Some(&county), &township)
        else {
            return;
        };
        if village.is_empty() {
            self.count_already(before, |c| &mut c.places);
            return;
        }
        let Some(village) =
            self.find_or_add(row, col::VILLAGE, "village", Some(&township), &village)
        else {
            return;
        };
        if !group.is_empty() {
            let has = self
                .place(&village)
                .is_some_and(|p| p.groups.contains(&group));
            if !has {
                if !self.in_scope(&village) {
                    row.fail(col::GROUP, Fault::OutOfScope);
                    return;
                }
                if let Some(p) = self.places.iter_mut().find(|p| p.id == village) {
                    p.groups.push(group.clone());
                }
                self.plan.groups.push((village, group));
                return;
            }
        }
        self.count_already(before, |c| &mut c.places);
    }

    /// Counts the row as already there when it added nothing since `before`.
    fn count_already(&mut self, before: usize, field: impl Fn(&mut Counts) -> &mut u32) {
        if self.plan.places.len() == before {
            *field(&mut self.plan.already) += 1;
        }
    }

    /// The village (township, village) of a file's or an assignment's row, in the
    /// administrator's area.
    fn village_of(&self, row: &mut Row) -> Option<String> {
        let township = row.raw(col::TOWNSHIP).to_owned();
        let village = row.raw(col::VILLAGE).to_owned();
        if township.is_empty() || village.is_empty() {
            // `text` already said which is missing.
            return None;
        }
        let townships: Vec<&KnownPlace> = self
            .places
            .iter()
            .filter(|p| p.kind == "township" && p.name == township)
            .collect();
        if townships.is_empty() {
            row.fail(col::TOWNSHIP, Fault::UnknownPlace);
            return None;
        }
        let villages: Vec<String> = self
            .places
            .iter()
            .filter(|p| {
                p.kind == "village"
                    && p.name == village
                    && townships.iter().any(|t| Some(&t.id) == p.parent.as_ref())
            })
            .map(|p| p.id.clone())
            .collect();
        if villages.is_empty() {
            row.fail(col::VILLAGE, Fault::UnknownVillage);
            return None;
        }
        let ours: Vec<String> = villages.into_iter().filter(|v| self.in_scope(v)).collect();
        match ours.as_slice() {
            [one] => Some(one.clone()),
            [] => {
                row.fail(col::VILLAGE, Fault::OutOfScope);
                None
            }
            _ => {
                row.fail(col::VILLAGE, Fault::AmbiguousPlace);
                None
            }
        }
    }

    /// An account's place: the county, and below it the township and village where filled.
    fn account_place(&self, row: &mut Row) -> Option<String> {
        let mut at: Option<String> = None;
        for (column, kind) in [
            (col::COUNTY, "county"),
            (col::TOWNSHIP, "township"),
            (col::VILLAGE, "village"),
        ] {
            let name = row.raw(column).to_owned();
            if name.is_empty() {
                break;
            }
            let found = self.named(kind, at.as_deref(), &name);
            match found.as_slice() {
                [one] => at = Some(one.clone()),
                [] if kind == "village" => {
                    row.fail(column, Fault::UnknownVillage);
                    return None;
                }
                [] => {
                    row.fail(column, Fault::UnknownPlace);
                    return None;
                }
                _ => {
                    row.fail(column, Fault::AmbiguousPlace);
                    return None;
                }
            }
        }
        let place = at?;
        if !self.in_scope(&place) {
            row.fail(col::COUNTY, Fault::OutOfScope);
            return None;
        }
        Some(place)
    }

    fn account_row(&mut self, row: &mut Row) {
        let username = row.text(col::USERNAME, 32).unwrap_or_default();
        let shaped = (3..=32).contains(&username.len())
            && username
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if !username.is_empty() && !shaped {
            row.fail(col::USERNAME, Fault::UsernameShape);
        }
        if shaped {
            if let Some(first_row) = self.usernames.get(&username) {
                row.fail(
                    col::USERNAME,
                    Fault::DuplicateUsername {
                        first_row: *first_row,
                    },
                );
            } else {
                self.usernames.insert(username.clone(), row.number);
            }
        }
        let name = row.text(col::NAME, MAX_NAME);
        let role = row.required_choice::<Role>(col::ROLE);
        let title = row.choice::<LegalTitle>(col::LEGAL_TITLE);
        match (role, title) {
            (Some(Role::Legal), Some(None)) => row.fail(col::LEGAL_TITLE, Fault::LegalTitleMissing),
            (Some(r), Some(Some(_))) if r != Role::Legal => {
                row.fail(col::LEGAL_TITLE, Fault::LegalTitleNotLegal)
            }
            _ => {}
        }
        let place = self.account_place(row);
        let (Some(name), Some(role), Some(title), Some(place)) = (name, role, title, place) else {
            return;
        };
        if !row.problems.is_empty() {
            return;
        }
        let new = NewAccount {
            id: format!("u-{username}"),
            username,
            display_name: name,
            role,
            place_id: place,
            legal_title: title,
        };
        match self
            .facts
            .accounts
            .iter()
            .find(|a| a.username == new.username)
        {
            Some(known)
                if known.display_name == new.display_name
                    && known.role == Some(new.role)
                    && known.place_id == new.place_id
                    && known.legal_title == new.legal_title =>
            {
                self.plan.already.accounts += 1;
            }
            Some(_) => row.fail(col::USERNAME, Fault::UsernameTaken),
            None => self.plan.accounts.push(new),
        }
    }

    fn file_row(&mut self, row: &mut Row) {
        let name = row.text(col::NAME, MAX_NAME);
        let sex = row.required_choice::<Sex>(col::SEX);
        let this_year = i64::from(self.facts.today.year());
        let birth_year = row.number(col::BIRTH_YEAR, 1900, this_year);
        let id_number = self.id_number(row);
        let phone = row.text(col::PHONE, MAX_PHONE);
        row.text(col::TOWNSHIP, MAX_NAME);
        row.text(col::VILLAGE, MAX_NAME);
        let village = self.village_of(row);
        let group = row.text(col::GROUP, MAX_NAME);
        if let (Some(v), Some(g)) = (&village, &group)
            && !g.is_empty()
            && !self.place(v).is_some_and(|p| p.groups.contains(g))
        {
            row.fail(col::GROUP, Fault::UnknownGroup);
        }
        let address = row.text(col::ADDRESS, MAX_SHORT);
        let household = row.text(col::HOUSEHOLD, MAX_TEXT);
        let tags = row.text(col::TAGS, MAX_SHORT);
        let summary = row.text(col::SUMMARY, MAX_TEXT);
        let category = row.required_choice::<Category>(col::CATEGORY);
        let since = self.since(row);
        let channel = row.required_choice::<Channel>(col::CHANNEL);
        let classification = row.required_choice::<Classification>(col::CLASSIFICATION);
        let level = row.required_choice::<Level>(col::LEVEL);
        let flags = self.flags(row);
        let resolution = row.required_choice::<Resolution>(col::RESOLUTION);
        let case_leader = row.text(col::CASE_LEADER, MAX_SHORT);
        let visits = row.number(col::VISITS_BEFORE, 0, MAX_VISITS_BEFORE);
        if !row.problems.is_empty() {
            return;
        }
        let (
            Some(name),
            Some(sex),
            Some(birth_year),
            Some(id_number),
            Some(phone),
            Some(village_id),
            Some(group),
            Some(address),
            Some(household),
            Some(tags),
            Some(summary),
            Some(category),
            Some(since),
            Some(channel),
            Some(classification),
            Some(level_reached),
            Some(flags),
            Some(resolution),
            Some(case_leader),
            Some(visits),
        ) = (
            name,
            sex,
            birth_year,
            id_number,
            phone,
            village,
            group,
            address,
            household,
            tags,
            summary,
            category,
            since,
            channel,
            classification,
            level,
            flags,
            resolution,
            case_leader,
            visits,
        )
        else {
            return;
        };
        let known = self.facts.files.iter().find(|f| match &id_number {
            Some(id) => f.id_number.as_ref() == Some(id),
            None => f.id_number.is_none() && f.village_id == village_id && f.name == name,
        });
        match known {
            Some(f) if f.name == name && f.village_id == village_id => {
                self.plan.already.files += 1;
                return;
            }
            Some(_) => {
                row.fail(col::ID_NUMBER, Fault::DuplicateIdInDatabase);
                return;
            }
            None => {}
        }
        let file = PetitionerFile {
            id: FileId(String::new()),
            name,
            sex,
            birth_year: birth_year.and_then(|y| i32::try_from(y).ok()),
            phone: (!phone.is_empty()).then_some(phone),
            township: row.raw(col::TOWNSHIP).to_owned(),
            village: row.raw(col::VILLAGE).to_owned(),
            group,
            address,
            household,
            tags: split_list(&tags).into_iter().map(str::to_owned).collect(),
            matter: Matter {
                summary,
                category,
                since,
                channel,
                classification,
                level_reached,
                flags,
                resolution,
                case_leader: (!case_leader.is_empty()).then_some(case_leader),
                visits_before_app: visits.and_then(|v| u32::try_from(v).ok()).unwrap_or(0),
                accused: Vec::new(),
            },
            id_number,
        };
        self.plan.files.push(NewFile { village_id, file });
    }

    /// The normalised ID number, `Some(None)` when the cell is empty, `None` after a problem.
    /// An ID number twice in the sheet is a problem on its second row.
    fn id_number(&mut self, row: &mut Row) -> Option<Option<String>> {
        let typed = row.raw(col::ID_NUMBER).to_owned();
        if typed.is_empty() {
            return Some(None);
        }
        let id = match id_number::parse(&typed) {
            Ok(id) => id,
            Err(e) => {
                let fault = match e {
                    IdNumberError::Format => Fault::IdFormat,
                    IdNumberError::BirthDate => Fault::IdBirthDate,
                    IdNumberError::CheckDigit => Fault::IdCheckDigit,
                };
                row.fail(col::ID_NUMBER, fault);
                return None;
            }
        };
        if let Some(first) = self.id_rows.get(&id) {
            row.fail(
                col::ID_NUMBER,
                Fault::DuplicateIdInSheet { first_row: *first },
            );
            return None;
        }
        self.id_rows.insert(id.clone(), row.number);
        Some(Some(id))
    }

    fn since(&self, row: &mut Row) -> Option<NaiveDate> {
        let typed = row.raw(col::SINCE).to_owned();
        if typed.is_empty() {
            row.fail(col::SINCE, Fault::Required);
            return None;
        }
        match parse_day(&typed) {
            Some(day) if day > self.facts.today => {
                row.fail(col::SINCE, Fault::FutureDate);
                None
            }
            Some(day) if day.year() >= EARLIEST_SINCE => Some(day),
            _ => {
                row.fail(col::SINCE, Fault::ImpossibleDate);
                None
            }
        }
    }

    fn flags(&self, row: &mut Row) -> Option<Vec<MatterFlag>> {
        let typed = row.raw(col::FLAGS).to_owned();
        let mut flags = Vec::new();
        for part in split_list(&typed) {
            match find_choice::<MatterFlag>(part) {
                Some(f) if !flags.contains(&f) => flags.push(f),
                Some(_) => {}
                None => {
                    row.fail(col::FLAGS, not_a_choice::<MatterFlag>());
                    return None;
                }
            }
        }
        Some(flags)
    }

    fn assignment_row(&mut self, row: &mut Row) {
        let petitioner = row.text(col::PETITIONER, MAX_NAME);
        let username = row.text(col::USERNAME, 32);
        let duty = row.text(col::DUTY, MAX_SHORT);
        let duty = match duty.as_deref() {
            Some("责任干部") => Some(Duty::Cadre),
            Some("包案领导") => Some(Duty::Leader),
            Some("") | None => None,
            Some(_) => {
                row.fail(
                    col::DUTY,
                    Fault::NotAChoice {
                        choices: "责任干部、包案领导".into(),
                    },
                );
                None
            }
        };
        let file = petitioner.and_then(|name| self.file_of(row, &name));
        let account = username.and_then(|u| self.account_of(row, &u));
        let (Some(file), Some((account, role, place)), Some(duty)) = (file, account, duty) else {
            return;
        };
        let village = match &file {
            FileRef::New(i) => self.plan.files[*i].village_id.clone(),
            FileRef::Stored(id) => self
                .facts
                .files
                .iter()
                .find(|f| &f.id == id)
                .map(|f| f.village_id.clone())
                .unwrap_or_default(),
        };
        match duty {
            Duty::Cadre if !matches!(role, Some(Role::Cadre | Role::Legal)) => {
                row.fail(
                    col::USERNAME,
                    Fault::WrongRole {
                        need: "干部或法律服务团队成员",
                    },
                );
                return;
            }
            Duty::Leader if role != Some(Role::Supervisor) => {
                row.fail(
                    col::USERNAME,
                    Fault::WrongRole {
                        need: "督办人员"
                    },
                );
                return;
            }
            Duty::Leader if !self.above_or_at(&place, &village) => {
                row.fail(col::USERNAME, Fault::LeaderElsewhere);
                return;
            }
            _ => {}
        }
        let stored = |pairs: &[(String, String)]| match &file {
            FileRef::Stored(id) => pairs.iter().any(|(f, a)| f == id && a == &account),
            FileRef::New(_) => false,
        };
        match duty {
            Duty::Cadre => {
                if stored(&self.facts.assignments)
                    || self
                        .plan
                        .assignments
                        .contains(&(file.clone(), account.clone()))
                {
                    self.plan.already.assignments += 1;
                } else {
                    self.plan.assignments.push((file, account));
                }
            }
            Duty::Leader => {
                let planned = self
                    .plan
                    .leaders
                    .iter()
                    .any(|(f, a, _)| f == &file && a == &account);
                if stored(&self.facts.leaders) || planned {
                    self.plan.already.leaders += 1;
                } else {
                    let name = self.display_name(&account);
                    self.plan.leaders.push((file, account, name));
                }
            }
        }
    }

    /// Whether `place` is `village`, its township or its county.
    fn above_or_at(&self, place: &str, village: &str) -> bool {
        let mut at = Some(village.to_owned());
        for _ in 0..3 {
            match at {
                Some(ref here) if here == place => return true,
                Some(ref here) => at = self.place(here).and_then(|p| p.parent.clone()),
                None => return false,
            }
        }
        false
    }

    fn display_name(&self, account: &str) -> String {
        self.plan
            .accounts
            .iter()
            .find(|a| a.id == account)
            .map(|a| a.display_name.clone())
            .or_else(|| {
                self.facts
                    .accounts
                    .iter()
                    .find(|a| a.id == account)
                    .map(|a| a.display_name.clone())
            })
            .unwrap_or_default()
    }

    /// The file an assignment names: by ID number when given, else by name and village; a new
    /// file of this import first, then one stored in the administrator's area.
    fn file_of(&self, row: &mut Row, name: &str) -> Option<FileRef> {
        let typed = row.raw(col::ID_NUMBER).to_owned();
        let by_id = if typed.is_empty() {
            None
        } else {
            match id_number::parse(&typed) {
                Ok(id) => Some(id),
                Err(_) => {
                    row.fail(col::ID_NUMBER, Fault::IdFormat);
                    return None;
                }
            }
        };
        let village = self.village_of(row)?;
        let new = self.plan.files.iter().position(|f| match &by_id {
            Some(id) => f.file.id_number.as_ref() == Some(id),
            None => f.village_id == village && f.file.name == name,
        });
        if let Some(i) = new {
            return Some(FileRef::New(i));
        }
        let stored = self.facts.files.iter().find(|f| {
            f.village_id == village
                && f.name == name
                && by_id
                    .as_ref()
                    .is_none_or(|id| f.id_number.as_ref() == Some(id))
        });
        match stored {
            Some(f) => Some(FileRef::Stored(f.id.clone())),
            None => {
                row.fail(col::PETITIONER, Fault::UnknownFile);
                None
            }
        }
    }

    /// The account an assignment names: (id, role, place), from the 账号 sheet or the database.
    fn account_of(&self, row: &mut Row, username: &str) -> Option<(String, Option<Role>, String)> {
        if let Some(a) = self.plan.accounts.iter().find(|a| a.username == username) {
            return Some((a.id.clone(), Some(a.role), a.place_id.clone()));
        }
        match self.facts.accounts.iter().find(|a| a.username == username) {
            Some(a) if self.in_scope(&a.place_id) => {
                Some((a.id.clone(), a.role, a.place_id.clone()))
            }
            _ => {
                row.fail(col::USERNAME, Fault::UnknownAccount);
                None
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Duty {
    Cadre,
    Leader,
}
