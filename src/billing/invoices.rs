//! Invoices: drafts have no number and may change; finalising gives the next number of the
//! series exactly once, freezes buyer and seller, computes the tax per rate group, charges the
//! ledger and pays from credit where there is some. A final invoice is corrected only by a
//! cancellation invoice (Stornorechnung) with its own number and negated amounts.
use super::account::{self, Delta, EntryKind, NewEntry};
use super::amount::{PRICE_SCALE, QUANTITY_SCALE, line_net, parse_scaled};
use super::model::{DraftInput, LineInput, MAX_LINES};
use super::numbering::Pattern;
use super::parties::{Party, SellerSettings, buyer_of, tax_buyer};
use super::tax::{self, Rates, TaxClass, TaxMode};
use crate::db::entities::{customer, invoice};
use crate::db::{next_counter, stmt};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::{Days, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Value};

/// The area whose panels refetch when invoices change.
pub const AREA: &str = "invoices";
/// The ledger's area.
pub const LEDGER_AREA: &str = "transactions";

/// A checked line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_e4: i64,
    pub net_cents: i64,
    pub tax_class: TaxClass,
    pub service_from: Option<NaiveDate>,
    pub service_to: Option<NaiveDate>,
    pub billing_item_id: Option<i32>,
    pub planned_item_id: Option<i32>,
}

fn invalid(field: String, key: &str) -> FieldError {
    FieldError::new(field, key)
}

fn date(text: &str) -> Result<Option<NaiveDate>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| ())
}

/// Check typed lines; every mistake is named by its line and field.
pub fn parse_lines(input: &[LineInput]) -> Result<Vec<Line>, Vec<FieldError>> {
    if input.is_empty() {
        return Err(vec![invalid("lines".into(), "invoices.lines_empty")]);
    }
    if input.len() > MAX_LINES {
        return Err(vec![
            invalid("lines".into(), "invoices.lines_too_many").with("max", MAX_LINES.to_string()),
        ]);
    }
    let mut errors = Vec::new();
    let mut lines = Vec::new();
    for (i, l) in input.iter().enumerate() {
        let field = |name: &str| format!("lines.{i}.{name}");
        let description = l.description.trim();
        if description.is_empty() || description.chars().count() > 500 {
            errors.push(invalid(field("description"), "invoices.line_description"));
        }
        let quantity =
            parse_scaled(&l.quantity, 3).filter(|q| *q != 0 && q.abs() <= 1_000_000 * QUANTITY_SCALE);
        if quantity.is_none() {
            errors.push(invalid(field("quantity"), "invoices.line_quantity"));
        }
        let price = parse_scaled(&l.unit_price, 4).filter(|p| p.abs() <= 10_000_000 * PRICE_SCALE);
        if price.is_none() {
            errors.push(invalid(field("unit_price"), "invoices.line_price"));
        }
        let (from, to) = (date(&l.service_from), date(&l.service_to));
        let dates = match (from, to) {
            (Ok(f), Ok(t)) if f.zip(t).is_none_or(|(f, t)| f <= t) && (f.is_some() || t.is_none()) => {
                Some((f, t))
            }
            _ => None,
        };
        if dates.is_none() {
            errors.push(invalid(field("service_from"), "invoices.line_dates"));
        }
        if let (Some(q), Some(p), Some((from, to))) = (quantity, price, dates) {
            match line_net(q, p) {
                Some(net) => lines.push(Line {
                    description: description.to_string(),
                    quantity_milli: q,
                    unit_price_e4: p,
                    net_cents: net,
                    tax_class: l.tax_class,
                    service_from: from,
                    service_to: to.or(from),
                    billing_item_id: l.item,
                    planned_item_id: None,
                }),
                None => errors.push(invalid(field("unit_price"), "invoices.line_price")),
            }
        }
    }
    if errors.is_empty() { Ok(lines) } else { Err(errors) }
}

/// The rates of `country` on `day` (the newest row valid then; Germany's when none).
pub async fn rates<C: ConnectionTrait>(db: &C, country: &str, day: NaiveDate) -> AppResult<Rates> {
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT standard_bp, reduced_bp FROM vat_rates WHERE country = $1 AND valid_from <= $2 \
             ORDER BY valid_from DESC LIMIT 1",
            vec![country.into(), day.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => Rates {
            standard_bp: r.try_get::<i32>("", "standard_bp")? as u32,
            reduced_bp: r.try_get::<i32>("", "reduced_bp")? as u32,
        },
        None => tax::GERMANY,
    })
}

