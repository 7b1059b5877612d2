//! Encryption at rest in a real browser (headless Chromium through wasm-bindgen-test): both
//! ciphers seal and open, refuse altered data, stay readable when the deployment switches its
//! default, and the data key unwraps only with the right PIN.

#![cfg(target_arch = "wasm32")]

use aes_gcm::aead::{Aead, KeyInit, Payload};
use wasm_bindgen_test::*;
use xiafang::store::crypto::{
    ARGON2_M_KIB, ARGON2_P, ARGON2_T, CipherKind, CryptoError, DataKey, DeviceCipher,
    PBKDF2_ITERATIONS, PinGuard, PinKdf, PinProblem, SEALED_VERSION, Sm4Gcm, WrappedKey, check_pin,
    should_lock,
};
use xiafang_core::Lang;

wasm_bindgen_test_configure!(run_in_browser);

const BOTH: [CipherKind; 2] = [CipherKind::Aes256Gcm, CipherKind::Sm4Gcm];
const PETITIONER: &str =
    r#"{"name":"郭先生","phone":"13800000001","address":"南滨街道阁一村三组"}"#;
const AAD: &[u8] = b"record:0f8c2b1e";

async fn cipher(key: &DataKey, kind: CipherKind) -> DeviceCipher {
    DeviceCipher::new(key, kind).await.expect("cipher")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn sealed_records_open_again_with_both_ciphers() {
    let key = DataKey::generate().unwrap();
    for kind in BOTH {
        let c = cipher(&key, kind).await;
        assert_eq!(c.kind(), kind);
        let sealed = c.seal(PETITIONER.as_bytes(), AAD).await.unwrap();
        assert_eq!(sealed[0], SEALED_VERSION);
        assert_eq!(sealed[1], kind.tag(), "{kind:?}");
        assert_eq!(sealed.len(), 2 + 12 + PETITIONER.len() + 16);
        assert_eq!(c.open(&sealed, AAD).await.unwrap(), PETITIONER.as_bytes());
        let empty = c.seal(b"", b"").await.unwrap();
        assert_eq!(c.open(&empty, b"").await.unwrap(), b"");
    }
}

#[wasm_bindgen_test]
async fn sealed_bytes_show_nothing_of_the_petitioner() {
    let key = DataKey::generate().unwrap();
    for kind in BOTH {
        let c = cipher(&key, kind).await;
        let first = c.seal(PETITIONER.as_bytes(), AAD).await.unwrap();
        let second = c.seal(PETITIONER.as_bytes(), AAD).await.unwrap();
        for sealed in [&first, &second] {
            assert!(!contains(sealed, "郭先生".as_bytes()), "{kind:?}");
            assert!(!contains(sealed, b"13800000001"), "{kind:?}");
        }
        assert_ne!(first[2..14], second[2..14], "a fresh nonce every time");
        assert_ne!(first, second);
    }
}

#[wasm_bindgen_test]
async fn altered_data_and_other_context_are_refused() {
    let key = DataKey::generate().unwrap();
    for kind in BOTH {
        let c = cipher(&key, kind).await;
        let sealed = c.seal(PETITIONER.as_bytes(), AAD).await.unwrap();
        for at in [2, 13, 14, sealed.len() / 2, sealed.len() - 1] {
            let mut tampered = sealed.clone();
            tampered[at] ^= 0x01;
            assert_eq!(
                c.open(&tampered, AAD).await,
                Err(CryptoError::Tampered),
                "{kind:?}, byte {at}"
            );
        }
        assert_eq!(
            c.open(&sealed, b"record:another").await,
            Err(CryptoError::Tampered),
            "{kind:?}: sealed for another record"
        );
        assert_eq!(
            c.open(&sealed[..sealed.len() - 1], AAD).await,
            Err(CryptoError::Tampered)
        );
        assert_eq!(
            c.open(&sealed[..20], AAD).await,
            Err(CryptoError::Malformed("too short"))
        );
        let mut future = sealed.clone();
        future[0] = 2;
        assert!(matches!(
            c.open(&future, AAD).await,
            Err(CryptoError::Malformed(_))
        ));
        let mut unknown = sealed.clone();
        unknown[1] = 9;
        assert_eq!(
            c.open(&unknown, AAD).await,
            Err(CryptoError::UnknownCipher(9))
        );
        let other = cipher(&DataKey::generate().unwrap(), kind).await;
        assert_eq!(
            other.open(&sealed, AAD).await,
            Err(CryptoError::Tampered),
            "{kind:?}: another phone's key"
        );
    }
}

#[wasm_bindgen_test]
async fn switching_the_cipher_byte_does_not_switch_the_cipher() {
    // The header is authenticated: relabelling AES data as SM4 (or back) is refused.
    let key = DataKey::generate().unwrap();
    for kind in BOTH {
        let c = cipher(&key, kind).await;
        let mut sealed = c.seal(PETITIONER.as_bytes(), AAD).await.unwrap();
        sealed[1] = if kind == CipherKind::Aes256Gcm { 2 } else { 1 };
        assert_eq!(c.open(&sealed, AAD).await, Err(CryptoError::Tampered));
    }
}

#[wasm_bindgen_test]
async fn data_stays_readable_after_the_deployment_changes_its_cipher() {
    let key = DataKey::generate().unwrap();
    let aes = cipher(&key, CipherKind::Aes256Gcm).await;
    let sm4 = cipher(&key, CipherKind::Sm4Gcm).await;
    let by_aes = aes.seal(PETITIONER.as_bytes(), AAD).await.unwrap();
    let by_sm4 = sm4.seal(PETITIONER.as_bytes(), AAD).await.unwrap();
    assert_eq!(sm4.open(&by_aes, AAD).await.unwrap(), PETITIONER.as_bytes());
    assert_eq!(aes.open(&by_sm4, AAD).await.unwrap(), PETITIONER.as_bytes());
}

#[wasm_bindgen_test]
async fn the_cipher_is_named_by_a_stable_key_in_configuration() {
    assert_eq!(CipherKind::default(), CipherKind::Aes256Gcm);
    for (kind, key) in [
        (CipherKind::Aes256Gcm, "aes-256-gcm"),
        (CipherKind::Sm4Gcm, "sm4-gcm"),
    ] {
        assert_eq!(kind.key(), key);
        assert_eq!(CipherKind::from_key(key), Some(kind));
        assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{key}\""));
        assert_eq!(CipherKind::from_tag(kind.tag()), Some(kind));
    }
    assert!(serde_json::from_str::<CipherKind>("\"des\"").is_err());
}

