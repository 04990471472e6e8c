//! Asking for a domain's auth code: the customer in the self-service area (unless staff switched
//! "Authcode-Abfrage deaktivieren" on) and staff with `domains.authcode`. The code is kept sealed;
//! every time it is shown goes into the customer's Log with who asked and from where.
use super::model::*;
use crate::db::entities::{customer, domain};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::write::Ctx;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// Domains per page in the self-service area.
pub const PORTAL_PAGE_SIZE: u64 = 25;

/// Statuses in which a domain is with us and its code can move it.
const HELD: [&str; 4] = ["active", "expired", "redemption", "transfer_out"];

fn refuse(key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new("authcode", key)])
}

/// One page of the customer's domains (ended ones are not shown), by name.
pub async fn for_portal<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
    page: u32,
) -> AppResult<PortalDomainPage> {
    let (locked, contacts_enabled) = customer::Entity::find_by_id(customer_id)
        .select_only()
        .column(customer::Column::AuthcodeLocked)
        .column(customer::Column::DomainContactsEnabled)
        .into_tuple::<(bool, bool)>()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let query = domain::Entity::find()
        .filter(domain::Column::CustomerId.eq(customer_id))
        .filter(domain::Column::Status.is_not_in(["deleted", "transfer_out"]));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PORTAL_PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_asc(domain::Column::AceName)
        .order_by_asc(domain::Column::Id)
        .offset(u64::from(page - 1) * PORTAL_PAGE_SIZE)
        .limit(PORTAL_PAGE_SIZE)
        .all(db)
        .await?
        .into_iter()
        .map(|d| PortalDomainRow {
            id: d.id,
            status: DomainStatus::parse(&d.status).unwrap_or_default(),
            has_authcode: !d.authcode.is_empty() && HELD.contains(&d.status.as_str()),
            expires_on: d.expires_on.map(|x| x.to_string()).unwrap_or_default(),
            auto_renew: d.auto_renew,
            nameservers: super::service::hosts(&d.nameservers),
            tech_handle: d.tech_handle,
            zone_handle: d.zone_handle,
            version: d.version,
            name: d.unicode_name,
            ace: d.ace_name,
        })
        .collect();
    Ok(PortalDomainPage { rows, total, page, pages, authcode_locked: locked, contacts_enabled })
}

/// Who asks for a code.
pub enum Asker<'a> {
    /// The customer (or a contact) in the self-service area, from `ip`.
    Customer { actor: Actor, ip: &'a str },
    /// A staff member with `domains.authcode`.
    Staff { id: i32, ip: &'a str },
}

/// The auth code of the customer's domain `id`, opened, with the asking written to the Log.
/// Refused while the domain is not with us, without a code, or (for the customer) while
/// "Authcode-Abfrage deaktivieren" is on.
pub async fn reveal(ctx: &Ctx, customer_id: i32, id: i32, asker: Asker<'_>) -> AppResult<(String, String)> {
    let locked = customer::Entity::find_by_id(customer_id)
        .one(&ctx.db)
        .await?
        .ok_or(AppError::NotFound)?
        .authcode_locked;
    if locked && matches!(asker, Asker::Customer { .. }) {
        return Err(refuse("domain.authcode_locked"));
    }
    let d = super::service::find(&ctx.db, customer_id, id).await?;
    if !HELD.contains(&d.status.as_str()) {
        return Err(refuse("domain.authcode_not_held"));
    }
    if d.authcode.is_empty() {
        return Err(refuse("domain.authcode_none"));
    }
    let code = crate::auth::secrets::open(&d.authcode)?;
    let (actor, ip, by) = match asker {
        Asker::Customer { actor, ip } => (actor, ip, "customer"),
        Asker::Staff { id, ip } => (Actor::Staff(id), ip, "staff"),
    };
    let payload = serde_json::json!({ "name": d.unicode_name, "ip": ip, "by": by });
    let mut change = ctx.begin_append(customer_id).await?;
    record(&change.txn, NewEvent::new(customer_id, "domain_authcode_shown", actor, payload.to_string()))
        .await?;
    change.touched(crate::customers::areas::log::AREA.slug);
    change.commit().await?;
    Ok((d.unicode_name, code))
}
