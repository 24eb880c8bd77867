//! Whole numbers in JSON bodies. JSON Schema counts `12.0` as an integer, and
//! so do clients that keep every number as a float (JavaScript among them):
//! such a number is read as the integer it is. A fraction, or a number beyond
//! `i64`, is still refused.

use serde::{de, Deserializer};
use std::fmt;

struct Whole;

impl de::Visitor<'_> for Whole {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // Whole, and within what an i64 holds exactly as a float.
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(Whole)
}

pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct Maybe;
    impl<'de> de::Visitor<'de> for Maybe {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a whole number or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
            number(d).map(Some)
        }
    }
    d.deserialize_option(Maybe)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Body {
        #[serde(deserialize_with = "super::number")]
        n: i64,
        #[serde(default, deserialize_with = "super::optional")]
        m: Option<i64>,
    }

    fn read(json: &str) -> Result<(i64, Option<i64>), String> {
        serde_json::from_str::<Body>(json).map(|b| (b.n, b.m)).map_err(|e| e.to_string())
    }

    #[test]
    fn a_whole_number_written_as_a_float_is_read_as_the_integer() {
        assert_eq!(read(r#"{"n": 12}"#), Ok((12, None)));
        assert_eq!(read(r#"{"n": 12.0, "m": 3.0}"#), Ok((12, Some(3))));
        assert_eq!(read(r#"{"n": -4, "m": null}"#), Ok((-4, None)));
        assert!(read(r#"{"n": 1.5}"#).is_err());
        assert!(read(r#"{"n": 1e300}"#).is_err());
        assert!(read(r#"{"n": "12"}"#).is_err());
        assert!(read(r#"{"n": 18446744073709551615}"#).is_err());
    }
}
