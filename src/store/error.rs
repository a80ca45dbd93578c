//! The store's errors, and the rows it cannot read back named by table, id and column.

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused an operation (its error is in the message, not repeated as a cause;
    /// a damaged file gets advice).
    #[error("database error: {}", sqlite_message(.0))]
    Sqlite(rusqlite::Error),
    /// One row cannot be read back as what it should hold (written by another tool, or
    /// on a damaged page); lists and exports skip it with a warning.
    #[error("{0}")]
    DamagedRow(DamagedRow),
    /// The database was written by a newer Annalist; it is left untouched.
    #[error(
        "this archive was written by a newer Annalist (schema version {found}; this build reads up to {supported}); upgrade Annalist to open it: {path}"
    )]
    NewerSchema {
        /// Version found in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
        /// Database file.
        path: String,
    },
    /// A stored value could not be read back (a damaged or hand-edited database).
    #[error("stored value is damaged: {0}")]
    Corrupt(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

/// What to do about a damaged database file, said once with SQLite's own words.
const DAMAGED_FILE_ADVICE: &str = "the database file is damaged: run `annalist check` to see what is affected, then restore the latest backup (`annalist backup` makes them; see docs/reliability.md), or recover what is readable with sqlite3's `.recover` into a new file";

/// SQLite's message, with advice where the file itself is damaged.
fn sqlite_message(error: &rusqlite::Error) -> String {
    if is_damaged_file(error) {
        format!("{error}; {DAMAGED_FILE_ADVICE}")
    } else {
        error.to_string()
    }
}

/// Whether SQLite says the file is damaged (a page that does not read as one).
pub(super) fn is_damaged_file(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _)
            if matches!(e.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// The "column" of a [`DamagedRow`] for an annotation whose offsets no longer fit its text.
pub const SPAN_COLUMN: &str = "start, end";

/// A stored row that cannot be read back: which table, row and column, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedRow {
    /// Table (`articles`, `annotations`).
    pub table: &'static str,
    /// The row's id.
    pub id: i64,
    /// The column that cannot be read (`*` when SQLite cannot read the row at all).
    pub column: String,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for DamagedRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.table {
            "articles" => "article",
            "annotations" => "annotation",
            other => other,
        };
        if self.column == "*" {
            write!(
                f,
                "{what} {} (table {}) cannot be read: {}",
                self.id, self.table, self.reason
            )
        } else {
            write!(
                f,
                "{what} {} (table {}, column {}) is damaged: {}",
                self.id, self.table, self.column, self.reason
            )
        }
    }
}

/// The column names of a `SELECT` list.
fn column_name(columns: &str, index: usize) -> String {
    columns.split(',').nth(index).map_or_else(
        || format!("#{index}"),
        |c| c.trim().trim_start_matches("a.").to_owned(),
    )
}

/// Turns an error reading one row into [`StoreError::DamagedRow`] where it is about that
/// row's values (a wrong type, text that is not UTF-8, a page SQLite cannot read), and
/// leaves other errors as they are.
pub(super) fn row_error(
    table: &'static str,
    id: i64,
    columns: &str,
    error: rusqlite::Error,
) -> StoreError {
    use rusqlite::Error as E;
    let damaged = |column: String, reason: String| {
        StoreError::DamagedRow(DamagedRow {
            table,
            id,
            column,
            reason,
        })
    };
    match error {
        E::InvalidColumnType(index, _, kind) => damaged(
            column_name(columns, index),
            format!("holds a value of type {kind}, not what Annalist stores there"),
        ),
        E::FromSqlConversionFailure(index, _, cause) => {
            damaged(column_name(columns, index), cause.to_string())
        }
        E::IntegralValueOutOfRange(index, value) => damaged(
            column_name(columns, index),
            format!("the number {value} is out of range"),
        ),
        E::Utf8Error(index, cause) => damaged(
            column_name(columns, index),
            format!("not valid UTF-8 text ({cause})"),
        ),
        other if is_damaged_file(&other) => damaged(
            "*".to_owned(),
            format!("{other} (a damaged page of the database file)"),
        ),
        other => StoreError::Sqlite(other),
    }
}

impl StoreError {
    /// Whether SQLite ran out of disk space (the transaction was rolled back).
    pub fn is_disk_full(&self) -> bool {
        matches!(
            self,
            Self::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DiskFull
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::rows::ARTICLE_COLUMNS;

    #[test]
    fn a_damaged_file_is_said_once_with_advice() {
        let error = StoreError::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
            Some("database disk image is malformed".to_owned()),
        ));
        let shown = format!("{:#}", anyhow::Error::new(error).context("cannot export"));
        assert_eq!(
            shown,
            "cannot export: database error: database disk image is malformed; the database file is damaged: run `annalist check` to see what is affected, then restore the latest backup (`annalist backup` makes them; see docs/reliability.md), or recover what is readable with sqlite3's `.recover` into a new file"
        );
        assert_eq!(shown.matches("malformed").count(), 1);
    }

    #[test]
    fn a_row_of_the_wrong_type_names_its_table_id_and_column() {
        let store = Store::open(&tempfile::tempdir().unwrap().path().join("db")).unwrap();
        let error = store
            .conn
            .query_row("SELECT 7, X'ff00', 1", [], |r| r.get::<_, String>(1))
            .unwrap_err();
        let row = row_error("articles", 7, ARTICLE_COLUMNS, error);
        assert_eq!(
            row.to_string(),
            "article 7 (table articles, column title) is damaged: holds a value of type Blob, not what Annalist stores there"
        );
    }
}
