//! Keeping an archive sound: `check` (database, index against database, annotations against
//! texts, with `--repair` for what is derived) and `backup` (SQLite's online backup).

use std::path::Path;

use super::{ArchiveError, ArchiveReader, DATABASE_FILE, Result};
use crate::model::{AnnotationId, plural};
use crate::store::{SPAN_COLUMN, Store, StoreError};

/// What `check` found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// Articles in the database.
    pub articles: u64,
    /// Annotations in the database.
    pub annotations: u64,
    /// Documents in the search index.
    pub indexed: u64,
    /// Articles waiting in the index queue.
    pub pending_index: u64,
    /// Problems SQLite reported (`PRAGMA integrity_check`, `foreign_key_check`).
    pub database: Vec<String>,
    /// What is wrong with the search index's files (missing, or not matching their
    /// checksums), and whether it was found damaged when the archive was opened.
    pub index_damage: Vec<String>,
    /// Annotations that do not fit their article's text: `annotation N (article M): why`.
    pub annotations_misplaced: Vec<String>,
    /// What `--repair` fixed.
    pub repaired: Vec<String>,
    /// What is wrong and was not (or could not be) fixed.
    pub unrepaired: Vec<String>,
}

impl CheckReport {
    /// Nothing left wrong.
    pub fn is_sound(&self) -> bool {
        self.unrepaired.is_empty()
    }
}

/// What `backup` wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BackupReport {
    /// Articles in the copy.
    pub articles: u64,
    /// Annotations in the copy.
    pub annotations: u64,
    /// Size of the copied database, bytes.
    pub bytes: u64,
}

impl ArchiveReader {
    /// Verifies the database, the index against the database and every annotation against
    /// its text, changing nothing ([`super::Archive::check_and_repair`] repairs).
    pub fn check(&mut self) -> Result<CheckReport> {
        self.check_with(false)
    }