/// How an invoice to `c` issued on `day` is taxed, with the rates that apply.
pub async fn taxation<C: ConnectionTrait>(
    db: &C,
    seller: &SellerSettings,
    c: &customer::Model,
    buyer: &Party,
    day: NaiveDate,
) -> AppResult<(TaxMode, Rates)> {
    let mode = tax::mode_for(seller.tax(), &tax_buyer(c, buyer));
    let country = match &mode {
        TaxMode::Oss(country) => country.as_str(),
        _ => tax::HOME,
    };
    Ok((mode.clone(), rates(db, country, day).await?))
}

async fn customer_of<C: ConnectionTrait>(db: &C, customer_id: i32) -> AppResult<customer::Model> {
    customer::Entity::find_by_id(customer_id).one(db).await?.ok_or(AppError::NotFound)
}

/// Insert lines (after the ones the invoice has) with their category and rate under `mode`.
async fn insert_lines<C: ConnectionTrait>(
    txn: &C,
    invoice_id: i32,
    lines: &[Line],
    mode: &TaxMode,
    rates: Rates,
) -> AppResult<()> {
    for chunk in lines.chunks(50).enumerate() {
        let (c, chunk) = chunk;
        let mut sql = String::from(
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity_milli, unit_price_e4, \
             net_cents, tax_class, category, rate_bp, service_from, service_to, billing_item_id, planned_item_id) VALUES ",
        );
        let mut values: Vec<Value> = Vec::new();
        for (i, l) in chunk.iter().enumerate() {
            let (category, rate) = tax::line_tax(mode, l.tax_class, rates);
            let b = values.len();
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&(1..=13).map(|n| format!("${}", b + n)).collect::<Vec<_>>().join(", "));
            sql.push(')');
            values.extend([
                invoice_id.into(),
                ((c * 50 + i + 1) as i32).into(),
                l.description.clone().into(),
                l.quantity_milli.into(),
                l.unit_price_e4.into(),
                l.net_cents.into(),
                l.tax_class.as_str().into(),
                category.code().into(),
                (rate as i32).into(),
                l.service_from.into(),
                l.service_to.into(),
                l.billing_item_id.into(),
                l.planned_item_id.into(),
            ]);
        }
        txn.execute_raw(stmt(txn, &sql, values)).await?;
    }
    Ok(())
}

/// Replace the stored totals of a draft (a preview: finalising computes them again).
async fn store_totals<C: ConnectionTrait>(
    txn: &C,
    invoice_id: i32,
    mode: &TaxMode,
    rates: Rates,
    lines: &[Line],
) -> AppResult<tax::Totals> {
    let totals = tax::totals(lines.iter().map(|l| {
        let (category, rate) = tax::line_tax(mode, l.tax_class, rates);
        (category, rate, l.net_cents)
    }));
    txn.execute_raw(stmt(
        txn,
        "DELETE FROM invoice_tax_groups WHERE invoice_id = $1",
        vec![invoice_id.into()],
    ))
    .await?;
    for g in &totals.groups {
        txn.execute_raw(stmt(
            txn,
            "INSERT INTO invoice_tax_groups (invoice_id, category, rate_bp, net_cents, tax_cents) VALUES ($1, $2, $3, $4, $5)",
            vec![
                invoice_id.into(),
                g.category.code().into(),
                (g.rate_bp as i32).into(),
                g.net_cents.into(),
                g.tax_cents.into(),
            ],
        ))
        .await?;
    }
    txn.execute_raw(stmt(
        txn,
        "UPDATE invoices SET tax_mode = $2, net_cents = $3, tax_cents = $4, gross_cents = $5 WHERE id = $1",
        vec![
            invoice_id.into(),
            mode.key().into(),
            totals.net_cents.into(),
            totals.tax_cents.into(),
            totals.gross_cents.into(),
        ],
    ))
    .await?;
    Ok(totals)
}