/// RFC 8998, appendix A.1: the SM4-GCM this module uses is the standard one.
#[wasm_bindgen_test]
fn sm4_gcm_matches_rfc_8998() {
    let key = hex("0123456789ABCDEFFEDCBA9876543210");
    let nonce = hex("00001234567800000000ABCD");
    let aad = hex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
    let plaintext = hex(concat!(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB",
        "CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD",
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFF",
        "EEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
    ));
    let expected = hex(concat!(
        "17F399F08C67D5EE19D0DC9969C4BB7D",
        "5FD46FD3756489069157B282BB200735",
        "D82710CA5C22F0CCFA7CBF93D496AC15",
        "A56834CBCF98C397B4024A2691233B8D",
        "83DE3541E4C2B58177E065A9BF7B62EC",
    ));
    let gcm = Sm4Gcm::new_from_slice(&key).unwrap();
    let nonce = aes_gcm::Nonce::from_slice(&nonce);
    let sealed = gcm
        .encrypt(
            nonce,
            Payload {
                msg: &plaintext,
                aad: &aad,
            },
        )
        .unwrap();
    assert_eq!(sealed, expected);
    let opened = gcm
        .decrypt(
            nonce,
            Payload {
                msg: &expected,
                aad: &aad,
            },
        )
        .unwrap();
    assert_eq!(opened, plaintext);
}

