//! `labeled_enum!` declares a closed list of choices with its Chinese and English labels and a
//! stable key, so forms, the timeline and the wire format all name a choice the same way.

/// Declares `pub enum $name` with `ALL`, `key()`, `from_key()` and `label(lang)`.
#[macro_export]
macro_rules! labeled_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal => ($zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),+
        }

        // Keys and labels are tables indexed by the variant, and serde reads and writes the key
        // through one shared visitor: data instead of a few matches per enum compiled to code
        // (issue 17: the wasm's size). The wire form is the derive's with `rename = key`
        // (core/tests/labeled_keys.rs).
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            const KEYS: &'static [&'static str] = &[$($key),+];
            const LABELS: &'static [(&'static str, &'static str)] = &[$(($zh, $en)),+];

            /// The stable key used on the wire and as a form value.
            pub fn key(self) -> &'static str {
                Self::KEYS[self as usize]
            }

            pub fn from_key(key: &str) -> Option<Self> {
                $crate::base::labeled::position(Self::KEYS, key).map(|i| Self::ALL[i])
            }

            pub fn label(self, lang: $crate::base::lang::Lang) -> &'static str {
                let (zh, en) = Self::LABELS[self as usize];
                lang.pick(zh, en)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.key())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::base::labeled::deserialize_key(deserializer, Self::KEYS).map(|i| Self::ALL[i])
            }
        }

        impl $crate::base::labeled::Labeled for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn key(self) -> &'static str {
                $name::key(self)
            }
            fn from_key(key: &str) -> Option<Self> {
                $name::from_key(key)
            }
            fn label(self, lang: $crate::base::lang::Lang) -> &'static str {
                $name::label(self, lang)
            }
        }
    };
}

/// Where `key` is in `keys`.
#[doc(hidden)]
pub fn position(keys: &[&str], key: &str) -> Option<usize> {
    keys.iter().position(|k| *k == key)
}

/// Reads one of `keys` (a JSON string) and gives its place in `keys`; anything else is the
/// error serde's derive gives for an unknown variant.
#[doc(hidden)]
pub fn deserialize_key<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    keys: &'static [&'static str],
) -> Result<usize, D::Error> {
    struct Key(&'static [&'static str]);
    impl serde::de::Visitor<'_> for Key {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            // Each key in backticks, as serde names variants; not `{:?}`, which the phone's
            // release build prints as nothing (`-Zfmt-debug=none`).
            f.write_str("one of")?;
            for (i, key) in self.0.iter().enumerate() {
                write!(f, "{} `{key}`", if i == 0 { "" } else { "," })?;
            }
            Ok(())
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<usize, E> {
            position(self.0, v).ok_or_else(|| E::unknown_variant(v, self.0))
        }
    }
    deserializer.deserialize_str(Key(keys))
}

/// A closed list of choices with labels, so one form control can offer any of them.
pub trait Labeled: Copy + PartialEq + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn key(self) -> &'static str;
    fn from_key(key: &str) -> Option<Self>;
    fn label(self, lang: crate::base::lang::Lang) -> &'static str;
}
