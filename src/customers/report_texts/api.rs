//! Server functions of the report-texts settings page.
use crate::codec::Json;
use crate::error::AppError;
use crate::records::model::ReportTexts;
use leptos::prelude::*;

/// The texts in force for `language` (de | en): the operator's own, else the defaults.
#[server(endpoint = "report_texts", input = Json, output = Json)]
pub async fn load_report_texts(language: String) -> Result<ReportTexts, AppError> {
    crate::auth::require(crate::auth::Permission::SettingsTexts)?;
    let locale = crate::i18n::Locale::from_code(&language).unwrap_or_default();
    crate::records::report_texts::texts(&crate::web::state::app_state()?.db, locale).await
}

#[server(endpoint = "save_report_texts", input = Json, output = Json)]
pub async fn save_report_texts(input: ReportTexts) -> Result<(), AppError> {
    crate::auth::require(crate::auth::Permission::SettingsTexts)?;
    crate::records::report_texts::save(&crate::web::state::app_state()?.db, &input).await
}