#[wasm_bindgen_test]
async fn the_right_pin_unwraps_the_data_key_and_a_wrong_one_does_not() {
    for kind in BOTH {
        let key = DataKey::generate().unwrap();
        let wrapped = WrappedKey::wrap(&key, "246810", kind).await.unwrap();
        assert_eq!(wrapped.cipher, kind);
        assert_eq!(wrapped.kdf, PinKdf::CURRENT);
        assert!(wrapped.is_current());
        assert_eq!(wrapped.sealed_key[1], kind.tag());

        // What is stored: neither the PIN nor the key, and it survives a round trip as JSON.
        let stored = serde_json::to_string(&wrapped).unwrap();
        assert!(!stored.contains("246810"));
        let wrapped: WrappedKey = serde_json::from_str(&stored).unwrap();

        let unwrapped = wrapped.unwrap("246810").await.unwrap();
        assert_eq!(unwrapped, key, "{kind:?}");
        assert_eq!(
            wrapped.unwrap("246811").await.unwrap_err(),
            CryptoError::WrongPin
        );
        assert_eq!(wrapped.unwrap("").await.unwrap_err(), CryptoError::WrongPin);

        // The unwrapped key opens what the original key sealed.
        let sealed = cipher(&key, kind).await.seal(b"x", AAD).await.unwrap();
        let again = cipher(&unwrapped, kind).await;
        assert_eq!(again.open(&sealed, AAD).await.unwrap(), b"x");
    }
}

#[wasm_bindgen_test]
async fn a_second_wrapping_uses_a_fresh_salt() {
    let key = DataKey::generate().unwrap();
    let a = WrappedKey::wrap(&key, "246810", CipherKind::Aes256Gcm)
        .await
        .unwrap();
    let b = WrappedKey::wrap(&key, "246810", CipherKind::Aes256Gcm)
        .await
        .unwrap();
    assert_ne!(a.salt, b.salt);
    assert_ne!(a.sealed_key, b.sealed_key);
}

#[wasm_bindgen_test]
async fn a_tampered_wrapping_does_not_unwrap() {
    let key = DataKey::generate().unwrap();
    let mut wrapped = WrappedKey::wrap(&key, "246810", CipherKind::Sm4Gcm)
        .await
        .unwrap();
    wrapped.kdf = PinKdf::Argon2idPeppered {
        m_kib: 8,
        t: 1,
        p: 1,
    };
    assert_eq!(
        wrapped.unwrap("246810").await.unwrap_err(),
        CryptoError::WrongPin,
        "a lowered argon2 cost is not a shortcut"
    );
    let mut old = WrappedKey::wrap_v1(&key, "246810", CipherKind::Sm4Gcm)
        .await
        .unwrap();
    old.iterations = 1;
    assert_eq!(
        old.unwrap("246810").await.unwrap_err(),
        CryptoError::WrongPin,
        "a lowered iteration count is not a shortcut"
    );
}

/// A phone of the previous version kept its data key wrapped by PBKDF2 alone, in JSON without
/// the `kdf` field: it still opens with the right PIN (the vault then wraps it again).
#[wasm_bindgen_test]
async fn a_key_wrapped_by_the_previous_version_still_opens() {
    for kind in BOTH {
        let key = DataKey::generate().unwrap();
        let old = WrappedKey::wrap_v1(&key, "246810", kind).await.unwrap();
        let mut stored: serde_json::Value = serde_json::to_value(&old).unwrap();
        stored.as_object_mut().unwrap().remove("kdf");
        assert_eq!(
            stored.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["cipher", "iterations", "salt", "sealed_key"],
            "the previous version's fields"
        );
        let old: WrappedKey = serde_json::from_value(stored).unwrap();
        assert_eq!(
            (old.kdf, old.iterations),
            (PinKdf::Pbkdf2, PBKDF2_ITERATIONS)
        );
        assert!(!old.is_current());
        assert_eq!(old.unwrap("246810").await.unwrap(), key);
        assert_eq!(
            old.unwrap("246811").await.unwrap_err(),
            CryptoError::WrongPin
        );
    }
}

/// Prints how long one PIN unwrap of the current kind (argon2id + the phone's pepper) takes
/// here; run with `-- --nocapture`. The throttled figure is the phone bench's.
#[wasm_bindgen_test]
async fn argon2_unwrap_cost_is_reported() {
    let key = DataKey::generate().unwrap();
    let wrapped = WrappedKey::wrap(&key, "246810", CipherKind::Aes256Gcm)
        .await
        .unwrap();
    let runs = 3;
    let start = js_sys::Date::now();
    for _ in 0..runs {
        wrapped.unwrap("246810").await.unwrap();
    }
    let each = (js_sys::Date::now() - start) / f64::from(runs);
    web_sys::console::log_1(
        &format!(
            "argon2id m={ARGON2_M_KIB} KiB t={ARGON2_T} p={ARGON2_P} + HMAC pepper (one unwrap): {each:.0} ms"
        )
        .into(),
    );
}

