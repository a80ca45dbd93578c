//! The entity tagger's models kept in the archive, one per coder layer: the model's bytes,
//! its format version and what it was trained on (JSON), with when.

use rusqlite::OptionalExtension;

use super::{Result, Store, now_rfc3339};
use crate::model::ArticleId;

/// A model as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredModel {
    /// The format version of `model`.
    pub format_version: i64,
    /// The model's bytes.
    pub model: Vec<u8>,
    /// What it was trained on (JSON).
    pub info: String,
    /// When (RFC 3339, UTC).
    pub trained_at: String,
}

impl Store {
    /// Keeps `model` as the tagger model of `coder`'s layer, replacing the one before.
    pub fn save_tagger_model(
        &mut self,
        coder: &str,
        format_version: i64,
        model: &[u8],
        info: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO tagger_models (coder, format_version, model, info, trained_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (coder) DO UPDATE SET format_version = ?2, model = ?3, info = ?4, trained_at = ?5",
            rusqlite::params![coder, format_version, model, info, now_rfc3339()],
        )?;
        Ok(())
    }

    /// The tagger model of `coder`'s layer, if one was trained.
    pub fn tagger_model(&self, coder: &str) -> Result<Option<StoredModel>> {
        Ok(self
            .conn
            .query_row(
                "SELECT format_version, model, info, trained_at FROM tagger_models WHERE coder = ?1",
                [coder],
                |r| {
                    Ok(StoredModel {
                        format_version: r.get(0)?,
                        model: r.get(1)?,
                        info: r.get(2)?,
                        trained_at: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Forgets the tagger model of `coder`'s layer; whether there was one.
    pub fn delete_tagger_model(&mut self, coder: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM tagger_models WHERE coder = ?1", [coder])?
            > 0)
    }

    /// The articles with accepted annotations of one of `labels` in `coder`'s layer, in id
    /// order.
    pub fn articles_with_accepted(&self, labels: &[&str], coder: &str) -> Result<Vec<ArticleId>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT article_id FROM annotations
             WHERE status = 'accepted' AND coder = ?1 AND label IN (?2, ?3, ?4) ORDER BY article_id",
        )?;
        let label = |i: usize| labels.get(i).copied().unwrap_or("");
        let rows = stmt.query_map(
            rusqlite::params![coder, label(0), label(1), label(2)],
            |r| r.get::<_, i64>(0),
        )?;
        let mut out = Vec::new();
        for row in rows {
            out.push(ArticleId(row?));
        }
        Ok(out)
    }
}
