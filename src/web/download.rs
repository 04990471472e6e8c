//! Stored files sent to the browser: as attachments with their UTF-8 name, streamed from the
//! store, never shown inline or run as a page.
use crate::storage::Store;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `attachment` with an ASCII name for old clients and the UTF-8 name (RFC 6266 / 5987).
pub fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A stored object as a download: never shown inline, never run as a page. 404 when the
/// object is gone.
pub async fn stored(store: &Store, key: &str, name: &str, content_type: &str, size: i64) -> Response {
    let stream = match store.read(key).await {
        Ok(s) => s,
        Err(crate::storage::StoreError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading a stored file");
            return crate::web::respond::internal();
        }
    };
    attachment(Body::from_stream(stream).into_response(), name, content_type, size)
}

/// Bytes in memory (an archived invoice, already checked against its hash) as a download.
pub fn bytes(body: Vec<u8>, name: &str, content_type: &str) -> Response {
    let size = body.len() as i64;
    attachment(body.into_response(), name, content_type, size)
}

fn attachment(mut response: Response, name: &str, content_type: &str, size: i64) -> Response {
    let h = response.headers_mut();
    let typed =
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, typed);
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(v) = HeaderValue::from_str(&disposition(name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_download_names_the_file_for_old_and_new_clients() {
        assert_eq!(
            super::disposition("Rechnung März \"2026\".pdf"),
            "attachment; filename=\"Rechnung M_rz _2026_.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz%20%222026%22.pdf"
        );
    }
}
