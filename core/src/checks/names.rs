//! The names of our own accounts on a record (its author, who joined a visit, whom a file was
//! referred to, the case-owning leader) are the server's, not the phone's: these are the only
//! fields that name an account by id and name. Free-text names (petitioners, parties, signers)
//! are what people typed and stay as written.

use crate::base::ids::UserId;
use crate::records::record::{Record, RecordBody};
use crate::records::supervision::Supervision;

impl Record {
    /// Every account the record names by id, author first.
    pub fn named_accounts(&self) -> Vec<&UserId> {
        let mut ids = vec![&self.author];
        match &self.body {
            RecordBody::Visit(v) => ids.extend(v.joined.iter().map(|m| &m.id)),
            RecordBody::Referral(r) => ids.push(&r.to),
            RecordBody::Supervision(Supervision::Leader {
                account: Some(id), ..
            }) => ids.push(id),
            _ => {}
        }
        ids
    }

    /// The record with each account name set from `name_of` (the server's own names). An id
    /// `name_of` does not know keeps the name as sent; such a record is refused by the upload's
    /// judgement anyway, or, for a case-owning leader outside our accounts, is a plain name.
    /// Run before a record is compared or stored, so a retry carrying the phone's original
    /// names is still the same record.
    pub fn with_account_names(mut self, name_of: impl Fn(&UserId) -> Option<String>) -> Record {
        let set = |name: &mut String, id: &UserId| {
            if let Some(known) = name_of(id) {
                *name = known;
            }
        };
        set(&mut self.author_name, &self.author);
        match &mut self.body {
            RecordBody::Visit(v) => v.joined.iter_mut().for_each(|m| set(&mut m.name, &m.id)),
            RecordBody::Referral(r) => set(&mut r.to_name, &r.to),
            RecordBody::Supervision(Supervision::Leader {
                name,
                account: Some(id),
                ..
            }) => set(name, id),
            _ => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use crate::base::ids::UserId;
    use crate::fixtures;
    use crate::records::record::{RecordBody, TeamMember};
    use crate::records::supervision::Supervision;

    fn server_name(id: &UserId) -> Option<String> {
        (id.0 != "stranger").then(|| format!("{} (server)", id.0))
    }

    #[test]
    fn account_names_come_from_the_server_and_free_text_stays() {
        let mut visit = fixtures::visit("f1", "wang");
        visit.author_name = "县委书记".into();
        if let RecordBody::Visit(v) = &mut visit.body {
            v.joined = vec![
                TeamMember {
                    id: "law".into(),
                    name: "假名".into(),
                },
                TeamMember {
                    id: "stranger".into(),
                    name: "路人".into(),
                },
            ];
        }
        let named: Vec<&str> = visit
            .named_accounts()
            .iter()
            .map(|u| u.0.as_str())
            .collect();
        assert_eq!(named, ["wang", "law", "stranger"]);
        let fixed = visit.clone().with_account_names(server_name);
        assert_eq!(fixed.author_name, "wang (server)");
        let RecordBody::Visit(v) = &fixed.body else {
            unreachable!()
        };
        let joined: Vec<&str> = v.joined.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(joined, ["law (server)", "路人"]);
        assert_eq!(v.participants, ["王建国（驻村干部）", "李律师（法律顾问）"]);

        let mut referral = fixtures::referral("f1", "wang", "law");
        referral = referral.with_account_names(server_name);
        let RecordBody::Referral(r) = &referral.body else {
            unreachable!()
        };
        assert_eq!(r.to_name, "law (server)");

        let leader = |account: Option<&str>| {
            let s = Supervision::Leader {
                name: "张书记".into(),
                account: account.map(UserId::from),
                post: String::new(),
                unit: String::new(),
                responsible: String::new(),
            };
            let r = fixtures::supervision("f1", "sup", s).with_account_names(server_name);
            match r.body {
                RecordBody::Supervision(Supervision::Leader { name, .. }) => name,
                _ => unreachable!(),
            }
        };
        assert_eq!(leader(Some("boss")), "boss (server)");
        assert_eq!(
            leader(None),
            "张书记",
            "a leader without an account is free text"
        );

        let mut note = fixtures::note("f1", "wang");
        note.author_name = "别人".into();
        let fixed = note.clone().with_account_names(server_name);
        assert_eq!(fixed.body, note.body, "the speaker is what was typed");
        assert_eq!(fixed.author_name, "wang (server)");
    }
}
