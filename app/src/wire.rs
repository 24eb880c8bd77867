//! How server functions answer the browser: JSON, as `server_fn`'s own
//! encoding writes it, but read back as text (`serde_json::from_str`).
//!
//! Island props are read as text by Leptos, and serde_json compiles every
//! type it reads once per kind of reader. Reading the answers of the
//! functions the islands call as text too means each of those types (a
//! comment, an error) is compiled into the browser's bundle once, not twice.
//! Nothing changes on the wire.

use serde::{de::DeserializeOwned, Serialize};
use server_fn::{codec::Post, Bytes, ContentType, Decodes, Encodes, Format, FormatType};

/// The encoding: `application/json`.
pub struct JsonText;

/// A server function's output protocol: `#[server(output = crate::wire::Json)]`.
pub type Json = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(<serde_json::Error as serde::de::Error>::custom)?;
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back_and_bad_bytes_are_an_error() {
        let value = (7_i64, true, "né".to_owned());
        let bytes = <JsonText as Encodes<_>>::encode(&value).unwrap();
        assert_eq!(&bytes[..], b"[7,true,\"n\xc3\xa9\"]");
        let back: (i64, bool, String) = <JsonText as Decodes<_>>::decode(bytes).unwrap();
        assert_eq!(back, value);
        assert!(<JsonText as Decodes<(i64, bool, String)>>::decode(Bytes::from_static(b"[7,\xff]")).is_err());
    }
}
