//! The portal's logins and reset links in the customer-records registry.
use crate::auth::portal_logins::end_sessions;
use crate::db::entities::portal_login;
use crate::error::AppResult;
use crate::records::registry::{CustomerRecords, Eraser, Export, TableClaim, move_rows};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

/// Self-service logins and their reset links in the customer-records registry; secrets stay.
pub struct PortalRecords;
pub const RECORDS: PortalRecords = PortalRecords;

#[async_trait::async_trait]
impl CustomerRecords for PortalRecords {
    fn area(&self) -> &'static str {
        "portal"
    }
    fn claims(&self) -> &'static [TableClaim] {
        PORTAL_CLAIMS
    }

    /// Logins move with their links. A customer has one own login: when both have one, the
    /// duplicate's is disabled and its sessions end (its contacts' logins stay as they are).
    async fn merge(&self, txn: &sea_orm::DatabaseTransaction, duplicate: i32, keep: i32) -> AppResult<()> {
        let own = |id: i32| {
            portal_login::Entity::find()
                .filter(portal_login::Column::CustomerId.eq(id))
                .filter(portal_login::Column::ContactId.is_null())
                .one(txn)
        };
        if let (Some(_), Some(theirs)) = (own(keep).await?, own(duplicate).await?) {
            let id = theirs.id;
            let mut am = theirs.into_active_model();
            am.active = Set(false);
            am.update(txn).await?;
            end_sessions(txn, id).await?;
        }
        for claim in PORTAL_CLAIMS {
            move_rows(txn, claim, duplicate, keep).await?;
        }
        Ok(())
    }

    /// Reset links and logins go; so do the throttling records of their addresses (and the
    /// customer's own), which hold e-mail and IP address.
    async fn erase(&self, eraser: &mut Eraser<'_>) -> AppResult<()> {
        let attempts = "kind = 'customer' AND (email IN (SELECT LOWER(email) FROM portal_logins WHERE customer_id = $1) \
                        OR email = (SELECT LOWER(email) FROM customers WHERE id = $1))";
        eraser.delete("portal", "login_attempts", attempts).await?;
        eraser.delete("portal", "password_resets", "customer_id = $1").await?;
        eraser.delete("portal", "portal_logins", "customer_id = $1").await?;
        Ok(())
    }
}

const PORTAL_CLAIMS: &[TableClaim] = &[
    TableClaim {
        table: "portal_logins",
        column: "customer_id",
        export: Export::Rows {
            withheld: &["password_hash", "totp_secret", "totp_pending", "recovery_codes"],
        },
    },
    TableClaim {
        table: "password_resets",
        column: "customer_id",
        export: Export::Rows { withheld: &["token_hash"] },
    },
];
