//! What the server holds after phones synced: every file's timeline as its cadre reads it, and
//! the check that it is exactly the demo records plus what the phones saved.

use super::phone::{Cadre, Phone, Reply, call, login_body};
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use xiafang_core::session::LoginResponse;
use xiafang_core::{Record, RecordId, verdict::Outcome};

pub const CADRES: [Cadre; 2] = [
    Cadre {
        username: "wangjg",
        id: "u-wangjg",
        name: "王建国",
        files: ["file-guo", "file-pan", "file-zhou"],
    },
    Cadre {
        username: "lixm",
        id: "u-lixm",
        name: "李晓梅",
        files: ["file-huang", "file-yang", "file-lei"],
    },
];

pub fn expect<T>(answer: Reply<T>, what: &str) -> T {
    match answer {
        Reply::Ok(value) => value,
        Reply::SignedOut => panic!("{what}: 401"),
        Reply::Nothing(why) => panic!("{what}: {why}"),
    }
}

/// Every file's timeline as its cadre reads it, straight from the server (not through the proxy).
pub async fn timelines(server: SocketAddr) -> HashMap<&'static str, Vec<Record>> {
    let mut timelines = HashMap::new();
    for cadre in &CADRES {
        let login: LoginResponse = expect(
            call(server, "POST", "/api/login", None, Some(login_body(cadre))).await,
            &format!("sign in as {}", cadre.username),
        );
        for file in cadre.files {
            let path = format!("/api/files/{file}/records");
            let records = expect(
                call(server, "GET", &path, Some(&login.token), None).await,
                &format!("read {file}"),
            );
            timelines.insert(file, records);
        }
    }
    timelines
}

/// Each file holds its demo records plus exactly the phones' records for it: none missing, none
/// unexpected, none twice, each equal to what was saved.
pub fn check_server_holds_exactly_what_phones_saved(
    before: &HashMap<&'static str, Vec<Record>>,
    after: &HashMap<&'static str, Vec<Record>>,
    phones: &[Phone],
) {
    for phone in phones {
        assert_eq!(phone.saved.len(), phone.quota);
        for record in &phone.saved {
            assert_eq!(
                phone.outcomes.get(&record.id),
                Some(&Outcome::Stored),
                "phone {}: record {} was not acknowledged as stored",
                phone.index,
                record.id
            );
        }
    }
    for (file, stored) in after {
        let mut expected: HashMap<RecordId, &Record> =
            before[file].iter().map(|r| (r.id, r)).collect();
        for record in phones.iter().flat_map(|p| &p.saved) {
            if record.file_id.0 == *file {
                assert!(
                    expected.insert(record.id, record).is_none(),
                    "test bug: id {} saved twice",
                    record.id
                );
            }
        }
        let mut seen = HashSet::new();
        for record in stored {
            assert!(seen.insert(record.id), "{file}: {} stored twice", record.id);
        }
        let lost: Vec<&RecordId> = expected.keys().filter(|id| !seen.contains(*id)).collect();
        let unexpected: Vec<&RecordId> = seen
            .iter()
            .filter(|id| !expected.contains_key(*id))
            .collect();
        assert!(
            lost.is_empty() && unexpected.is_empty(),
            "{file}: lost {lost:?}, unexpected {unexpected:?}"
        );
        for record in stored {
            assert_eq!(
                record, expected[&record.id],
                "{file}: record {} changed on the way",
                record.id
            );
        }
    }
    for phone in phones {
        for record in &phone.saved {
            let timeline = &after[record.file_id.0.as_str()];
            assert!(
                timeline.iter().any(|r| r.id == record.id),
                "phone {}: record {} missing from the timeline of {}",
                phone.index,
                record.id,
                record.file_id
            );
        }
    }
}
