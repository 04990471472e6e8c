//! The Art. 15 meta information of the data report (purposes, categories, recipients, storage
//! periods, rights, right to complain, source, scoring). Sensible defaults ship in the
//! translation files; the operator's own texts per language are stored as settings.
use super::model::{REPORT_TOPICS, ReportTexts};
use crate::db::settings;
use crate::error::{AppError, AppResult, FieldError};
use crate::i18n::{Locale, translate};
use sea_orm::ConnectionTrait;

fn key(locale: Locale, topic: &str) -> String {
    format!("report_text.{}.{topic}", locale.code())
}

/// The texts in force for a language: the operator's where set, else the default.
pub async fn texts<C: ConnectionTrait>(db: &C, locale: Locale) -> AppResult<ReportTexts> {
    let mut texts = Vec::new();
    for topic in REPORT_TOPICS {
        let own = settings::get(db, &key(locale, topic)).await?;
        let text = own.unwrap_or_else(|| translate(locale, &format!("report.default.{topic}")));
        texts.push((topic.to_string(), text));
    }
    Ok(ReportTexts { language: locale.code().into(), texts })
}

/// Store the operator's texts for a language, all or none. Every topic needs exactly one text
/// (Art. 15 requires each); unknown topics are refused.
pub async fn save(db: &crate::db::Db, input: &ReportTexts) -> AppResult<()> {
    let Some(locale) = Locale::from_code(&input.language) else {
        return Err(AppError::Validation(vec![FieldError::new("language", "validation.choice")]));
    };
    let mut errors = Vec::new();
    if input.texts.len() != REPORT_TOPICS.len()
        || input.texts.iter().any(|(topic, _)| !REPORT_TOPICS.contains(&topic.as_str()))
    {
        errors.push(FieldError::new("texts", "validation.choice"));
    }
    for topic in REPORT_TOPICS {
        let text = input.texts.iter().find(|(t, _)| t == topic).map(|(_, v)| v.trim()).unwrap_or("");
        if text.is_empty() {
            errors.push(FieldError::new(topic, "validation.required"));
        } else {
            crate::text::check(&mut errors, topic, text, 4000, crate::text::Lines::Many);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let txn = crate::db::begin_write(db).await?;
    for (topic, text) in &input.texts {
        settings::set(&txn, &key(locale, topic), text.trim()).await?;
    }
    txn.commit().await?;
    Ok(())
}
