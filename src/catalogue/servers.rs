//! Servers (with their sealed admin credential) and hosting packages. Saving a server never
//! returns its secret; "test connection" asks the module.
use super::server_model::*;
use crate::db::entities::{hosting, hosting_package, server};
use crate::error::{AppError, AppResult, FieldError};
use crate::provisioning::fields::{self, Scope};
use crate::provisioning::{Modules, ServerConf};
use crate::text::{Lines, check};
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;

/// The settings to store: the JSON object of other settings with the module's fields read into
/// it; every field that is not usable gets its message (`settings.<key>`).
pub(super) fn settings_object(
    text: &str,
    (module, scope): (&str, Scope),
    fields: &[(String, String)],
    errors: &mut Vec<FieldError>,
) -> String {
    let text = if text.trim().is_empty() { "{}" } else { text.trim() };
    let mut map = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => map,
        // The fields are still checked, so every message shows at once.
        _ => {
            errors.push(FieldError::new("settings", "servers.settings_invalid"));
            serde_json::Map::new()
        }
    };
    for (key, why) in fields::merge(module, scope, &mut map, fields) {
        let error = FieldError::new(format!("settings.{key}"), why.key);
        errors.push(match why.line {
            Some(line) => error.with("line", line.to_string()),
            None => error,
        });
    }
    serde_json::Value::Object(map).to_string()
}

async fn name_taken<C: ConnectionTrait>(
    db: &C,
    name: &str,
    own: Option<i32>,
    packages: bool,
) -> AppResult<bool> {
    let ids: Vec<i32> = if packages {
        hosting_package::Entity::find()
            .filter(hosting_package::Column::Name.eq(name))
            .select_only()
            .column(hosting_package::Column::Id)
            .into_tuple()
            .all(db)
            .await?
    } else {
        server::Entity::find()
            .filter(server::Column::Name.eq(name))
            .select_only()
            .column(server::Column::Id)
            .into_tuple()
            .all(db)
            .await?
    };
    Ok(ids.into_iter().any(|id| Some(id) != own))
}

