//! The one error type every server function returns. Its kinds let the UI act:
//! show field messages, show a conflict, send to the login, or say "not found".
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A message for one form field: a translation key plus placeholder values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: String,
    #[serde(default)]
    pub args: Vec<(String, String)>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, key: impl Into<String>) -> Self {
        FieldError { field: field.into(), key: key.into(), args: Vec::new() }
    }

    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.args.push((name.to_string(), value.into()));
        self
    }
}

#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// Someone else saved first; `current_version` is what the record is at now.
    #[error("conflict: the record was changed meanwhile")]
    Conflict { current_version: i64 },
    #[error("not found")]
    NotFound,
    #[error("not logged in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// Details are logged on the server, never shown.
    #[error("internal error")]
    Internal,
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// The translation key of the message a user sees for this error.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "error.validation",
            AppError::Conflict { .. } => "error.conflict",
            AppError::NotFound => "error.not_found",
            AppError::Unauthenticated => "error.unauthenticated",
            AppError::Forbidden => "error.forbidden",
            AppError::Internal => "error.internal",
            AppError::Transport(_) => "error.transport",
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(errors) => errors,
            _ => &[],
        }
    }
}

impl AppError {
    /// The HTTP status a server function's error answers with: only real server faults are 5xx,
    /// so a typing mistake does not count as a server failure in logs and monitoring.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::Conflict { .. } => 409,
            AppError::NotFound => 404,
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }

    /// A request whose arguments could not be read: a clear message, not the decoder's text.
    pub fn malformed_request() -> AppError {
        AppError::Validation(vec![FieldError::new("request", "error.malformed_request")])
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server these are requests it could not read (the details go to the log only); in
    /// the browser, a server that could not be reached.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        {
            match value {
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_) => {
                    tracing::info!(error = %value, "malformed server-function request");
                    AppError::malformed_request()
                }
                other => {
                    tracing::error!(error = %other, "server-function failure");
                    AppError::Internal
                }
            }
        }
        #[cfg(not(feature = "ssr"))]
        {
            AppError::Transport(value.to_string())
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