#[wasm_bindgen_test]
async fn a_too_simple_pin_is_not_used_for_wrapping() {
    let key = DataKey::generate().unwrap();
    assert_eq!(
        WrappedKey::wrap(&key, "123456", CipherKind::Aes256Gcm)
            .await
            .unwrap_err(),
        CryptoError::Pin(PinProblem::TooSimple)
    );
}

/// Prints how long one PBKDF2 derivation takes here; run with `-- --nocapture` to see it.
#[wasm_bindgen_test]
async fn pbkdf2_cost_is_reported() {
    let key = DataKey::generate().unwrap();
    let wrapped = WrappedKey::wrap_v1(&key, "246810", CipherKind::Aes256Gcm)
        .await
        .unwrap();
    let runs = 5;
    let start = js_sys::Date::now();
    for _ in 0..runs {
        wrapped.unwrap("246810").await.unwrap();
    }
    let each = (js_sys::Date::now() - start) / f64::from(runs);
    web_sys::console::log_1(
        &format!("PBKDF2-SHA256 × {PBKDF2_ITERATIONS} (one unwrap): {each:.0} ms").into(),
    );
    assert!(each < 10_000.0, "{each} ms");
}

#[wasm_bindgen_test]
fn pins_are_six_digits_and_not_trivial() {
    for good in ["246810", "135790", "908172", "000123", "112233"] {
        assert_eq!(check_pin(good), Ok(()), "{good}");
    }
    for (bad, problem) in [
        ("", PinProblem::SixDigits),
        ("24681", PinProblem::SixDigits),
        ("2468101", PinProblem::SixDigits),
        ("24681a", PinProblem::SixDigits),
        ("２４６８１０", PinProblem::SixDigits),
        (" 46810", PinProblem::SixDigits),
        ("111111", PinProblem::TooSimple),
        ("000000", PinProblem::TooSimple),
        ("123456", PinProblem::TooSimple),
        ("456789", PinProblem::TooSimple),
        ("987654", PinProblem::TooSimple),
        ("543210", PinProblem::TooSimple),
    ] {
        assert_eq!(check_pin(bad), Err(problem), "{bad:?}");
    }
    assert_eq!(
        PinProblem::SixDigits.message(xiafang_core::Lang::Zh),
        "解锁码须为 6 位数字"
    );
    assert_eq!(
        PinProblem::SixDigits.message(Lang::Zh),
        "解锁码须为 6 位数字"
    );
    assert!(PinProblem::TooSimple.message(Lang::Zh).contains("123456"));
    assert!(!PinProblem::TooSimple.message(Lang::En).is_empty());
}

#[wasm_bindgen_test]
fn wrong_pins_lock_the_data_until_an_online_sign_in() {
    let mut guard = PinGuard::new(3);
    guard.failed();
    guard.failed();
    assert!(!guard.locked());
    assert_eq!(guard.remaining(), 1);
    guard.succeeded();
    assert_eq!(guard.remaining(), 3, "a right PIN clears earlier mistakes");

    for _ in 0..3 {
        assert!(!guard.locked());
        guard.failed();
    }
    assert!(guard.locked());
    assert_eq!(guard.remaining(), 0);
    guard.succeeded();
    assert!(guard.locked(), "once locked, the right PIN is not enough");
    guard.failed();
    assert!(guard.locked());

    // The count is kept by the caller; it survives being stored and read back.
    let stored = serde_json::to_string(&guard).unwrap();
    let mut guard: PinGuard = serde_json::from_str(&stored).unwrap();
    assert!(guard.locked());

    guard.reset_after_online_sign_in();
    assert!(!guard.locked());
    assert_eq!(guard.remaining(), 3);

    assert_eq!(PinGuard::default().remaining(), 5);
    assert!(
        PinGuard::new(0).remaining() >= 1,
        "a zero limit still allows one try"
    );
}

