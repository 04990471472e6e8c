//! Form fields bound by name to a form signal: a visible label tied to the input, the field's
//! validation message, and, after a conflict, the value someone else saved meanwhile.
use crate::customers::model::CustomerForm;
use crate::error::FieldError;
use crate::i18n::{t, translate_with, use_locale};
use leptos::prelude::*;

/// The editable state of a customer form.
#[derive(Clone, Copy)]
pub struct FormState {
    pub draft: RwSignal<CustomerForm>,
    pub errors: RwSignal<Vec<FieldError>>,
    /// The stored values when a save ran into someone else's change.
    pub theirs: RwSignal<Option<CustomerForm>>,
}

impl FormState {
    pub fn new(form: CustomerForm) -> Self {
        FormState {
            draft: RwSignal::new(form),
            errors: RwSignal::new(Vec::new()),
            theirs: RwSignal::new(None),
        }
    }

    fn get(&self, name: &str) -> String {
        self.draft.with(|f| read(f, name))
    }

    fn set(&self, name: &str, value: String) {
        self.draft.update(|f| write(f, name, value));
    }
}

/// A text value by field name; `custom.<key>` addresses custom fields, flags read as "true"/"false".
pub fn read(form: &CustomerForm, name: &str) -> String {
    if let Some(key) = name.strip_prefix("custom.") {
        return form.custom.get(key).cloned().unwrap_or_default();
    }
    form.text(name).map(String::from).or_else(|| form.flag(name).map(|b| b.to_string())).unwrap_or_default()
}

pub fn write(form: &mut CustomerForm, name: &str, value: String) {
    if let Some(key) = name.strip_prefix("custom.") {
        form.custom.insert(key.to_string(), value);
    } else if let Some(text) = form.text_mut(name) {
        *text = value;
    } else if let Some(flag) = form.flag_mut(name) {
        *flag = value == "true";
    }
}

fn input_id(name: &str) -> String {
    format!("f-{}", name.replace('.', "-"))
}

/// Label, message and conflict hint around one input.
#[component]
fn FieldFrame(
    state: FormState,
    name: String,
    label: String,
    #[prop(optional)] wide: bool,
    children: Children,
) -> impl IntoView {
    let locale = use_locale();
    let id = input_id(&name);
    let error_name = name.clone();
    let error = Memo::new(move |_| {
        state.errors.with(|errs| {
            errs.iter().find(|e| e.field == error_name).map(|e| {
                let args: Vec<(&str, &str)> = e.args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                translate_with(locale, &e.key, &args)
            })
        })
    });
    let theirs_name = name.clone();
    let theirs = move || {
        let stored = state.theirs.with(|t| t.as_ref().map(|f| read(f, &theirs_name)))?;
        (stored != state.get(&theirs_name)).then_some(stored)
    };
    let take_name = name.clone();
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:wide=wide class:invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            {children()}
            {move || error.get().map(|msg| view! { <p class="field-error" id=error_id.clone() role="alert">{msg}</p> })}
            {move || {
                let take_name = take_name.clone();
                theirs()
                    .map(|stored| {
                        let shown = if stored.is_empty() { "–".to_string() } else { stored.clone() };
                        view! {
                            <p class="field-theirs">
                                {t("conflict.stored_value")} " " <strong>{shown}</strong> " "
                                <button type="button" class="link" on:click=move |_| state.set(&take_name, stored.clone())>
                                    {t("conflict.take")}
                                </button>
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// A one-line input (`kind` is the HTML input type).
#[component]
pub fn TextInput(
    state: FormState,
    #[prop(into)] name: String,
    #[prop(optional, into)] label: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] wide: bool,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    let label = label.unwrap_or_else(|| t(&format!("field.{name}")));
    let id = input_id(&name);
    let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
    view! {
        <FieldFrame state name=name.clone() label wide>
            <input
                id=id.clone()
                name=name.clone()
                type=kind
                autocomplete=if autocomplete.is_empty() { "off" } else { autocomplete }
                value=move || state.get(&n1)
                prop:value=move || state.get(&n2)
                aria-invalid=move || state.errors.with(|e| e.iter().any(|e| e.field == name)).to_string()
                aria-describedby=format!("{id}-error")
                on:input=move |ev| state.set(&n3, event_target_value(&ev))
            />
        </FieldFrame>
    }
}

/// A choice from fixed options: (value, label).
#[component]
pub fn SelectInput(
    state: FormState,
    #[prop(into)] name: String,
    options: Vec<(String, String)>,
    #[prop(optional, into)] label: Option<String>,
) -> impl IntoView {
    let label = label.unwrap_or_else(|| t(&format!("field.{name}")));
    let id = input_id(&name);
    let (n1, n2) = (name.clone(), name.clone());
    view! {
        <FieldFrame state name=name.clone() label>
            <select
                id=id.clone()
                name=name.clone()
                prop:value=move || state.get(&n1)
                aria-describedby=format!("{id}-error")
                on:change=move |ev| state.set(&n2, event_target_value(&ev))
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let n = name.clone();
                        let v = value.clone();
                        view! { <option value=value selected=move || state.get(&n) == v>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </FieldFrame>
    }
}

/// An on/off setting, shown as a switch.
#[component]
pub fn Toggle(
    state: FormState,
    #[prop(into)] name: String,
    #[prop(optional, into)] label: Option<String>,
) -> impl IntoView {
    let label = label.unwrap_or_else(|| t(&format!("field.{name}")));
    let id = input_id(&name);
    let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
    view! {
        <div class="toggle">
            <input
                id=id.clone()
                name=name.clone()
                type="checkbox"
                role="switch"
                value="true"
                checked=move || state.get(&n1) == "true"
                prop:checked=move || state.get(&n2) == "true"
                on:change=move |ev| state.set(&n3, event_target_checked(&ev).to_string())
            />
            <label for=id>{label}</label>
        </div>
    }
}
