//! Every closed choice (`labeled_enum!`) travels as its key: a JSON string, also as a map key and
//! inside a record read through serde's buffering (internally tagged bodies). Pins the wire form
//! the derived serde impls gave, so a cheaper impl (issue 17: the wasm's size) stays compatible.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;
use xiafang_core::Labeled;

fn keys_are_the_wire_form<T>()
where
    T: Labeled + Serialize + DeserializeOwned + Debug + Hash + Eq,
{
    for &choice in T::all() {
        let json = format!("\"{}\"", choice.key());
        assert_eq!(serde_json::to_string(&choice).unwrap(), json, "{choice:?}");
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), choice, "{json}");
        // Through serde_json::Value, as a map key, and from an owned string.
        let value = serde_json::to_value(choice).unwrap();
        assert_eq!(value, serde_json::Value::String(choice.key().to_owned()));
        assert_eq!(serde_json::from_value::<T>(value).unwrap(), choice);
        let map = HashMap::from([(choice, 1u8)]);
        let map_json = serde_json::to_string(&map).unwrap();
        assert_eq!(map_json, format!("{{{json}:1}}"));
        assert_eq!(
            serde_json::from_str::<HashMap<T, u8>>(&map_json).unwrap(),
            map
        );
    }
    for wrong in ["\"no-such-key\"", "\"\"", "3", "null", "{}"] {
        assert!(
            serde_json::from_str::<T>(wrong).is_err(),
            "{wrong} was taken"
        );
    }
    let err = serde_json::from_str::<T>("\"no-such-key\"")
        .unwrap_err()
        .to_string();
    assert!(err.contains("no-such-key"), "{err}");
    // A value of the wrong type names every key, each in backticks (not with `{:?}`, which the
    // phone's release build prints as nothing).
    let err = serde_json::from_str::<T>("3").unwrap_err().to_string();
    let keys: Vec<String> = T::all().iter().map(|c| format!("`{}`", c.key())).collect();
    assert!(
        err.contains(&format!("expected one of {}", keys.join(", "))),
        "{err}"
    );
}

macro_rules! all_keys {
    ($($ty:path),+ $(,)?) => {
        #[test]
        fn every_closed_choice_travels_as_its_key() {
            $(keys_are_the_wire_form::<$ty>();)+
        }
    };
}

all_keys!(
    xiafang_core::base::problem::Field,
    xiafang_core::folds::case::CaseProblemKind,
    xiafang_core::folds::case::DeadlineKind,
    xiafang_core::folds::case::Stage,
    xiafang_core::folds::screenings::Rhythm,
    xiafang_core::folds::search::MatchedField,
    xiafang_core::folds::tasks::TaskProblemKind,
    xiafang_core::folds::tasks::TaskState,
    xiafang_core::records::account::LegalTitle,
    xiafang_core::records::account::Role,
    xiafang_core::records::attachment::SignerRole,
    xiafang_core::records::case_step::Document,
    xiafang_core::records::case_step::Evaluation,
    xiafang_core::records::case_step::LegalRoute,
    xiafang_core::records::case_step::ReplyOutcome,
    xiafang_core::records::case_step::ReviewOutcome,
    xiafang_core::records::case_step::Route,
    xiafang_core::records::case_step::ServiceMethod,
    xiafang_core::records::case_step::StepKind,
    xiafang_core::records::file::Category,
    xiafang_core::records::file::Channel,
    xiafang_core::records::file::Classification,
    xiafang_core::records::file::Level,
    xiafang_core::records::file::MatterFlag,
    xiafang_core::records::file::Resolution,
    xiafang_core::records::file::Sex,
    xiafang_core::records::file_edit::EditableField,
    xiafang_core::records::legal::Channel,
    xiafang_core::records::legal::MediationOutcome,
    xiafang_core::records::legal::ReferralNeed,
    xiafang_core::records::reception::ReceptionKind,
    xiafang_core::records::record::AssistanceKind,
    xiafang_core::records::record::Mood,
    xiafang_core::records::record::RiskLevel,
    xiafang_core::records::record::VisitKind,
    xiafang_core::records::screening::PlaceLevel,
    xiafang_core::records::supervision::ReviewDecision,
    xiafang_core::records::supervision::SupervisionMode,
    xiafang_core::records::tasking::TaskingAction,
    xiafang_core::records::tasking::UrgeMethod,
    xiafang_core::records::warning::ReportLevel,
    xiafang_core::records::warning::SignKind,
    xiafang_core::reports::figures::FigureKey,
    xiafang_core::reports::ledgers::LedgerKind,
    xiafang_core::wire::admin::PlaceKind,
    xiafang_core::wire::api_error::ApiErrorCode,
    xiafang_core::wire::audit::AuditAction,
);
