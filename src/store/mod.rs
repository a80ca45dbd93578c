//! The SQLite store: the archive's source of truth.
//!
//! Owns: the schema, migrations (`PRAGMA user_version`), transactions and CRUD in model
//! types. Must not know tantivy, egui or file formats. The `Connection` stays private.

mod adjudications;
mod annotations;
mod articles;
mod assignments;
mod bundles;
mod contract;
mod error;
mod events;
mod index_queue;
mod labels;
mod maintenance;
mod models;
mod outbox;
mod pg;
mod replica;
mod rows;
mod schema;
mod vocabulary;

use std::path::Path;

use rusqlite::Connection;

pub use adjudications::UnitWrite;
pub use articles::{ArticleSummary, InsertOutcome};
pub use assignments::{CoderWork, QueueRow};
pub use bundles::{BundleTx, Tombstone};
pub use contract::{ContractError, MetaChange, MetaConflict, SharedStore};
pub use error::{DamagedRow, SPAN_COLUMN, StoreError};
pub use events::{NewEvent, StoredEvent};
pub use maintenance::StoreStats;
pub use models::StoredModel;
pub use outbox::{OutboxCounts, OutboxEntry, OutboxKind};
pub use pg::{
    PG_SCHEMA_VERSION, PgError, PgStore, PgTarget, PushCounts, TeamAnnotation, TeamArticle,
    TeamRole, TeamStatus,
};
pub use schema::SCHEMA_VERSION;

/// Result alias of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The SQLite database of one archive.
pub struct Store {
    conn: Connection,
    /// Rows skipped by lists and exports, until taken.
    damaged: std::cell::RefCell<Vec<DamagedRow>>,
}

impl Store {
    /// Opens (creating and migrating as needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        // Every transaction takes the write lock when it begins (waiting for it as long as
        // the busy timeout allows): a deferred one that read first and then writes fails at
        // once when another connection (a team pull loop, a reader handle's edit) wrote
        // in between.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed edit survives power loss too, not just a killed process.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        schema::migrate(&conn, path)?;
        Ok(Self {
            conn,
            damaged: std::cell::RefCell::new(Vec::new()),
        })
    }

    /// Rows that lists and exports skipped since the last call, because they cannot be
    /// read back (see [`StoreError::DamagedRow`]).
    pub fn take_damaged_rows(&self) -> Vec<DamagedRow> {
        std::mem::take(&mut *self.damaged.borrow_mut())
    }

    /// Records a row a list skipped (a [`StoreError::DamagedRow`], taken later with
    /// [`Self::take_damaged_rows`]); any other error is returned.
    pub fn skip_damaged(&self, error: StoreError) -> Result<()> {
        match error {
            StoreError::DamagedRow(row) => {
                let mut damaged = self.damaged.borrow_mut();
                if !damaged.contains(&row) {
                    damaged.push(row);
                }
                Ok(())
            }
            other => Err(other),
        }
    }
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Current time as RFC 3339 UTC with milliseconds.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
