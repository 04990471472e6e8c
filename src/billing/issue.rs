//! Issuing invoices: drafts become final invoices, one or thousands at once, in a few
//! statements whatever their number (the billing run issues a batch of customers per
//! transaction; finalising one draft is a batch of one). Per invoice: the tax mode and rates of
//! the issue day, the lines priced under them, the tax per rate group, the next number of the
//! series (consecutive within the batch), buyer and seller frozen, each recurring period
//! recorded once (the unique index decides), the ledger charge, and credit applied.
use super::account::{self, Delta, EntryKind, NewEntry};
use super::einvoice::{self, Profile};
use super::invoices::{Line, rates};
use super::numbering::Pattern;
use super::parties::{SellerSettings, buyer_of, einvoice_missing, tax_buyer};
use super::tax::{self, Rates, TaxMode};
use crate::db::entities::{customer, invoice};
use crate::db::{bulk, reserve_counter, stmt};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::actor::Actor;
use chrono::{Days, NaiveDate};
use sea_orm::{ConnectionTrait, EntityTrait, Value};
use std::collections::HashMap;

/// A draft to issue: its customer and its lines (its stored lines are replaced).
pub struct Draft<'a> {
    pub id: i32,
    pub customer: &'a customer::Model,
    pub currency: String,
    pub lines: Vec<Line>,
}

/// What issuing gave an invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub id: i32,
    pub customer_id: i32,
    pub number: String,
    pub gross_cents: i64,
    /// Paid from the account's credit at once.
    pub paid_from_credit: i64,
}

/// A draft priced under its tax mode, ready to be written.
struct Priced {
    mode: TaxMode,
    rates: Rates,
    totals: tax::Totals,
    due: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    buyer: String,
    /// The e-invoice the customer gets, frozen with the invoice.
    einvoice: String,
}

/// Insert new empty drafts (customer, currency, note), returning their ids in the given order.
pub async fn insert_drafts<C: ConnectionTrait>(
    txn: &C,
    drafts: &[(i32, String, String)],
    actor: Actor,
    source: &str,
) -> AppResult<Vec<i32>> {
    let now = chrono::Utc::now();
    let (kind, by, _) = actor.columns();
    let rows = drafts
        .iter()
        .map(|(customer, currency, note)| {
            let currency = if currency.trim().is_empty() { "EUR" } else { currency.as_str() };
            vec![
                (*customer).into(),
                currency.into(),
                note.as_str().into(),
                source.into(),
                kind.into(),
                by.into(),
                now.into(),
                now.into(),
            ]
        })
        .collect();
    let returned = bulk::insert(
        txn,
        "INSERT INTO invoices (customer_id, currency, note, source, created_by_kind, created_by_id, created_at, \
         updated_at, kind, state, tax_mode, buyer, seller, net_cents, tax_cents, gross_cents, paid_cents, mail_state, \
         version) SELECT column1, column2, column3, column4, column5, column6, column7, column8, 'invoice', 'draft', \
         'domestic', '{}', '{}', 0, 0, 0, 0, 'none', 1 FROM (",
        ") AS d RETURNING id, customer_id",
        rows,
    )
    .await?;
    // Ids grow in the order of the VALUES rows (both databases number a statement's rows in
    // order); RETURNING itself promises no order, so sort and check.
    let mut ids: Vec<(i32, i32)> = returned
        .iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "customer_id")?)))
        .collect::<AppResult<_>>()?;
    ids.sort_unstable();
    if ids.len() != drafts.len() || ids.iter().zip(drafts).any(|((_, c), d)| *c != d.0) {
        return Err(AppError::Internal);
    }
    Ok(ids.into_iter().map(|(id, _)| id).collect())
}

