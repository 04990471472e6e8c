//! Between the stored record and the form staff edit.
use crate::customers::model::{CustomerForm, CustomerKind, CustomerStatus, Salutation, display_name};
use crate::customers::search_text;
use crate::db::entities::customer;
use sea_orm::ActiveValue::Set;

pub fn form_from_model(m: &customer::Model, reseller_number: Option<String>) -> CustomerForm {
    CustomerForm {
        // An erased customer's salutation is empty: no salutation.
        status: CustomerStatus::parse(&m.status).unwrap_or_default(),
        kind: CustomerKind::parse(&m.kind).unwrap_or_default(),
        salutation: Salutation::parse(&m.salutation).unwrap_or_default(),
        first_name: m.first_name.clone(),
        last_name: m.last_name.clone(),
        company: m.company.clone(),
        email: m.email.clone(),
        phone: m.phone.clone(),
        fax: m.fax.clone(),
        birth_date: m.birth_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        street: m.street.clone(),
        house_number: m.house_number.clone(),
        postcode: m.postcode.clone(),
        city: m.city.clone(),
        country: m.country.clone(),
        language: m.language.clone(),
        currency: m.currency.clone(),
        website: m.website.clone(),
        vat_id: m.vat_id.clone(),
        group_id: m.group_id.map(|g| g.to_string()).unwrap_or_default(),
        price_level: m.price_level.clone(),
        invoice_company: m.invoice_company.clone(),
        invoice_name: m.invoice_name.clone(),
        invoice_street: m.invoice_street.clone(),
        invoice_house_number: m.invoice_house_number.clone(),
        invoice_postcode: m.invoice_postcode.clone(),
        invoice_city: m.invoice_city.clone(),
        invoice_country: m.invoice_country.clone(),
        payment_term_days: m.payment_term_days.to_string(),
        taxation: m.taxation.clone(),
        reseller_number: reseller_number.unwrap_or_default(),
        own_nameservers: m.own_nameservers.clone(),
        own_nameserver_glue: m.own_nameserver_glue.clone(),
        invoice_address_enabled: m.invoice_address_enabled,
        is_reseller: m.is_reseller,
        newsletter: m.newsletter,
        account_locked: m.account_locked,
        orders_allowed: m.orders_allowed,
        products_downloadable: m.products_downloadable,
        api_access: m.api_access,
        dunning_off: m.dunning_off,
        licence_transfer_locked: m.licence_transfer_locked,
        update_service: m.update_service,
        domain_contacts_enabled: m.domain_contacts_enabled,
        domain_api_enabled: m.domain_api_enabled,
        authcode_locked: m.authcode_locked,
        grouping_off: m.grouping_off,
        postpaid_limit: crate::money::cents_text(m.postpaid_limit_cents, ','),
        payment_methods: m.payment_methods.clone(),
        einvoice: m.einvoice.clone(),
        leitweg_id: m.leitweg_id.clone(),
        einvoice_address: m.einvoice_address.clone(),
        public_sector: m.public_sector,
        custom: Default::default(),
    }
}

/// The stored search text of a customer: number, names, company, e-mail, postcode, city.
pub fn search_text_of(number: &str, f: &CustomerForm) -> String {
    search_text::build(&[
        number,
        number.trim_start_matches("K-"),
        &f.first_name,
        &f.last_name,
        &f.company,
        &f.email,
        &f.postcode,
        &f.city,
        &f.invoice_company,
    ])
}

/// The search text of a customer that absorbed others in merges: their old numbers find it too.
pub fn search_text_with(number: &str, aliases: &[String], f: &CustomerForm) -> String {
    let mut text = search_text_of(number, f);
    for alias in aliases {
        let extra = search_text::build(&[alias, alias.trim_start_matches("K-")]);
        text.push(' ');
        text.push_str(&extra);
    }
    text
}

/// Old numbers merged into a customer.
pub async fn alias_numbers<C: sea_orm::ConnectionTrait>(
    db: &C,
    id: i32,
) -> crate::error::AppResult<Vec<String>> {
    let rows = db
        .query_all_raw(crate::db::stmt(
            db,
            "SELECT number FROM customer_aliases WHERE customer_id = $1 ORDER BY number",
            vec![id.into()],
        ))
        .await?;
    Ok(rows.iter().filter_map(|r| r.try_get::<String>("", "number").ok()).collect())
}

pub fn sort_name_of(f: &CustomerForm) -> String {
    let key = if f.last_name.trim().is_empty() {
        f.company.clone()
    } else {
        format!("{} {}", f.last_name.trim(), f.first_name.trim())
    };
    search_text::fold(&key).chars().take(120).collect()
}

