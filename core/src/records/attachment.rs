//! Signatures and photos: records that attach an image to an earlier record of the same file.
//! The image itself (a blob) travels apart from the record, resumably and checked by its
//! SHA-256, because a photo is megabytes over a village link while the record is a few hundred
//! bytes; the record names the blob by hash, so the server can tell a complete upload from a
//! corrupted one and nothing is ever stored twice.
//!
//! A signature confirms a text: the record's `signed_text` as shown to the signer. Its hash is
//! kept with the signature, so when the record is later amended the signature visibly no longer
//! matches what it is shown beside (`signature_state`).

use crate::base::ids::RecordId;
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
    /// What a photo shows: evidence the matter needs, never proof that someone was there (no
    /// "fingertip formalism"). `Scene` keeps its key for photos already taken and reads as
    /// what it can honestly be, something else the matter needs.
    PhotoSubject {
        Receipt = "receipt" => ("签收单/收据", "Receipt"),
        House = "house" => ("住房情况", "The house"),
        Document = "document" => ("证明材料", "A document"),
        Goods = "goods" => ("慰问物品", "Goods handed over"),
        Scene = "scene" => ("其他材料", "Other evidence"),
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