    /// [`Self::check`]; with `repair` (the writer's), rebuilds the index (it is derived) and
    /// removes annotations whose article is gone; annotations whose offsets no longer fit
    /// their text, and damage SQLite reports, are listed as not repaired: they need a person
    /// (or a backup).
    pub(super) fn check_with(&mut self, repair: bool) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        self.check_database(&mut report);
        let orphans = self.check_rows(&mut report);
        let damaged_files = self.check_index(&mut report, repair);
        let index_behind = report.indexed != report.articles || report.pending_index > 0;
        if repair {
            for (id, line) in orphans {
                self.store.delete_annotation(id)?;
                report.repaired.push(format!("removed {line}"));
            }
            if !damaged_files.is_empty() || self.index.unusable().is_some() {
                // Damaged files cannot be trusted even to be replaced by a new commit.
                self.index.recreate()?;
            }
            let indexed = self.reindex(&mut |_, _| true)?;
            report.indexed = self.index.doc_count();
            report.pending_index = self.store.stats()?.pending_index;
            let was = if damaged_files.is_empty() {
                String::new()
            } else {
                format!("; it was damaged: {}", damaged_files.join("; "))
            };
            report.repaired.push(format!(
                "rebuilt the search index ({}){was}",
                plural(indexed, "article", "articles")
            ));
        } else {
            for problem in &damaged_files {
                report.unrepaired.push(format!(
                    "index: {problem} (run `annalist check --repair` to rebuild it from the database; nothing stored is affected)"
                ));
            }
            for (_, line) in orphans {
                report.unrepaired.push(line);
            }
            if index_behind {
                report.unrepaired.push(format!(
                    "index: {} for {}, {} waiting (run `annalist check --repair`, or open the archive: it catches up)",
                    plural(report.indexed, "document", "documents"),
                    plural(report.articles, "article", "articles"),
                    report.pending_index
                ));
            }
        }
        Ok(report)
    }

    /// `check`'s first step: SQLite's integrity check and the row counts. Each step that
    /// SQLite cannot finish on a damaged file is a problem line; the other steps still run.
    fn check_database(&mut self, report: &mut CheckReport) {
        let mut step_failures = Vec::new();
        match self.store.integrity_problems() {
            Ok(problems) => report.database = problems,
            Err(e) => step_failures.push(step_failed("SQLite's integrity check", &e)),
        }
        match self.store.stats() {
            Ok(stats) => {
                report.articles = stats.articles;
                report.annotations = stats.annotations;
                report.pending_index = stats.pending_index;
            }
            Err(e) => step_failures.push(step_failed("counting the rows", &e)),
        }
        report.indexed = self.index.doc_count();
        for problem in &report.database {
            report.unrepaired.push(format!(
                "database: {problem} (restore the latest backup: docs/reliability.md)"
            ));
        }
        report.unrepaired.extend(step_failures);
    }

    /// `check`'s second step: every row read back as exports and lists read it (those that
    /// cannot be are listed) and every annotation against its text. Returns the annotations
    /// whose article is gone, with their report line: `--repair` removes them.
    fn check_rows(&mut self, report: &mut CheckReport) -> Vec<(AnnotationId, String)> {
        let _ = self.store.take_damaged_rows();
        if let Err(e) = self.store.for_each_article(None, |_, _| true) {
            report
                .unrepaired
                .push(step_failed("reading every article", &e));
        }
        let misplaced = match self.store.misplaced_annotations() {
            Ok(misplaced) => misplaced,
            Err(e) => {
                report
                    .unrepaired
                    .push(step_failed("reading every annotation", &e));
                Vec::new()
            }
        };
        // Misplaced spans are listed below, with what `--repair` can do about them; a span
        // that cannot be read back at all (empty or reversed) is listed here.
        let misplaced_ids: std::collections::HashSet<i64> = misplaced
            .iter()
            .map(|(annotation, _)| annotation.id.0)
            .collect();
        let damaged_rows = self.store.take_damaged_rows();
        for row in damaged_rows
            .iter()
            .filter(|r| r.column != SPAN_COLUMN || !misplaced_ids.contains(&r.id))
        {
            let line = format!(
                "database: {row} (lists and exports skip it; correct it with sqlite3, or restore the latest backup: docs/reliability.md)"
            );
            report.database.push(row.to_string());
            report.unrepaired.push(line);
        }
        let mut orphans = Vec::new();
        for (annotation, why) in misplaced {
            let line = format!(
                "annotation {} (article {}, {} {:?}): {why}",
                annotation.id, annotation.article_id, annotation.label, annotation.text
            );
            if why.contains("article is missing") {
                orphans.push((annotation.id, line.clone()));
            } else {
                report.unrepaired.push(line.clone());
            }
            report.annotations_misplaced.push(line);
        }
        orphans
    }

    /// `check`'s third step: damage found when the index was opened, and every segment
    /// file's checksum. Returns the damaged files (none when the index could not be opened:
    /// that was reported already).
    fn check_index(&mut self, report: &mut CheckReport, repair: bool) -> Vec<String> {
        if let Some(reason) = self.index.damage_found() {
            let outcome = if self.index.unusable().is_some() {
                "it could not be rebuilt"
            } else {
                "it was rebuilt from the database when the archive was opened"
            };
            let line = format!("index: it was damaged ({reason}); {outcome}");
            report.index_damage.push(line.clone());
            if self.index.unusable().is_none() {
                report.repaired.push(line);
            } else if !repair {
                report.unrepaired.push(format!(
                    "{line} (make the index folder writable, then run `annalist check --repair`)"
                ));
            }
        }
        let damaged_files = if self.index.unusable().is_none() {
            self.index.validate()
        } else {
            Vec::new()
        };
        report
            .index_damage
            .extend(damaged_files.iter().map(|p| format!("index: {p}")));
        damaged_files
    }

    /// Copies the archive's database into `dest` (a new or empty folder) with SQLite's
    /// online backup, while this and other handles keep working. The copy is a complete
    /// archive: opening it rebuilds its search index. `progress(done, total)` counts pages.
    ///
    /// The copy is written to a temporary file of this process inside `dest` and renamed
    /// to `annalist.sqlite3` only after it passes `integrity_check`: a failed backup (a full
    /// disk, a damaged source) leaves `dest` as it was (the folders it created are removed
    /// again), so nothing there opens as an archive and a retry is not refused.
    pub fn backup(&self, dest: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<BackupReport> {
        let created = prepare_backup_folder(dest)?;
        let outcome = self.backup_into(dest, progress);
        if outcome.is_err() {
            // Innermost first; `remove_dir` removes only what is still empty.
            for folder in created.iter().rev() {
                let _ = std::fs::remove_dir(folder);
            }
        }
        outcome
    }

    fn backup_into(&self, dest: &Path, progress: &mut dyn FnMut(u64, u64)) -> Result<BackupReport> {
        let io = |what: &'static str, path: &Path| {
            let path = path.to_owned();
            move |source| ArchiveError::Io { what, source, path }
        };
        let temp = tempfile::Builder::new()
            .prefix(".annalist-backup-")
            .suffix(".tmp")
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
            .tempfile_in(dest)
            .map_err(io("cannot write in the backup folder", dest))?;
        let _sidecars = SqliteSidecars(temp.path().to_owned());
        let disk_full = |e: crate::store::StoreError| {
            if e.is_disk_full() {
                ArchiveError::Refused {
                    reason: "the backup did not fit: the disk holding the backup folder is full; nothing was left in it: free space and run the backup again".to_owned(),
                    path: dest.to_owned(),
                }
            } else {
                ArchiveError::Store(e)
            }
        };
        self.store
            .backup_to(temp.path(), &mut |remaining, total| {
                progress(total.saturating_sub(remaining), total);
            })
            .map_err(disk_full)?;
        // Read the copy back: it must open, pass SQLite's checks and hold what we hold.
        let copy = Store::open(temp.path()).map_err(disk_full)?;
        let problems = copy.integrity_problems().map_err(disk_full)?;
        if let Some(problem) = problems.first() {
            return Err(ArchiveError::Refused {
                reason: format!(
                    "the backup failed its integrity check ({problem}), so nothing was left in the backup folder; run `annalist check` on the archive"
                ),
                path: dest.to_owned(),
            });
        }
        let stats = copy.stats().map_err(disk_full)?;
        drop(copy);
        // Closing checkpoints the copy's WAL into it; one left behind would not follow the
        // rename, so the copy would be incomplete.
        let mut wal = temp.path().to_owned().into_os_string();
        wal.push("-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Err(ArchiveError::Refused {
                reason: "the backup could not be closed cleanly (its write-ahead log was not written back), so nothing was left in the backup folder; run the backup again".to_owned(),
                path: dest.to_owned(),
            });
        }
        let target = dest.join(DATABASE_FILE);
        temp.persist_noclobber(&target)
            .map_err(|e| io("cannot move the backup into place", &target)(e.error))?;
        let bytes = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport {
            articles: stats.articles,
            annotations: stats.annotations,
            bytes,
        })
    }
}

