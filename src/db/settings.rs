//! Operator settings: small values by key, stored in `settings`.
use super::entities::setting;
use super::stmt;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

/// Staff must use two-factor login.
pub const REQUIRE_STAFF_2FA: &str = "staff.require_2fa";

pub async fn get<C: ConnectionTrait>(db: &C, key: &str) -> Result<Option<String>, DbErr> {
    Ok(setting::Entity::find_by_id(key.to_string()).one(db).await?.map(|s| s.value))
}

pub async fn flag<C: ConnectionTrait>(db: &C, key: &str) -> Result<bool, DbErr> {
    Ok(get(db, key).await?.is_some_and(|v| v == "true"))
}

pub async fn set<C: ConnectionTrait>(db: &C, key: &str, value: &str) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        vec![key.into(), value.into()],
    ))
    .await?;
    Ok(())
}