/// A new empty draft; returns its id.
pub async fn insert_draft<C: ConnectionTrait>(
    txn: &C,
    c: &customer::Model,
    actor: Actor,
    note: &str,
    source: &str,
) -> AppResult<i32> {
    let now = chrono::Utc::now();
    let (kind, id, _) = actor.columns();
    let currency = if c.currency.trim().is_empty() { "EUR".to_string() } else { c.currency.clone() };
    let row = txn
        .query_one_raw(stmt(
            txn,
            "INSERT INTO invoices (customer_id, kind, state, currency, tax_mode, buyer, seller, net_cents, tax_cents, \
             gross_cents, paid_cents, note, mail_state, source, created_by_kind, created_by_id, version, created_at, \
             updated_at) VALUES ($1, 'invoice', 'draft', $2, 'domestic', '{}', '{}', 0, 0, 0, 0, $3, 'none', $4, $5, \
             $6, 1, $7, $7) RETURNING id",
            vec![c.id.into(), currency.into(), note.into(), source.into(), kind.into(), id.into(), now.into()],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    Ok(row.try_get("", "id")?)
}

/// Create a draft or save its lines and note (version-checked; a final invoice is refused).
pub async fn save_draft(ctx: &Ctx, actor: Actor, customer_id: i32, input: &DraftInput) -> AppResult<i32> {
    let lines = parse_lines(&input.lines).map_err(AppError::Validation)?;
    let note = input.note.trim();
    if note.chars().count() > 2_000 {
        return Err(AppError::Validation(vec![FieldError::new("note", "invoices.note_too_long")]));
    }
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    check_item_lines(txn, customer_id, &lines).await?;
    let c = customer_of(txn, customer_id).await?;
    let id = match input.id {
        None => insert_draft(txn, &c, actor, note, "manual").await?,
        Some(id) => {
            let updated = txn
                .execute_raw(stmt(
                    txn,
                    "UPDATE invoices SET note = $4, version = version + 1, updated_at = $5 \
                     WHERE id = $1 AND customer_id = $2 AND number IS NULL AND version = $3",
                    vec![
                        id.into(),
                        customer_id.into(),
                        input.version.into(),
                        note.into(),
                        chrono::Utc::now().into(),
                    ],
                ))
                .await?;
            if updated.rows_affected() == 0 {
                let inv = find(txn, customer_id, id).await?;
                if inv.number.is_some() {
                    return Err(final_error());
                }
                return Err(AppError::Conflict { current_version: inv.version });
            }
            txn.execute_raw(stmt(txn, "DELETE FROM invoice_lines WHERE invoice_id = $1", vec![id.into()]))
                .await?;
            id
        }
    };
    save_lines(txn, &c, id, &lines).await?;
    change.touched(AREA);
    change.commit().await?;
    Ok(id)
}

/// A line that bills a recurring item's period must carry that item's next unbilled period,
/// once: the item may have been billed, ended or moved on since the draft was made.
async fn check_item_lines<C: ConnectionTrait>(txn: &C, customer_id: i32, lines: &[Line]) -> AppResult<()> {
    let mut errors = Vec::new();
    let mut seen = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(id) = l.billing_item_id else { continue };
        let next = super::item_periods::billable_item(txn, customer_id, id)
            .await?
            .and_then(|item| item.line(item.periods_billed))
            .map(|(line, _)| (line.service_from, line.service_to));
        if next != Some((l.service_from, l.service_to)) || seen.contains(&id) {
            errors.push(invalid(format!("lines.{i}.service_from"), "invoices.item_period"));
        }
        seen.push(id);
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Validation(errors)) }
}

/// A draft as its form edits it: lines as typed text, with their item links.
pub async fn draft_input<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<DraftInput> {
    let inv = find(db, customer_id, id).await?;
    if inv.number.is_some() {
        return Err(final_error());
    }
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let lines = lines_of(db, id)
        .await?
        .into_iter()
        .map(|l| LineInput {
            description: l.description,
            quantity: super::amount::scaled_text(l.quantity_milli, 3, 0, ','),
            unit_price: super::amount::scaled_text(l.unit_price_e4, 4, 2, ','),
            tax_class: l.tax_class,
            service_from: day(l.service_from),
            service_to: day(l.service_to),
            item: l.billing_item_id,
        })
        .collect();
    Ok(DraftInput { id: Some(id), version: inv.version, lines, note: inv.note })
}

/// Give a draft without lines its lines, taxed as an invoice of today would be (a preview:
/// finalising prices them again).
pub async fn save_lines<C: ConnectionTrait>(
    txn: &C,
    c: &customer::Model,
    id: i32,
    lines: &[Line],
) -> AppResult<()> {
    let seller = SellerSettings::load(txn).await?;
    let buyer = buyer_of(c);
    let (mode, rates) = taxation(txn, &seller, c, &buyer, crate::clock::business_day()).await?;
    insert_lines(txn, id, lines, &mode, rates).await?;
    store_totals(txn, id, &mode, rates, lines).await?;
    Ok(())
}

