//! The database: SQLite by default (one file, created on first start) or PostgreSQL
//! when `DATABASE_URL` says `postgres://`, for a shop that runs several API instances.
//! Both run the same numbered migrations (`api/migrations/sqlite` and their PostgreSQL
//! twins in `api/migrations/postgres`) and the same queries: every query is written
//! once, in the SQL both understand (`$1` parameters, `RETURNING`, `ON CONFLICT`), and
//! goes through sqlx's `Any` driver.

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    sqlite::SqliteConnectOptions,
    Any, AnyPool, Executor,
};
use sqlx::migrate::Migrator;
use std::{str::FromStr, time::Duration};

pub type Db = AnyPool;
pub type Tx<'a> = sqlx::Transaction<'a, Any>;
pub type Conn = sqlx::AnyConnection;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        match url.split(':').next()? {
            "sqlite" => Some(Backend::Sqlite),
            "postgres" | "postgresql" => Some(Backend::Postgres),
            _ => None,
        }
    }
}

pub fn backend(db: &Db) -> Backend {
    Backend::of_url(db.connect_options().database_url.as_str()).unwrap_or(Backend::Sqlite)
}

/// The one advisory lock every read-then-write transaction takes on PostgreSQL.
const WRITE_LOCK: i64 = 0x0041_4953_4c45; // "AISLE"

/// A transaction for a change that reads before it writes (is there stock, is the
/// order still cancellable, which conversation is open). Such changes must not
/// interleave. SQLite gives that with `BEGIN IMMEDIATE`: the write lock is taken at the
/// start, so a second writer waits instead of acting on what it read before the first
/// committed. On PostgreSQL every instance takes one transaction-scoped advisory lock,
/// which serialises these transactions across all instances in the same way; plain
/// reads and single-statement writes (the stock decrement is one conditional UPDATE)
/// do not take it. Ids handed out under the lock also commit in order, which the
/// chat's "everything after message N" relies on.
pub async fn begin_write(db: &Db) -> Result<Tx<'static>, sqlx::Error> {
    match backend(db) {
        Backend::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = db.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
            Ok(tx)
        }
    }
}

/// The schema, as numbered migrations for each database (the same versions for both).
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// How many of this build's migrations the database has not applied (0 when it is up
/// to date); an error when the database does not answer.
pub async fn pending_migrations(db: &Db) -> Result<usize, sqlx::Error> {
    let migrator = match backend(db) {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = $1")
        .bind(true)
        .fetch_all(db)
        .await?;
    Ok(migrator.iter().filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version)).count())
}

/// Opens (creating if needed) the database at `url` and brings its schema up to date.
pub async fn open(url: &str) -> Result<Db, String> {
    sqlx::any::install_default_drivers();
    match Backend::of_url(url) {
        Some(Backend::Sqlite) => open_sqlite(url).await,
        Some(Backend::Postgres) => open_postgres(url).await,
        None => Err(format!(
            "DATABASE_URL must be a sqlite: URL such as sqlite://data/aisle.db or a postgres: URL such as \
             postgres://aisle@db.internal/aisle (got {:?})",
            url.split(':').next().unwrap_or_default()
        )),
    }
}

async fn open_sqlite(url: &str) -> Result<Db, String> {
    let file = SqliteConnectOptions::from_str(url).map_err(|e| format!("DATABASE_URL is not a usable SQLite URL: {e}"))?;
    if let Some(dir) = file.get_filename().parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
    }
    // mode=rwc creates the file on first start.
    let url = if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
    let options = AnyConnectOptions::from_str(&url).map_err(|e| format!("DATABASE_URL is not a usable SQLite URL: {e}"))?;
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        // A local file cannot drop a connection the way a network database can; a
        // ping before every query would be one more hop to the connection's thread.
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(|conn, _| {
            Box::pin(async move {
                // WAL lets readers carry on while a writer commits; the busy timeout
                // makes a writer wait for the lock instead of failing at once.
                conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON")
                    .await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| format!("cannot open the database {url}: {e}"))?;
    SQLITE_MIGRATIONS
        .run(&pool)
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok(pool)
}

async fn open_postgres(url: &str) -> Result<Db, String> {
    // Never echo the URL: it may carry a password.
    let options = AnyConnectOptions::from_str(url).map_err(|e| format!("DATABASE_URL is not a usable PostgreSQL URL: {e}"))?;
    let pool = AnyPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .map_err(|e| format!("cannot connect to the PostgreSQL database: {e}"))?;
    // Instances starting together are safe: sqlx's migrator holds an advisory lock.
    POSTGRES_MIGRATIONS
        .run(&pool)
        .await
        .map_err(|e| format!("cannot migrate the database: {e}"))?;
    Ok(pool)
}

/// A yes/no column. Both schemas store it as an integer 0 or 1 (SQLite has no boolean
/// type); `Any` decodes integers only as integers, so rows read it through this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag(pub bool);

impl sqlx::Type<Any> for Flag {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <i64 as sqlx::Type<Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <i64 as sqlx::Type<Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Any> for Flag {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Flag(<i64 as sqlx::Decode<Any>>::decode(value)? != 0))
    }
}

/// After rows were inserted with explicit ids (the seed), moves PostgreSQL's id
/// counters past them; SQLite picks the next id from the table itself.
pub async fn sync_id_counters(conn: &mut Conn, tables: &[&str]) -> Result<(), sqlx::Error> {
    if conn.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    for table in tables {
        conn.execute(
            format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
                .as_str(),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Backend;

    fn migrations(dialect: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dialect);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect();
        names.sort();
        names
    }

    /// A migration written for one database and forgotten for the other would leave
    /// the two schemas apart; each version exists for both, under the same name.
    #[test]
    fn every_migration_has_its_twin() {
        let (sqlite, postgres) = (migrations("sqlite"), migrations("postgres"));
        assert!(sqlite.len() >= 7, "{sqlite:?}");
        assert_eq!(sqlite, postgres);
    }

    #[test]
    fn the_url_says_which_database() {
        assert_eq!(Backend::of_url("sqlite://data/aisle.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgres://aisle@db/aisle"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("postgresql://aisle@db/aisle"), Some(Backend::Postgres));
        assert_eq!(Backend::of_url("mysql://db/aisle"), None);
        assert_eq!(Backend::of_url("data/aisle.db"), None);
    }
}
