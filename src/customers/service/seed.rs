//! Deterministic demo data: German-looking customers, groups and custom fields.
//! The same seed gives the same customers; 100,000 take seconds (batched inserts).
use super::convert::apply_form;
use crate::customers::model::{CustomerForm, CustomerKind, CustomerStatus, Salutation};
use crate::customers::search_text::fold;
use crate::db::entities::{custom_field_def, customer, customer_group};
use crate::db::{Db, reserve_counter};
use crate::error::AppResult;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, TransactionTrait};

const FIRST_F: &[&str] = &[
    "Anna", "Greta", "Sophie", "Marie", "Lena", "Jana", "Katrin", "Sabine", "Jürgen", "Ute", "Birgit",
    "Monika", "Petra", "Claudia", "Julia", "Laura", "Lea", "Hannah", "Emma", "Mia", "Zoë", "Renée",
];
const FIRST_M: &[&str] = &[
    "Jürgen",
    "Thomas",
    "Michael",
    "Andreas",
    "Stefan",
    "Markus",
    "Christian",
    "Jörg",
    "Uwe",
    "Klaus",
    "Lukas",
    "Jonas",
    "Felix",
    "Maximilian",
    "Paul",
    "Tobias",
    "Sören",
    "Björn",
    "René",
    "Kai",
];
const LAST: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Simon",
    "Ludwig",
    "Böhm",
    "Winter",
    "Kraus",
    "Martin",
    "Schumacher",
    "Krämer",
    "Vogt",
    "Stein",
    "Jäger",
    "Otto",
    "Sommer",
    "Groß",
    "Seidel",
    "Heinrich",
    "Brandt",
    "Haas",
    "Schreiber",
    "Graf",
    "Schulte",
    "Dietrich",
    "Ziegler",
    "Kuhn",
    "Kühn",
    "Pohl",
    "Engel",
    "Horn",
    "Busch",
    "Bergmann",
    "Thomas",
    "Voigt",
    "Sauer",
    "Arnold",
    "Wolff",
    "Pfeiffer",
    "Zuckermann",
    "Özdemir",
    "Nowak",
    "Albers",
    "Dörfler",
];
const COMPANY_SUFFIX: &[&str] = &[
    "GmbH",
    "AG",
    "IT-Service",
    "Webdesign",
    "KG",
    "UG (haftungsbeschränkt)",
    "e.K.",
    "Medien GmbH",
    "Systemhaus",
    "Hosting GmbH",
    "& Partner",
    "Consulting",
];
const STREETS: &[&str] = &[
    "Hauptstraße",
    "Schulstraße",
    "Gartenstraße",
    "Bahnhofstraße",
    "Dorfstraße",
    "Bergstraße",
    "Birkenweg",
    "Lindenstraße",
    "Kirchstraße",
    "Waldstraße",
    "Ringstraße",
    "Schillerstraße",
    "Goethestraße",
    "Mühlenweg",
    "Oranienburger Str.",
    "Friedrichstraße",
    "Königsallee",
    "Marktplatz",
];
/// (country, city, postcode prefix, phone area code)
const CITIES: &[(&str, &str, &str, &str)] = &[
    ("DE", "Berlin", "10", "30"),
    ("DE", "Hamburg", "20", "40"),
    ("DE", "München", "80", "89"),
    ("DE", "Köln", "50", "221"),
    ("DE", "Frankfurt am Main", "60", "69"),
    ("DE", "Stuttgart", "70", "711"),
    ("DE", "Düsseldorf", "40", "211"),
    ("DE", "Leipzig", "04", "341"),
    ("DE", "Dortmund", "44", "231"),
    ("DE", "Essen", "45", "201"),
    ("DE", "Bremen", "28", "421"),
    ("DE", "Dresden", "01", "351"),
    ("DE", "Hannover", "30", "511"),
    ("DE", "Nürnberg", "90", "911"),
    ("DE", "Duisburg", "47", "203"),
    ("DE", "Bochum", "44", "234"),
    ("DE", "Münster", "48", "251"),
    ("DE", "Würzburg", "97", "931"),
    ("DE", "Lübeck", "23", "451"),
    ("DE", "Göttingen", "37", "551"),
    ("DE", "Saarbrücken", "66", "681"),
    ("DE", "Osnabrück", "49", "541"),
    ("DE", "Freiburg im Breisgau", "79", "761"),
    ("DE", "Kiel", "24", "431"),
    ("AT", "Wien", "1", "1"),
    ("AT", "Graz", "8", "316"),
    ("AT", "Linz", "4", "732"),
    ("CH", "Zürich", "8", "44"),
    ("CH", "Basel", "4", "61"),
    ("CH", "Bern", "3", "31"),
];
const DOMAINS: &[&str] =
    &["web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de", "mailbox.org", "outlook.de"];
