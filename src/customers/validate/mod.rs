//! Validation of the master-data form. Pure: the same rules run in tests, on the server before
//! every write, and could run in the browser. Messages are translation keys with values.
mod formats;

pub use formats::{VatProblem, postcode_example, postcode_valid, vat_id_problem};

use super::countries;
use super::model::*;
use crate::error::FieldError;
use crate::text;

/// A calendar date as (year, month, day).
pub type Ymd = (i32, u32, u32);

pub fn parse_date(value: &str) -> Option<Ymd> {
    let mut parts = value.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (value.trim().len() == 10 && (1..=days).contains(&d)).then_some((y, m, d))
}

/// The entries of a nameserver list: separated by commas, spaces or line breaks.
pub fn nameservers(value: &str) -> Vec<&str> {
    value.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).collect()
}

/// Glue lines ("ns1.kunde.de 192.0.2.53 2001:db8::53"): per nameserver (lower case, without a
/// final dot) its addresses; None when a line is not a hostname with at least one address.
pub fn glue(value: &str) -> Option<Vec<(String, Vec<std::net::IpAddr>)>> {
    value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut words = line.split_whitespace();
            let host = words.next()?.trim_end_matches('.').to_lowercase();
            let ips: Vec<std::net::IpAddr> = words.map(|w| w.parse().ok()).collect::<Option<_>>()?;
            (hostname_valid(&host) && !ips.is_empty()).then_some((host, ips))
        })
        .collect()
}

/// A hostname with at least two labels of letters, digits and inner hyphens.
pub fn hostname_valid(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let labels: Vec<&str> = host.split('.').collect();
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

pub fn email_valid(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else { return false };
    !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// Phone and fax: digits with the usual separators, an optional leading +, 6 to 20 digits.
pub fn phone_valid(phone: &str) -> bool {
    let digits = phone.chars().filter(|c| c.is_ascii_digit()).count();
    let body = phone.trim().strip_prefix('+').unwrap_or(phone.trim());
    (6..=20).contains(&digits)
        && body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '/' | '(' | ')' | '.'))
}

fn one_of(errors: &mut Vec<FieldError>, field: &str, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        errors.push(FieldError::new(field, "validation.choice"));
    }
}

fn check_address(errors: &mut Vec<FieldError>, prefix: &str, form: &CustomerForm) {
    let get = |name: &str| form.text(&format!("{prefix}{name}")).unwrap_or("").trim().to_string();
    let country = get("country");
    if !countries::is_known(&country) {
        errors.push(FieldError::new(format!("{prefix}country"), "validation.country"));
    }
    for field in ["street", "city"] {
        if get(field).is_empty() && !prefix.is_empty() {
            errors.push(FieldError::new(format!("{prefix}{field}"), "validation.required"));
        }
    }
    let postcode = get("postcode");
    if postcode.is_empty() {
        if !prefix.is_empty() {
            errors.push(FieldError::new(format!("{prefix}postcode"), "validation.required"));
        }
    } else if !postcode_valid(&country, &postcode) {
        let error = FieldError::new(format!("{prefix}postcode"), "validation.postcode")
            .with("country", countries::name(&country, false))
            .with("example", formats::postcode_example(&country).unwrap_or("").replace('9', "1"));
        errors.push(error);
    }
}

