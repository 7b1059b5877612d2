//! How a signature stands against the record it signed, as that record reads now.

use crate::base::lang::Lang;
use crate::folds::ledger::{Standing, standings};
use crate::records::attachment::{Signature, sha256_hex};
use crate::records::kinds::signed_text;
use crate::records::record::Record;

/// How a signature stands against the record it signed, as it reads now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureState {
    /// The record still says what was signed.
    Matches,
    /// The record was amended since: the signature confirms an earlier text.
    TextChanged,
    /// The record was voided, or is not on this phone.
    Withdrawn,
}

/// Follows `signature.of` through its amendments to the version that counts now and compares
/// its text with the one signed.
pub fn signature_state(signature: &Signature, records: &[Record]) -> SignatureState {
    let standing = standings(records);
    let mut id = signature.of;
    // Amendment chains are short; the bound only guards against a malformed cycle.
    for _ in 0..=records.len() {
        match standing.get(&id) {
            Some(Standing::Amended { by }) => id = *by,
            Some(Standing::Voided { .. }) => return SignatureState::Withdrawn,
            Some(Standing::Current) | None => break,
        }
    }
    match records.iter().find(|r| r.id == id).and_then(signed_text) {
        Some(text) if sha256_hex(text.as_bytes()) == signature.text_hash => SignatureState::Matches,
        Some(_) => SignatureState::TextChanged,
        None => SignatureState::Withdrawn,
    }
}

impl SignatureState {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            SignatureState::Matches => {
                lang.pick("签名与记录内容一致", "Signature matches the record")
            }
            SignatureState::TextChanged => lang.pick(
                "签名后记录已修改，签名不再对应当前内容",
                "The record changed after signing: the signature no longer matches it",
            ),
            SignatureState::Withdrawn => {
                lang.pick("所签记录已作废", "The signed record was voided")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::targets::attachment_target_problem;
    use crate::checks::verdict::Rejection;
    use crate::fixtures;
    use crate::records::attachment::*;
    use crate::records::record::RecordBody;

    fn signature_of(record: &Record) -> Signature {
        Signature {
            of: record.id,
            signer: "郭某".into(),
            signer_role: SignerRole::Petitioner,
            text_hash: sha256_hex(signed_text(record).unwrap().as_bytes()),
            image: BlobRef {
                sha256: sha256_hex(b"png"),
                size: 3,
                mime: "image/png".into(),
            },
        }
    }

    #[test]
    fn sha256_is_the_standard_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256_hex(&sha256_hex(b"")));
        assert!(!is_sha256_hex(&sha256_hex(b"").to_uppercase()));
    }

    #[test]
    fn a_signature_stops_matching_once_the_record_is_amended() {
        let visit = fixtures::visit("f1", "u1");
        let signature = signature_of(&visit);
        assert_eq!(
            signature_state(&signature, std::slice::from_ref(&visit)),
            SignatureState::Matches
        );
        // An amendment with the same text keeps the signature; a changed text breaks it.
        let same = fixtures::amendment(&visit, visit.body.clone());
        assert_eq!(
            signature_state(&signature, &[visit.clone(), same.clone()]),
            SignatureState::Matches
        );
        let mut changed_body = visit.body.clone();
        if let RecordBody::Visit(v) = &mut changed_body {
            v.measures = "改为下月再议".into();
        }
        let changed = fixtures::amendment(&same, changed_body);
        assert_eq!(
            signature_state(&signature, &[visit.clone(), same, changed]),
            SignatureState::TextChanged
        );
        let void = fixtures::void(&visit, "录错档案");
        assert_eq!(
            signature_state(&signature, &[visit, void]),
            SignatureState::Withdrawn
        );
    }

    #[test]
    fn the_signed_text_does_not_depend_on_the_screen_language_or_review_state() {
        let visit = fixtures::visit("f1", "u1");
        let text = signed_text(&visit).unwrap();
        assert!(text.contains("诉求及反映的问题：要求重新核算集体资产分配款"));
        assert!(signed_text(&fixtures::note("f1", "u1")).is_none());
    }

    #[test]
    fn attachments_name_a_fitting_record_of_their_own_file() {
        let visit = fixtures::visit("f1", "u1");
        let mut sig = fixtures::note("f1", "u1");
        sig.body = RecordBody::Signature(signature_of(&visit));
        assert_eq!(attachment_target_problem(&sig, Some(&visit)), None);
        assert_eq!(
            attachment_target_problem(&sig, None),
            Some(Rejection::NotAttachable)
        );
        let note = fixtures::note("f1", "u1");
        assert_eq!(
            attachment_target_problem(&sig, Some(&note)),
            Some(Rejection::NotAttachable)
        );
        let elsewhere = fixtures::visit("f2", "u1");
        assert_eq!(
            attachment_target_problem(&sig, Some(&elsewhere)),
            Some(Rejection::NotAttachable)
        );
        assert_eq!(attachment_target_problem(&visit, None), None);
    }

    #[test]
    fn only_well_formed_blob_refs_pass() {
        let good = BlobRef {
            sha256: sha256_hex(b"x"),
            size: 10,
            mime: "image/jpeg".into(),
        };
        assert!(good.is_well_formed());
        for bad in [
            BlobRef {
                size: 0,
                ..good.clone()
            },
            BlobRef {
                size: MAX_BLOB_BYTES + 1,
                ..good.clone()
            },
            BlobRef {
                mime: "text/html".into(),
                ..good.clone()
            },
            BlobRef {
                sha256: "abc".into(),
                ..good.clone()
            },
        ] {
            assert!(!bad.is_well_formed(), "{bad:?}");
        }
    }
}
