//! Which cipher seals what a phone keeps. A deployment chooses it (the server's
//! `--device-cipher`, sent to each phone at sign-in): AES-256-GCM by default, SM4-GCM where the
//! deployment is assessed against GB/T 39786 and must use the national algorithms. The PWA's
//! `store::crypto` implements both.

crate::labeled_enum!(
    /// The cipher that seals the phone's records, named by a stable key in the deployment's
    /// configuration. Every sealed value says which one sealed it, so changing the default never
    /// makes older data unreadable.
    CipherKind {
        Aes256Gcm = "aes-256-gcm" => ("AES-256-GCM", "AES-256-GCM"),
        Sm4Gcm = "sm4-gcm" => ("SM4-GCM（国密）", "SM4-GCM (Chinese national standard)"),
    }
);

// `labeled_enum!` takes no attributes on variants, so `#[default]` cannot be derived.
#[allow(clippy::derivable_impls)]
impl Default for CipherKind {
    fn default() -> Self {
        CipherKind::Aes256Gcm
    }
}

impl CipherKind {
    /// The byte that names this cipher in the sealed format. Never reuse a retired value.
    pub fn tag(self) -> u8 {
        match self {
            CipherKind::Aes256Gcm => 1,
            CipherKind::Sm4Gcm => 2,
        }
    }

    pub fn from_tag(tag: u8) -> Option<Self> {
        match tag {
            1 => Some(CipherKind::Aes256Gcm),
            2 => Some(CipherKind::Sm4Gcm),
            _ => None,
        }
    }
}