pub async fn save_server<C: ConnectionTrait>(db: &C, input: &ServerInput) -> AppResult<i32> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "validation.required"));
    }
    check(&mut errors, "name", name, 100, Lines::One);
    if Modules::standard().get(&input.module).is_none() {
        errors.push(FieldError::new("module", "servers.module_unknown"));
    }
    let host = input.host.trim();
    if input.module != "manual" && host.is_empty() {
        errors.push(FieldError::new("host", "validation.required"));
    }
    check(&mut errors, "host", host, 253, Lines::One);
    if !(0..=65535).contains(&input.port) {
        errors.push(FieldError::new("port", "servers.port_invalid"));
    }
    check(&mut errors, "username", input.username.trim(), 80, Lines::One);
    let settings =
        settings_object(&input.settings, (&input.module, Scope::Server), &input.fields, &mut errors);
    if errors.is_empty() && name_taken(db, name, input.id, false).await? {
        errors.push(FieldError::new("name", "servers.name_taken"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = Utc::now();
    let secret = (!input.secret.is_empty()).then(|| crate::auth::secrets::seal(&input.secret));
    match input.id {
        None => Ok(server::ActiveModel {
            name: Set(name.into()),
            module: Set(input.module.clone()),
            host: Set(host.into()),
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
        .await?
        .id),
        Some(id) => {
            let current = server::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            if current.version != input.version {
                return Err(AppError::Conflict { current_version: current.version });
            }
            let mut am = current.into_active_model();
            am.name = Set(name.into());
            am.module = Set(input.module.clone());
            am.host = Set(host.into());
            am.port = Set(input.port);
            am.username = Set(input.username.trim().into());
            if let Some(secret) = secret {
                am.secret = Set(secret);
            }
            am.settings = Set(settings);
            am.active = Set(input.active);
            am.version = Set(input.version + 1);
            am.updated_at = Set(now);
            Ok(am.update(db).await?.id)
        }
    }
}

pub async fn save_package<C: ConnectionTrait>(db: &C, input: &PackageInput) -> AppResult<i32> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.push(FieldError::new("name", "validation.required"));
    }
    check(&mut errors, "name", name, 100, Lines::One);
    let module = match server::Entity::find_by_id(input.server_id).one(db).await? {
        Some(s) => s.module,
        None => {
            errors.push(FieldError::new("server_id", "servers.server_unknown"));
            String::new()
        }
    };
    let settings = settings_object(&input.settings, (&module, Scope::Package), &input.fields, &mut errors);
    if errors.is_empty() && name_taken(db, name, input.id, true).await? {
        errors.push(FieldError::new("name", "servers.name_taken"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = Utc::now();
    match input.id {
        None => Ok(hosting_package::ActiveModel {
            name: Set(name.into()),
            server_id: Set(input.server_id),
            settings: Set(settings),
            auto_provision: Set(input.auto_provision),
            active: Set(input.active),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?
        .id),
        Some(id) => {
            let current = hosting_package::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            if current.version != input.version {
                return Err(AppError::Conflict { current_version: current.version });
            }
            let mut am = current.into_active_model();
            am.name = Set(name.into());
            am.server_id = Set(input.server_id);
            am.settings = Set(settings);
            am.auto_provision = Set(input.auto_provision);
            am.active = Set(input.active);
            am.version = Set(input.version + 1);
            am.updated_at = Set(now);
            Ok(am.update(db).await?.id)
        }
    }
}

async fn hostings_by<C: ConnectionTrait>(db: &C, column: hosting::Column) -> AppResult<HashMap<i32, u64>> {
    let rows: Vec<(i32, i64)> = hosting::Entity::find()
        .filter(hosting::Column::Status.ne("terminated"))
        .select_only()
        .column(column)
        .column_as(hosting::Column::Id.count(), "n")
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(id, n)| (id, n.max(0) as u64)).collect())
}

/// Every server and package (an installation has a handful), with their live hostings.
pub async fn page<C: ConnectionTrait>(db: &C) -> AppResult<ServerSettings> {
    let per_server = hostings_by(db, hosting::Column::ServerId).await?;
    let per_package = hostings_by(db, hosting::Column::PackageId).await?;
    let servers = server::Entity::find().order_by_asc(server::Column::Name).all(db).await?;
    let names: HashMap<i32, String> = servers.iter().map(|s| (s.id, s.name.clone())).collect();
    let servers = servers
        .into_iter()
        .map(|s| ServerRow {
            has_secret: !s.secret.is_empty(),
            hostings: per_server.get(&s.id).copied().unwrap_or(0),
            input: ServerInput {
                id: Some(s.id),
                version: s.version,
                name: s.name,
                module: s.module,
                host: s.host,
                port: s.port,
                username: s.username,
                secret: String::new(),
                settings: s.settings,
                fields: Vec::new(),
                active: s.active,
            },
        })
        .collect();
    let packages = hosting_package::Entity::find()
        .order_by_asc(hosting_package::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|p| PackageRow {
            server_name: names.get(&p.server_id).cloned().unwrap_or_default(),
            hostings: per_package.get(&p.id).copied().unwrap_or(0),
            input: PackageInput {
                id: Some(p.id),
                version: p.version,
                name: p.name,
                server_id: p.server_id,
                settings: p.settings,
                fields: Vec::new(),
                auto_provision: p.auto_provision,
                active: p.active,
            },
        })
        .collect();
    let modules = Modules::standard().names().into_iter().map(String::from).collect();
    Ok(ServerSettings { servers, packages, modules })
}

/// Ask the server's module whether it can reach the server with the stored credential.
pub async fn test_connection<C: ConnectionTrait>(db: &C, id: i32) -> AppResult<Result<String, String>> {
    let s = server::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let Some(module) = Modules::standard().get(&s.module) else {
        return Ok(Err(format!("no module {:?} here", s.module)));
    };
    let secret = if s.secret.is_empty() { String::new() } else { crate::auth::secrets::open(&s.secret)? };
    let conf = ServerConf {
        id: s.id,
        host: s.host,
        port: u16::try_from(s.port).unwrap_or(0),
        username: s.username,
        secret: secret.clone(),
        settings: serde_json::from_str(&s.settings).unwrap_or(serde_json::Value::Null),
    };
    let mut redactor = crate::provisioning::redact::Redactor::default();
    redactor.add(&secret);
    Ok(module.test_connection(&conf).await.map_err(|e| redactor.apply(&e.to_string())))
}
