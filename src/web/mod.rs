//! What handlers and server functions of every module share: the app state, the
//! configuration, cookies and HTTP answers. It sits below the feature modules so that they can
//! reach the state without importing the server that wires them together.
pub mod anyhow_lite;
pub mod client_ip;
pub mod config;
pub mod cookies;
pub mod download;
pub mod limits;
pub mod respond;
pub mod state;
