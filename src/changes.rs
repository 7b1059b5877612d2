//! What changed in the phone's data, per file: a screen of one file reads it again when that
//! file's records or fields changed, not on every save or download anywhere; screens over many
//! files (the list, the console) read again on any change.

use crate::probe::{self, Source};
use leptos::prelude::*;
use leptos::reactive::signal::HeldSubscribers;
use std::collections::HashMap;
use xiafang_core::FileId;

/// The change signals, shared through context. Screens only listen (`file`, `any`); the forms
/// and the sync engine say what changed (`changed`, `changed_everything`).
#[derive(Clone, Copy)]
pub struct Changes {
    /// Fired by every change.
    any: Trigger,
    /// One trigger per file a screen listens to, made on first use. A change fires it and drops
    /// it: the screens still alive read again and make a new one, so a file nobody shows any
    /// more keeps no trigger after its next change.
    files: StoredValue<HashMap<FileId, ArcTrigger>>,
    /// Which files changed when, for screens that keep what they worked out per file and work
    /// out again only what changed (`since`).
    log: StoredValue<ChangeLog>,
}

/// A counter bumped by every change, and the count at which each file last changed.
#[derive(Default)]
struct ChangeLog {
    version: u64,
    everything_at: u64,
    files: HashMap<FileId, u64>,
}

/// What changed after a version a screen worked from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    Everything,
    Files(Vec<FileId>),
}

impl Changes {
    /// Creates the signals and provides them as context.
    pub fn install() -> Changes {
        let changes = Changes {
            any: Trigger::new(),
            files: StoredValue::new(HashMap::new()),
            log: StoredValue::new(ChangeLog::default()),
        };
        probe::held_by(Source::Changes, move || {
            let files = changes
                .files
                .try_with_value(|files| files.values().map(|t| t.held_subscribers()).sum())
                .unwrap_or(0);
            changes.any.held_subscribers() + files
        });
        provide_context(changes);
        changes
    }

    /// Reads again, inside a reactive read, when `file` changes.
    pub fn file(self, file: &FileId) {
        probe::tracked(Source::Changes);
        let trigger = self.files.try_update_value(|files| {
            files
                .entry(file.clone())
                .or_insert_with(ArcTrigger::new)
                .clone()
        });
        if let Some(trigger) = trigger {
            trigger.track();
        }
    }

    /// Reads again, inside a reactive read, when anything on the phone changes.
    pub fn any(self) {
        probe::tracked(Source::Changes);
        self.any.track();
    }

    /// The count of changes so far: read it before reading the phone's data, and ask `since`
    /// with it next time.
    pub fn version(self) -> u64 {
        self.log.try_with_value(|l| l.version).unwrap_or(0)
    }

    /// What changed after `version`.
    pub fn since(self, version: u64) -> Since {
        self.log
            .try_with_value(|l| {
                if l.everything_at > version {
                    return Since::Everything;
                }
                let files = l.files.iter().filter(|(_, at)| **at > version);
                Since::Files(files.map(|(f, _)| f.clone()).collect())
            })
            .unwrap_or(Since::Everything)
    }

    /// Records or fields of `file` changed on the phone.
    pub fn changed(self, file: &FileId) {
        self.changed_files([file]);
    }

    /// Some files changed (none: nothing is fired); fires each once.
    pub fn changed_files<'a>(self, files: impl IntoIterator<Item = &'a FileId>) {
        let mut any = false;
        let log = self.log;
        let fired: Vec<ArcTrigger> = self
            .files
            .try_update_value(|all| {
                files
                    .into_iter()
                    .inspect(|f| {
                        any = true;
                        log.update_value(|l| {
                            l.version += 1;
                            l.files.insert((*f).clone(), l.version);
                        });
                    })
                    .filter_map(|f| all.remove(f))
                    .collect()
            })
            .unwrap_or_default();
        for trigger in fired {
            trigger.notify();
        }
        if any {
            self.any.notify();
        }
    }

    /// Anything may have changed (another tab wrote, the phone's copy was rebuilt).
    pub fn changed_everything(self) {
        self.log.update_value(|l| {
            l.version += 1;
            l.everything_at = l.version;
            l.files.clear();
        });
        let fired = self
            .files
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for trigger in fired.into_values() {
            trigger.notify();
        }
        self.any.notify();
    }
}

/// The app's change signals.
pub fn use_changes() -> Changes {
    expect_context::<Changes>()
}
