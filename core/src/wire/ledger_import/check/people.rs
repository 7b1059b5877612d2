//! The 账号 and 分派 sheets: accounts, and who is assigned to which file.

use super::*;

impl Run<'_> {
    pub(super) fn account_row(&mut self, row: &mut Row) {
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

    pub(super) fn assignment_row(&mut self, row: &mut Row) {
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
    pub(super) fn above_or_at(&self, place: &str, village: &str) -> bool {
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

    pub(super) fn display_name(&self, account: &str) -> String {
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
    pub(super) fn file_of(&self, row: &mut Row, name: &str) -> Option<FileRef> {
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
    pub(super) fn account_of(
        &self,
        row: &mut Row,
        username: &str,
    ) -> Option<(String, Option<Role>, String)> {
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
