//! Signatures and photos: records that attach an image to an earlier record of the same file.
//! The image itself (a blob) travels apart from the record, resumably and checked by its
//! SHA-256, because a photo is megabytes over a village link while the record is a few hundred
//! bytes; the record names the blob by hash, so the server can tell a complete upload from a
//! corrupted one and nothing is ever stored twice.
//!
//! A signature confirms a text: the record's `signed_text` as shown to the signer. Its hash is
//! kept with the signature, so when the record is later amended the signature visibly no longer
//! matches what it is shown beside (`signature_state`).

use crate::ids::RecordId;
use crate::ledger::{Standing, standings};
use crate::record::{Record, RecordBody};
use crate::sync::Rejection;
use crate::{Lang, money};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The largest image a phone uploads (after compression on the phone).
pub const MAX_BLOB_BYTES: u64 = 8 * 1024 * 1024;

/// The image formats phones produce: JPEG photos and PNG signatures (WebP where supported).
pub const BLOB_MIMES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// An image uploaded apart from its record, named by the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BlobRef {
    /// Lower-case hex, 64 characters.
    pub sha256: String,
    pub size: u64,
    pub mime: String,
}

impl BlobRef {
    /// True when the fields are what a phone can produce: a well-formed hash, a size within
    /// `MAX_BLOB_BYTES`, a known image format.
    pub fn is_well_formed(&self) -> bool {
        is_sha256_hex(&self.sha256)
            && (1..=MAX_BLOB_BYTES).contains(&self.size)
            && BLOB_MIMES.contains(&self.mime.as_str())
    }
}

/// True for 64 lower-case hex digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

labeled_enum!(
    /// In what capacity someone signs.
    SignerRole {
        Petitioner = "petitioner" => ("信访人", "Petitioner"),
        Recipient = "recipient" => ("受助人", "Recipient"),
        Party = "party" => ("调解当事人", "Party to the mediation"),
        Participant = "participant" => ("参与人员", "Participant"),
    }
);

/// Someone's handwritten signature confirming a record's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// The record signed (the first version; amendments are compared against it).
    pub of: RecordId,
    /// Who signed, as they wrote their name.
    pub signer: String,
    pub signer_role: SignerRole,
    /// `sha256_hex(signed_text(..))` of the version shown when signing.
    pub text_hash: String,
    /// The drawn signature (PNG).
    pub image: BlobRef,
}

labeled_enum!(
    /// What a photo shows.
    PhotoSubject {
        Receipt = "receipt" => ("签收单/收据", "Receipt"),
        House = "house" => ("住房情况", "The house"),
        Document = "document" => ("证明材料", "A document"),
        Scene = "scene" => ("走访现场", "The visit"),
    }
);

/// A photo taken with the phone's camera, attached to a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    pub of: RecordId,
    pub subject: PhotoSubject,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub caption: String,
    pub image: BlobRef,
}

/// The blob a record carries, if it is a signature or a photo.
pub fn blob_of(body: &RecordBody) -> Option<&BlobRef> {
    match body {
        RecordBody::Signature(s) => Some(&s.image),
        RecordBody::Photo(p) => Some(&p.image),
        _ => None,
    }
}

/// The text a signer confirms for `record`, line by line as the phone shows it, or `None` for
/// kinds nobody outside the office signs. Written in Chinese whatever the screen's language:
/// the signed document is the Chinese one, and its hash must not depend on a setting.
pub fn signed_text(record: &Record) -> Option<String> {
    let zh = Lang::Zh;
    let when = record.occurred_at.format("%Y-%m-%d %H:%M");
    let lines: Vec<String> = match &record.body {
        RecordBody::Visit(v) => vec![
            format!("{}：{when}", v.kind.label(zh)),
            format!("地点：{}", v.place),
            format!("参加人员：{}", v.participants.join("、")),
            format!("诉求及反映的问题：{}", v.requests),
            format!("释法明理情况：{}", v.explained),
            format!("采取的措施：{}", v.measures),
            format!("下一步工作：{}", v.next_step),
        ],
        RecordBody::Assistance(a) => vec![
            format!("{}：{when}", a.kind.label(zh)),
            format!("帮扶内容：{}", a.items),
            format!(
                "金额：{}",
                a.amount_fen
                    .map(|fen| format!("{}元", money::format_yuan(fen)))
                    .unwrap_or_default()
            ),
            format!("资金来源：{}", a.funding_source),
            format!("状态：{}", a.status.label(zh)),
        ],
        // The 事实确认书: what the parties confirm as fact and, if any, what they agreed.
        RecordBody::Mediation(m) => vec![
            format!("人民调解：{when}"),
            format!("当事人：{}", m.parties.join("、")),
            format!("纠纷事项：{}", m.dispute),
            format!("经调解确认的事实：{}", m.facts),
            format!("调解结果：{}", m.outcome.label(zh)),
            format!("协议内容：{}", m.terms),
        ],
        _ => return None,
    };
    Some(lines.join("\n"))
}

/// Whether `record` can be signed (see `signed_text`).
pub fn is_signable(body: &RecordBody) -> bool {
    matches!(
        body,
        RecordBody::Visit(_) | RecordBody::Assistance(_) | RecordBody::Mediation(_)
    )
}

/// Whether a photo can be attached to `body`: the casework and legal records that happen in
/// front of something worth a picture (a receipt, the house, a document).
pub fn is_photographable(body: &RecordBody) -> bool {
    matches!(
        body,
        RecordBody::Visit(_)
            | RecordBody::Assistance(_)
            | RecordBody::Mediation(_)
            | RecordBody::LegalOpinion(_)
            | RecordBody::VisitPart(_)
    )
}

/// Why an attachment may not name the record it names, if it may not: a signature needs a
/// signable record of the same file, a photo any casework or legal record of it. `target` is the
/// record named, if the server holds it. Other records pass.
pub fn attachment_target_problem(record: &Record, target: Option<&Record>) -> Option<Rejection> {
    let fits = |t: &Record| match &record.body {
        RecordBody::Signature(_) => is_signable(&t.body),
        RecordBody::Photo(_) => is_photographable(&t.body),
        _ => true,
    };
    // Only signatures and photos name a record to attach to.
    blob_of(&record.body)?;
    match target {
        Some(t) if t.file_id == record.file_id && fits(t) => None,
        _ => Some(Rejection::NotAttachable),
    }
}

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
    use crate::fixtures;

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
