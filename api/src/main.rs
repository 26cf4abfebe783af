//! `aisle-api [serve]` runs the server; `aisle-api seed --products N` replaces the
//! catalogue with N generated products (for benchmarks). See `Config` for settings.

use aisle_api::{
    catalogue::seed,
    platform::{config::LogFormat, db},
    Config,
};
use std::process::ExitCode;

const USAGE: &str = "usage: aisle-api [serve]
       aisle-api seed [--products N]
       aisle-api create-staff --email E --name N   (password from AISLE_STAFF_PASSWORD or standard input)";

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = Config::from_env();
    let _logs = match start_logs(&config) {
        Ok(guard) => guard,
        Err(e) => {
            eprintln!("aisle-api: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => serve(config).await,
        ["seed"] => seed_products(&config, seed::DEMO_PRODUCTS).await,
        ["seed", "--products", n] => match n.parse::<usize>() {
            Ok(n) if (1..=1_000_000).contains(&n) => seed_products(&config, n).await,
            _ => Err(format!("--products takes a number from 1 to 1000000, not {n:?}")),
        },
        ["create-staff", "--email", email, "--name", name] => create_staff(&config, email, name).await,
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}\n\n{}", aisle_api::platform::config::settings_help());
            Ok(())
        }
        _ => Err(format!("unknown arguments {args:?}\n{USAGE}\n(aisle-api --help lists the settings)")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aisle-api: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to standard output, human-readable or as JSON lines, from the level set.
/// A thread of their own writes them, so a request never waits on the terminal or the
/// pipe; the guard that flushes what is left lives as long as `main`.
fn start_logs(config: &Config) -> Result<tracing_appender::non_blocking::WorkerGuard, String> {
    let level = config.log_level()?;
    // Colours only for a person at a terminal, not in a file or a collector.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default().lossy(false).finish(std::io::stdout());
    let logs = tracing_subscriber::fmt().with_target(false).with_ansi(colour).with_max_level(level).with_writer(writer);
    match config.log_format()? {
        LogFormat::Human => logs.init(),
        // The request's span (its id, method and route) goes with every line.
        LogFormat::Json => logs.json().with_current_span(true).with_span_list(false).init(),
    }
    Ok(guard)
}

async fn serve(config: Config) -> Result<(), String> {
    // Checked before the "running" line, which scripts take to mean the server is up.
    config.check()?;
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e} (set AISLE_ADDR to another address)", config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Printed on its own line so scripts (xtask, the tests) can find the address.
    println!("Aisle is running at http://{addr}/");
    aisle_api::serve(config, listener).await
}

async fn seed_products(config: &Config, count: usize) -> Result<(), String> {
    let db = db::open(&config.database_url).await?;
    seed::replace_catalogue(&db, count).await.map_err(|e| format!("seeding failed: {e}"))?;
    println!("seeded {count} products into {}", config.database_url);
    Ok(())
}

/// Creates a staff account. There is never a default password: it is read from
/// AISLE_STAFF_PASSWORD or typed in.
async fn create_staff(config: &Config, email: &str, name: &str) -> Result<(), String> {
    use aisle_domain::customer::{parse_text, Email, NewPassword};
    let email = Email::parse(email).map_err(|e| e.message)?;
    let name = parse_text("name", "a name", name, 100).map_err(|e| e.message)?;
    let password = match std::env::var("AISLE_STAFF_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            eprint!("Password for {} (at least 10 characters): ", email.as_str());
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| e.to_string())?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let password = NewPassword::parse(&password, "password").map_err(|e| e.message)?;
    let hash = aisle_api::identity::password::hash_password(password.as_str()).map_err(|e| format!("{e:?}"))?;
    let db = db::open(&config.database_url).await?;
    let mut conn = db.acquire().await.map_err(|e| e.to_string())?;
    aisle_api::identity::store::insert_customer(&mut conn, email.as_str(), &name, &hash, true)
        .await
        .map_err(|e| match e {
            aisle_api::platform::error::ApiError::Conflict { message, .. } => message,
            other => format!("{other:?}"),
        })?;
    println!("created staff account {}", email.as_str());
    Ok(())
}