/// Checks that `dest` is a new or empty folder and creates it (and missing folders above
/// it); returns the folders created, outermost first, so a failed backup removes them.
fn prepare_backup_folder(dest: &Path) -> Result<Vec<std::path::PathBuf>> {
    let io = |what: &'static str, path: &Path| {
        let path = path.to_owned();
        move |source| ArchiveError::Io { what, source, path }
    };
    if dest.exists() {
        let mut entries =
            std::fs::read_dir(dest).map_err(io("cannot read the backup folder", dest))?;
        if entries.next().is_some() {
            return Err(ArchiveError::Io {
                what: "the backup folder is not empty; give a new or empty folder",
                source: std::io::ErrorKind::AlreadyExists.into(),
                path: dest.to_owned(),
            });
        }
        return Ok(Vec::new());
    }
    let mut created: Vec<std::path::PathBuf> = dest
        .ancestors()
        .take_while(|folder| !folder.as_os_str().is_empty() && !folder.exists())
        .map(Path::to_owned)
        .collect();
    created.reverse();
    std::fs::create_dir_all(dest).map_err(io("cannot create the backup folder", dest))?;
    Ok(created)
}

/// Removes, when dropped, the files SQLite may leave beside a database of this process
/// (`-wal`, `-shm`, `-journal`): those of the backup's temporary, never anything else.
struct SqliteSidecars(std::path::PathBuf);

impl Drop for SqliteSidecars {
    fn drop(&mut self) {
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut name = self.0.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}

/// A `check` step SQLite could not finish, as a problem line.
fn step_failed(what: &str, e: &StoreError) -> String {
    format!("database: {what} failed: {e}")
}
