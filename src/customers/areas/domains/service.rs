//! The customer's domains: the list in pages and ordering one. A name is kept as its A-label
//! under the longest TLD we sell; a live domain of that name refuses a second order, whoever
//! holds it (checked here with a message, and by the partial unique index under a race).
use super::model::*;
use crate::catalogue::tlds::active_tlds;
use crate::customers::areas::history::service::{differing, record_changes};
use crate::db::entities::{change, domain, tld};
use crate::domains::name::DomainName;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::events::service::{NewEvent, record};
use crate::write::Ctx;
use chrono::Utc;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// Statuses of a domain that is ours no longer.
const ENDED: [&str; 2] = ["deleted", "transfer_out"];

pub(super) fn row(d: domain::Model) -> DomainRow {
    DomainRow {
        id: d.id,
        name: d.unicode_name,
        ace: d.ace_name,
        status: DomainStatus::parse(&d.status).unwrap_or_default(),
        order: DomainOrder::parse(&d.order_kind).unwrap_or_default(),
        error_text: d.error_text,
        expires_on: d.expires_on.map(|x| x.to_string()).unwrap_or_default(),
        registry_expires_on: d
            .registry_expires_at
            .map(|x| crate::customers::service::business_day_of(x).to_string())
            .unwrap_or_default(),
        auto_renew: d.auto_renew,
        transfer_lock: d.transfer_lock,
        version: d.version,
    }
}

/// The nameserver hosts of a domain's stored list.
pub fn hosts(nameservers: &str) -> Vec<String> {
    serde_json::from_str::<Vec<serde_json::Value>>(nameservers)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.get("host").and_then(|h| h.as_str()).map(String::from))
        .collect()
}

