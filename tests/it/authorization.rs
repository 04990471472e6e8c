//! The authorization matrix: every server function, called over HTTP by anonymous and by staff
//! of every role, is allowed or refused as this table says. A server function without a row
//! here fails the test, so none can be added without deciding who may call it.
use crate::common::{self, TestDb};

use clientdesk::auth::Permission::{self, *};
use clientdesk::customers::custom_fields::model::CustomFieldInput;
use clientdesk::customers::service::seed::seed_customers;
use clientdesk::error::AppError;
use clientdesk::staff::model::{NewStaff, RoleInput};
use clientdesk::staff::service::{add_staff, save_role};
use common::server::{client, start};
use serde_json::{Value, json};

/// Who may call a server function.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Need {
    AnyStaff,
    Perm(Permission),
    /// A customer in the self-service area (for their own data only).
    Customer,
}

/// Each server function: what it needs, and a well-formed request body for it.
pub(crate) fn matrix() -> Vec<(&'static str, Need, Value)> {
    use Need::*;
    vec![
        ("current_staff", AnyStaff, json!({})),
        ("search_customers", Perm(CustomersView), json!({"query": {"q": "K-1"}})),
        ("get_customer", Perm(CustomersView), json!({"id": 1})),
        ("customer_form_meta", Perm(CustomersView), json!({})),
        ("send_password_reset", Perm(SendPassword), json!({"id": 3})),
        ("customer_events", Perm(LogView), json!({"id": 1})),
        ("customer_mails", Perm(EmailsView), json!({"id": 1})),
        ("customer_ips", Perm(IpsView), json!({"id": 1})),
        ("customer_notes", Perm(NotesView), json!({"id": 1})),
        ("profile_viewers", Perm(CustomersView), json!({"id": 1})),
        ("customer_timeline", Perm(CustomersView), json!({"id": 1, "kind": ""})),
        (
            "save_note",
            Perm(NotesEdit),
            json!({"id": 1, "note": {"version": 0, "title": "", "body": "", "priority": "low", "visibility": "none", "pinned": false}}),
        ),
        ("portal_notes", Customer, json!({})),
        ("customer_history", Perm(HistoryView), json!({"id": 1, "who": ""})),
        ("undo_change", Perm(HistoryUndo), json!({"id": 1, "change": 999999})),
        (
            "preview_mail",
            Perm(EmailsSend),
            json!({"id": 1, "kind": "invoices", "subject": "Hallo {name}", "body": "Text"}),
        ),
        ("send_mail", Perm(EmailsSend), json!({"id": 1, "kind": "general", "subject": "", "body": ""})),
        ("customer_contacts", Perm(CustomersView), json!({"id": 1})),
        (
            "save_contact",
            Perm(CustomersEdit),
            json!({"id": 1, "contact": {"version": 0, "salutation": "", "first_name": "", "last_name": "", "email": "", "phone": "", "position": "", "language": "de", "cc": [], "portal_access": false, "rights": []}}),
        ),
        ("remove_contact", Perm(CustomersEdit), json!({"id": 1, "contact": 999999, "version": 0})),
        ("merge_candidates", Perm(CustomersMerge), json!({"id": 1})),
        ("preview_merge", Perm(CustomersMerge), json!({"id": 1, "duplicate": "K-0"})),
        (
            "merge_customers",
            Perm(CustomersMerge),
            json!({"choice": {"keep_id": 1, "keep_version": -1, "duplicate_id": 1, "duplicate_version": -1, "take_from_duplicate": []}}),
        ),
        ("preview_erasure", Perm(CustomersErase), json!({"id": 999999})),
        ("report_texts", Perm(SettingsTexts), json!({"language": "de"})),
        ("save_report_texts", Perm(SettingsTexts), json!({"input": {"language": "xx", "texts": []}})),
        (
            "erase_customer",
            Perm(CustomersErase),
            json!({"request": {"customer_id": 999999, "version": -1, "request_ref": "", "hard_delete": false}}),
        ),
        ("resend_mail", Perm(EmailsSend), json!({"id": 1, "mail": 999999})),
        ("customer_sessions", Perm(SessionsView), json!({"id": 1})),
        ("end_customer_sessions", Perm(SessionsEdit), json!({"id": 3, "session": "none"})),
        ("portal_me", Customer, json!({})),
        ("portal_profile", Customer, json!({})),
        ("portal_save", Customer, json!({"version": -1, "form": {}})),
        ("portal_security", Customer, json!({})),
        ("portal_change_password", Customer, json!({"current": "falsch", "new": "x"})),
        ("portal_start_totp", Customer, json!({"password": "falsch"})),
        ("portal_confirm_totp", Customer, json!({"code": "000000"})),
        ("portal_disable_totp", Customer, json!({"password": "falsch"})),
        ("save_customer", Perm(CustomersEdit), json!({"id": 1, "version": -1, "form": {}})),
        ("create_customer", Perm(CustomersEdit), json!({"form": {}})),
        ("regenerate_api_key", Perm(CustomersEdit), json!({"id": 1})),
        ("list_custom_fields", Perm(SettingsFields), json!({})),
        ("save_custom_field", Perm(SettingsFields), json!({"input": CustomFieldInput::default()})),
        ("list_staff", Perm(ManageStaff), json!({})),
        ("list_roles", Perm(ManageStaff), json!({})),
        ("create_staff", Perm(ManageStaff), json!({"input": NewStaff::default()})),
        ("change_staff", Perm(ManageStaff), json!({"change": {"id": 999999, "role_id": 1, "active": true}})),
        ("end_staff_sessions", Perm(ManageStaff), json!({"id": 999999})),
        ("audit_log", Perm(AuditView), json!({"query": clientdesk::audit::model::AuditQuery::default()})),
        ("save_role", Perm(ManageStaff), json!({"input": RoleInput::default()})),
        ("staff_login_policy", Perm(ManageStaff), json!({})),
        ("set_staff_policy", Perm(ManageStaff), json!({"policy": {"require_2fa": false}})),
        ("reset_staff_two_factor", Perm(ManageStaff), json!({"id": 999999})),
        ("customer_licences", Perm(ProductsView), json!({"id": 1, "page": 1})),
        ("licence_form_meta", Perm(ProductsView), json!({})),
        (
            "save_licence",
            Perm(ProductsEdit),
            json!({"id": 1, "licence": clientdesk::customers::areas::products::model::LicenceInput::default()}),
        ),
        ("set_licence_transfers_locked", Perm(ProductsEdit), json!({"id": 1, "version": -1, "locked": true})),
        ("set_update_service", Perm(ProductsEdit), json!({"id": 1, "version": -1, "on": true})),
        ("licence_offers", Perm(ProductsView), json!({"id": 1})),
        (
            "offer_licence_transfer",
            Perm(ProductsEdit),
            json!({"id": 1, "licence": 999999, "version": 0, "to": ""}),
        ),
        ("withdraw_licence_transfer", Perm(ProductsEdit), json!({"id": 1, "transfer": 999999})),
        ("licence_bindings", Perm(ProductsView), json!({"id": 1, "licence": 999999})),
        ("reset_licence_bindings", Perm(ProductsEdit), json!({"id": 1, "licence": 999999})),
        ("customer_hostings", Perm(ProductsView), json!({"id": 1, "page": 1})),
        ("hosting_form_meta", Perm(ProductsView), json!({})),
        (
            "add_hosting",
            Perm(ProductsEdit),
            json!({"id": 1, "hosting": clientdesk::customers::areas::products::hosting_model::HostingInput::default()}),
        ),
        (
            "hosting_action",
            Perm(ProductsProvision),
            json!({"id": 1, "hosting": 999999, "version": 0, "request": "suspend", "reason": "x"}),
        ),
        ("hosting_log", Perm(ProductsView), json!({"id": 1, "hosting": 999999, "page": 1})),
        ("server_page", Perm(SettingsServers), json!({})),
        (
            "save_server",
            Perm(SettingsServers),
            json!({"server": clientdesk::catalogue::server_model::ServerInput::default()}),
        ),
        (
            "save_package",
            Perm(SettingsServers),
            json!({"package": clientdesk::catalogue::server_model::PackageInput::default()}),
        ),
        ("test_server", Perm(SettingsServers), json!({"id": 999999})),
        ("tld_list", Perm(SettingsDomains), json!({"page": 1})),
        ("tld_registrars", Perm(SettingsDomains), json!({})),
        ("registrar_page", Perm(SettingsRegistrars), json!({})),
        (
            "save_registrar",
            Perm(SettingsRegistrars),
            json!({"registrar": clientdesk::catalogue::registrar_model::RegistrarInput::default()}),
        ),
        ("test_registrar", Perm(SettingsRegistrars), json!({"id": 999999})),
        ("billing_settings_page", Perm(SettingsBilling), json!({})),
        (
            "save_seller",
            Perm(SettingsBilling),
            json!({"form": clientdesk::settings::billing::model::SellerForm::default()}),
        ),
        (
            "save_series",
            Perm(SettingsBilling),
            json!({"series": {"id": 999999, "pattern": "RE-{0000}", "next": "1"}}),
        ),
        ("vat_rates", Perm(SettingsBilling), json!({"page": 1})),
        (
            "save_vat_rate",
            Perm(SettingsBilling),
            json!({"rate": clientdesk::settings::billing::model::RateInput::default()}),
        ),
        ("delete_vat_rate", Perm(SettingsBilling), json!({"country": "FR", "valid_from": "2000-01-01"})),
        ("dunning_levels", Perm(SettingsBilling), json!({})),
        ("save_dunning_levels", Perm(SettingsBilling), json!({"levels": []})),
        ("dunning_base_rates", Perm(SettingsBilling), json!({"page": 1})),
        (
            "add_base_rate",
            Perm(SettingsBilling),
            json!({"rate": {"valid_from": "2099-01-01", "rate": "1,5"}}),
        ),
        ("delete_base_rate", Perm(SettingsBilling), json!({"valid_from": "2099-01-01"})),
        ("run_dunning", Perm(SettingsBilling), json!({})),
        ("dunning_letters", Perm(SettingsBilling), json!({"page": 1})),
        ("mark_letter_printed", Perm(SettingsBilling), json!({"id": 1})),
        ("bank_imports", Perm(PaymentsBook), json!({"page": 1})),
        ("bank_import", Perm(PaymentsBook), json!({"id": 999999, "page": 1})),
        ("book_bank_import", Perm(PaymentsBook), json!({"id": 999999})),
        ("discard_bank_import", Perm(PaymentsBook), json!({"id": 999999})),
        ("open_payments", Perm(PaymentsBook), json!({"page": 1})),
        (
            "assign_payment",
            Perm(PaymentsBook),
            json!({"assignment": {"line_id": 999999, "version": 0, "customer_number": "K-10001", "invoices": ""}}),
        ),
        ("set_payment_aside", Perm(PaymentsBook), json!({"line_id": 999999, "version": 0, "note": "x"})),
        ("sepa_collections", Perm(PaymentsBook), json!({"page": 1})),
        ("collect_direct_debits", Perm(PaymentsBook), json!({"collection_date": "2000-01-01"})),
        ("customer_mandates", Perm(BillingView), json!({"id": 1})),
        (
            "add_mandate",
            Perm(BillingEdit),
            json!({"id": 1, "mandate": {"reference": "", "signed_on": "", "holder": "", "iban": "", "bic": ""}}),
        ),
        ("revoke_mandate", Perm(BillingEdit), json!({"id": 1, "mandate_id": 999999, "version": 1})),
        (
            "save_tld",
            Perm(SettingsDomains),
            json!({"tld": {"id": 999999, "version": 1, "tld": "de", "grace_days": 30, "redemption_days": 30, "authcode_required": true, "terms": true, "active": true, "prices": []}}),
        ),
        ("portal_products", Customer, json!({"page": 1})),
        ("portal_mandate", Customer, json!({})),
        ("portal_hostings", Customer, json!({"page": 1})),
        // A reseller's own login (the others are refused: tests/it/reseller.rs).
        ("portal_end_customers", Customer, json!({"page": 1})),
        ("portal_answer_transfer", Customer, json!({"transfer": 999999, "accept": true})),
        ("customer_projects", Perm(ProjectsView), json!({"id": 1, "page": 1})),
        ("customer_invoices", Perm(BillingView), json!({"id": 1, "page": 1})),
        ("customer_ledger", Perm(BillingView), json!({"id": 1, "page": 1})),
        ("ledger_forms", Perm(BillingView), json!({"id": 1})),
        ("customer_billing_items", Perm(BillingView), json!({"id": 1, "page": 1})),
        ("customer_planned_items", Perm(BillingView), json!({"id": 1, "page": 1})),
        (
            "add_planned_item",
            Perm(BillingEdit),
            json!({"id": 1, "item": {"description": "", "quantity": "1", "unit_price": "1", "tax_class": "standard"}}),
        ),
        ("remove_planned_item", Perm(BillingEdit), json!({"id": 1, "item": 999999})),
        ("set_collective_day", Perm(BillingEdit), json!({"id": 1, "day": "x"})),
        ("bill_planned_now", Perm(InvoicesFinalise), json!({"id": 999999})),
        (
            "save_billing_item",
            Perm(BillingEdit),
            json!({"id": 1, "item": {"id": null, "version": 0, "description": "", "quantity": "1", "unit_price": "1",
                "tax_class": "standard", "interval_unit": "months", "interval_count": 1, "first_due": ""}}),
        ),
        ("set_billing_item_status", Perm(BillingEdit), json!({"id": 1, "item": 999999, "status": "paused"})),
        ("bill_item_now", Perm(InvoicesFinalise), json!({"id": 1, "item": 999999})),
        ("item_to_draft", Perm(BillingEdit), json!({"id": 1, "item": 999999})),
        ("run_customer_billing", Perm(InvoicesFinalise), json!({"id": 999999})),
        (
            "set_billing_flag",
            Perm(BillingEdit),
            json!({"id": 1, "version": -1, "flag": "grouping_off", "on": true}),
        ),
        (
            "save_invoice_draft",
            Perm(BillingEdit),
            json!({"id": 1, "draft": {"id": null, "version": 0, "lines": []}}),
        ),
        ("delete_invoice_draft", Perm(BillingEdit), json!({"id": 1, "invoice": 999999})),
        ("invoice_draft", Perm(BillingView), json!({"id": 1, "invoice": 999999})),
        ("resend_invoice", Perm(EmailsSend), json!({"id": 1, "invoice": 999999})),
        ("finalise_invoice", Perm(InvoicesFinalise), json!({"id": 1, "invoice": 999999})),
        ("cancel_invoice", Perm(InvoicesCancel), json!({"id": 1, "invoice": 999999, "reason": "x"})),
        ("start_invoice_correction", Perm(InvoicesCancel), json!({"id": 1, "invoice": 999999})),
        ("customer_quotes", Perm(BillingView), json!({"id": 1, "page": 1})),
        (
            "save_quote_draft",
            Perm(BillingEdit),
            json!({"id": 1, "draft": {"id": null, "version": 0, "valid_until": "", "lines": []}}),
        ),
        ("quote_draft", Perm(BillingView), json!({"id": 1, "quote": 999999})),
        ("delete_quote_draft", Perm(BillingEdit), json!({"id": 1, "quote": 999999})),
        ("send_quote", Perm(BillingEdit), json!({"id": 1, "quote": 999999})),
        ("decide_quote", Perm(BillingEdit), json!({"id": 1, "quote": 999999, "accept": true, "reason": "x"})),
        ("duplicate_quote", Perm(BillingEdit), json!({"id": 1, "quote": 999999})),
        ("portal_quotes", Customer, json!({"page": 1})),
        ("portal_answer_quote", Customer, json!({"quote": 999999, "accept": true, "reason": ""})),
        ("pay_invoice_from_credit", Perm(PaymentsBook), json!({"id": 1, "invoice": 999999})),
        (
            "book_payment",
            Perm(PaymentsBook),
            json!({"id": 1, "payment": {"amount": "0", "fee": "", "method": "transfer", "booked_on": "2027-01-04",
                "reference": "auth-matrix", "idempotency_key": "k"}}),
        ),
        (
            "save_account_terms",
            Perm(BillingEdit),
            json!({"id": 1, "terms": {"version": 0, "methods": [], "limit": ""}}),
        ),
        (
            "book_manual",
            Perm(PaymentsBook),
            json!({"id": 1, "amount": "0", "debit": false, "special": false, "reason": "", "booked_on": "2027-01-04"}),
        ),
        ("reverse_entry", Perm(LedgerReverse), json!({"id": 1, "entry": 999999, "reason": "x"})),
        ("project_detail", Perm(ProjectsView), json!({"id": 1, "project": 999999})),
        (
            "save_project",
            Perm(ProjectsEdit),
            json!({"id": 1, "project": {"version": 0, "name": "", "due_on": "", "status": "done", "fee": "", "description": ""}}),
        ),
        ("add_project_task", Perm(ProjectsEdit), json!({"id": 1, "project": 999999, "title": ""})),
        ("set_project_task_done", Perm(ProjectsEdit), json!({"id": 1, "task": 999999, "done": true})),
        ("move_project_task", Perm(ProjectsEdit), json!({"id": 1, "task": 999999, "up": true})),
        (
            "add_project_time",
            Perm(ProjectsEdit),
            json!({"id": 1, "project": 999999, "time": {"worked_on": "", "minutes": 0, "note": ""}}),
        ),
        ("remove_project_time", Perm(ProjectsEdit), json!({"id": 1, "entry": 999999})),
        ("customer_files", Perm(FilesView), json!({"id": 1, "page": 1})),
        ("customer_domains", Perm(DomainsView), json!({"id": 1, "page": 1})),
        (
            "save_domain_terms",
            Perm(DomainsEdit),
            json!({"id": 1, "domain": 999999, "terms": {"auto_renew": true, "expires_on": "", "version": 1}}),
        ),
        (
            "add_domain",
            Perm(DomainsEdit),
            json!({"id": 1, "domain": {"name": "", "order": "register", "auto_renew": true}}),
        ),
        ("customer_domain_prices", Perm(DomainsView), json!({"id": 1, "page": 1})),
        (
            "save_customer_domain_price",
            Perm(DomainsPrices),
            json!({"id": 1, "price": {"tld_id": 999999, "own": ["", "", ""], "version": 0}}),
        ),
        (
            "confirm_domain",
            Perm(DomainsEdit),
            json!({"id": 1, "domain": 999999, "confirm": {"registered_on": "2026-01-01", "registry_expires_on": "", "version": 1}}),
        ),
        ("set_domain_flag", Perm(DomainsEdit), json!({"id": 1, "version": 0, "flag": "api", "on": true})),
        ("reveal_domain_authcode", Perm(DomainsAuthcode), json!({"id": 1, "domain": 999999})),
        ("open_domain", Perm(DomainsView), json!({"id": 1, "domain": 999999, "page": 1})),
        (
            "request_domain_job",
            Perm(DomainsRegistrar),
            json!({"id": 1, "domain": 999999, "version": 1, "action": "sync", "years": 1}),
        ),
        ("portal_domains", Customer, json!({"page": 1})),
        ("portal_domain_authcode", Customer, json!({"domain": 999999})),
        (
            "portal_change_domain",
            Customer,
            json!({"domain": 999999, "change": {"nameservers": "", "tech_handle": "", "zone_handle": "", "version": 1}}),
        ),
        (
            "save_file_flags",
            Perm(FilesEdit),
            json!({"id": 1, "file": 999999, "flags": {"customer_may_download": true, "expires_on": "", "version": 0}}),
        ),
        ("delete_customer_file", Perm(FilesEdit), json!({"id": 1, "file": 999999})),
        ("send_customer_file", Perm(FilesEdit), json!({"id": 1, "file": 999999})),
        ("portal_files", Customer, json!({"page": 1})),
        ("portal_invoice_page", Customer, json!({"page": 1})),
        ("reseller_end_customers", Perm(ResellerView), json!({"id": 1, "page": 1})),
        ("unlink_end_customer", Perm(ResellerEdit), json!({"id": 1, "end": 999999, "version": 0})),
        ("list_products", Perm(SettingsProducts), json!({})),
        (
            "save_product",
            Perm(SettingsProducts),
            json!({"product": clientdesk::catalogue::model::ProductInput::default()}),
        ),
        ("release_recipients", Perm(SettingsProducts), json!({"release": 999999, "page": 1})),
        (
            "add_release",
            Perm(SettingsProducts),
            json!({"product": 999999, "release": {"version": "", "released_on": "", "notes": ""}}),
        ),
        // The own account: every member, for themselves only (the id comes from the session).
        ("my_account", AnyStaff, json!({})),
        ("change_email", AnyStaff, json!({"password": "falsch", "email": "x"})),
        ("change_password", AnyStaff, json!({"current": "falsch", "new": "x"})),
        ("start_totp", AnyStaff, json!({"password": "falsch"})),
        ("confirm_totp", AnyStaff, json!({"code": "000000"})),
        ("disable_totp", AnyStaff, json!({"password": "falsch"})),
    ]
}