fn final_error() -> AppError {
    AppError::Validation(vec![FieldError::new("invoice", "invoices.already_final")])
}

pub async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<invoice::Model> {
    invoice::Entity::find_by_id(id)
        .filter(invoice::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Delete a draft (a final invoice is refused: by us, and by the database).
pub async fn delete_draft(ctx: &Ctx, customer_id: i32, id: i32) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    let inv = find(&change.txn, customer_id, id).await?;
    if inv.number.is_some() {
        return Err(final_error());
    }
    for sql in [
        "UPDATE planned_items SET invoice_id = NULL WHERE invoice_id = $1",
        "DELETE FROM invoices WHERE id = $1 AND number IS NULL",
    ] {
        change.txn.execute_raw(stmt(&change.txn, sql, vec![id.into()])).await?;
    }
    change.touched(AREA);
    change.commit().await
}

/// The lines of an invoice, in order, as stored.
pub async fn lines_of<C: ConnectionTrait>(db: &C, invoice_id: i32) -> AppResult<Vec<Line>> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT description, quantity_milli, unit_price_e4, net_cents, tax_class, service_from, service_to, \
             billing_item_id, planned_item_id FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
            vec![invoice_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Line {
                description: r.try_get("", "description")?,
                quantity_milli: r.try_get("", "quantity_milli")?,
                unit_price_e4: r.try_get("", "unit_price_e4")?,
                net_cents: r.try_get("", "net_cents")?,
                tax_class: TaxClass::parse(&r.try_get::<String>("", "tax_class")?).unwrap_or_default(),
                service_from: r.try_get("", "service_from")?,
                service_to: r.try_get("", "service_to")?,
                billing_item_id: r.try_get("", "billing_item_id")?,
                planned_item_id: r.try_get("", "planned_item_id")?,
            })
        })
        .collect()
}

/// What finalising gave the invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finalised {
    pub number: String,
    pub gross_cents: i64,
    /// Paid from the account's credit at once.
    pub paid_from_credit: i64,
}

/// The series an invoice kind is numbered in, with its pattern.
async fn series<C: ConnectionTrait>(db: &C) -> AppResult<(i32, Pattern)> {
    let row = db
        .query_one_raw(stmt(db, "SELECT id, pattern FROM invoice_series WHERE key = 'invoice'", vec![]))
        .await?
        .ok_or(AppError::Internal)?;
    let pattern = Pattern::parse(&row.try_get::<String>("", "pattern")?).map_err(|_| AppError::Internal)?;
    Ok((row.try_get("", "id")?, pattern))
}

/// The next number of the series for an invoice issued on `day`, taken in the caller's
/// transaction (a rollback gives it back; nothing else can take it meanwhile).
pub(super) async fn next_number<C: ConnectionTrait>(
    txn: &C,
    day: NaiveDate,
) -> AppResult<(i32, i64, String)> {
    let (series_id, pattern) = series(txn).await?;
    let counter = format!("invoice:{series_id}:{}", pattern.counter_year(day));
    let n = next_counter(txn, &counter, 1).await?;
    Ok((series_id, n, pattern.format(day, n)))
}

