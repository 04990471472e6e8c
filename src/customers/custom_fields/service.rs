//! Managing custom field definitions. A field is never deleted (its values are data):
//! it is deactivated, which hides it from forms and keeps the values.
use super::model::*;
use crate::db::entities::{custom_field_def, custom_field_value};
use crate::error::{AppError, AppResult, FieldError};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};

fn to_input(m: &custom_field_def::Model) -> CustomFieldInput {
    CustomFieldInput {
        id: Some(m.id),
        key: m.key.clone(),
        label_de: m.label_de.clone(),
        label_en: m.label_en.clone(),
        kind: m.kind.clone(),
        options: m.options.clone(),
        required: m.required,
        active: m.active,
    }
}

pub async fn list<C: ConnectionTrait>(db: &C) -> AppResult<Vec<CustomFieldRow>> {
    let defs = custom_field_def::Entity::find()
        .order_by_asc(custom_field_def::Column::Position)
        .order_by_asc(custom_field_def::Column::Id)
        .all(db)
        .await?;
    // One grouped count for all fields instead of one query per field.
    let counts: std::collections::HashMap<i32, i64> = db
        .query_all_raw(crate::db::stmt(
            db,
            "SELECT field_id, COUNT(*) AS n FROM custom_field_values GROUP BY field_id",
            vec![],
        ))
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get::<i32>("", "field_id")?, r.try_get::<i64>("", "n")?)))
        .collect::<Result<_, sea_orm::DbErr>>()?;
    Ok(defs
        .iter()
        .map(|d| CustomFieldRow {
            id: d.id,
            input: to_input(d),
            used_by: counts.get(&d.id).copied().unwrap_or(0) as u64,
        })
        .collect())
}

fn normalise_options(options: &str) -> String {
    options.lines().map(str::trim).filter(|o| !o.is_empty()).collect::<Vec<_>>().join("\n")
}

fn validate(input: &CustomFieldInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let key = input.key.trim();
    if key.is_empty()
        || key.len() > 40
        || !key.starts_with(|c: char| c.is_ascii_lowercase())
        || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        errors.push(FieldError::new("key", "validation.field_key"));
    }
    for field in ["label_de", "label_en"] {
        let value = if field == "label_de" { &input.label_de } else { &input.label_en };
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, "validation.required"));
        } else {
            crate::text::check(&mut errors, field, value, 80, crate::text::Lines::One);
        }
    }
    if !KINDS.contains(&input.kind.as_str()) {
        errors.push(FieldError::new("kind", "validation.choice"));
    }
    if input.kind == "select" && normalise_options(&input.options).is_empty() {
        errors.push(FieldError::new("options", "validation.options_required"));
    }
    errors
}

/// Create or change a definition; returns its id.
pub async fn save<C: ConnectionTrait>(db: &C, input: &CustomFieldInput) -> AppResult<i32> {
    let mut errors = validate(input);
    let key = input.key.trim().to_string();
    let same_key =
        custom_field_def::Entity::find().filter(custom_field_def::Column::Key.eq(&key)).one(db).await?;
    if same_key.as_ref().is_some_and(|d| Some(d.id) != input.id) {
        errors.push(FieldError::new("key", "validation.field_key_taken"));
    }
    let existing = match input.id {
        Some(id) => Some(custom_field_def::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    if let Some(old) = &existing {
        let used = custom_field_value::Entity::find()
            .filter(custom_field_value::Column::FieldId.eq(old.id))
            .count(db)
            .await?;
        if used > 0 && old.kind != input.kind {
            errors.push(FieldError::new("kind", "validation.field_kind_used"));
        }
        if used > 0 && old.key != key {
            errors.push(FieldError::new("key", "validation.field_key_used"));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let position = match &existing {
        Some(old) => old.position,
        None => custom_field_def::Entity::find().count(db).await? as i32,
    };
    let mut am = match existing {
        Some(old) => old.into_active_model(),
        None => <custom_field_def::ActiveModel as Default>::default(),
    };
    am.key = Set(key);
    am.label_de = Set(input.label_de.trim().to_string());
    am.label_en = Set(input.label_en.trim().to_string());
    am.kind = Set(input.kind.clone());
    am.options = Set(normalise_options(&input.options));
    am.required = Set(input.required);
    am.active = Set(input.active);
    am.position = Set(position);
    let saved = am.save(db).await?;
    Ok(saved.id.unwrap())
}
