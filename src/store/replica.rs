//! What a team archive's local replica remembers about its server: which server it copies
//! and how far the server's change log has been applied (rows of the `meta` table).

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

impl Store {
    /// A value of the archive's `meta` table.
    pub fn meta_value(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a value of the archive's `meta` table.
    pub fn set_meta_value(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}
