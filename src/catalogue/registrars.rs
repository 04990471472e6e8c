//! Registrars (with their sealed password): add, edit, "test connection". The endings a
//! registrar registers under are chosen on the TLD price list.
use super::registrar_model::*;
use super::servers::settings_object;
use crate::db::entities::{domain, registrar, tld};
use crate::domains::name::DomainName;
use crate::error::{AppError, AppResult, FieldError};
use crate::provisioning::ServerConf;
use crate::provisioning::fields::Scope;
use crate::provisioning::registrar::Registrars;
use crate::text::{Lines, check};
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;

fn validate(input: &RegistrarInput) -> (Vec<FieldError>, String) {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "validation.required"));
    }
    check(&mut errors, "name", name, 100, Lines::One);
    let automatic = match Registrars::standard().get(&input.module) {
        Some(module) => module.automatic(),
        None => {
            errors.push(FieldError::new("module", "registrars.module_unknown"));
            false
        }
    };
    // A module that talks to a registry needs its address and account; the manual one none.
    for (field, text) in [("host", &input.host), ("username", &input.username)] {
        if automatic && text.trim().is_empty() {
            errors.push(FieldError::new(field, "validation.required"));
        }
    }
    check(&mut errors, "host", input.host.trim(), 253, Lines::One);
    check(&mut errors, "username", input.username.trim(), 80, Lines::One);
    if !(0..=65535).contains(&input.port) {
        errors.push(FieldError::new("port", "servers.port_invalid"));
    }
    let settings =
        settings_object(&input.settings, (&input.module, Scope::Registrar), &input.fields, &mut errors);
    (errors, settings)
}

/// Add or edit a registrar; an empty secret keeps the stored one.
pub async fn save<C: ConnectionTrait>(db: &C, input: &RegistrarInput) -> AppResult<i32> {
    let (mut errors, settings) = validate(input);
    let name = input.name.trim();
    let same_name: Vec<i32> = registrar::Entity::find()
        .filter(registrar::Column::Name.eq(name))
        .select_only()
        .column(registrar::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if errors.is_empty() && same_name.into_iter().any(|id| Some(id) != input.id) {
        errors.push(FieldError::new("name", "registrars.name_taken"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = Utc::now();
    let secret = (!input.secret.is_empty()).then(|| crate::auth::secrets::seal(&input.secret));
    let saved = match input.id {
        None => {
            registrar::ActiveModel {
                name: Set(name.into()),
                module: Set(input.module.clone()),
                host: Set(input.host.trim().into()),
                port: Set(input.port),
                username: Set(input.username.trim().into()),
                secret: Set(secret.unwrap_or_default()),
                settings: Set(settings),
                active: Set(input.active),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
        }
        Some(id) => {
            let current = registrar::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            if current.version != input.version {
                return Err(AppError::Conflict { current_version: current.version });
            }
            let mut am = current.into_active_model();
            am.name = Set(name.into());
            am.module = Set(input.module.clone());
            am.host = Set(input.host.trim().into());
            am.port = Set(input.port);
            am.username = Set(input.username.trim().into());
            if let Some(secret) = secret {
                am.secret = Set(secret);
            }
            am.settings = Set(settings);
            am.active = Set(input.active);
            am.version = Set(input.version + 1);
            am.updated_at = Set(now);
            am.update(db).await
        }
    };
    match saved {
        Ok(row) => Ok(row.id),
        // Another save took the name in between.
        Err(e) if crate::db::is_unique_violation(&e) => {
            Err(AppError::Validation(vec![FieldError::new("name", "registrars.name_taken")]))
        }
        Err(e) => Err(e.into()),
    }
}

/// Every registrar (an installation has a handful) with its live domains and its endings.
pub async fn page<C: ConnectionTrait>(db: &C) -> AppResult<RegistrarSettings> {
    let counts: HashMap<i32, u64> = domain::Entity::find()
        .filter(domain::Column::Status.ne("deleted"))
        .filter(domain::Column::RegistrarId.is_not_null())
        .select_only()
        .column(domain::Column::RegistrarId)
        .column_as(domain::Column::Id.count(), "n")
        .group_by(domain::Column::RegistrarId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, n)| (id, n.max(0) as u64))
        .collect();
    let mut endings: HashMap<i32, Vec<String>> = HashMap::new();
    let tlds: Vec<(i32, String)> = tld::Entity::find()
        .filter(tld::Column::RegistrarId.is_not_null())
        .order_by_asc(tld::Column::Tld)
        .select_only()
        .column(tld::Column::RegistrarId)
        .column(tld::Column::Tld)
        .into_tuple()
        .all(db)
        .await?;
    for (id, ace) in tlds {
        let shown = DomainName::parse_tld(&ace).map(|n| n.unicode).unwrap_or(ace);
        endings.entry(id).or_default().push(shown);
    }
    let registrars = registrar::Entity::find()
        .order_by_asc(registrar::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|r| RegistrarRow {
            has_secret: !r.secret.is_empty(),
            domains: counts.get(&r.id).copied().unwrap_or(0),
            tlds: endings.remove(&r.id).unwrap_or_default(),
            input: RegistrarInput {
                id: Some(r.id),
                version: r.version,
                name: r.name,
                module: r.module,
                host: r.host,
                port: r.port,
                username: r.username,
                secret: String::new(),
                settings: r.settings,
                fields: Vec::new(),
                active: r.active,
            },
        })
        .collect();
    let modules = Registrars::standard().names().into_iter().map(String::from).collect();
    Ok(RegistrarSettings { registrars, modules })
}

/// The registrars an ending may be sold through, as (id, name), by name.
pub async fn choices<C: ConnectionTrait>(db: &C) -> AppResult<Vec<(i32, String)>> {
    Ok(registrar::Entity::find()
        .order_by_asc(registrar::Column::Name)
        .select_only()
        .column(registrar::Column::Id)
        .column(registrar::Column::Name)
        .into_tuple()
        .all(db)
        .await?)
}

/// Ask the registrar's module whether it reaches the registry with the stored account (EPP:
/// greeting, login, logout): its answer, or why not, with the password never in it.
pub async fn test_connection<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<Result<String, String>> {
    let r = registrar::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let Some(module) = Registrars::standard().get(&r.module) else {
        return Ok(Err(format!("no registrar module {:?} here", r.module)));
    };
    let conf = match ServerConf::from_stored(r.id, &r.host, r.port, &r.username, &r.secret, &r.settings) {
        Ok(conf) => conf,
        Err(why) => return Ok(Err(why)),
    };
    let mut redactor = crate::provisioning::redact::Redactor::default();
    redactor.add(&conf.secret);
    Ok(module.test_connection(&conf).await.map_err(|e| redactor.apply(&e.to_string())))
}
