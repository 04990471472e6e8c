//! A reseller's end customers (the customers whose master data name it as reseller), with
//! their products; removing the link is a change of the end customer's master data (so its
//! Verlauf records it), logged on both and told to the end customer by mail.
use super::model::*;
use crate::customers::service::{self as customers, Actor};
use crate::db::entities::{customer, licence, product};
use crate::error::{AppError, AppResult};
use crate::events::service::{NewEvent, record};
use crate::mail::model::MailKind;
use crate::write::Ctx;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// Page `page` of the reseller's end customers, by name.
pub async fn end_customers<C: ConnectionTrait>(
    db: &C,
    reseller_id: i32,
    page: u32,
) -> AppResult<EndCustomerPage> {
    let query = customer::Entity::find()
        .filter(customer::Column::ResellerId.eq(reseller_id))
        .filter(customer::Column::ErasedAt.is_null());
    let total = query.clone().count(db).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1) as u32;
    let page = page.clamp(1, pages);
    let found = query
        .order_by_asc(customer::Column::SortName)
        .order_by_asc(customer::Column::Id)
        .offset(u64::from(page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let ids: Vec<i32> = found.iter().map(|c| c.id).collect();
    let names: HashMap<i32, String> = product::Entity::find()
        .select_only()
        .columns([product::Column::Id, product::Column::Name])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut products: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    for (customer_id, product_id, status) in licence::Entity::find()
        .filter(licence::Column::CustomerId.is_in(ids))
        .select_only()
        .columns([licence::Column::CustomerId, licence::Column::ProductId, licence::Column::Status])
        .order_by_asc(licence::Column::Id)
        .into_tuple::<(i32, i32, String)>()
        .all(db)
        .await?
    {
        products
            .entry(customer_id)
            .or_default()
            .push((names.get(&product_id).cloned().unwrap_or_default(), status));
    }
    let rows = found
        .into_iter()
        .map(|c| EndCustomer {
            products: products.remove(&c.id).unwrap_or_default(),
            name: crate::ui::format::display_name(&c.first_name, &c.last_name, &c.company),
            id: c.id,
            number: c.number,
            status: c.status,
            version: c.version,
        })
        .collect();
    Ok(EndCustomerPage { rows, total, page, pages })
}

/// Remove end customer `(end, version)` from reseller `reseller`.
pub async fn unlink(ctx: &Ctx, staff_id: i32, reseller: i32, (end, version): (i32, i64)) -> AppResult<()> {
    let reseller_detail = customers::detail(&ctx.db, reseller).await?;
    let mut form = customers::detail(&ctx.db, end).await?.form;
    if !form.reseller_number.trim().eq_ignore_ascii_case(&reseller_detail.number) {
        return Err(AppError::NotFound);
    }
    form.reseller_number = String::new();
    let defs = customers::validate_form(&ctx.db, &form, customers::today()).await?;
    let mut change = ctx.begin(end).await?;
    let actor = Actor::Staff(staff_id);
    let saved = customers::update_in(&change, actor, version, &form, &defs, None).await?;
    let txn = &change.txn;
    let end_number = saved.detail.number.clone();
    record(txn, NewEvent::new(end, "reseller_unlinked", actor, reseller_detail.number.clone())).await?;
    record(txn, NewEvent::new(reseller, "reseller_unlinked", actor, end_number)).await?;
    let locale = crate::i18n::Locale::from_code(&form.language).unwrap_or_default();
    let name = saved.detail.display_name.clone();
    let args = [("name", name.as_str()), ("reseller", reseller_detail.display_name.as_str())];
    let text = crate::mail::templates::render(locale, "reseller_unlinked", &args);
    let cc = crate::customers::areas::contacts::service::cc_for(txn, end, MailKind::General).await?;
    let mail = crate::mail::outbox::NewMail {
        customer_id: Some(end),
        template: "reseller_unlinked".into(),
        kind: MailKind::General,
        to: form.email.clone(),
        cc,
        subject: text.subject,
        body: text.body,
        staff_id: Some(staff_id),
        secret: None,
        attachments: Vec::new(),
    };
    crate::mail::outbox::enqueue(txn, mail).await?;
    change.touched_at_version(crate::customers::areas::data::AREA.slug, saved.detail.version);
    change.touched(crate::customers::areas::log::AREA.slug);
    change.touched(crate::mail::AREA);
    change.touched_other(reseller, super::AREA.slug);
    change.touched_other(reseller, crate::customers::areas::log::AREA.slug);
    change.mail_queued();
    change.commit().await
}
