//! Reading internally tagged enums (`{"type": "visit", …}`) without serde's `Content` buffering:
//! the object is kept as its JSON text, the tag is looked up in it, and the variant is read from
//! the same text by an externally tagged `#[serde(remote)]` derive of the enum. serde's derived
//! reader of an internally tagged enum copies every value into `Content` first and compiles each
//! variant's reading against it, which made these readers the largest code in the phone's wasm
//! (issue 17). Any key order reads, as with the derive; `core/tests/wire_golden_records.rs`
//! holds every kind to the text the derive wrote and read.

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// An object's text and the value of its tag: a deserializer of the enum variant the tag names
/// (for the remote derive), whose fields are read from the whole object, the tag ignored.
#[derive(Clone, Copy)]
pub struct Tagged<'a> {
    tag: &'a str,
    text: &'a str,
}

impl<'a> Tagged<'a> {
    /// The string under `key` in the object, if it is there.
    pub fn string(self, key: &'static str) -> Result<Option<String>, serde_json::Error> {
        find(self.text, key)
    }
}

/// Reads the object `deserializer` holds through `read`, which is given the value under `tag`.
pub fn read<'de, D, T>(
    deserializer: D,
    tag: &'static str,
    read: impl FnOnce(Tagged<'_>) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    let value = find(text, tag)
        .and_then(|found| found.ok_or_else(|| de::Error::missing_field(tag)))
        .and_then(|value| read(Tagged { tag: &value, text }))
        .map_err(|e| de::Error::custom(without_position(e)))?;
    Ok(value)
}

/// The error's message without "at line 1 column N": that place is within the object's own
/// text, and the outer reader adds its own.
fn without_position(e: serde_json::Error) -> String {
    let message = e.to_string();
    let place = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&place) {
        Some(bare) => bare.to_owned(),
        None => message,
    }
}

/// The string under `key` in the object `text`, every other value skipped.
fn find(text: &str, key: &'static str) -> Result<Option<String>, serde_json::Error> {
    struct Find(&'static str);
    struct IsKey(&'static str);
    impl<'de> Visitor<'de> for Find {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an object with `{}`", self.0)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(is_key) = map.next_key_seed(IsKey(self.0))? {
                if !is_key {
                    map.next_value::<IgnoredAny>()?;
                } else if found.is_some() {
                    return Err(de::Error::duplicate_field(self.0));
                } else {
                    found = Some(map.next_value::<String>()?);
                }
            }
            Ok(found)
        }
    }
    impl<'de> DeserializeSeed<'de> for IsKey {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_str(self)
        }
    }
    impl Visitor<'_> for IsKey {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
            Ok(v == self.0)
        }
    }
    let mut json = serde_json::Deserializer::from_str(text);
    json.deserialize_map(Find(key))
}

impl<'de> Deserializer<'de> for Tagged<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> de::EnumAccess<'de> for Tagged<'de> {
    type Error = serde_json::Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), Self::Error> {
        let tag = de::value::StrDeserializer::<serde_json::Error>::new(self.tag);
        Ok((seed.deserialize(tag)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for Tagged<'de> {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        seed.deserialize(Fields(&mut serde_json::Deserializer::from_str(self.text)))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Self::Error> {
        serde_json::Deserializer::from_str(self.text).deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        serde_json::Deserializer::from_str(self.text).deserialize_map(visitor)
    }
}

/// The object's text for a variant's own struct, read as an object only: serde_json would also
/// read a struct from an array of its fields, which no writer of ours produces, and that second
/// reader of every variant's struct was code the phone downloaded for nothing.
struct Fields<'a, 'de>(&'a mut serde_json::Deserializer<serde_json::de::StrRead<'de>>);

impl<'de> Deserializer<'de> for Fields<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(visitor)
    }

    /// Where a variant's struct is itself read through `read` (`CaseStep`), its raw text.
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map enum
        identifier ignored_any
    }
}
