//! The 地点 sheet, and finding the places other sheets name.

use super::*;

impl Run<'_> {
    pub(super) fn place_row(&mut self, row: &mut Row) {
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
    pub(super) fn count_already(&mut self, before: usize, field: impl Fn(&mut Counts) -> &mut u32) {
        if self.plan.places.len() == before {
            *field(&mut self.plan.already) += 1;
        }
    }

    /// The village (township, village) of a file's or an assignment's row, in the
    /// administrator's area.
    pub(super) fn village_of(&self, row: &mut Row) -> Option<String> {
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
    pub(super) fn account_place(&self, row: &mut Row) -> Option<String> {
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
}