/// The staff members of the test, by role, with what each role is meant to allow. Written out
/// here, not derived from the code under test.
fn members() -> Vec<(&'static str, &'static str, Vec<Permission>)> {
    let read = [
        CustomersView,
        LogView,
        EmailsView,
        IpsView,
        SessionsView,
        HistoryView,
        NotesView,
        ProductsView,
        ProjectsView,
        FilesView,
        DomainsView,
        BillingView,
        ResellerView,
    ];
    let edit = [
        read.as_slice(),
        &[CustomersEdit, EmailsSend, NotesEdit, ProductsEdit, ProjectsEdit, FilesEdit, DomainsEdit],
    ]
    .concat();
    let support = [
        edit.as_slice(),
        &[
            SessionsEdit,
            SendPassword,
            Impersonate,
            HistoryUndo,
            DataReport,
            CustomersMerge,
            CustomersErase,
            ResellerEdit,
            ProductsProvision,
            DomainsAuthcode,
            DomainsRegistrar,
        ],
    ]
    .concat();
    let admin = [
        support.as_slice(),
        &[
            ImpersonateBypass2fa,
            SettingsFields,
            SettingsTexts,
            SettingsProducts,
            SettingsServers,
            SettingsDomains,
            SettingsRegistrars,
            SettingsBilling,
            ManageStaff,
            DomainsPrices,
            AuditView,
            CustomersHardDelete,
            RetainedView,
            BillingEdit,
            InvoicesFinalise,
            InvoicesCancel,
            PaymentsBook,
            LedgerReverse,
        ],
    ]
    .concat();
    let accounting = [
        edit.as_slice(),
        &[
            DomainsPrices,
            RetainedView,
            SettingsBilling,
            BillingEdit,
            InvoicesFinalise,
            InvoicesCancel,
            PaymentsBook,
            LedgerReverse,
        ],
    ]
    .concat();
    vec![
        ("administrator", "admin@x.test", admin),
        ("support", "support@x.test", support),
        ("accounting", "accounting@x.test", accounting),
        ("readonly", "reader@x.test", read.to_vec()),
        ("role-1", "fields@x.test", vec![SettingsFields]),
        ("role-2", "nothing@x.test", vec![]),
    ]
}

