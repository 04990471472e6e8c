//! Where file bytes lie: a folder in the data directory by default, an S3-compatible bucket when
//! `CLIENTDESK_STORAGE=s3://bucket/prefix` says so (endpoint and keys from the usual `AWS_*`
//! variables). Objects are named by random keys; what people see of a file (its name, who may
//! download it) lives in the database. Writes stream in parts, so no file is ever held whole in
//! memory, and are hashed on the way.
pub mod cleanup;
pub mod sniff;
pub mod upload;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The size of one part sent to the store; two may be in flight, so an upload holds about three
/// parts in memory, whatever the file's size.
pub const PART_SIZE: usize = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no such object")]
    NotFound,
    #[error("storage: {0}")]
    Failed(String),
}

impl From<object_store::Error> for StoreError {
    fn from(e: object_store::Error) -> Self {
        match e {
            object_store::Error::NotFound { .. } => StoreError::NotFound,
            e => StoreError::Failed(e.to_string()),
        }
    }
}

impl From<StoreError> for crate::error::AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => crate::error::AppError::NotFound,
            StoreError::Failed(why) => {
                tracing::error!(error = %why, "object store");
                crate::error::AppError::Internal
            }
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The object store behind the app's files.
#[derive(Clone)]
pub struct Store {
    inner: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.inner)
    }
}

/// An S3-compatible bucket and how to reach it.
#[derive(Clone, Debug, Default)]
pub struct S3Target {
    pub bucket: String,
    /// A folder inside the bucket ('' for its root).
    pub prefix: String,
    /// e.g. `http://127.0.0.1:5055`; empty: AWS itself.
    pub endpoint: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: String,
}

impl S3Target {
    /// `s3://bucket/prefix` with the rest from `AWS_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`
    /// and `AWS_SECRET_ACCESS_KEY`.
    pub fn from_url_and_env(url: &str) -> StoreResult<S3Target> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| StoreError::Failed(format!("not an s3:// address: {url}")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(StoreError::Failed("the s3:// address names no bucket".into()));
        }
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        Ok(S3Target {
            bucket: bucket.into(),
            prefix: prefix.trim_matches('/').into(),
            endpoint: var("AWS_ENDPOINT"),
            region: Some(var("AWS_REGION")).filter(|r| !r.is_empty()).unwrap_or_else(|| "us-east-1".into()),
            access_key: var("AWS_ACCESS_KEY_ID"),
            secret_key: var("AWS_SECRET_ACCESS_KEY"),
        })
    }
}

impl Store {
    /// Files in a folder (created if missing).
    pub fn local(dir: &std::path::Path) -> StoreResult<Store> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Failed(format!("{}: {e}", dir.display())))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)?.with_automatic_cleanup(true);
        Ok(Store { inner: Arc::new(fs) })
    }

    /// Files in an S3-compatible bucket (path-style requests, which every such server takes).
    pub fn s3(target: &S3Target) -> StoreResult<Store> {
        // From the environment first (session tokens, instance roles), then what was given.
        let mut builder = object_store::aws::AmazonS3Builder::from_env()
            .with_bucket_name(&target.bucket)
            .with_region(&target.region)
            .with_virtual_hosted_style_request(false);
        if !target.access_key.is_empty() {
            builder =
                builder.with_access_key_id(&target.access_key).with_secret_access_key(&target.secret_key);
        }
        if !target.endpoint.is_empty() {
            builder = builder
                .with_endpoint(&target.endpoint)
                .with_allow_http(target.endpoint.starts_with("http://"));
        }
        let s3 = builder.build()?;
        Ok(match target.prefix.as_str() {
            "" => Store { inner: Arc::new(s3) },
            prefix => Store { inner: Arc::new(object_store::prefix::PrefixStore::new(s3, prefix)) },
        })
    }

    /// The store `CLIENTDESK_STORAGE` names: unset, `files` in the data folder.
    pub fn configured(setting: Option<&str>, data_dir: &std::path::Path) -> StoreResult<Store> {
        match setting.map(str::trim).filter(|s| !s.is_empty()) {
            None => Store::local(&data_dir.join("files")),
            Some(url) if url.starts_with("s3://") => Store::s3(&S3Target::from_url_and_env(url)?),
            Some(other) => Err(StoreError::Failed(format!(
                "CLIENTDESK_STORAGE must be empty or s3://bucket/prefix, not {other}"
            ))),
        }
    }

    /// A fresh key: the year (so a bucket can be browsed) and 128 random bits.
    pub fn new_key() -> String {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        format!("f/{}/{}", chrono::Utc::now().format("%Y"), hex::encode(bytes))
    }

    /// Start writing an object; nothing is visible under the key until `finish`.
    pub async fn writer(&self, key: &str) -> StoreResult<Writer> {
        let upload = self.inner.put_multipart(&Path::from(key)).await?;
        Ok(Writer {
            parts: WriteMultipart::new_with_chunk_size(upload, PART_SIZE),
            hash: Sha256::new(),
            size: 0,
        })
    }

    /// An object's bytes as they come from the store.
    pub async fn read(&self, key: &str) -> StoreResult<BoxStream<'static, StoreResult<Bytes>>> {
        let found = self.inner.get(&Path::from(key)).await?;
        Ok(found.into_stream().map_err(StoreError::from).boxed())
    }

    /// An object's bytes, all of them (mail attachments, tests).
    pub async fn read_all(&self, key: &str) -> StoreResult<Vec<u8>> {
        Ok(self.inner.get(&Path::from(key)).await?.bytes().await?.to_vec())
    }

    /// Whether an object is stored under the key.
    pub async fn exists(&self, key: &str) -> StoreResult<bool> {
        match self.inner.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Delete an object; one that is not there is gone already.
    pub async fn delete(&self, key: &str) -> StoreResult<()> {
        match self.inner.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

/// An object being written: parts go out while later bytes arrive, two at most in flight.
pub struct Writer {
    parts: WriteMultipart,
    hash: Sha256,
    size: u64,
}

/// What was stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

impl Writer {
    pub async fn write(&mut self, bytes: &[u8]) -> StoreResult<()> {
        self.parts.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        self.parts.write(bytes);
        self.hash.update(bytes);
        self.size += bytes.len() as u64;
        Ok(())
    }

    /// The bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Complete the object.
    pub async fn finish(mut self) -> StoreResult<Stored> {
        let sha256 = hex::encode(self.hash.finalize());
        // A part that failed would leave an unfinished multipart upload in the bucket.
        if let Err(e) = self.parts.wait_for_capacity(0).await {
            let _ = self.parts.abort().await;
            return Err(e.into());
        }
        self.parts.finish().await?;
        Ok(Stored { size: self.size, sha256 })
    }

    /// Give up: the parts already sent are discarded.
    pub async fn abort(self) {
        if let Err(e) = self.parts.abort().await {
            tracing::warn!(error = %e, "could not abort an upload");
        }
    }
}
