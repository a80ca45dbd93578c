//! Schema and migrations, versioned by `PRAGMA user_version`.

use std::path::Path;

use rusqlite::{Connection, params};

use super::{Result, StoreError};
use crate::model::default_labels;

/// Newest schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// Each entry migrates from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first schema.
    "CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        published TEXT,
        url TEXT,
        source TEXT,
        imported_at TEXT NOT NULL,
        origin_path TEXT,
        origin_format TEXT NOT NULL,
        content_sha256 TEXT NOT NULL UNIQUE,
        char_len INTEGER NOT NULL
    );
    CREATE TABLE labels (
        name TEXT PRIMARY KEY,
        description TEXT NOT NULL DEFAULT '',
        color TEXT NOT NULL,
        shortcut TEXT,
        position INTEGER NOT NULL
    );
    CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        label TEXT NOT NULL REFERENCES labels(name),
        start INTEGER NOT NULL CHECK (start >= 0),
        end INTEGER NOT NULL CHECK (end > start),
        text TEXT NOT NULL,
        attrs TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL CHECK (status IN ('suggested', 'accepted')),
        annotator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX annotations_by_article ON annotations(article_id, start);
    CREATE INDEX articles_by_published ON articles(published);
    CREATE TABLE index_queue (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id INTEGER NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
];

pub(super) fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
            path: path.display().to_string(),
        });
    }
    for version in found..SCHEMA_VERSION {
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            continue;
        };
        conn.execute_batch(&format!("BEGIN IMMEDIATE; {sql}"))?;
        if version == 0 {
            seed(conn)?;
        }
        conn.execute_batch(&format!("PRAGMA user_version = {}; COMMIT;", version + 1))?;
    }
    Ok(())
}

fn seed(conn: &Connection) -> Result<()> {
    for (position, label) in default_labels().iter().enumerate() {
        conn.execute(
            "INSERT INTO labels (name, description, color, shortcut, position) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                label.name,
                label.description,
                label.color,
                label.shortcut.map(String::from),
                i64::try_from(position).unwrap_or(0)
            ],
        )?;
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('created_by', ?1)",
        [concat!("annalist ", env!("CARGO_PKG_VERSION"))],
    )?;
    Ok(())
}