/// Insert lines after no others, each invoice's from position 1, with category and rate under
/// the invoice's mode.
pub(super) async fn insert_lines<C: ConnectionTrait>(
    txn: &C,
    invoices: &[(i32, &[Line], &TaxMode, Rates)],
) -> AppResult<()> {
    let mut rows = Vec::new();
    for (invoice, lines, mode, rates) in invoices {
        for (i, l) in lines.iter().enumerate() {
            let (category, rate) = tax::line_tax(mode, l.tax_class, *rates);
            rows.push(vec![
                (*invoice).into(),
                ((i + 1) as i32).into(),
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
    }
    bulk::insert(
        txn,
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity_milli, unit_price_e4, net_cents, \
         tax_class, category, rate_bp, service_from, service_to, billing_item_id, planned_item_id)",
        "",
        rows,
    )
    .await?;
    Ok(())
}

/// Insert the rate groups of invoices (which have none).
pub(super) async fn insert_groups<C: ConnectionTrait>(
    txn: &C,
    invoices: &[(i32, &tax::Totals)],
) -> AppResult<()> {
    let rows = invoices
        .iter()
        .flat_map(|(invoice, totals)| {
            totals.groups.iter().map(|g| {
                vec![
                    (*invoice).into(),
                    g.category.code().into(),
                    (g.rate_bp as i32).into(),
                    g.net_cents.into(),
                    g.tax_cents.into(),
                ]
            })
        })
        .collect();
    bulk::insert(
        txn,
        "INSERT INTO invoice_tax_groups (invoice_id, category, rate_bp, net_cents, tax_cents)",
        "",
        rows,
    )
    .await?;
    Ok(())
}

/// The seller's data an invoice must name (§ 14 (4) Nr. 1 and 2 UStG), or the missing fields.
pub fn check_seller(s: &SellerSettings) -> AppResult<()> {
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
    let keys: Vec<String> = missing.iter().map(|m| format!("settings.billing.{m}")).collect();
    Err(AppError::Validation(vec![
        FieldError::new("invoice", "invoices.seller_incomplete")
            .with("fields", format!("keys:{}", keys.join(","))),
    ]))
}

/// The series invoices are numbered in, with its pattern.
pub(super) async fn series<C: ConnectionTrait>(db: &C) -> AppResult<(i32, Pattern)> {
    series_of(db, "invoice").await
}

/// Series `key` (`invoice`, `quote`) with its pattern.
pub(super) async fn series_of<C: ConnectionTrait>(db: &C, key: &str) -> AppResult<(i32, Pattern)> {
    let row = db
        .query_one_raw(stmt(db, "SELECT id, pattern FROM invoice_series WHERE key = $1", vec![key.into()]))
        .await?
        .ok_or(AppError::Internal)?;
    let pattern = Pattern::parse(&row.try_get::<String>("", "pattern")?).map_err(|_| AppError::Internal)?;
    Ok((row.try_get("", "id")?, pattern))
}

/// Reserve `count` consecutive numbers of the series for invoices issued on `day`, in the
/// caller's transaction (a rollback gives them back; nothing else can take them meanwhile):
/// the series, the first counter value, and the pattern that formats them.
pub(super) async fn reserve_numbers<C: ConnectionTrait>(
    txn: &C,
    day: NaiveDate,
    count: usize,
) -> AppResult<(i32, i64, Pattern)> {
    let (series_id, pattern) = series(txn).await?;
    let first = reserve_counter(txn, &pattern.counter_name(series_id, day), 1, count as i64).await?;
    Ok((series_id, first, pattern))
}

/// Each line from a recurring item bills its period once: the unique (item, period) index
/// refuses a second bill, whoever tries; the first refused period is named.
async fn record_periods<C: ConnectionTrait>(txn: &C, invoices: &[(i32, i32, &[Line])]) -> AppResult<()> {
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut wanted = Vec::new();
    for (customer, invoice, lines) in invoices {
        for l in lines.iter() {
            if let (Some(item), Some(from), Some(to)) = (l.billing_item_id, l.service_from, l.service_to) {
                rows.push(vec![item.into(), (*customer).into(), from.into(), to.into(), (*invoice).into()]);
                wanted.push((item, from));
            }
        }
    }
    let inserted = bulk::insert(
        txn,
        "INSERT INTO billed_periods (item_id, customer_id, period_start, period_end, invoice_id)",
        "ON CONFLICT (item_id, period_start) DO NOTHING RETURNING item_id, period_start",
        rows,
    )
    .await?;
    if inserted.len() == wanted.len() {
        return Ok(());
    }
    let done: std::collections::HashSet<(i32, NaiveDate)> = inserted
        .iter()
        .map(|r| Ok((r.try_get("", "item_id")?, r.try_get("", "period_start")?)))
        .collect::<AppResult<_>>()?;
    let from = wanted.iter().find(|w| !done.contains(w)).map(|w| w.1.to_string()).unwrap_or_default();
    Err(AppError::Validation(vec![FieldError::new("lines", "invoices.period_billed").with("from", from)]))
}

/// Price each draft under the tax mode of `today` (rates read once per country).
async fn price<C: ConnectionTrait>(
    txn: &C,
    seller: &SellerSettings,
    drafts: &[Draft<'_>],
    today: NaiveDate,
) -> AppResult<Vec<Priced>> {
    let mut by_country: HashMap<String, Rates> = HashMap::new();
    let mut out = Vec::with_capacity(drafts.len());
    for d in drafts {
        let buyer = buyer_of(d.customer);
        let mode = tax::mode_for(seller.tax(), &tax_buyer(d.customer, &buyer));
        let country = match &mode {
            TaxMode::Oss(country) => country.clone(),
            _ => tax::HOME.to_string(),
        };
        let r = match by_country.get(&country) {
            Some(r) => *r,
            None => {
                let r = rates(txn, &country, today).await?;
                by_country.insert(country, r);
                r
            }
        };
        let totals = tax::totals(d.lines.iter().map(|l| {
            let (category, rate) = tax::line_tax(&mode, l.tax_class, r);
            (category, rate, l.net_cents)
        }));
        let missing = einvoice_missing(seller, d.customer);
        if !missing.is_empty() {
            return Err(AppError::Validation(vec![
                FieldError::new("invoice", "invoices.einvoice_incomplete")
                    .with("fields", format!("keys:{}", missing.join(","))),
            ]));
        }
        let term = Days::new(d.customer.payment_term_days.max(0) as u64);
        let from = d.lines.iter().filter_map(|l| l.service_from).min().unwrap_or(today);
        let to = d.lines.iter().filter_map(|l| l.service_to).max().unwrap_or(from);
        out.push(Priced {
            mode,
            rates: r,
            totals,
            due: today.checked_add_days(term).unwrap_or(today),
            from,
            to,
            buyer: serde_json::to_string(&buyer).map_err(|_| AppError::Internal)?,
            einvoice: d.customer.einvoice.clone(),
        });
    }
    Ok(out)
}

/// Issue drafts without stored lines or groups (a draft's preview ones are deleted first by the
/// caller) in the caller's transaction, which holds their customers' locks. Numbers follow the
/// order of `drafts`.
pub async fn issue<C: ConnectionTrait>(
    txn: &C,
    actor: Actor,
    today: NaiveDate,
    drafts: Vec<Draft<'_>>,
) -> AppResult<Vec<Issued>> {
    if drafts.is_empty() {
        return Ok(Vec::new());
    }
    let seller = SellerSettings::load(txn).await?;
    check_seller(&seller)?;
    let priced = price(txn, &seller, &drafts, today).await?;
    let line_rows: Vec<_> =
        drafts.iter().zip(&priced).map(|(d, p)| (d.id, d.lines.as_slice(), &p.mode, p.rates)).collect();
    insert_lines(txn, &line_rows).await?;
    let groups: Vec<_> = drafts.iter().zip(&priced).map(|(d, p)| (d.id, &p.totals)).collect();
    insert_groups(txn, &groups).await?;
    let periods: Vec<_> = drafts.iter().map(|d| (d.customer.id, d.id, d.lines.as_slice())).collect();
    record_periods(txn, &periods).await?;

    let (series_id, first, pattern) = reserve_numbers(txn, today, drafts.len()).await?;
    let numbers: Vec<(i64, String)> =
        (0..drafts.len() as i64).map(|i| (first + i, pattern.format(today, first + i))).collect();
    let rows = drafts
        .iter()
        .zip(&priced)
        .zip(&numbers)
        .map(|((d, p), (counter, number))| {
            let settled = p.totals.gross_cents <= 0;
            vec![
                d.id.into(),
                (*counter).into(),
                number.clone().into(),
                p.due.into(),
                p.from.into(),
                p.to.into(),
                p.buyer.clone().into(),
                (if settled { "paid" } else { "open" }).into(),
                p.mode.key().into(),
                p.totals.net_cents.into(),
                p.totals.tax_cents.into(),
                p.totals.gross_cents.into(),
                p.einvoice.clone().into(),
            ]
        })
        .collect();
    let (by_kind, by_id, _) = actor.columns();
    let now = chrono::Utc::now();
    let seller_json = serde_json::to_string(&seller.party).map_err(|_| AppError::Internal)?;
    let updated = bulk::update(
        txn,
        "invoices",
        &[
            "id",
            "counter",
            "number",
            "due_date",
            "service_from",
            "service_to",
            "buyer",
            "state",
            "tax_mode",
            "net_cents",
            "tax_cents",
            "gross_cents",
            "einvoice",
        ],
        "series_id = $1, counter = v.counter, number = v.number, issue_date = $2, due_date = v.due_date, \
         service_from = v.service_from, service_to = v.service_to, buyer = v.buyer, seller = $3, state = v.state, \
         tax_mode = v.tax_mode, net_cents = v.net_cents, tax_cents = v.tax_cents, gross_cents = v.gross_cents, \
         einvoice = v.einvoice, mail_state = 'pending', finalised_at = $4, finalised_by_kind = $5, finalised_by_id = $6, \
         version = invoices.version + 1, updated_at = $4",
        "invoices.number IS NULL",
        vec![series_id.into(), today.into(), seller_json.into(), now.into(), by_kind.into(), by_id.into()],
        rows,
    )
    .await?;
    if updated != drafts.len() as u64 {
        // A draft was finalised meanwhile or is gone: nothing of this batch stands.
        return Err(AppError::Validation(vec![FieldError::new("invoice", "invoices.already_final")]));
    }
    // The e-invoice is proven against its profile's rules before anything is committed: an
    // invoice whose e-invoice could not be valid is not finalised.
    for (d, p) in drafts.iter().zip(&priced) {
        if Profile::of(&p.einvoice).is_some() {
            let inv = invoice::Entity::find_by_id(d.id).one(txn).await?.ok_or(AppError::Internal)?;
            einvoice::prove(txn, &inv).await?;
        }
    }

    let charges = drafts
        .iter()
        .zip(&priced)
        .zip(&numbers)
        .map(|((d, p), (_, number))| {
            let gross = p.totals.gross_cents;
            let entry = NewEntry {
                invoice_id: Some(d.id),
                currency: d.currency.clone(),
                ..NewEntry::new(EntryKind::Invoice, -gross, today, number.clone(), actor)
            };
            let open = if gross > 0 {
                Delta { open_count: 1, open_cents: gross, ..Delta::default() }
            } else {
                Delta::default()
            };
            (d.customer.id, entry, open)
        })
        .collect();
    let figures = account::append_many(txn, charges).await?;
    // Credit other than the new invoices' own open amounts pays them, oldest number first.
    let mut credit: HashMap<i32, i64> = figures.iter().map(|(id, f)| (*id, f.credit())).collect();
    let mut issued = Vec::with_capacity(drafts.len());
    for ((d, p), (_, number)) in drafts.iter().zip(&priced).zip(numbers) {
        let gross = p.totals.gross_cents;
        let left = credit.entry(d.customer.id).or_default();
        let paid = (*left).min(gross).max(0);
        if paid > 0 {
            account::allocate(txn, d.customer.id, d.id, None, paid).await?;
            *left -= paid;
        }
        issued.push(Issued {
            id: d.id,
            customer_id: d.customer.id,
            number,
            gross_cents: gross,
            paid_from_credit: paid,
        });
    }
    Ok(issued)
}