#[wasm_bindgen_test]
fn the_app_locks_after_the_inactivity_limit() {
    let minute = 60_000;
    assert!(!should_lock(1_000_000, 1_000_000, 5 * minute));
    assert!(!should_lock(
        1_000_000,
        1_000_000 + 5 * minute - 1,
        5 * minute
    ));
    assert!(should_lock(1_000_000, 1_000_000 + 5 * minute, 5 * minute));
    assert!(should_lock(1_000_000, 1_000_000 + 60 * minute, 5 * minute));
    assert!(
        should_lock(1_000_000, 1_000_000 - minute, 5 * minute),
        "a clock set back cannot say how long the phone lay idle"
    );
    assert!(should_lock(i64::MIN, i64::MAX, 5 * minute));
}

/// The PIN derivation in the browser, built as phones run it (SIMD on, `.cargo/config.toml`),
/// must give exactly what the reference gives, or every phone's PIN-wrapped key stops opening.
#[wasm_bindgen_test]
fn argon2id_in_the_browser_matches_rfc_9106() {
    use argon2::{Algorithm, Argon2, AssociatedData, ParamsBuilder, Version};
    let params = ParamsBuilder::new()
        .m_cost(32)
        .t_cost(3)
        .p_cost(4)
        .data(AssociatedData::new(&[0x04; 12]).unwrap())
        .build()
        .unwrap();
    let ctx =
        Argon2::new_with_secret(&[0x03; 8], Algorithm::Argon2id, Version::V0x13, params).unwrap();
    let mut out = [0u8; 32];
    ctx.hash_password_into(&[0x01; 32], &[0x02; 16], &mut out)
        .unwrap();
    // RFC 9106, section 5.3.
    assert_eq!(
        out.to_vec(),
        hex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
    );
}

/// The same at the phone's own cost (40 MiB, two passes), against the crate's portable code run
/// natively (argon2 0.5.3 from crates.io on x86-64).
#[wasm_bindgen_test]
fn argon2id_in_the_browser_matches_the_native_code_at_the_phones_cost() {
    let params = argon2::Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, Some(32)).unwrap();
    let ctx = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    ctx.hash_password_into(b"246810", b"xiafang-phone-salt-16", &mut out)
        .unwrap();
    assert_eq!((ARGON2_M_KIB, ARGON2_T, ARGON2_P), (40 * 1024, 2, 1));
    assert_eq!(
        out.to_vec(),
        hex("62ab0285f3f4e538b7eb886e185e5324d20ebd4854892edc937bc800fe4a016d")
    );
}

/// The app's derivation gives the same key whether the PIN screen's preparation of its memory
/// (`pin_memory`) finished, is part done, or never started; a derivation takes the memory, and
/// a slice still scheduled then prepares nothing more.
#[wasm_bindgen_test]
async fn the_prepared_memory_does_not_change_the_derived_key() {
    use xiafang::store::crypto::{argon2id, pin_memory};
    let expected = hex("62ab0285f3f4e538b7eb886e185e5324d20ebd4854892edc937bc800fe4a016d");
    let derive = || {
        argon2id(
            "246810",
            b"xiafang-phone-salt-16",
            ARGON2_M_KIB,
            ARGON2_T,
            ARGON2_P,
        )
        .unwrap()
    };
    let all = ARGON2_M_KIB as usize;
    assert_eq!(derive(), expected, "in fresh memory");

    pin_memory::prepare(ARGON2_M_KIB);
    next_task().await;
    let part = pin_memory::prepared();
    assert!(0 < part && part < all, "one slice prepared: {part}");
    assert_eq!(derive(), expected, "in part-prepared memory");
    assert_eq!(pin_memory::prepared(), 0, "taken by the derivation");
    next_task().await;
    assert_eq!(pin_memory::prepared(), 0, "the scheduled slice stopped");

    pin_memory::prepare(ARGON2_M_KIB);
    while pin_memory::prepared() < all {
        next_task().await;
    }
    assert_eq!(derive(), expected, "in prepared memory");

    // Released (the data opened with a password): nothing kept, nothing prepared after.
    pin_memory::prepare(ARGON2_M_KIB);
    next_task().await;
    assert!(pin_memory::prepared() > 0);
    pin_memory::release();
    next_task().await;
    assert_eq!(pin_memory::prepared(), 0, "released");
}

/// Resolves after the tasks already queued ran (a zero timeout).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}
