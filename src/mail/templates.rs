//! Mail texts by template name and language, with placeholders filled in.
use crate::i18n::{Locale, translate_with};

pub struct Rendered {
    pub subject: String,
    pub body: String,
}

pub fn render(locale: Locale, template: &str, args: &[(&str, &str)]) -> Rendered {
    Rendered {
        subject: translate_with(locale, &format!("mail.{template}.subject"), args),
        body: translate_with(locale, &format!("mail.{template}.body"), args),
    }
}

/// The templates that exist; a test checks each has both texts in both languages.
pub const TEMPLATES: &[&str] = &[
    "password_reset",
    "contact_invite",
    "address_changed",
    "licence_transfer_offered",
    "reseller_unlinked",
    "file_sent",
    "invoice_issued",
    "cancellation_issued",
    "correction_issued",
    "quote_sent",
    "dunning_notice",
];