/// Page `page` of the customer's domains, by name.
pub async fn list<C: ConnectionTrait>(db: &C, customer_id: i32, page: u32) -> AppResult<DomainPage> {
    let query = domain::Entity::find().filter(domain::Column::CustomerId.eq(customer_id));
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_asc(domain::Column::AceName)
        .order_by_asc(domain::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?
        .into_iter()
        .map(row)
        .collect();
    Ok(DomainPage { rows, total, page, pages })
}

/// The customer's domain `id`; another customer's is not found.
pub async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<domain::Model> {
    domain::Entity::find_by_id(id)
        .filter(domain::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Whether a live domain of this A-label exists (at any customer).
async fn live<C: ConnectionTrait>(db: &C, ace: &str) -> AppResult<bool> {
    Ok(domain::Entity::find()
        .filter(domain::Column::AceName.eq(ace))
        .filter(domain::Column::Status.is_not_in(ENDED))
        .count(db)
        .await?
        > 0)
}

/// Order a domain for the customer: it starts as `ordered` (the registrar's job takes it from
/// there). Returns its id.
pub async fn add(ctx: &Ctx, actor: Actor, customer_id: i32, input: &DomainInput) -> AppResult<i32> {
    let refuse = |key: &str| AppError::Validation(vec![FieldError::new("name", key)]);
    let name = DomainName::parse(&input.name).map_err(|e| refuse(e.message_key()))?;
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let tlds = active_tlds(txn).await?;
    let Some(ending) = name.tld_in(tlds.iter().map(String::as_str)) else {
        return Err(refuse("domain.tld_unknown"));
    };
    if !name.registrable_under(ending) {
        return Err(refuse("domain.not_registrable"));
    }
    let ending =
        tld::Entity::find().filter(tld::Column::Tld.eq(ending)).one(txn).await?.ok_or(AppError::NotFound)?;
    // A transfer brings the auth code of the current provider; it is kept sealed until the
    // registrar's job sends it.
    let authcode = match input.order {
        DomainOrder::Register => String::new(),
        DomainOrder::Transfer => {
            let code = input.authcode.trim();
            let mut errors = Vec::new();
            if code.is_empty() && ending.authcode_required {
                errors.push(FieldError::new("authcode", "domain.authcode_required"));
            }
            crate::text::check(&mut errors, "authcode", code, 255, crate::text::Lines::One);
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            if code.is_empty() { String::new() } else { crate::auth::secrets::seal(code) }
        }
    };
    let tld_id = ending.id;
    if live(txn, &name.ace).await? {
        return Err(refuse("domain.taken"));
    }
    let now = Utc::now();
    let by = actor.staff_id();
    let nameservers = own_nameservers(txn, customer_id).await?;
    let inserted = domain::ActiveModel {
        customer_id: Set(customer_id),
        ace_name: Set(name.ace.clone()),
        unicode_name: Set(name.unicode.clone()),
        tld_id: Set(tld_id),
        status: Set(DomainStatus::Ordered.as_str().into()),
        order_kind: Set(input.order.as_str().into()),
        registry_status: Set(String::new()),
        error_text: Set(String::new()),
        auto_renew: Set(input.auto_renew),
        transfer_lock: Set(true),
        nameservers: Set(nameservers),
        search_name: Set(crate::customers::search_text::build(&[&name.unicode, &name.ace])),
        owner_handle: Set(String::new()),
        admin_handle: Set(String::new()),
        tech_handle: Set(String::new()),
        zone_handle: Set(String::new()),
        // The code we set at the registry for this domain (a transfer in gets its own once
        // it arrives; until then the one from the other provider travels).
        authcode: Set(crate::auth::secrets::seal(&crate::domains::authcode::generate())),
        transfer_authcode: Set(authcode),
        version: Set(1),
        created_at: Set(now),
        created_by: Set(by),
        updated_at: Set(now),
        updated_by: Set(by),
        ..Default::default()
    }
    .insert(txn)
    .await;
    // Another order of the same name committed in between: the index refuses it.
    let id = match inserted {
        Ok(d) => d.id,
        Err(e) if crate::db::is_unique_violation(&e) => return Err(refuse("domain.taken")),
        Err(e) => return Err(e.into()),
    };
    let payload = serde_json::json!({ "name": name.unicode, "ace": name.ace, "order": input.order.as_str() });
    record(txn, NewEvent::new(customer_id, "domain_ordered", actor, payload.to_string())).await?;
    // Under an ending a registrar module serves, the registrar's job takes it from here; under
    // one without, staff register by hand and confirm.
    if super::jobs::automatic_registrar(txn, ending.registrar_id).await? {
        let ordered = domain::Entity::find_by_id(id).one(txn).await?.ok_or(AppError::NotFound)?;
        let (status, action) = match input.order {
            DomainOrder::Register => (DomainStatus::RegistrationPending, DomainJobAction::Register),
            DomainOrder::Transfer => (DomainStatus::TransferPending, DomainJobAction::Transfer),
        };
        let mut am = ordered.clone().into_active_model();
        am.registrar_id = Set(ending.registrar_id);
        am.status = Set(status.as_str().into());
        am.update(txn).await?;
        super::jobs::enqueue(txn, &ordered, action, 1, actor).await?;
        change.job_queued();
    }
    change.touched(super::AREA.slug);
    change.commit().await?;
    Ok(id)
}

/// The customer's own nameservers with their glue, as a domain stores its nameservers
/// (`[{"host", "ips"}]`); `[]` where the customer has none (the registrar's defaults apply).
async fn own_nameservers<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<String> {
    use crate::db::entities::customer;
    let c = customer::Entity::find_by_id(customer_id).one(db).await?.ok_or(AppError::NotFound)?;
    let glue = crate::customers::validate::glue(&c.own_nameserver_glue).unwrap_or_default();
    let list: Vec<serde_json::Value> =
        crate::customers::service::convert::nameserver_list(&c.own_nameservers)
            .into_iter()
            .map(|host| {
                let ips: Vec<String> = glue
                    .iter()
                    .filter(|(h, _)| *h == host)
                    .flat_map(|(_, ips)| ips.iter().map(|ip| ip.to_string()))
                    .collect();
                serde_json::json!({ "host": host, "ips": ips })
            })
            .collect();
    Ok(serde_json::Value::Array(list).to_string())
}

/// The Verlauf's entity for a domain's own terms.
pub const ENTITY: &str = "domain";

fn terms_of(d: &domain::Model) -> DomainTerms {
    DomainTerms {
        auto_renew: d.auto_renew,
        expires_on: d.expires_on.map(|x| x.to_string()).unwrap_or_default(),
        version: d.version,
    }
}

/// Change whether a domain renews on its own and until when it is paid, at the version the
/// staff member saw; both go into the Verlauf.
pub async fn set_terms(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    id: i32,
    terms: &DomainTerms,
) -> AppResult<()> {
    set_terms_reverting(ctx, actor, customer_id, id, terms, None).await
}

async fn set_terms_reverting(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    id: i32,
    terms: &DomainTerms,
    reverts: Option<i32>,
) -> AppResult<()> {
    let expires_on = match terms.expires_on.trim() {
        "" => None,
        text => Some(
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| AppError::Validation(vec![FieldError::new("expires_on", "validation.date")]))?,
        ),
    };
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let current = find(txn, customer_id, id).await?;
    if current.version != terms.version {
        return Err(AppError::Conflict { current_version: current.version });
    }
    let before = terms_of(&current);
    let after = DomainTerms {
        auto_renew: terms.auto_renew,
        expires_on: expires_on.map(|d| d.to_string()).unwrap_or_default(),
        version: current.version + 1,
    };
    let changes = differing(DomainTerms::FIELDS, |f| before.read(f), |f| after.read(f));
    if changes.is_empty() {
        return Ok(());
    }
    let mut am = current.into_active_model();
    am.auto_renew = Set(after.auto_renew);
    am.expires_on = Set(expires_on);
    am.version = Set(after.version);
    am.updated_at = Set(Utc::now());
    am.updated_by = Set(actor.staff_id());
    am.update(txn).await?;
    record_changes(txn, customer_id, ENTITY, id, actor, &changes, reverts).await?;
    change.touched(super::AREA.slug);
    change.commit().await
}

/// Undo one recorded change of a domain's terms through the normal change.
pub async fn undo(ctx: &Ctx, staff_id: i32, customer_id: i32, c: &change::Model) -> AppResult<()> {
    let current = find(&ctx.db, customer_id, c.entity_id).await?;
    let mut terms = terms_of(&current);
    if terms.read(&c.field).as_deref() != Some(c.new_value.as_str()) {
        return Err(AppError::Validation(vec![FieldError::new(c.field.clone(), "history.changed_since")]));
    }
    if !terms.write(&c.field, &c.old_value) {
        return Err(AppError::NotFound);
    }
    set_terms_reverting(ctx, Actor::Staff(staff_id), customer_id, c.entity_id, &terms, Some(c.id)).await
}

/// The customer's domain names by id, for the Verlauf.
pub async fn names<C: ConnectionTrait>(
    db: &C,
    customer_id: i32,
) -> AppResult<std::collections::HashMap<i32, String>> {
    Ok(domain::Entity::find()
        .filter(domain::Column::CustomerId.eq(customer_id))
        .select_only()
        .columns([domain::Column::Id, domain::Column::UnicodeName])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Switch one of the customer's domain flags at the customer's version shown (in the Verlauf as
/// a Daten change).
pub async fn set_flag(
    ctx: &Ctx,
    actor: Actor,
    customer_id: i32,
    version: i64,
    flag: DomainFlag,
    on: bool,
) -> AppResult<()> {
    let mut change = crate::customers::service::switch(ctx, actor, customer_id, version, |form| match flag {
        DomainFlag::Contacts => form.domain_contacts_enabled = on,
        DomainFlag::Api => form.domain_api_enabled = on,
        DomainFlag::AuthcodeLocked => form.authcode_locked = on,
    })
    .await?;
    // The self-service view and the panel read the flags.
    change.touched(super::AREA.slug);
    change.commit().await
}

pub use super::detail::view;
pub use super::registry::{confirm, request};
pub use super::self_service::portal_change;
