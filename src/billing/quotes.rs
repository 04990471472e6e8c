//! Quotes (Angebote) before they are sent: a draft's lines, validity and note change freely
//! (version-checked); totals are a preview priced as of today, as on a draft invoice. Sending
//! prices them again, gives the next number of the `quote` series and freezes the quote (the
//! database refuses any later change of its content). A draft can be deleted; any quote can be
//! duplicated into a new draft.
use super::calendar::Interval;
use super::invoices::{Line, customer_of, parse_lines, taxation};
use super::model::{LineInput, QUOTE_VALID_DAYS, QuoteInput, QuoteLineInput};
use super::parties::{SellerSettings, buyer_of};
use super::tax::{self, TaxClass, TaxMode};
use crate::db::entities::{customer, quote};
use crate::db::{bulk, stmt};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use crate::write::Ctx;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The area whose panels refetch when quotes change.
pub const AREA: &str = "quotes";

/// The longest a quote may be valid: a year after today.
pub const MAX_VALID_DAYS: u64 = 366;

/// A quote line as stored: the line (without service dates), its tax under the quote's mode,
/// and its interval when it recurs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteLine {
    pub line: Line,
    pub category: String,
    pub rate_bp: i32,
    pub interval: Option<Interval>,
}

fn refused(field: impl Into<String>, key: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(field, key)])
}

/// Check typed lines: as invoice lines (named by line and field), and an interval of 1–120
/// units where the line recurs.
pub fn parse_quote_lines(input: &[QuoteLineInput]) -> Result<Vec<(Line, Option<Interval>)>, Vec<FieldError>> {
    let as_invoice: Vec<LineInput> = input
        .iter()
        .map(|l| LineInput {
            description: l.description.clone(),
            quantity: l.quantity.clone(),
            unit_price: l.unit_price.clone(),
            tax_class: l.tax_class,
            ..LineInput::default()
        })
        .collect();
    let mut errors = Vec::new();
    let intervals: Vec<Option<Interval>> = input
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let unit = l.interval?;
            if !(1..=120).contains(&l.interval_count) {
                errors.push(FieldError::new(format!("lines.{i}.interval_count"), "items.interval_count"));
            }
            // It becomes a recurring item, which bills a positive quantity.
            if super::amount::parse_scaled(&l.quantity, 3).is_some_and(|q| q <= 0) {
                errors.push(FieldError::new(format!("lines.{i}.quantity"), "quotes.recurring_quantity"));
            }
            Some(Interval { unit, count: l.interval_count })
        })
        .collect();
    match parse_lines(&as_invoice) {
        Ok(lines) if errors.is_empty() => Ok(lines.into_iter().zip(intervals).collect()),
        Ok(_) => Err(errors),
        Err(mut e) => {
            e.extend(errors);
            Err(e)
        }
    }
}

/// The validity as typed: a date from today up to [`MAX_VALID_DAYS`] ahead; empty, the
/// default [`QUOTE_VALID_DAYS`] from today.
fn parse_valid_until(text: &str, today: NaiveDate) -> AppResult<NaiveDate> {
    if text.trim().is_empty() {
        return Ok(today + chrono::Days::new(QUOTE_VALID_DAYS));
    }
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| refused("valid_until", "quotes.valid_until_invalid"))?;
    if day < today {
        return Err(refused("valid_until", "quotes.valid_until_past"));
    }
    if day > today + chrono::Days::new(MAX_VALID_DAYS) {
        return Err(AppError::Validation(vec![
            FieldError::new("valid_until", "quotes.valid_until_far").with("days", MAX_VALID_DAYS.to_string()),
        ]));
    }
    Ok(day)
}

