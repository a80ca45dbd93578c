//! Assignments: which coder codes which article, and which of them each coder marked done.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store, now_rfc3339};
use crate::model::{ArticleId, Assignment, Coder};

/// One coder's share of the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoderWork {
    /// The coder.
    pub coder: String,
    /// Articles assigned to them.
    pub assigned: u64,
    /// Of those, marked done.
    pub done: u64,
}

/// One article of a coder's queue, as one query reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    /// The article.
    pub article_id: ArticleId,
    /// Its title.
    pub title: String,
    /// When the coder marked it done.
    pub done_at: Option<String>,
    /// Every coder the article is assigned to, by name.
    pub coders: Vec<String>,
}

impl Store {
    /// Stores `(article, coder)` pairs in one transaction; a pair already there is kept as it
    /// is (its time and done state). Returns how many pairs were new.
    pub fn assign(&mut self, pairs: &[(ArticleId, Coder)]) -> Result<usize> {
        let now = now_rfc3339();
        let tx = self.conn.transaction()?;
        let mut added = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO assignments (article_id, coder, assigned_at) VALUES (?1, ?2, ?3)",
            )?;
            for (article, coder) in pairs {
                added += insert.execute(params![article.0, coder.as_str(), now])?;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    /// Every article that has at least one coder, ascending.
    pub fn assigned_article_ids(&self) -> Result<Vec<ArticleId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT article_id FROM assignments ORDER BY article_id")?;
        let ids = stmt
            .query_map([], |r| r.get(0).map(ArticleId))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids)
    }

    /// The assignments of one coder (or of everyone), by article then coder.
    pub fn assignments(&self, coder: Option<&str>) -> Result<Vec<Assignment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT article_id, coder, assigned_at, done_at FROM assignments
             WHERE ?1 IS NULL OR coder = ?1 ORDER BY article_id, coder",
        )?;
        let rows = stmt
            .query_map([coder], assignment_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One coder's queue in one query, without loading the articles' texts: each assigned
    /// article's id, title, done time and every coder it is assigned to (sorted), by id.
    pub fn queue_rows(&self, coder: &str) -> Result<Vec<QueueRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.article_id, ar.title, a.done_at,
                    (SELECT group_concat(b.coder, char(31)) FROM assignments b
                     WHERE b.article_id = a.article_id)
             FROM assignments a JOIN articles ar ON ar.id = a.article_id
             WHERE a.coder = ?1 ORDER BY a.article_id",
        )?;
        let rows = stmt
            .query_map([coder], |r| {
                let all: Option<String> = r.get(3)?;
                let mut coders: Vec<String> = all
                    .as_deref()
                    .unwrap_or_default()
                    .split('\u{1f}')
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect();
                coders.sort();
                Ok(QueueRow {
                    article_id: ArticleId(r.get(0)?),
                    title: r.get(1)?,
                    done_at: r.get(2)?,
                    coders,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The coders an article is assigned to, by name.
    pub fn coders_of_article(&self, article: ArticleId) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT coder FROM assignments WHERE article_id = ?1 ORDER BY coder")?;
        let coders = stmt
            .query_map([article.0], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(coders)
    }

    /// Marks `article` done (or to do again) for `coder`. Returns the assignment as it is
    /// now, or `None` when the article is not assigned to that coder.
    pub fn set_done(
        &mut self,
        article: ArticleId,
        coder: &str,
        done: bool,
    ) -> Result<Option<Assignment>> {
        let done_at = done.then(now_rfc3339);
        self.conn.execute(
            "UPDATE assignments SET done_at = CASE WHEN ?3 IS NULL THEN NULL ELSE coalesce(done_at, ?3) END
             WHERE article_id = ?1 AND coder = ?2",
            params![article.0, coder, done_at],
        )?;
        let assignment = self
            .conn
            .query_row(
                "SELECT article_id, coder, assigned_at, done_at FROM assignments
                 WHERE article_id = ?1 AND coder = ?2",
                params![article.0, coder],
                assignment_row,
            )
            .optional()?;
        Ok(assignment)
    }

    /// Whether some article is assigned to two coders or more.
    pub fn has_double_coded_article(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM assignments GROUP BY article_id HAVING count(*) > 1)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Each coder's assigned and done counts, by name.
    pub fn coder_work(&self) -> Result<Vec<CoderWork>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT coder, count(*), count(done_at) FROM assignments GROUP BY coder ORDER BY coder",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(CoderWork {
                    coder: r.get(0)?,
                    assigned: r.get::<_, i64>(1)?.try_into().unwrap_or(0),
                    done: r.get::<_, i64>(2)?.try_into().unwrap_or(0),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

/// An assignment from a row of `article_id, coder, assigned_at, done_at`.
fn assignment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Assignment> {
    Ok(Assignment {
        article_id: ArticleId(r.get(0)?),
        coder: r.get(1)?,
        assigned_at: r.get(2)?,
        done_at: r.get(3)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssignmentPlan, NewArticle};

    fn store_with(n: usize) -> (tempfile::TempDir, Store, Vec<ArticleId>) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("a.sqlite3")).unwrap();
        let batch: Vec<NewArticle> = (0..n)
            .map(|i| NewArticle::new(&format!("T{i}"), &format!("text number {i}"), "text"))
            .collect();
        let ids = store
            .insert_articles(&batch)
            .unwrap()
            .into_iter()
            .filter_map(|o| match o {
                crate::store::InsertOutcome::Inserted(id, _) => Some(id),
                crate::store::InsertOutcome::Duplicate(_) => None,
            })
            .collect();
        (dir, store, ids)
    }

    #[test]
    fn a_plan_is_stored_once_and_done_marks_are_per_coder() {
        let (_dir, mut store, ids) = store_with(10);
        let team = Coder::parse_list("ana,ben").unwrap();
        let plan = AssignmentPlan::draw(&ids, &team, 0.5, 3).unwrap();
        assert_eq!(store.assign(&plan.pairs).unwrap(), 15);
        assert_eq!(
            store.assign(&plan.pairs).unwrap(),
            0,
            "assigning again adds nothing"
        );
        assert_eq!(store.assigned_article_ids().unwrap(), ids);
        let double = ids
            .iter()
            .find(|id| store.coders_of_article(**id).unwrap().len() == 2)
            .copied()
            .unwrap();
        let done = store.set_done(double, "ana", true).unwrap().unwrap();
        assert!(done.done_at.is_some());
        let first_time = done.done_at.clone();
        let again = store.set_done(double, "ana", true).unwrap().unwrap();
        assert_eq!(
            again.done_at, first_time,
            "marking done twice keeps the first time"
        );
        let ben = store.assignments(Some("ben")).unwrap();
        assert!(
            ben.iter().all(|a| a.done_at.is_none()),
            "ben's queue is untouched"
        );
        let work = store.coder_work().unwrap();
        assert_eq!(work.iter().map(|w| w.done).sum::<u64>(), 1);
        assert_eq!(work.iter().map(|w| w.assigned).sum::<u64>(), 15);
        let undone = store.set_done(double, "ana", false).unwrap().unwrap();
        assert_eq!(undone.done_at, None);
        assert_eq!(store.set_done(double, "carl", true).unwrap(), None);
    }

    #[test]
    fn a_queue_reads_titles_coders_and_done_marks_in_one_query() {
        let (_dir, mut store, ids) = store_with(3);
        let [ana, ben] = [Coder::new("ana").unwrap(), Coder::new("ben").unwrap()];
        let (first, second) = (ids[0], ids[2]);
        store
            .assign(&[(first, ana.clone()), (first, ben.clone()), (second, ana)])
            .unwrap();
        store.set_done(second, "ana", true).unwrap();
        let rows = store.queue_rows("ana").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (
                rows[0].article_id,
                rows[0].title.as_str(),
                rows[0].coders.clone()
            ),
            (first, "T0", vec!["ana".to_owned(), "ben".to_owned()])
        );
        assert_eq!(rows[0].done_at, None);
        assert_eq!(
            (
                rows[1].article_id,
                rows[1].title.as_str(),
                rows[1].coders.clone()
            ),
            (second, "T2", vec!["ana".to_owned()])
        );
        assert!(rows[1].done_at.is_some());
        assert_eq!(store.queue_rows("ben").unwrap().len(), 1);
        assert!(store.queue_rows("chen").unwrap().is_empty());
    }
}
