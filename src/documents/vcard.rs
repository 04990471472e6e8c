//! The customer and its active contacts as vCard 4.0 (RFC 6350), one card each, written by the
//! vcard4 library (escaping, line folding).
use crate::customers::areas::contacts::model::ContactInput;
use crate::customers::model::CustomerDetail;
use crate::i18n::{Locale, translate};
use vcard4::VcardBuilder;
use vcard4::property::{DeliveryAddress, Kind};

fn some(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn customer_card(c: &CustomerDetail, locale: Locale) -> vcard4::Vcard {
    let f = &c.form;
    let person = !(f.first_name.trim().is_empty() && f.last_name.trim().is_empty());
    let mut card = VcardBuilder::new(c.display_name.clone())
        .kind(if person { Kind::Individual } else { Kind::Org })
        .note(format!("{} {}", translate(locale, "field.number"), c.number));
    if person {
        card = card.name([
            f.last_name.trim().into(),
            f.first_name.trim().into(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    if let Some(company) = some(&f.company) {
        card = card.org(vec![company]);
    }
    if let Some(email) = some(&f.email) {
        card = card.email(email);
    }
    for value in [&f.phone, &f.fax] {
        if let Some(v) = some(value) {
            card = card.telephone(v);
        }
    }
    if some(&f.street).is_some() || some(&f.city).is_some() {
        // DeliveryAddress zeroes itself on drop, so it is filled field by field.
        let mut address = DeliveryAddress::default();
        address.street_address = some(&format!("{} {}", f.street.trim(), f.house_number.trim()));
        address.locality = some(&f.city);
        address.postal_code = some(&f.postcode);
        address.country_name = some(&f.country);
        card = card.address(address);
    }
    card.finish()
}

fn contact_card(c: &ContactInput, organisation: &str) -> vcard4::Vcard {
    let mut card = VcardBuilder::new(c.name())
        .kind(Kind::Individual)
        .name([c.last_name.clone(), c.first_name.clone(), String::new(), String::new(), String::new()])
        .email(c.email.clone());
    if let Some(phone) = some(&c.phone) {
        card = card.telephone(phone);
    }
    if let Some(role) = some(&c.position) {
        card = card.role(role);
    }
    if let Some(org) = some(organisation) {
        card = card.org(vec![org]);
    }
    card.finish()
}

/// The customer's card followed by one card per contact.
pub fn cards(customer: &CustomerDetail, contacts: &[ContactInput], locale: Locale) -> String {
    let organisation =
        if customer.form.company.trim().is_empty() { &customer.display_name } else { &customer.form.company };
    let mut out = customer_card(customer, locale).to_string();
    for c in contacts {
        out.push_str(&contact_card(c, organisation).to_string());
    }
    out
}