/// Every problem of the form, field by field; empty when it may be saved.
pub fn validate(form: &CustomerForm, custom_defs: &[CustomFieldDef], today: Ymd) -> Vec<FieldError> {
    let mut errors = Vec::new();
    one_of(&mut errors, "language", &form.language, LANGUAGES);
    one_of(&mut errors, "currency", &form.currency, CURRENCIES);
    one_of(&mut errors, "taxation", &form.taxation, TAXATIONS);
    one_of(&mut errors, "price_level", &form.price_level, PRICE_LEVELS);
    if !form.einvoice.is_empty() {
        // Empty is "none": forms from before e-invoices (imports, the API) do not carry it.
        one_of(&mut errors, "einvoice", &form.einvoice, crate::billing::einvoice_rules::EINVOICES);
    }
    let leitweg = form.leitweg_id.trim().to_uppercase();
    if !leitweg.is_empty() && !crate::billing::einvoice_rules::leitweg_valid(&leitweg) {
        errors.push(FieldError::new("leitweg_id", "validation.leitweg_id"));
    }
    let address = form.einvoice_address.trim();
    if !address.is_empty() {
        match crate::billing::einvoice_rules::parse_address(address) {
            Some(crate::billing::einvoice_rules::Address::Email(mail)) if email_valid(&mail) => {}
            Some(crate::billing::einvoice_rules::Address::Peppol { .. }) => {}
            _ => errors.push(FieldError::new("einvoice_address", "validation.einvoice_address")),
        }
    }

    let company = form.kind == CustomerKind::Company;
    if company && form.company.trim().is_empty() {
        errors.push(FieldError::new("company", "validation.company_required"));
    }
    if !company && form.last_name.trim().is_empty() {
        errors.push(FieldError::new("last_name", "validation.required"));
    }
    // Every text field has a length limit (200 characters unless listed) and takes no control
    // characters; only the nameserver list may hold several lines.
    for field in CustomerForm::TEXT_FIELDS {
        let max = match *field {
            "first_name" | "last_name" | "city" | "invoice_city" => 100,
            "house_number" | "invoice_house_number" | "postcode" | "invoice_postcode" => 20,
            "own_nameservers" | "own_nameserver_glue" => 2000,
            _ => 200,
        };
        let many = matches!(*field, "own_nameservers" | "own_nameserver_glue");
        let lines = if many { text::Lines::Many } else { text::Lines::One };
        text::check(&mut errors, field, form.text(field).unwrap_or(""), max, lines);
    }

    let limit = form.postpaid_limit.trim();
    if !limit.is_empty()
        && crate::money::parse_cents(limit)
            .is_none_or(|c| !(0..=crate::billing::model::MAX_POSTPAID_CENTS).contains(&c))
    {
        errors.push(FieldError::new("postpaid_limit", "validation.postpaid_limit"));
    }
    if !crate::billing::model::unknown_methods(&form.payment_methods).is_empty() {
        errors.push(FieldError::new("payment_methods", "validation.choice"));
    }
    if form.email.trim().is_empty() {
        errors.push(FieldError::new("email", "validation.required"));
    } else if !email_valid(form.email.trim()) {
        errors.push(FieldError::new("email", "validation.email"));
    }
    for field in ["phone", "fax"] {
        let value = form.text(field).unwrap_or("").trim();
        if !value.is_empty() && !phone_valid(value) {
            errors.push(FieldError::new(field, "validation.phone"));
        }
    }
    if !form.birth_date.trim().is_empty() {
        match parse_date(&form.birth_date) {
            None => errors.push(FieldError::new("birth_date", "validation.date")),
            Some(date) if date >= today => {
                errors.push(FieldError::new("birth_date", "validation.birth_date_past"))
            }
            Some((y, _, _)) if y < 1900 => errors.push(FieldError::new("birth_date", "validation.date")),
            Some(_) => {}
        }
    }
    let website = form.website.trim();
    if !website.is_empty() && (website.contains(char::is_whitespace) || !website.contains('.')) {
        errors.push(FieldError::new("website", "validation.website"));
    }
    if !form.vat_id.trim().is_empty() {
        match vat_id_problem(&form.vat_id) {
            None => {}
            Some(VatProblem::UnknownPrefix) => {
                errors.push(FieldError::new("vat_id", "validation.vat_prefix"))
            }
            Some(VatProblem::Format { prefix, example }) => errors.push(
                FieldError::new("vat_id", "validation.vat_format")
                    .with("prefix", prefix)
                    .with("example", example),
            ),
        }
    }
    let hosts = nameservers(&form.own_nameservers);
    if hosts.len() > 6 || !hosts.iter().all(|h| hostname_valid(h)) {
        errors.push(FieldError::new("own_nameservers", "validation.nameservers"));
    }
    // Glue only for the customer's own nameservers, with addresses that are addresses.
    match glue(&form.own_nameserver_glue) {
        Some(lines) if lines.iter().all(|(host, _)| hosts.iter().any(|h| h.eq_ignore_ascii_case(host))) => {}
        _ => errors.push(FieldError::new("own_nameserver_glue", "validation.glue")),
    }
    if !form.group_id.is_empty() && form.group_id.parse::<i32>().is_err() {
        errors.push(FieldError::new("group_id", "validation.choice"));
    }
    match form.payment_term_days.trim().parse::<i32>() {
        Ok(days) if (0..=365).contains(&days) => {}
        _ => errors.push(FieldError::new("payment_term_days", "validation.payment_term")),
    }

    check_address(&mut errors, "", form);
    if form.invoice_address_enabled {
        check_address(&mut errors, "invoice_", form);
    }
    validate_custom(&mut errors, form, custom_defs);
    errors
}

