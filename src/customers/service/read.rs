//! Reading one customer and what its form needs.
use super::convert::{form_from_model, model_display_name};
use crate::customers::areas::AREAS;
use crate::customers::model::*;
use crate::db::entities::{custom_field_def, custom_field_value, customer, customer_group};
use crate::error::{AppError, AppResult};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

pub async fn detail<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<CustomerDetail> {
    let m = customer::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let reseller_number = match m.reseller_id {
        Some(rid) => customer::Entity::find_by_id(rid).one(db).await?.map(|r| r.number),
        None => None,
    };
    let group_name = match m.group_id {
        Some(gid) => customer_group::Entity::find_by_id(gid).one(db).await?.map(|g| g.name),
        None => None,
    };
    let mut form = form_from_model(&m, reseller_number);
    let defs = custom_field_def::Entity::find().all(db).await?;
    for value in custom_field_value::Entity::find()
        .filter(custom_field_value::Column::CustomerId.eq(id))
        .all(db)
        .await?
    {
        if let Some(def) = defs.iter().find(|d| d.id == value.field_id && d.active) {
            form.custom.insert(def.key.clone(), value.value);
        }
    }
    Ok(CustomerDetail {
        id: m.id,
        number: m.number.clone(),
        version: m.version,
        display_name: model_display_name(&m),
        group_name,
        pending_email: m.pending_email.clone(),
        source: m.source.clone(),
        created_at: m.created_at.to_rfc3339(),
        updated_at: m.updated_at.to_rfc3339(),
        last_login_at: m.last_login_at.map(|t| t.to_rfc3339()),
        last_ip: m.last_ip.clone(),
        api_key_set: m.api_key_hash.is_some(),
        erased_at: m.erased_at.map(|t| t.to_rfc3339()),
        form,
    })
}

pub async fn active_custom_fields<C: ConnectionTrait>(db: &C) -> AppResult<Vec<custom_field_def::Model>> {
    Ok(custom_field_def::Entity::find()
        .filter(custom_field_def::Column::Active.eq(true))
        .order_by_asc(custom_field_def::Column::Position)
        .order_by_asc(custom_field_def::Column::Id)
        .all(db)
        .await?)
}

pub fn def_view(d: &custom_field_def::Model) -> CustomFieldDef {
    CustomFieldDef {
        key: d.key.clone(),
        label_de: d.label_de.clone(),
        label_en: d.label_en.clone(),
        kind: d.kind.clone(),
        options: d.options.lines().map(str::trim).filter(|o| !o.is_empty()).map(String::from).collect(),
        required: d.required,
    }
}

pub async fn form_meta<C: ConnectionTrait>(db: &C) -> AppResult<FormMeta> {
    let groups = customer_group::Entity::find()
        .order_by_asc(customer_group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| GroupOption { id: g.id, name: g.name })
        .collect();
    let custom_fields = active_custom_fields(db).await?.iter().map(def_view).collect();
    Ok(FormMeta { groups, custom_fields })
}

/// The customer with the warnings of every area, read in one transaction (a savepoint inside a
/// save's). The sidebar figures are read apart (`figures`), only for the staff profile page.
pub async fn profile<C>(db: &C, id: i32) -> AppResult<CustomerProfile>
where
    C: ConnectionTrait + TransactionTrait<Transaction = DatabaseTransaction>,
{
    let txn = db.begin().await?;
    let detail = detail(&txn, id).await?;
    let mut warnings = Vec::new();
    for source in AREAS.iter().filter_map(|a| a.server.warnings) {
        warnings.extend(source.warnings(&txn, &detail).await?);
    }
    txn.commit().await?;
    Ok(CustomerProfile { detail, warnings, figures: Vec::new() })
}

/// Every area's sidebar figure, in one statement: `SELECT (figure 1) AS f0, (figure 2) AS f1…`.
pub async fn figures<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<Vec<AreaFigure>> {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let with_figure = || AREAS.iter().filter_map(|a| a.server.figure.map(|f| (a.slug, f)));
    if with_figure().next().is_none() {
        return Ok(Vec::new());
    }
    let sql = SQL.get_or_init(|| {
        let columns: Vec<String> =
            // BIGINT on both: a SUM would otherwise be NUMERIC on PostgreSQL.
            with_figure().enumerate().map(|(i, (_, f))| format!("CAST(({}) AS BIGINT) AS f{i}", f.sql)).collect();
        format!("SELECT {}", columns.join(", "))
    });
    let row = db
        .query_one_raw(crate::db::stmt(db, sql, vec![customer_id.into()]))
        .await?
        .ok_or(AppError::NotFound)?;
    with_figure()
        .enumerate()
        .map(|(i, (area, f))| {
            let value = row.try_get::<Option<i64>>("", &format!("f{i}"))?.unwrap_or(0);
            Ok(AreaFigure { area: area.into(), value, kind: f.kind })
        })
        .collect()
}

/// The critical warnings row, computed from what exists: more areas feed it as they are built.
pub fn warnings(c: &CustomerDetail) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut push = |key: &str, tone: &str, args: Vec<(String, String)>| {
        out.push(Warning { key: key.into(), tone: tone.into(), args });
    };
    if let Some(at) = &c.erased_at {
        push("warning.erased", "danger", vec![("date".into(), at.get(..10).unwrap_or(at).to_string())]);
        return out;
    }
    if c.form.account_locked {
        push("warning.account_locked", "danger", vec![]);
    }
    if let Some(email) = &c.pending_email {
        push("warning.pending_email", "warning", vec![("email".into(), email.clone())]);
    }
    if c.form.dunning_off {
        push("warning.dunning_off", "warning", vec![]);
    }
    out
}
