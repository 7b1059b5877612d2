//! The 信访人档案 sheet: a petitioner and the matter per row.

use super::*;

impl Run<'_> {
    pub(super) fn file_row(&mut self, row: &mut Row) {
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
        let since = self.past_day(row, col::SINCE);
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
    pub(super) fn id_number(&mut self, row: &mut Row) -> Option<Option<String>> {
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

    pub(super) fn flags(&self, row: &mut Row) -> Option<Vec<MatterFlag>> {
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
}
