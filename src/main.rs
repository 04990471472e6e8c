//! The clientdesk binary: serve, migrate, seed, staff management.
use clap::{Parser, Subcommand};
use clientdesk::web::anyhow_lite::Result;
use clientdesk::web::config::Config;
use clientdesk::{customers, db, server};
use std::time::Instant;

#[derive(Parser)]
#[command(name = "clientdesk", version, about = "Customer management for hosting providers")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate and serve HTTP (the default).
    Serve {
        /// Seed demo staff and customers into an empty database (also `CLIENTDESK_DEMO=1`).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Add deterministic demo customers.
    Seed {
        #[arg(long, default_value_t = 300)]
        customers: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Manage staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a staff member who can log in.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        password: String,
        /// administrator, support, accounting, readonly, or the key of an operator-defined role.
        #[arg(long, default_value = "administrator")]
        role: String,
    },
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let mut config = Config::from_env();
    config.prepare_data_dir()?;
    match Cli::parse().command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => {
            config.demo |= demo;
            server::serve(config).await?
        }
        Command::Migrate => {
            let db = db::connect(&config.database_url).await?;
            db::migrate(&db).await?;
            println!("migrations applied");
        }
        Command::Seed { customers: count, seed } => {
            let db = db::connect(&config.database_url).await?;
            db::migrate(&db).await?;
            let started = Instant::now();
            customers::service::seed::seed_customers(&db, count, seed).await.map_err(|e| format!("{e:?}"))?;
            println!("seeded {count} customers in {:.1} s", started.elapsed().as_secs_f64());
        }
        Command::Staff { command: StaffCommand::Add { email, name, password, role } } => {
            let db = db::connect(&config.database_url).await?;
            db::migrate(&db).await?;
            match clientdesk::staff::service::add_staff(&db, &email, &name, &password, &role).await {
                Ok(id) => println!("staff member {id} added: {email}"),
                Err(e) => {
                    let problems: Vec<String> = e
                        .field_errors()
                        .iter()
                        .map(|f| {
                            format!(
                                "{}: {}",
                                f.field,
                                clientdesk::i18n::translate(Default::default(), &f.key)
                            )
                        })
                        .collect();
                    return Err(format!("could not add staff member: {}", problems.join("; ")).into());
                }
            }
        }
    }
    Ok(())
}
