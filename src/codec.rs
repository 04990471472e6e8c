//! The wire format of the server functions: JSON both ways, read from text. Leptos' own `Json`
//! reads responses from bytes while resources read their server-rendered values from text; with
//! both readers every response type's deserializer would be compiled into the client twice.
use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{Serialize, de::DeserializeOwned};

/// JSON, decoded through `serde_json::from_str` like every resource.
pub struct JsonText;

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
        let text = std::str::from_utf8(&bytes).map_err(serde::de::Error::custom)?;
        serde_json::from_str(text)
    }
}

/// Arguments and results as JSON in the body of a POST (`#[server(input = Json, output = Json)]`).
pub type Json = Post<JsonText>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_travel_as_json_text_and_bad_bytes_are_an_error() {
        let sent =
            <JsonText as Encodes<Vec<(String, i64)>>>::encode(&vec![("Müller".into(), -4200)]).unwrap();
        assert_eq!(&sent[..], "[[\"Müller\",-4200]]".as_bytes());
        let back: Vec<(String, i64)> = <JsonText as Decodes<_>>::decode(sent).unwrap();
        assert_eq!(back, vec![("Müller".to_string(), -4200)]);
        assert!(<JsonText as Decodes<String>>::decode(Bytes::from_static(b"\"\xff\"")).is_err());
    }
}
