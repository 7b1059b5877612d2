//! `labeled_enum!` declares a closed list of choices with its Chinese and English labels and a
//! stable key, so forms, the timeline and the wire format all name a choice the same way.

/// Declares `pub enum $name` with `ALL`, `key()`, `from_key()` and `label(lang)`.
#[macro_export]
macro_rules! labeled_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal => ($zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $key)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable key used on the wire and as a form value.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn from_key(key: &str) -> Option<Self> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }

            pub fn label(self, lang: $crate::base::lang::Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($zh, $en)),+ }
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

/// A closed list of choices with labels, so one form control can offer any of them.
pub trait Labeled: Copy + PartialEq + Send + Sync + 'static {
    fn all() -> &'static [Self];
    fn key(self) -> &'static str;
    fn from_key(key: &str) -> Option<Self>;
    fn label(self, lang: crate::base::lang::Lang) -> &'static str;
}