/// The seller's data an invoice must name (§ 14 (4) Nr. 1 and 2 UStG), or the missing fields.
fn check_seller(s: &SellerSettings) -> AppResult<()> {
    let p = &s.party;
    let mut missing = Vec::new();
    for (name, value) in
        [("name", &p.name), ("street", &p.street), ("postcode", &p.postcode), ("city", &p.city)]
    {
        if value.trim().is_empty() {
            missing.push(name);
        }
    }
    if p.vat_id.trim().is_empty() && p.tax_number.trim().is_empty() {
        missing.push("vat_id");
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(AppError::Validation(vec![
        FieldError::new("invoice", "invoices.seller_incomplete").with("fields", missing.join(", ")),
    ]))
}

/// Finalise draft `id` of `customer_id` in the caller's transaction, which holds the
/// customer's lock.
pub async fn finalise_in<C: ConnectionTrait>(
    txn: &C,
    actor: Actor,
    customer_id: i32,
    id: i32,
    today: NaiveDate,
) -> AppResult<Finalised> {
    let inv = find(txn, customer_id, id).await?;
    if inv.number.is_some() {
        return Err(final_error());
    }
    let lines = lines_of(txn, id).await?;
    if lines.is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("lines", "invoices.lines_empty")]));
    }
    let seller = SellerSettings::load(txn).await?;
    check_seller(&seller)?;
    let c = customer_of(txn, customer_id).await?;
    let buyer = buyer_of(&c);
    let (mode, rates) = taxation(txn, &seller, &c, &buyer, today).await?;
    // The lines again under the mode of today (a draft may be older than a change of address).
    txn.execute_raw(stmt(txn, "DELETE FROM invoice_lines WHERE invoice_id = $1", vec![id.into()])).await?;
    insert_lines(txn, id, &lines, &mode, rates).await?;
    let totals = store_totals(txn, id, &mode, rates, &lines).await?;
    let (series_id, counter, number) = next_number(txn, today).await?;
    let due = today.checked_add_days(Days::new(c.payment_term_days.max(0) as u64)).unwrap_or(today);
    let from = lines.iter().filter_map(|l| l.service_from).min().unwrap_or(today);
    let to = lines.iter().filter_map(|l| l.service_to).max().unwrap_or(from);
    let (by_kind, by_id, _) = actor.columns();
    let json = |p: &Party| serde_json::to_string(p).map_err(|_| AppError::Internal);
    let settled = totals.gross_cents <= 0;
    txn.execute_raw(stmt(
        txn,
        "UPDATE invoices SET series_id = $2, counter = $3, number = $4, issue_date = $5, due_date = $6, \
         service_from = $7, service_to = $8, buyer = $9, seller = $10, state = $11, mail_state = 'pending', \
         finalised_at = $12, finalised_by_kind = $13, finalised_by_id = $14, version = version + 1, updated_at = $12 \
         WHERE id = $1 AND number IS NULL",
        vec![
            id.into(),
            series_id.into(),
            counter.into(),
            number.clone().into(),
            today.into(),
            due.into(),
            from.into(),
            to.into(),
            json(&buyer)?.into(),
            json(&seller.party)?.into(),
            (if settled { "paid" } else { "open" }).into(),
            chrono::Utc::now().into(),
            by_kind.into(),
            by_id.into(),
        ],
    ))
    .await?;
    record_billed_periods(txn, customer_id, id, &lines).await?;
    super::item_periods::advance_billed(txn, customer_id, &lines).await?;
    let charge = NewEntry {
        invoice_id: Some(id),
        currency: inv.currency.clone(),
        ..NewEntry::new(EntryKind::Invoice, -totals.gross_cents, today, number.clone(), actor)
    };
    account::append(txn, customer_id, charge).await?;
    let mut paid_from_credit = 0;
    if !settled {
        let now = account::apply(
            txn,
            customer_id,
            Delta { open_count: 1, open_cents: totals.gross_cents, ..Delta::default() },
        )
        .await?;
        paid_from_credit = now.credit().min(totals.gross_cents).max(0);
        // Credit other than this invoice's own open amount pays it (`credit` counts it open).
        account::allocate(txn, customer_id, id, None, paid_from_credit).await?;
    }
    Ok(Finalised { number, gross_cents: totals.gross_cents, paid_from_credit })
}

/// Each line from a recurring item bills its period once: a second bill of it fails here, on
/// the unique (item, period) index, whoever tries.
async fn record_billed_periods<C: ConnectionTrait>(
    txn: &C,
    customer_id: i32,
    invoice_id: i32,
    lines: &[Line],
) -> AppResult<()> {
    for l in lines {
        if let (Some(item), Some(from), Some(to)) = (l.billing_item_id, l.service_from, l.service_to) {
            let result = txn
                .execute_raw(stmt(
                    txn,
                    "INSERT INTO billed_periods (item_id, customer_id, period_start, period_end, invoice_id) \
                     VALUES ($1, $2, $3, $4, $5)",
                    vec![item.into(), customer_id.into(), from.into(), to.into(), invoice_id.into()],
                ))
                .await;
            if let Err(e) = result {
                if crate::db::is_unique_violation(&e) {
                    return Err(AppError::Validation(vec![
                        FieldError::new("lines", "invoices.period_billed").with("from", from.to_string()),
                    ]));
                }
                return Err(e.into());
            }
        }
    }
    Ok(())
}

/// Finalise a draft: number, frozen parties, tax groups, the ledger charge, credit applied.
pub async fn finalise(ctx: &Ctx, actor: Actor, customer_id: i32, id: i32) -> AppResult<Finalised> {
    let mut change = ctx.begin(customer_id).await?;
    let done = finalise_in(&change.txn, actor, customer_id, id, crate::clock::business_day()).await?;
    change.touched(AREA);
    change.touched(LEDGER_AREA);
    change.commit().await?;
    Ok(done)
}
