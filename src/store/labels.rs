//! The label schema: listing, adding, renaming, updating and removing labels (and putting a
//! removed label back with its annotations).

use rusqlite::params;

use super::rows::{ANNOTATION_COLUMNS, bury, insert_restored, raw_annotation};
use super::{Result, Store};
use crate::model::{LabelDef, LabelSchema, LabelUsage, RemovedLabel};

impl Store {
    /// The label schema, in display order.
    pub fn labels(&self) -> Result<LabelSchema> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, description, color, shortcut FROM labels ORDER BY position, name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(LabelDef {
                name: r.get(0)?,
                description: r.get(1)?,
                color: r.get(2)?,
                shortcut: r
                    .get::<_, Option<String>>(3)?
                    .and_then(|s| s.chars().next()),
            })
        })?;
        let labels = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(LabelSchema { labels })
    }

    /// Adds a label at the end of the schema. Returns `false` if the name exists.
    pub fn add_label(&mut self, label: &LabelDef) -> Result<bool> {
        let changed = self.conn.execute(
            "INSERT OR IGNORE INTO labels (name, description, color, shortcut, position)
             VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(position), 0) + 1 FROM labels))",
            params![
                label.name,
                label.description,
                label.color,
                label.shortcut.map(String::from)
            ],
        )?;
        Ok(changed == 1)
    }

    /// How many annotations carry a label, in how many articles.
    pub fn label_usage(&self, name: &str) -> Result<LabelUsage> {
        let (annotations, articles, rejected): (i64, i64, i64) = self.conn.query_row(
            "SELECT COUNT(*) FILTER (WHERE status != 'rejected'),
                    COUNT(DISTINCT article_id) FILTER (WHERE status != 'rejected'),
                    COUNT(*) FILTER (WHERE status = 'rejected')
             FROM annotations WHERE label = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(LabelUsage {
            annotations: count(annotations),
            articles: count(articles),
            rejected: count(rejected),
        })
    }

    /// Renames a label and relabels every annotation that carries it, in one transaction,
    /// and queues their articles for indexing. Returns how many annotations changed, or
    /// `None` if there is no label `from`. Callers check that `to` is free and valid.
    pub fn rename_label(&mut self, from: &str, to: &str) -> Result<Option<u64>> {
        let tx = self.conn.transaction()?;
        let copied = tx.execute(
            "INSERT INTO labels (name, description, color, shortcut, position)
             SELECT ?2, description, color, shortcut, position FROM labels WHERE name = ?1",
            [from, to],
        )?;
        if copied != 1 {
            return Ok(None);
        }
        let relabelled = tx.execute(
            "UPDATE annotations SET label = ?2 WHERE label = ?1",
            [from, to],
        )?;
        tx.execute(
            "INSERT INTO index_queue (article_id) SELECT DISTINCT article_id FROM annotations WHERE label = ?1",
            [to],
        )?;
        tx.execute("DELETE FROM labels WHERE name = ?1", [from])?;
        tx.commit()?;
        Ok(Some(u64::try_from(relabelled).unwrap_or(0)))
    }

    /// Changes a label's description, colour and shortcut. Returns `false` if there is no
    /// label of that name.
    pub fn update_label(&mut self, label: &LabelDef) -> Result<bool> {
        let changed = self.conn.execute(
            "UPDATE labels SET description = ?2, color = ?3, shortcut = ?4 WHERE name = ?1",
            params![
                label.name,
                label.description,
                label.color,
                label.shortcut.map(String::from)
            ],
        )?;
        Ok(changed == 1)
    }

    /// Removes a label and every annotation that carries it, in one transaction, and queues
    /// their articles for indexing. Returns what was removed (for undo), or `None` if there
    /// is no such label.
    pub fn remove_label(&mut self, name: &str) -> Result<Option<RemovedLabel>> {
        let Some(label) = self.labels()?.labels.into_iter().find(|l| l.name == name) else {
            return Ok(None);
        };
        let tx = self.conn.transaction()?;
        let position: i64 =
            tx.query_row("SELECT position FROM labels WHERE name = ?1", [name], |r| {
                r.get(0)
            })?;
        let annotations = {
            let sql = format!(
                "SELECT {ANNOTATION_COLUMNS} FROM annotations WHERE label = ?1 ORDER BY id"
            );
            let mut stmt = tx.prepare(&sql)?;
            let mut rows = stmt.query([name])?;
            let mut annotations = Vec::new();
            while let Some(row) = rows.next()? {
                // Removing needs every row back (to undo it): a damaged one refuses.
                annotations.push(raw_annotation(row)?.into_annotation()?);
            }
            annotations
        };
        tx.execute(
            "INSERT INTO index_queue (article_id) SELECT DISTINCT article_id FROM annotations WHERE label = ?1",
            [name],
        )?;
        bury(&tx, &annotations, &super::now_rfc3339())?;
        tx.execute("DELETE FROM annotations WHERE label = ?1", [name])?;
        tx.execute("DELETE FROM labels WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(Some(RemovedLabel {
            label,
            position,
            annotations,
        }))
    }

    /// Puts a removed label back at its place with its annotations (same ids), in one
    /// transaction, and queues their articles for indexing.
    pub fn restore_label(&mut self, removed: &RemovedLabel) -> Result<()> {
        let tx = self.conn.transaction()?;
        let label = &removed.label;
        tx.execute(
            "INSERT INTO labels (name, description, color, shortcut, position) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                label.name,
                label.description,
                label.color,
                label.shortcut.map(String::from),
                removed.position
            ],
        )?;
        for annotation in &removed.annotations {
            insert_restored(&tx, annotation)?;
        }
        tx.commit()?;
        Ok(())
    }
}