pub const GROUPS: &[&str] = &["Standard", "Agenturen", "Premium", "Behörden", "Wiederverkäufer"];

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items[rng.gen_range(0..items.len())]
}

fn slug(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

/// One customer's form, derived from the generator alone.
fn fake_form(rng: &mut ChaCha8Rng, groups: &[i32]) -> CustomerForm {
    let female = rng.gen_bool(0.5);
    let first = if female { pick(rng, FIRST_F) } else { pick(rng, FIRST_M) };
    let last = pick(rng, LAST);
    let is_company = rng.gen_bool(0.35);
    let company =
        if is_company { format!("{} {}", pick(rng, LAST), pick(rng, COMPANY_SUFFIX)) } else { String::new() };
    let (country, city, prefix, area) = CITIES[rng.gen_range(0..CITIES.len())];
    let digits = if country == "DE" { 5 } else { 4 };
    let mut postcode = prefix.to_string();
    while postcode.len() < digits {
        postcode.push(char::from(b'0' + rng.gen_range(0..10u8)));
    }
    let email = if is_company {
        format!("{}@{}.de", slug(first), slug(&company).chars().take(24).collect::<String>())
    } else {
        format!("{}.{}{}@{}", slug(first), slug(last), rng.gen_range(1..999), pick(rng, DOMAINS))
    };
    let dial = match country {
        "AT" => "+43",
        "CH" => "+41",
        _ => "+49",
    };
    let roll: f64 = rng.r#gen();
    CustomerForm {
        status: if roll < 0.85 {
            CustomerStatus::Active
        } else if roll < 0.95 {
            CustomerStatus::Inactive
        } else {
            CustomerStatus::Prospect
        },
        kind: if is_company { CustomerKind::Company } else { CustomerKind::Person },
        salutation: if female { Salutation::Ms } else { Salutation::Mr },
        first_name: first.into(),
        last_name: last.into(),
        company,
        email,
        phone: format!("{dial} {area} {}", rng.gen_range(1_000_000..9_999_999)),
        street: pick(rng, STREETS).into(),
        house_number: rng.gen_range(1..180).to_string(),
        postcode,
        city: city.into(),
        country: country.into(),
        language: (if rng.gen_bool(0.9) { "de" } else { "en" }).into(),
        currency: (if country == "CH" { "CHF" } else { "EUR" }).into(),
        group_id: if rng.gen_bool(0.25) {
            groups[rng.gen_range(0..groups.len())].to_string()
        } else {
            String::new()
        },
        price_level: "standard".into(),
        payment_term_days: (if is_company { "30" } else { "14" }).into(),
        taxation: "normal".into(),
        newsletter: rng.gen_bool(0.3),
        orders_allowed: true,
        products_downloadable: true,
        update_service: rng.gen_bool(0.4),
        account_locked: rng.gen_bool(0.01),
        dunning_off: rng.gen_bool(0.02),
        ..Default::default()
    }
}

async fn ensure_groups<C: ConnectionTrait>(db: &C) -> AppResult<Vec<i32>> {
    if customer_group::Entity::find().count(db).await? == 0 {
        let rows = GROUPS
            .iter()
            .map(|g| customer_group::ActiveModel { name: Set(g.to_string()), ..Default::default() });
        customer_group::Entity::insert_many(rows).exec_without_returning(db).await?;
        let defs = [
            ("legacy_id", "Nr. im Altsystem", "Legacy system ID", "text", ""),
            ("industry", "Branche", "Industry", "select", "Hosting\nAgentur\nHandel\nÖffentliche Verwaltung"),
        ];
        let rows =
            defs.iter().enumerate().map(|(i, (key, de, en, kind, opts))| custom_field_def::ActiveModel {
                key: Set(key.to_string()),
                label_de: Set(de.to_string()),
                label_en: Set(en.to_string()),
                kind: Set(kind.to_string()),
                options: Set(opts.to_string()),
                required: Set(false),
                position: Set(i as i32),
                active: Set(true),
                ..Default::default()
            });
        custom_field_def::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(customer_group::Entity::find().all(db).await?.into_iter().map(|g| g.id).collect())
}

fn active_model(
    number: &str,
    form: &CustomerForm,
    reseller_id: Option<i32>,
    created: chrono::DateTime<chrono::Utc>,
) -> customer::ActiveModel {
    let mut am = customer::ActiveModel {
        number: Set(number.to_string()),
        api_key_hash: Set(None),
        pending_email: Set(None),
        source: Set("seed".into()),
        last_login_at: Set(None),
        last_ip: Set(None),
        version: Set(1),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    };
    let group_id = form.group_id.parse().ok();
    apply_form(&mut am, number, form, group_id, reseller_id);
    am
}

/// Add `count` customers generated from `seed`: 1 % resellers, 5 % registered by one of them.
pub async fn seed_customers(db: &Db, count: usize, seed: u64) -> AppResult<()> {
    const BATCH: usize = 500;
    let groups = ensure_groups(db).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let txn = db.begin().await?;
    let first = reserve_counter(&txn, "customer_number", 10001, count as i64).await?;
    let epoch = chrono::DateTime::parse_from_rfc3339("2012-01-01T08:00:00Z").expect("valid").to_utc();
    let step = (14 * 365 * 24 * 3600) / count.max(1) as i64;
    let mut forms: Vec<(CustomerForm, chrono::DateTime<chrono::Utc>)> = (0..count)
        .map(|i| {
            let mut form = fake_form(&mut rng, &groups);
            form.is_reseller = i % 100 == 7;
            let created = epoch + chrono::Duration::seconds(step * i as i64 + rng.gen_range(0..step.max(1)));
            (form, created)
        })
        .collect();
    // Resellers first, so their ids exist for the end customers they registered; numbers follow
    // insertion order, so customer numbers and ids sort alike.
    forms.sort_by_key(|(f, _)| !f.is_reseller);
    let mut forms: Vec<(String, CustomerForm, chrono::DateTime<chrono::Utc>)> =
        forms.into_iter().enumerate().map(|(i, (f, c))| (format!("K-{}", first + i as i64), f, c)).collect();
    let mut reseller_ids = Vec::new();
    for chunk in forms.iter().filter(|(_, f, _)| f.is_reseller).collect::<Vec<_>>().chunks(BATCH) {
        let rows = chunk.iter().map(|(n, f, c)| active_model(n, f, None, *c));
        let inserted = customer::Entity::insert_many(rows).exec_with_returning(&txn).await?;
        reseller_ids.extend(inserted.into_iter().map(|m| m.id));
    }
    forms.retain(|(_, f, _)| !f.is_reseller);
    for chunk in forms.chunks(BATCH) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(n, f, c)| {
                let reseller = (!reseller_ids.is_empty() && rng.gen_bool(0.05))
                    .then(|| reseller_ids[rng.gen_range(0..reseller_ids.len())]);
                active_model(n, f, reseller, *c)
            })
            .collect();
        customer::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(())
}
