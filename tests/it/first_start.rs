//! The first start of a server: demo data only when switched on; otherwise the way to add the
//! first staff member, and nothing seeded.
use crate::common::TestDb;
use clientdesk::db::entities::{customer, staff};
use clientdesk::web::config::Config;
use sea_orm::{EntityTrait, PaginatorTrait};

fn config(demo: bool) -> Config {
    let mut c = Config::for_tests("127.0.0.1:0".parse().unwrap(), std::env::temp_dir());
    c.demo = demo;
    c
}

async fn first_start_seeds_only_with_demo_switched_on(t: TestDb) {
    let db = &t.db;
    let message = clientdesk::server::first_start(db, &config(false)).await.unwrap().unwrap();
    assert!(message.contains("clientdesk staff add"), "{message}");
    assert_eq!(staff::Entity::find().count(db).await.unwrap(), 0, "no known login without demo");
    let customers = customer::Entity::find().count(db).await.unwrap();

    let message = clientdesk::server::first_start(db, &config(true)).await.unwrap().unwrap();
    assert!(message.contains("demo@clientdesk.test"), "{message}");
    assert_eq!(staff::Entity::find().count(db).await.unwrap(), 3);
    assert!(customer::Entity::find().count(db).await.unwrap() > customers, "demo customers seeded");

    // Once staff exist, a start says nothing and seeds nothing more.
    let after = customer::Entity::find().count(db).await.unwrap();
    assert_eq!(clientdesk::server::first_start(db, &config(true)).await.unwrap(), None);
    assert_eq!(customer::Entity::find().count(db).await.unwrap(), after);
}
db_test!(first_start_seeds_only_with_demo_switched_on);