fn validate_custom(errors: &mut Vec<FieldError>, form: &CustomerForm, defs: &[CustomFieldDef]) {
    for def in defs {
        let field = format!("custom.{}", def.key);
        let value = form.custom.get(&def.key).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if def.required && def.kind != "bool" {
                errors.push(FieldError::new(field, "validation.required"));
            }
            continue;
        }
        let ok = match def.kind.as_str() {
            "number" => value.replace(',', ".").parse::<f64>().is_ok(),
            "date" => parse_date(value).is_some(),
            "bool" => value == "true" || value == "false",
            "select" => def.options.iter().any(|o| o == value),
            _ => value.chars().count() <= 500,
        };
        if value.chars().any(|c| text::is_forbidden(c, text::Lines::One)) {
            errors.push(FieldError::new(field, "validation.control_chars"));
        } else if !ok {
            errors.push(FieldError::new(field, format!("validation.custom_{}", def.kind)));
        }
    }
    for key in form.custom.keys() {
        if !defs.iter().any(|d| &d.key == key) {
            errors.push(FieldError::new(format!("custom.{key}"), "validation.unknown_field"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_form() -> CustomerForm {
        CustomerForm {
            first_name: "Greta".into(),
            last_name: "Zuckermann".into(),
            email: "greta@zuckermann-it.de".into(),
            street: "Oranienburger Str.".into(),
            postcode: "10117".into(),
            city: "Berlin".into(),
            ..CustomerForm::new_default()
        }
    }

    fn fields(form: &CustomerForm) -> Vec<String> {
        validate(form, &[], (2026, 11, 27)).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_form_passes() {
        assert_eq!(fields(&valid_form()), Vec::<String>::new());
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut form = valid_form();
        form.email = "greta@".into();
        form.postcode = "1234".into();
        form.vat_id = "DE12345678".into();
        form.phone = "call me".into();
        form.birth_date = "2030-01-01".into();
        assert_eq!(fields(&form), vec!["email", "phone", "birth_date", "vat_id", "postcode"]);
    }

    #[test]
    fn invoice_address_is_checked_only_when_enabled() {
        let mut form = valid_form();
        form.invoice_postcode = "x".into();
        assert!(fields(&form).is_empty());
        form.invoice_address_enabled = true;
        assert!(fields(&form).contains(&"invoice_postcode".to_string()));
        assert!(fields(&form).contains(&"invoice_country".to_string()));
    }

    #[test]
    fn nameservers_are_hostnames() {
        let mut form = valid_form();
        form.own_nameservers = "ns1.zuckermann-it.de, ns2.zuckermann-it.de".into();
        assert!(fields(&form).is_empty());
        form.own_nameservers = "ns1.zuckermann-it.de ns_2".into();
        assert_eq!(fields(&form), vec!["own_nameservers"]);
        form.own_nameservers = "ns1.zuckermann-it.de, ns2.extern.net".into();
        form.own_nameserver_glue = "ns1.zuckermann-it.de 192.0.2.53 2001:db8::53".into();
        assert!(fields(&form).is_empty());
        for wrong in
            ["ns1.zuckermann-it.de", "ns1.zuckermann-it.de 192.0.2.300", "ns9.zuckermann-it.de 192.0.2.53"]
        {
            form.own_nameserver_glue = wrong.into();
            assert_eq!(fields(&form), vec!["own_nameserver_glue"], "{wrong}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("12.04.1981"), None);
    }

    #[test]
    fn custom_fields_follow_their_kind() {
        let defs = vec![CustomFieldDef {
            key: "size".into(),
            label_de: "Größe".into(),
            label_en: "Size".into(),
            kind: "select".into(),
            options: vec!["S".into(), "M".into()],
            required: true,
        }];
        let mut form = valid_form();
        let errs = validate(&form, &defs, (2026, 1, 1));
        assert_eq!(errs[0].field, "custom.size");
        form.custom.insert("size".into(), "XL".into());
        assert_eq!(validate(&form, &defs, (2026, 1, 1))[0].key, "validation.custom_select");
        form.custom.insert("size".into(), "M".into());
        assert!(validate(&form, &defs, (2026, 1, 1)).is_empty());
    }
}