/// "NS1.Example.de ns2.example.de," → ["ns1.example.de", "ns2.example.de"].
pub fn nameserver_list(value: &str) -> Vec<String> {
    crate::customers::validate::nameservers(value).into_iter().map(str::to_lowercase).collect()
}

fn clean(value: &str) -> String {
    value.trim().to_string()
}

/// Write every editable field of a (validated) form into the active model.
pub fn apply_form(
    am: &mut customer::ActiveModel,
    number: &str,
    f: &CustomerForm,
    group_id: Option<i32>,
    reseller_id: Option<i32>,
) {
    am.status = Set(f.status.as_str().into());
    am.kind = Set(f.kind.as_str().into());
    am.salutation = Set(f.salutation.as_str().into());
    am.first_name = Set(clean(&f.first_name));
    am.last_name = Set(clean(&f.last_name));
    am.company = Set(clean(&f.company));
    am.email = Set(clean(&f.email));
    am.phone = Set(clean(&f.phone));
    am.fax = Set(clean(&f.fax));
    am.birth_date = Set(chrono::NaiveDate::parse_from_str(f.birth_date.trim(), "%Y-%m-%d").ok());
    am.street = Set(clean(&f.street));
    am.house_number = Set(clean(&f.house_number));
    am.postcode = Set(clean(&f.postcode).to_uppercase());
    am.city = Set(clean(&f.city));
    am.country = Set(clean(&f.country).to_uppercase());
    am.language = Set(f.language.clone());
    am.currency = Set(f.currency.clone());
    am.website = Set(clean(&f.website));
    am.vat_id = Set(clean(&f.vat_id).to_uppercase());
    am.group_id = Set(group_id);
    am.price_level = Set(f.price_level.clone());
    am.invoice_address_enabled = Set(f.invoice_address_enabled);
    am.invoice_company = Set(clean(&f.invoice_company));
    am.invoice_name = Set(clean(&f.invoice_name));
    am.invoice_street = Set(clean(&f.invoice_street));
    am.invoice_house_number = Set(clean(&f.invoice_house_number));
    am.invoice_postcode = Set(clean(&f.invoice_postcode).to_uppercase());
    am.invoice_city = Set(clean(&f.invoice_city));
    am.invoice_country = Set(clean(&f.invoice_country).to_uppercase());
    am.payment_term_days = Set(f.payment_term_days.trim().parse().unwrap_or(14));
    am.taxation = Set(f.taxation.clone());
    am.is_reseller = Set(f.is_reseller);
    am.reseller_id = Set(reseller_id);
    am.newsletter = Set(f.newsletter);
    am.account_locked = Set(f.account_locked);
    am.orders_allowed = Set(f.orders_allowed);
    am.products_downloadable = Set(f.products_downloadable);
    am.api_access = Set(f.api_access);
    am.dunning_off = Set(f.dunning_off);
    am.licence_transfer_locked = Set(f.licence_transfer_locked);
    am.update_service = Set(f.update_service);
    am.domain_contacts_enabled = Set(f.domain_contacts_enabled);
    am.domain_api_enabled = Set(f.domain_api_enabled);
    am.authcode_locked = Set(f.authcode_locked);
    am.grouping_off = Set(f.grouping_off);
    am.postpaid_limit_cents = Set(crate::money::parse_cents(&f.postpaid_limit).unwrap_or(0));
    am.payment_methods = Set(crate::billing::model::methods_text(&f.payment_methods));
    am.einvoice = Set(if f.einvoice.is_empty() { "none".into() } else { f.einvoice.clone() });
    am.leitweg_id = Set(clean(&f.leitweg_id).to_uppercase());
    am.einvoice_address = Set(clean(&f.einvoice_address));
    am.public_sector = Set(f.public_sector);
    am.own_nameservers = Set(nameserver_list(&f.own_nameservers).join(", "));
    am.own_nameserver_glue = Set(crate::customers::validate::glue(&f.own_nameserver_glue)
        .unwrap_or_default()
        .iter()
        .map(|(host, ips)| {
            format!("{host} {}", ips.iter().map(|ip| ip.to_string()).collect::<Vec<_>>().join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n"));
    am.search_text = Set(search_text_of(number, f));
    am.sort_name = Set(sort_name_of(f));
}

pub fn model_display_name(m: &customer::Model) -> String {
    display_name(&m.first_name, &m.last_name, &m.company)
}
