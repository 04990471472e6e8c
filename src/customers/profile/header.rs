//! The profile header (number, name, company, status) and the critical warnings row.
use crate::customers::model::{CustomerDetail, Warning};
use crate::i18n::{t, translate_with, use_locale};
use crate::ui::format;
use leptos::prelude::*;

#[component]
pub fn ProfileHeader(detail: CustomerDetail) -> impl IntoView {
    let locale = use_locale();
    let f = &detail.form;
    let person = crate::customers::model::display_name(&f.first_name, &f.last_name, "");
    // An erased customer has no name left; it is named as what it is.
    let company = if detail.erased_at.is_some() { t("profile.erased_name") } else { f.company.clone() };
    let status = f.status;
    let since = format::date(&detail.created_at, locale);
    view! {
        <header class="profile-header">
            <span class="avatar" aria-hidden="true">{format::initials(&detail.display_name)}</span>
            <div>
                <h1>
                    <span class="name">{if person.is_empty() { company.clone() } else { person.clone() }}</span>
                    {(!person.is_empty() && !company.is_empty()).then(|| view! { <span class="company">" · " {company.clone()}</span> })}
                    <span class=format!("badge status-{status}")>{t(&format!("choice.status.{status}"))}</span>
                </h1>
                <p class="subline">
                    {t("field.number")} " " <span class="customer-number">{detail.number.clone()}</span>
                    " · " {translate_with(locale, "profile.since", &[("date", &since)])}
                    {f.is_reseller.then(|| view! { " · " {t("field.is_reseller")} })}
                </p>
            </div>
        </header>
    }
}

#[component]
pub fn WarningsRow(warnings: Vec<Warning>) -> impl IntoView {
    let locale = use_locale();
    (!warnings.is_empty()).then(|| {
        view! {
            <ul class="warnings" aria-label=t("profile.warnings")>
                {warnings.into_iter().map(|w| {
                    // A `date` argument is a business day (YYYY-MM-DD), an `amount` cents: both are
                    // written in the user's language.
                    let shown: Vec<(String, String)> = w.args.iter().map(|(k, v)| {
                        let v = match (k.as_str(), v.parse::<i64>()) {
                            ("date", _) => crate::ui::format::date(v, locale),
                            ("amount", Ok(cents)) => crate::ui::format::cents(cents, locale),
                            _ => v.clone(),
                        };
                        (k.clone(), v)
                    }).collect();
                    let args: Vec<(&str, &str)> = shown.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    let text = translate_with(locale, &w.key, &args);
                    view! { <li class=format!("warning tone-{}", w.tone)>{text}</li> }
                }).collect_view()}
            </ul>
        }
    })
}
