//! A boxed error for the binary's top level; the services use `AppError`.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;