const PASSWORD: &str = "matrix-passwort-1";

async fn every_server_function_allows_exactly_whom_the_matrix_says(t: TestDb) {
    let matrix = matrix();
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    registered.sort();
    let mut listed: Vec<String> = matrix.iter().map(|(name, _, _)| name.to_string()).collect();
    listed.sort();
    assert_eq!(registered, listed, "every server function needs exactly one row in the matrix");

    seed_customers(&t.db, 3, 1).await.unwrap();
    save_role(&t.db, &RoleInput { id: None, name: "Nur Felder".into(), permissions: vec![SettingsFields] })
        .await
        .unwrap();
    save_role(&t.db, &RoleInput { id: None, name: "Nichts".into(), permissions: vec![] }).await.unwrap();
    for (role, email, _) in members() {
        add_staff(&t.db, email, role, PASSWORD, role).await.unwrap();
    }
    let srv = start(t.db.clone()).await;

    let anon = client(&srv.base);
    for (name, _, body) in &matrix {
        let res = anon.post(format!("{}/api/{name}", srv.base)).json(body).send().await.unwrap();
        assert_eq!(res.status(), 401, "anonymous may not call {name}");
    }

    for (role, email, allowed) in members() {
        let c = client(&srv.base);
        let res = c
            .post(format!("{}/auth/login", srv.base))
            .form(&[("email", email), ("password", PASSWORD), ("next", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert!(!res.headers()["location"].to_str().unwrap().contains("error"), "{email} logs in");
        for (name, need, body) in &matrix {
            let expect = match need {
                Need::AnyStaff => true,
                Need::Perm(p) => allowed.contains(p),
                Need::Customer => false,
            };
            let res = c.post(format!("{}/api/{name}", srv.base)).json(body).send().await.unwrap();
            let status = res.status().as_u16();
            let answer: Value = res.json().await.unwrap();
            let error = serde_json::from_value::<AppError>(answer.clone()).ok();
            let refused =
                error.as_ref().is_some_and(|e| matches!(e, AppError::Forbidden | AppError::Unauthenticated));
            assert_eq!(!refused, expect, "{role} calling {name} on {}: {answer}", t.backend);
            // The status says what happened; none of these example calls is a server fault.
            match &error {
                Some(e) => assert_eq!(status, e.status(), "{role} calling {name}: {answer}"),
                None => assert_eq!(status, 200, "{role} calling {name}: {answer}"),
            }
            if expect {
                // The body reached the function: it was read.
                assert_ne!(
                    error,
                    Some(AppError::malformed_request()),
                    "{name}: the example body must be well-formed"
                );
            }
        }
    }

    // Customers A and B in the self-service area: their own functions only. Both are resellers,
    // so the reseller's view is theirs too (tests/it/reseller.rs refuses it to others).
    sea_orm::ConnectionTrait::execute_unprepared(
        &t.db,
        "UPDATE customers SET is_reseller = TRUE WHERE id IN (1, 2)",
    )
    .await
    .unwrap();
    let admin_id = 1;
    for (customer_id, password) in [(1, "kunde-a-passwort"), (2, "kunde-b-passwort")] {
        let email = clientdesk::portal::service::staff_send_reset(&t.ctx(), admin_id, customer_id, &srv.base)
            .await
            .unwrap();
        let token = common::server::reset_token(common::server::deliver_mail(&t.db).await.last().unwrap());
        clientdesk::portal::service::reset_password(&t.db, &token, password, None).await.unwrap();
        let c = client(&srv.base);
        let res = c
            .post(format!("{}/portal/auth/login", srv.base))
            .form(&[("email", email.as_str()), ("password", password)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["location"], "/portal", "customer {customer_id} logs in");
        for (name, need, body) in &matrix {
            let expect = matches!(need, Need::Customer);
            let res = c.post(format!("{}/api/{name}", srv.base)).json(body).send().await.unwrap();
            let answer: Value = res.json().await.unwrap();
            let refused = serde_json::from_value::<AppError>(answer.clone())
                .is_ok_and(|e| matches!(e, AppError::Forbidden | AppError::Unauthenticated));
            assert_eq!(!refused, expect, "customer {customer_id} calling {name} on {}: {answer}", t.backend);
        }
    }
    drop(srv);
    t.finish().await;
}
db_test!(every_server_function_allows_exactly_whom_the_matrix_says);

/// Who may use a plain route (not a page or server function).
#[derive(Clone, Copy, Debug)]
enum RouteNeed {
    /// Login, logout, language, password reset: anyone (they decide themselves).
    Public,
    /// A logged-in staff member holding the permission.
    Staff(Permission),
    /// A logged-in customer in the self-service area (staff sessions do not count).
    PortalCustomer,
}

/// Every plain route as `clientdesk::server::router::PLAIN_ROUTES` lists it, with a concrete
/// path to call and who may use it.
fn routes() -> Vec<(&'static str, &'static str, &'static str, RouteNeed)> {
    use RouteNeed::*;
    vec![
        ("GET", "/healthz", "/healthz", Public),
        ("POST", "/auth/login", "/auth/login", Public),
        ("POST", "/auth/2fa", "/auth/2fa", Public),
        ("POST", "/auth/logout", "/auth/logout", Public),
        ("POST", "/lang", "/lang", Public),
        ("GET", "/api/live/{customer}", "/api/live/1", Staff(CustomersView)),
        ("GET", "/api/licences/verify", "/api/licences/verify?product=x&key=y&host=z", Public),
        ("GET", "/documents/customers/{id}/vcard", "/documents/customers/1/vcard", Staff(CustomersView)),
        (
            "GET",
            "/documents/customers/{id}/invoices/{invoice}/pdf",
            "/documents/customers/1/invoices/999999/pdf",
            Staff(BillingView),
        ),
        (
            "GET",
            "/documents/customers/{id}/invoices/{invoice}/xml",
            "/documents/customers/1/invoices/999999/xml",
            Staff(BillingView),
        ),
        (
            "GET",
            "/documents/customers/{id}/quotes/{quote}/pdf",
            "/documents/customers/1/quotes/999999/pdf",
            Staff(BillingView),
        ),
        (
            "GET",
            "/documents/customers/{id}/dunning/{notice}/pdf",
            "/documents/customers/1/dunning/999999/pdf",
            Staff(BillingView),
        ),
        (
            "POST",
            "/documents/customers/{id}/report.json",
            "/documents/customers/1/report.json",
            Staff(DataReport),
        ),
        (
            "POST",
            "/documents/customers/{id}/report.pdf",
            "/documents/customers/1/report.pdf",
            Staff(DataReport),
        ),
        (
            "POST",
            "/documents/customers/{id}/report.zip",
            "/documents/customers/1/report.zip",
            Staff(DataReport),
        ),
        ("POST", "/files/customers/{id}", "/files/customers/1", Staff(FilesEdit)),
        ("GET", "/files/customers/{id}/{file}", "/files/customers/1/999999", Staff(FilesView)),
        ("POST", "/files/customers/{id}/{file}/change", "/files/customers/1/999999/change", Staff(FilesEdit)),
        (
            "POST",
            "/hostings/customers/{id}/{hosting}/request",
            "/hostings/customers/1/999999/request",
            Staff(ProductsProvision),
        ),
        ("GET", "/portal/files/{file}", "/portal/files/999999", PortalCustomer),
        ("GET", "/portal/invoices/{invoice}/pdf", "/portal/invoices/999999/pdf", PortalCustomer),
        ("GET", "/portal/invoices/{invoice}/xml", "/portal/invoices/999999/xml", PortalCustomer),
        ("GET", "/portal/quotes/{quote}/pdf", "/portal/quotes/999999/pdf", PortalCustomer),
        ("GET", "/portal/dunning/{notice}/pdf", "/portal/dunning/999999/pdf", PortalCustomer),
        ("POST", "/portal/quotes/{quote}/accept", "/portal/quotes/999999/accept", PortalCustomer),
        ("POST", "/portal/quotes/{quote}/decline", "/portal/quotes/999999/decline", PortalCustomer),
        (
            "GET",
            "/portal/statement.pdf",
            "/portal/statement.pdf?from=2027-01-01&to=2027-01-31",
            PortalCustomer,
        ),
        (
            "GET",
            "/portal/statement.csv",
            "/portal/statement.csv?from=2027-01-01&to=2027-01-31",
            PortalCustomer,
        ),
        (
            "GET",
            "/documents/customers/{id}/statement.pdf",
            "/documents/customers/1/statement.pdf?from=2027-01-01&to=2027-01-31",
            Staff(BillingView),
        ),
        (
            "GET",
            "/documents/customers/{id}/statement.csv",
            "/documents/customers/1/statement.csv?from=2027-01-01&to=2027-01-31",
            Staff(BillingView),
        ),
        ("POST", "/portal/domains/{domain}/authcode", "/portal/domains/999999/authcode", PortalCustomer),
        ("POST", "/portal/domains/{domain}/change", "/portal/domains/999999/change", PortalCustomer),
        ("POST", "/settings/releases/{id}/file", "/settings/releases/999999/file", Staff(SettingsProducts)),
        ("POST", "/bank/imports", "/bank/imports", Staff(PaymentsBook)),
        ("GET", "/bank/sepa/{id}", "/bank/sepa/999999", Staff(PaymentsBook)),
        ("GET", "/portal/downloads/{release}", "/portal/downloads/999999", PortalCustomer),
        ("POST", "/portal/auth/login", "/portal/auth/login", Public),
        ("POST", "/portal/auth/logout", "/portal/auth/logout", Public),
        ("POST", "/portal/auth/forgot", "/portal/auth/forgot", Public),
        ("POST", "/portal/auth/reset", "/portal/auth/reset", Public),
        ("POST", "/portal/auth/2fa", "/portal/auth/2fa", Public),
        ("POST", "/portal/auth/impersonate", "/portal/auth/impersonate", Staff(Impersonate)),
        ("POST", "/portal/auth/stop-impersonation", "/portal/auth/stop-impersonation", Public),
    ]
}

/// Whether an answer refuses: 401/403, or a redirect to a login or to a "forbidden" notice.
fn refuses(res: &reqwest::Response) -> bool {
    let location = res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("");
    matches!(res.status().as_u16(), 401 | 403)
        || (res.status().is_redirection()
            && (location.starts_with("/login")
                || location.starts_with("/portal/login")
                || location.contains("forbidden")))
}

async fn every_plain_route_allows_exactly_whom_the_matrix_says(t: TestDb) {
    let mut listed: Vec<(&str, &str)> = routes().iter().map(|(m, p, _, _)| (*m, *p)).collect();
    let mut served = clientdesk::server::router::PLAIN_ROUTES.to_vec();
    listed.sort();
    served.sort();
    assert_eq!(listed, served, "every plain route needs exactly one row in the matrix");

    seed_customers(&t.db, 2, 2).await.unwrap();
    for (role, email, _) in members() {
        if !role.starts_with("role-") {
            add_staff(&t.db, email, role, PASSWORD, role).await.unwrap();
        }
    }
    let srv = start(t.db.clone()).await;
    let send = |c: &reqwest::Client, method: &str, path: &str| {
        let url = format!("{}{path}", srv.base);
        let form = [("customer_id", "1"), ("reason", "Prüfung der Rechte")];
        match method {
            "GET" => c.get(url).send(),
            _ => c.post(url).form(&form).send(),
        }
    };
    let anon = client(&srv.base);
    for (method, _, path, need) in routes() {
        let res = send(&anon, method, path).await.unwrap();
        assert!(res.status().as_u16() < 500, "anonymous {method} {path}: {}", res.status());
        if matches!(need, RouteNeed::Staff(_) | RouteNeed::PortalCustomer) {
            assert!(refuses(&res), "anonymous may not {method} {path}: {}", res.status());
        }
    }
    for (role, email, allowed) in members().into_iter().filter(|(r, _, _)| !r.starts_with("role-")) {
        for (method, _, path, need) in routes() {
            let allowed_here = match need {
                RouteNeed::Public => continue,
                RouteNeed::Staff(permission) => allowed.contains(&permission),
                // A staff session is no customer's.
                RouteNeed::PortalCustomer => false,
            };
            let c = common::server::login_as(&srv.base, email, PASSWORD).await;
            let res = send(&c, method, path).await.unwrap();
            assert!(res.status().as_u16() < 500, "{role} {method} {path}: {}", res.status());
            assert_eq!(
                !refuses(&res),
                allowed_here,
                "{role} {method} {path} on {}: {}",
                t.backend,
                res.status()
            );
        }
    }
    drop(srv);
    t.finish().await;
}
db_test!(every_plain_route_allows_exactly_whom_the_matrix_says);
