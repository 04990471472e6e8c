//! One file of a multipart upload streamed into the store: its first bytes decide its kind
//! before anything is stored, its size is counted on the way, and an object that cannot be
//! kept is aborted. The key is listed for clean-up before the first byte goes out, so an upload
//! that never gets its row is deleted a day later.
use super::sniff::{SAMPLE, sniff};
use super::{Store, cleanup};
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;

/// A stored object waiting for its row.
#[derive(Clone, Debug)]
pub struct Upload {
    pub key: String,
    /// Cleaned for display (`text::file_name`).
    pub name: String,
    pub size: i64,
    /// Sniffed from the bytes.
    pub content_type: String,
    pub sha256: String,
}

/// Why a file was not kept.
#[derive(Debug)]
pub enum Refused {
    /// Over `max` bytes.
    TooLarge {
        name: String,
    },
    /// Not a kind that is kept (a program, an unknown binary).
    Kind {
        name: String,
    },
    /// The request broke off or was malformed; the status says which (413 when the request
    /// ran over its limit).
    Broken(StatusCode),
    Internal,
}

impl Refused {
    /// How the refusal is answered: its status, the message key, and the file's name for the
    /// message's `{name}` where it is about one file (`{max}` is the route's limit).
    pub fn answer(self) -> (StatusCode, &'static str, Option<String>) {
        match self {
            Refused::TooLarge { name } => (StatusCode::PAYLOAD_TOO_LARGE, "files.too_large", Some(name)),
            Refused::Kind { name } => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "files.kind_refused", Some(name)),
            Refused::Broken(StatusCode::PAYLOAD_TOO_LARGE) => {
                (StatusCode::PAYLOAD_TOO_LARGE, "files.request_too_large", None)
            }
            Refused::Broken(_) => (StatusCode::BAD_REQUEST, "files.upload_broken", None),
            Refused::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "error.internal", None),
        }
    }
}

impl From<MultipartError> for Refused {
    fn from(e: MultipartError) -> Self {
        Refused::Broken(e.status())
    }
}

/// Stream one file part into `store`. `None` for the empty part a browser sends when no file
/// was chosen.
pub async fn receive(
    store: &Store,
    db: &crate::db::Db,
    mut field: Field<'_>,
    max: u64,
) -> Result<Option<Upload>, Refused> {
    let sent_name = field.file_name().unwrap_or_default().to_string();
    let name = crate::text::file_name(&sent_name);
    let mut head = Vec::with_capacity(SAMPLE);
    let mut ended = false;
    while head.len() < SAMPLE {
        match field.chunk().await? {
            Some(chunk) => head.extend_from_slice(&chunk),
            None => {
                ended = true;
                break;
            }
        }
    }
    if ended && head.is_empty() && sent_name.is_empty() {
        return Ok(None);
    }
    if head.len() as u64 > max {
        return Err(Refused::TooLarge { name });
    }
    let whole = ended && head.len() <= SAMPLE;
    let Some(content_type) = sniff(&head[..head.len().min(SAMPLE)], whole, &name) else {
        return Err(Refused::Kind { name });
    };
    let key = Store::new_key();
    let due = chrono::Utc::now() + cleanup::UPLOAD_GRACE;
    cleanup::schedule(db, &key, due, "upload").await.map_err(|_| Refused::Internal)?;
    let mut writer = store.writer(&key).await.map_err(|_| Refused::Internal)?;
    let streamed = async {
        writer.write(&head).await.map_err(|_| Refused::Internal)?;
        while let Some(chunk) = field.chunk().await? {
            if writer.size() + chunk.len() as u64 > max {
                return Err(Refused::TooLarge { name: name.clone() });
            }
            writer.write(&chunk).await.map_err(|_| Refused::Internal)?;
        }
        Ok(())
    }
    .await;
    if let Err(r) = streamed {
        writer.abort().await;
        return Err(r);
    }
    let done = writer.finish().await.map_err(|_| Refused::Internal)?;
    Ok(Some(Upload {
        key,
        name,
        size: done.size as i64,
        content_type: content_type.into(),
        sha256: done.sha256,
    }))
}

/// The longest plain form value taken beside the files.
pub const SHORT_TEXT: usize = 1024;

/// A plain form field beside the files (a flag, a date), read chunk by chunk: one longer than
/// `SHORT_TEXT` is refused, not buffered.
pub async fn short_text(mut field: Field<'_>) -> Result<String, Refused> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > SHORT_TEXT {
            return Err(Refused::Broken(StatusCode::BAD_REQUEST));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| Refused::Broken(StatusCode::BAD_REQUEST))
}

/// Delete objects that will get no row (their clean-up entries then find them gone).
pub async fn forget(store: &Store, stored: &[Upload]) {
    for u in stored {
        if let Err(e) = store.delete(&u.key).await {
            tracing::warn!(key = %u.key, error = %e, "an unregistered upload stays until its clean-up");
        }
    }
}

/// Read and discard what a refused request is still sending (bounded by the route's limit),
/// so a browser still sending gets to read the answer instead of a reset connection.
pub async fn drain(multipart: &mut axum::extract::Multipart) {
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}