/// Quote `id` of `customer_id`.
pub async fn find<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<quote::Model> {
    quote::Entity::find_by_id(id)
        .filter(quote::Column::CustomerId.eq(customer_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) fn sent_error() -> AppError {
    refused("quote", "quotes.already_sent")
}

/// The lines of a quote, in order, as stored.
pub async fn lines_of<C: ConnectionTrait>(db: &C, quote_id: i32) -> AppResult<Vec<QuoteLine>> {
    let rows = db
        .query_all_raw(stmt(
            db,
            "SELECT description, quantity_milli, unit_price_e4, net_cents, tax_class, category, rate_bp, \
             interval_unit, interval_count FROM quote_lines WHERE quote_id = $1 ORDER BY position",
            vec![quote_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            let unit: Option<String> = r.try_get("", "interval_unit")?;
            let count: Option<i32> = r.try_get("", "interval_count")?;
            let interval = unit
                .and_then(|u| super::model::Unit::parse(&u))
                .zip(count)
                .map(|(unit, count)| Interval { unit, count: count.max(1) as u32 });
            Ok(QuoteLine {
                line: Line {
                    description: r.try_get("", "description")?,
                    quantity_milli: r.try_get("", "quantity_milli")?,
                    unit_price_e4: r.try_get("", "unit_price_e4")?,
                    net_cents: r.try_get("", "net_cents")?,
                    tax_class: TaxClass::parse(&r.try_get::<String>("", "tax_class")?).unwrap_or_default(),
                    service_from: None,
                    service_to: None,
                    billing_item_id: None,
                    planned_item_id: None,
                },
                category: r.try_get("", "category")?,
                rate_bp: r.try_get("", "rate_bp")?,
                interval,
            })
        })
        .collect()
}

/// Write a quote's lines (it has none) priced under the tax mode of `day`, and its totals.
async fn write_lines<C: ConnectionTrait>(
    txn: &C,
    c: &customer::Model,
    id: i32,
    lines: &[(Line, Option<Interval>)],
    day: NaiveDate,
) -> AppResult<tax::Totals> {
    let seller = SellerSettings::load(txn).await?;
    let (mode, rates) = taxation(txn, &seller, c, &buyer_of(c), day).await?;
    let mut rows = Vec::with_capacity(lines.len());
    let mut taxed = Vec::with_capacity(lines.len());
    for (i, (l, interval)) in lines.iter().enumerate() {
        let (category, rate) = tax::line_tax(&mode, l.tax_class, rates);
        taxed.push((category, rate, l.net_cents));
        rows.push(vec![
            id.into(),
            ((i + 1) as i32).into(),
            l.description.clone().into(),
            l.quantity_milli.into(),
            l.unit_price_e4.into(),
            l.net_cents.into(),
            l.tax_class.as_str().into(),
            category.code().into(),
            (rate as i32).into(),
            interval.map(|i| i.unit.as_str().to_string()).into(),
            interval.map(|i| i.count as i32).into(),
        ]);
    }
    bulk::insert(
        txn,
        "INSERT INTO quote_lines (quote_id, position, description, quantity_milli, unit_price_e4, net_cents, \
         tax_class, category, rate_bp, interval_unit, interval_count)",
        "",
        rows,
    )
    .await?;
    let totals = tax::totals(taxed);
    store_totals(txn, id, &mode, &totals).await?;
    Ok(totals)
}

async fn store_totals<C: ConnectionTrait>(
    txn: &C,
    id: i32,
    mode: &TaxMode,
    totals: &tax::Totals,
) -> AppResult<()> {
    txn.execute_raw(stmt(
        txn,
        "UPDATE quotes SET tax_mode = $2, net_cents = $3, tax_cents = $4, gross_cents = $5 WHERE id = $1",
        vec![
            id.into(),
            mode.key().into(),
            totals.net_cents.into(),
            totals.tax_cents.into(),
            totals.gross_cents.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// A new empty draft quote valid until `valid_until`; returns its id.
async fn insert_draft<C: ConnectionTrait>(
    txn: &C,
    c: &customer::Model,
    actor: Actor,
    valid_until: NaiveDate,
    note: &str,
) -> AppResult<i32> {
    let now = chrono::Utc::now();
    let (kind, by, _) = actor.columns();
    let currency = match c.currency.trim() {
        "" => "EUR",
        code => code,
    };
    let row = txn
        .query_one_raw(stmt(
            txn,
            "INSERT INTO quotes (customer_id, state, valid_until, currency, tax_mode, net_cents, tax_cents, \
             gross_cents, note, mail_state, version, created_by_kind, created_by_id, created_at, updated_at) \
             VALUES ($1, 'draft', $2, $3, 'domestic', 0, 0, 0, $4, 'none', 1, $5, $6, $7, $7) RETURNING id",
            vec![
                c.id.into(),
                valid_until.into(),
                currency.into(),
                note.into(),
                kind.into(),
                by.into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or(AppError::Internal)?;
    Ok(row.try_get("", "id")?)
}

/// Create a draft quote or save a draft's lines, validity and note (version-checked; a sent
/// quote is refused). Returns its id.
pub async fn save_draft(ctx: &Ctx, actor: Actor, customer_id: i32, input: &QuoteInput) -> AppResult<i32> {
    let today = crate::clock::business_day();
    let lines = parse_quote_lines(&input.lines).map_err(AppError::Validation);
    let valid_until = parse_valid_until(&input.valid_until, today);
    let note = input.note.trim();
    let mut errors = Vec::new();
    for result in [lines.as_ref().err(), valid_until.as_ref().err()].into_iter().flatten() {
        if let AppError::Validation(e) = result {
            errors.extend(e.iter().cloned());
        }
    }
    if note.chars().count() > 2_000 {
        errors.push(FieldError::new("note", "invoices.note_too_long"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (lines, valid_until) = (lines?, valid_until?);
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let c = customer_of(txn, customer_id).await?;
    let id = match input.id {
        None => insert_draft(txn, &c, actor, valid_until, note).await?,
        Some(id) => {
            let updated = txn
                .execute_raw(stmt(
                    txn,
                    "UPDATE quotes SET note = $4, valid_until = $5, version = version + 1, updated_at = $6 \
                     WHERE id = $1 AND customer_id = $2 AND number IS NULL AND version = $3",
                    vec![
                        id.into(),
                        customer_id.into(),
                        input.version.into(),
                        note.into(),
                        valid_until.into(),
                        chrono::Utc::now().into(),
                    ],
                ))
                .await?;
            if updated.rows_affected() == 0 {
                let q = find(txn, customer_id, id).await?;
                if q.number.is_some() {
                    return Err(sent_error());
                }
                return Err(AppError::Conflict { current_version: q.version });
            }
            txn.execute_raw(stmt(txn, "DELETE FROM quote_lines WHERE quote_id = $1", vec![id.into()]))
                .await?;
            id
        }
    };
    write_lines(txn, &c, id, &lines, today).await?;
    change.touched(AREA);
    change.commit().await?;
    Ok(id)
}

/// A quote's lines as its form edits them.
fn line_inputs(lines: Vec<QuoteLine>) -> Vec<QuoteLineInput> {
    lines
        .into_iter()
        .map(|l| QuoteLineInput {
            description: l.line.description,
            quantity: super::amount::scaled_text(l.line.quantity_milli, 3, 0, ','),
            unit_price: super::amount::scaled_text(l.line.unit_price_e4, 4, 2, ','),
            tax_class: l.line.tax_class,
            interval: l.interval.map(|i| i.unit),
            interval_count: l.interval.map_or(0, |i| i.count),
        })
        .collect()
}

/// A draft quote as its form edits it.
pub async fn draft_input<C: ConnectionTrait>(db: &C, customer_id: i32, id: i32) -> AppResult<QuoteInput> {
    let q = find(db, customer_id, id).await?;
    if q.number.is_some() {
        return Err(sent_error());
    }
    Ok(QuoteInput {
        id: Some(id),
        version: q.version,
        valid_until: q.valid_until.to_string(),
        lines: line_inputs(lines_of(db, id).await?),
        note: q.note,
    })
}

/// Delete a draft quote (a sent one is refused: by us, and by the database).
pub async fn delete_draft(ctx: &Ctx, customer_id: i32, id: i32) -> AppResult<()> {
    let mut change = ctx.begin(customer_id).await?;
    if find(&change.txn, customer_id, id).await?.number.is_some() {
        return Err(sent_error());
    }
    change
        .txn
        .execute_raw(stmt(
            &change.txn,
            "DELETE FROM quotes WHERE id = $1 AND number IS NULL",
            vec![id.into()],
        ))
        .await?;
    change.touched(AREA);
    change.commit().await
}

/// "Duplizieren": a new draft with the quote's lines and note, priced as of today and valid for
/// the default 30 days. Returns the new draft's id.
pub async fn duplicate(ctx: &Ctx, actor: Actor, customer_id: i32, id: i32) -> AppResult<i32> {
    let today = crate::clock::business_day();
    let mut change = ctx.begin(customer_id).await?;
    let txn = &change.txn;
    let q = find(txn, customer_id, id).await?;
    let c = customer_of(txn, customer_id).await?;
    let lines: Vec<(Line, Option<Interval>)> =
        lines_of(txn, id).await?.into_iter().map(|l| (l.line, l.interval)).collect();
    let copy = insert_draft(txn, &c, actor, today + chrono::Days::new(QUOTE_VALID_DAYS), &q.note).await?;
    write_lines(txn, &c, copy, &lines, today).await?;
    change.touched(AREA);
    change.commit().await?;
    Ok(copy)
}

/// Give draft `id` its number in the caller's transaction, which holds the customer's lock:
/// the lines priced again under the tax mode of `today`, the next number of the `quote`
/// series, state `sent`. A quote whose validity has passed is refused.
pub async fn number_in<C: ConnectionTrait>(
    txn: &C,
    actor: Actor,
    customer_id: i32,
    id: i32,
    today: NaiveDate,
) -> AppResult<String> {
    let q = find(txn, customer_id, id).await?;
    if q.number.is_some() {
        return Err(sent_error());
    }
    if q.valid_until < today {
        return Err(refused("valid_until", "quotes.valid_until_past"));
    }
    let lines: Vec<(Line, Option<Interval>)> =
        lines_of(txn, id).await?.into_iter().map(|l| (l.line, l.interval)).collect();
    if lines.is_empty() {
        return Err(refused("lines", "invoices.lines_empty"));
    }
    let c = customer_of(txn, customer_id).await?;
    txn.execute_raw(stmt(txn, "DELETE FROM quote_lines WHERE quote_id = $1", vec![id.into()])).await?;
    write_lines(txn, &c, id, &lines, today).await?;
    let (series_id, pattern) = super::issue::series_of(txn, "quote").await?;
    let n = crate::db::reserve_counter(txn, &pattern.counter_name(series_id, today), 1, 1).await?;
    let number = pattern.format(today, n);
    let (kind, by, _) = actor.columns();
    let now = chrono::Utc::now();
    txn.execute_raw(stmt(
        txn,
        "UPDATE quotes SET state = 'sent', series_id = $2, number = $3, counter = $4, issue_date = $5, \
         sent_at = $6, sent_by_kind = $7, sent_by_id = $8, mail_state = 'pending', version = version + 1, \
         updated_at = $6 WHERE id = $1",
        vec![
            id.into(),
            series_id.into(),
            number.clone().into(),
            n.into(),
            today.into(),
            now.into(),
            kind.into(),
            by.into(),
        ],
    ))
    .await?;
    Ok(number)
}

/// Send draft `id`: its number now; its PDF is archived and mailed a few seconds later by the
/// archive worker (as an invoice's), so a failure there never loses the number. The seller's
/// data must be complete. Returns the number.
pub async fn send(ctx: &Ctx, actor: Actor, customer_id: i32, id: i32) -> AppResult<String> {
    let mut change = ctx.begin(customer_id).await?;
    let seller = SellerSettings::load(&change.txn).await?;
    super::issue::check_seller(&seller).map_err(on_quote)?;
    let today = crate::clock::business_day();
    let number = number_in(&change.txn, actor, customer_id, id, today).await?;
    change.touched(AREA);
    change.commit().await?;
    Ok(number)
}

/// The seller's missing data named on the quote's row rather than an invoice's.
fn on_quote(e: AppError) -> AppError {
    match e {
        AppError::Validation(errors) => AppError::Validation(
            errors.into_iter().map(|f| FieldError { field: "quote".into(), ..f }).collect(),
        ),
        other => other,
    }
}
