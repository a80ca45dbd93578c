//! What a team archive's local replica remembers about its server: which server it copies
//! and how far the server's change log has been applied (rows of the `meta` table), and
//! the server's metadata version of each article (`team_articles`).

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};
use crate::model::{ArticleId, ArticleMeta};

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

impl Store {
    /// The server's metadata version of an article this replica holds.
    pub fn team_article_version(&self, id: ArticleId) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT version FROM team_articles WHERE article_id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?)
    }

    /// The metadata versions kept for some articles (those that have one).
    pub fn team_article_versions(
        &self,
        ids: &[ArticleId],
    ) -> Result<std::collections::HashMap<ArticleId, i64>> {
        let mut out = std::collections::HashMap::new();
        for chunk in ids.chunks(super::bundles::IDS_PER_QUERY) {
            let sql = format!(
                "SELECT article_id, version FROM team_articles WHERE article_id IN ({})",
                super::bundles::placeholders(chunk.len())
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(
                rusqlite::params_from_iter(chunk.iter().map(|id| id.0)),
                |r| Ok((ArticleId(r.get(0)?), r.get(1)?)),
            )?;
            for row in rows {
                let (id, version) = row?;
                out.insert(id, version);
            }
        }
        Ok(out)
    }

    /// Records the server's metadata version of an article.
    pub fn set_team_article_version(&mut self, id: ArticleId, version: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO team_articles (article_id, version) VALUES (?1, ?2)",
            )?
            .execute(params![id.0, version])?;
        Ok(())
    }

    /// Whether a metadata edit of the article with this hash waits to be sent.
    pub fn article_edit_waiting(&self, hash: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = 'article' AND uid = ?1 AND refused IS NULL)",
            )?
            .query_row([hash], |r| r.get(0))?)
    }

    /// Takes the server's metadata of an article (not queued to be sent back), with its
    /// version, and queues the article for the index when it changed.
    pub fn apply_server_meta(&mut self, meta: &ArticleMeta, version: i64) -> Result<bool> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('team_applying', '1')",
            [],
        )?;
        let changed = tx.execute(
            "UPDATE articles SET title = ?2, published = ?3, url = ?4, source = ?5 WHERE id = ?1
             AND (title, published, url, source) IS NOT (?2, ?3, ?4, ?5)",
            params![
                meta.id.0,
                meta.title,
                meta.published.map(|d| d.to_string()),
                meta.url,
                meta.source
            ],
        )?;
        if changed == 1 {
            tx.execute(
                "INSERT INTO index_queue (article_id) VALUES (?1)",
                [meta.id.0],
            )?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO team_articles (article_id, version) VALUES (?1, ?2)",
            params![meta.id.0, version],
        )?;
        tx.execute("DELETE FROM meta WHERE key = 'team_applying'", [])?;
        tx.commit()?;
        Ok(changed == 1)
    }
}
