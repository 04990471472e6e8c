//! Servers and packages for provisioning tests, made through the catalogue's own services.
use clientdesk::catalogue::server_model::{PackageInput, ServerInput};
use clientdesk::catalogue::servers::{save_package, save_server};
use clientdesk::db::Db;
use clientdesk::db::entities::server;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel};

/// A server of `module` (one the catalogue offers) and a package on it; returns the package id.
pub async fn package(db: &Db, module: &str, host: &str, port: i32, settings: &str, auto: bool) -> i32 {
    package_with(db, module, (host, port, ""), settings, "{}", auto).await
}

/// The same with the server's secret and the package's own settings.
pub async fn package_with(
    db: &Db,
    module: &str,
    (host, port, secret): (&str, i32, &str),
    settings: &str,
    package_settings: &str,
    auto: bool,
) -> i32 {
    let test_module = clientdesk::provisioning::Modules::standard().get(module).is_none();
    let server = ServerInput {
        name: format!("{module} 1"),
        module: if test_module { "manual".into() } else { module.into() },
        host: host.into(),
        port,
        username: "root".into(),
        secret: secret.into(),
        settings: settings.into(),
        active: true,
        ..Default::default()
    };
    let server_id = save_server(db, &server).await.expect("save server");
    if test_module {
        // A test's own module is no choice for staff: set directly.
        let mut row =
            server::Entity::find_by_id(server_id).one(db).await.unwrap().unwrap().into_active_model();
        row.module = Set(module.into());
        row.update(db).await.unwrap();
    }
    let package = PackageInput {
        name: format!("{module} S"),
        server_id,
        settings: package_settings.into(),
        auto_provision: auto,
        active: true,
        ..Default::default()
    };
    save_package(db, &package).await.expect("save package")
}
