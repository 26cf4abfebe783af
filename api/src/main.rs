//! `aisle-api [serve]` runs the server; `aisle-api seed --products N` replaces the
//! catalogue with N generated products (for benchmarks). See `Config` for settings.

use aisle_api::{db, seed, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: aisle-api [serve] | aisle-api seed [--products N]

Environment:
  DATABASE_URL   SQLite database (default sqlite://data/aisle.db, created on first start)
  AISLE_ADDR     listen address (default 127.0.0.1:8080)
  AISLE_WEB_DIR  built web app to serve (default dist)";

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().with_target(false).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = Config::from_env();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => serve(config).await,
        ["seed"] => seed_products(&config, seed::DEMO_PRODUCTS).await,
        ["seed", "--products", n] => match n.parse::<usize>() {
            Ok(n) if (1..=1_000_000).contains(&n) => seed_products(&config, n).await,
            _ => Err(format!("--products takes a number from 1 to 1000000, not {n:?}")),
        },
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown arguments {args:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aisle-api: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
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
