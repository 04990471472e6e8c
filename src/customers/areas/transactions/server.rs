//! Transaktionen on the server: the balance as the sidebar figure ("Transaktionen −42,00 €"),
//! and a negative balance, open and overdue invoices, an incomplete e-invoice in the warnings
//! row ("dunning off" is Daten's). The money tables'
//! records are claimed by Rechnungen.
use crate::billing::parties::{SellerSettings, einvoice_missing};
use crate::customers::areas::server::{AreaServer, Figure, WarningSource};
use crate::customers::model::{CustomerDetail, FigureKind, Warning};
use crate::db::entities::customer;
use crate::db::stmt;
use crate::error::{AppError, AppResult};
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait};

pub const SERVER: AreaServer = AreaServer {
    warnings: Some(&MoneyWarnings),
    figure: Some(Figure {
        sql: "SELECT balance_cents FROM customer_accounts WHERE customer_id = $1",
        kind: FigureKind::Cents,
    }),
    timeline: Some(&Booked),
    ..AreaServer::NONE
};

/// Payments, credits, debits, fees and reversals in the Zeitleiste, when they were booked
/// (invoice charges appear as their invoices): titled by kind, "<cents>|<text>" as detail.
struct Booked;

#[async_trait::async_trait]
impl crate::customers::areas::server::TimelineSource for Booked {
    async fn items(
        &self,
        db: &crate::db::Db,
        customer_id: i32,
        limit: u64,
    ) -> AppResult<Vec<crate::customers::areas::timeline::model::TimelineItem>> {
        let rows = db
            .query_all_raw(stmt(
                db,
                "SELECT e.kind, e.amount_cents, e.description, e.created_at, s.name FROM ledger_entries e \
                 LEFT JOIN staff s ON e.booked_by_kind = 'staff' AND s.id = e.booked_by_id \
                 WHERE e.customer_id = $1 AND e.kind <> 'invoice' ORDER BY e.id DESC LIMIT $2",
                vec![customer_id.into(), (limit as i64).into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                let at: chrono::DateTime<chrono::Utc> = r.try_get("", "created_at")?;
                let amount: i64 = r.try_get("", "amount_cents")?;
                Ok(crate::customers::areas::timeline::model::TimelineItem {
                    at: at.to_rfc3339(),
                    kind: "booking".into(),
                    title: r.try_get("", "kind")?,
                    detail: format!("{amount}|{}", r.try_get::<String>("", "description")?),
                    actor: r.try_get::<Option<String>>("", "name")?.unwrap_or_default(),
                })
            })
            .collect()
    }
}

struct MoneyWarnings;

#[async_trait::async_trait]
impl WarningSource for MoneyWarnings {
    async fn warnings(
        &self,
        txn: &DatabaseTransaction,
        customer: &CustomerDetail,
    ) -> AppResult<Vec<Warning>> {
        let today = crate::customers::service::business_day();
        let row = txn
            .query_one_raw(stmt(
                txn,
                "SELECT a.balance_cents, a.open_count, a.open_cents, \
                 (SELECT COUNT(*) FROM invoices i WHERE i.customer_id = $1 AND i.state = 'open' AND i.due_date < $2) AS overdue, \
                 (SELECT CAST(COALESCE(SUM(i.gross_cents - i.paid_cents), 0) AS BIGINT) FROM invoices i \
                  WHERE i.customer_id = $1 AND i.state = 'open' AND i.due_date < $2) AS overdue_cents \
                 FROM customer_accounts a WHERE a.customer_id = $1",
                vec![customer.id.into(), today.into()],
            ))
            .await?;
        let mut out = Vec::new();
        // Amounts go as cents: the warnings row writes them in the reader's language.
        let cents = |c: i64| c.to_string();
        if let Some(r) = row {
            let balance: i64 = r.try_get("", "balance_cents")?;
            let open: i32 = r.try_get("", "open_count")?;
            let open_cents: i64 = r.try_get("", "open_cents")?;
            let overdue: i64 = r.try_get("", "overdue")?;
            let overdue_cents: i64 = r.try_get("", "overdue_cents")?;
            if balance < 0 {
                out.push(warning("warning.balance_negative", "danger", vec![("amount", cents(balance))]));
            }
            if overdue > 0 {
                out.push(warning(
                    "warning.invoices_overdue",
                    "danger",
                    vec![("count", overdue.to_string()), ("amount", cents(overdue_cents))],
                ));
            } else if open > 0 {
                out.push(warning(
                    "warning.invoices_open",
                    "warning",
                    vec![("count", open.to_string()), ("amount", cents(open_cents))],
                ));
            }
        }
        let planned = txn
            .query_one_raw(stmt(
                txn,
                "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(CASE WHEN quantity_milli * unit_price_e4 >= 0 \
                 THEN (quantity_milli * unit_price_e4 + 50000) / 100000 \
                 ELSE (quantity_milli * unit_price_e4 - 50000) / 100000 END), 0) AS BIGINT) AS net \
                 FROM planned_items WHERE customer_id = $1 AND invoice_id IS NULL",
                vec![customer.id.into()],
            ))
            .await?;
        if let Some(r) = planned {
            let n: i64 = r.try_get("", "n")?;
            if n > 0 {
                let net: i64 = r.try_get("", "net")?;
                out.push(warning(
                    "warning.planned_waiting",
                    "info",
                    vec![("count", n.to_string()), ("amount", cents(net))],
                ));
            }
        }
        if customer.form.einvoice != "none" {
            let c = customer::Entity::find_by_id(customer.id).one(txn).await?.ok_or(AppError::NotFound)?;
            let seller = SellerSettings::load(txn).await?;
            let missing = einvoice_missing(&seller, &c);
            if !missing.is_empty() {
                let fields = format!("keys:{}", missing.join(","));
                out.push(warning("warning.einvoice_incomplete", "danger", vec![("fields", fields)]));
            }
        }
        Ok(out)
    }
}

fn warning(key: &str, tone: &str, args: Vec<(&str, String)>) -> Warning {
    Warning {
        key: key.into(),
        tone: tone.into(),
        args: args.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
    }
}
