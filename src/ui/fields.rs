//! Form fields bound by name to a form signal: a visible label tied to the input, the field's
//! validation message, and, after a conflict, the value someone else saved meanwhile.
use crate::error::FieldError;
use crate::i18n::{t, translate_with, use_locale};
use leptos::prelude::*;

/// A form whose values can be read and written by field name (text; flags as "true"/"false").
pub trait NamedFields: Clone + Send + Sync + 'static {
    fn read(&self, name: &str) -> String;
    fn write(&mut self, name: &str, value: String);
}

/// A value by field name (a free function, for code that walks field names).
pub fn read<F: NamedFields>(form: &F, name: &str) -> String {
    form.read(name)
}

pub fn write<F: NamedFields>(form: &mut F, name: &str, value: String) {
    form.write(name, value)
}

/// The editable state of a form.
pub struct FormState<F: NamedFields> {
    pub draft: RwSignal<F>,
    pub errors: RwSignal<Vec<FieldError>>,
    /// The stored values when a save ran into someone else's change.
    pub theirs: RwSignal<Option<F>>,
}

impl<F: NamedFields> Clone for FormState<F> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F: NamedFields> Copy for FormState<F> {}

impl<F: NamedFields> FormState<F> {
    pub fn new(form: F) -> Self {
        FormState {
            draft: RwSignal::new(form),
            errors: RwSignal::new(Vec::new()),
            theirs: RwSignal::new(None),
        }
    }

    fn get(&self, name: &str) -> String {
        self.draft.with(|f| f.read(name))
    }

    fn set(&self, name: &str, value: String) {
        self.draft.update(|f| f.write(name, value));
    }
}

fn input_id(name: &str) -> String {
    format!("f-{}", name.replace('.', "-"))
}

/// Label, message and conflict hint around one input.
#[component]
fn FieldFrame<F: NamedFields>(
    state: FormState<F>,
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
        let stored = state.theirs.with(|t| t.as_ref().map(|f| f.read(&theirs_name)))?;
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
pub fn TextInput<F: NamedFields>(
    state: FormState<F>,
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

/// Several lines of text (one entry per line).
#[component]
pub fn TextArea<F: NamedFields>(
    state: FormState<F>,
    #[prop(into)] name: String,
    #[prop(optional)] wide: bool,
) -> impl IntoView {
    let label = t(&format!("field.{name}"));
    let id = input_id(&name);
    let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
    view! {
        <FieldFrame state name=name.clone() label wide>
            <textarea
                id=id.clone()
                name=name.clone()
                rows="3"
                spellcheck="false"
                prop:value=move || state.get(&n2)
                aria-invalid=move || state.errors.with(|e| e.iter().any(|e| e.field == name)).to_string()
                aria-describedby=format!("{id}-error")
                on:input=move |ev| state.set(&n3, event_target_value(&ev))
            >{state.draft.with_untracked(|f| f.read(&n1))}</textarea>
        </FieldFrame>
    }
}

/// A choice from fixed options: (value, label).
#[component]
pub fn SelectInput<F: NamedFields>(
    state: FormState<F>,
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
pub fn Toggle<F: NamedFields>(
    state: FormState<F>,
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
