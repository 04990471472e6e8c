//! Dateien as the panel and the self-service area see them.
use serde::{Deserialize, Serialize};

/// Files per page, in the panel and the self-service area.
pub const PAGE_SIZE: u64 = 25;

/// One file of the customer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRow {
    pub id: i32,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    /// The staff member's name ('' when unknown).
    pub uploaded_by: String,
    /// RFC 3339.
    pub uploaded_at: String,
    pub customer_may_download: bool,
    /// YYYY-MM-DD, '' for none.
    pub expires_on: String,
    pub version: i64,
}

/// What an upload may be, for the form to say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimits {
    pub max_mb: u64,
    pub max_files: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilePage {
    pub rows: Vec<FileRow>,
    pub page: u32,
    pub pages: u32,
    pub total: u64,
    pub limits: UploadLimits,
    /// YYYY-MM-DD in Germany: the earliest expiry date.
    pub today: String,
}

/// What staff change of a file at any time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFlags {
    pub customer_may_download: bool,
    /// YYYY-MM-DD, '' for none.
    pub expires_on: String,
    /// The version the change is based on.
    pub version: i64,
}

impl FileFlags {
    /// The fields the Verlauf records, by name.
    pub const FIELDS: &[&str] = &["customer_may_download", "expires_on"];

    pub fn read(&self, field: &str) -> Option<String> {
        match field {
            "customer_may_download" => Some(self.customer_may_download.to_string()),
            "expires_on" => Some(self.expires_on.clone()),
            _ => None,
        }
    }

    pub fn write(&mut self, field: &str, value: &str) -> bool {
        match field {
            "customer_may_download" => self.customer_may_download = value == "true",
            "expires_on" => self.expires_on = value.into(),
            _ => return false,
        }
        true
    }
}

/// A file the customer may download, as the self-service area lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalFile {
    pub id: i32,
    pub name: String,
    pub size: i64,
    pub uploaded_at: String,
    pub expires_on: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalFilePage {
    pub rows: Vec<PortalFile>,
    pub page: u32,
    pub pages: u32,
}
