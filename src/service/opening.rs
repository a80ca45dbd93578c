//! Opening an archive folder: as its one writer (taking the lock, catching the index up or
//! rebuilding it) or as a reader beside it; the lock file, and the folder checks.

use std::path::{Path, PathBuf};

use super::{Archive, ArchiveError, ArchiveReader, DATABASE_FILE, INDEX_DIR, Result};
use crate::index::{IndexError, OpenState, SearchIndex};
use crate::model::plural;
use crate::store::Store;

impl Archive {
    /// Opens the archive in `dir`, creating it if the folder is missing or empty, and
    /// brings the index up to date (rebuilding it if missing, outdated or inconsistent).
    ///
    /// One process writes an archive at a time: a second one gets [`ArchiveError::InUse`]
    /// with the first one's process id. The lock is the operating system's, so it goes with
    /// its process, even one killed with SIGKILL: a lock left by a dead process is stale and
    /// taken over (with a notice).
    pub fn open(dir: &Path) -> Result<Self> {
        let db_path = dir.join(DATABASE_FILE);
        check_archive_folder(dir, &db_path)?;
        let mut notices = Vec::new();
        let lock = lock_archive(dir, &mut notices)?;
        let store = open_store(dir, &db_path)?;
        let (index, state) = SearchIndex::open(&dir.join(INDEX_DIR))?;
        let mut archive = Self {
            reader: ArchiveReader {
                dir: dir.to_owned(),
                store,
                index,
                notices,
                warnings: Vec::new(),
                index_lagging: false,
                unreadable_articles: 0,
                coding: super::layers::Coding::default(),
            },
            lock,
        };
        // The fields are the reader's; its methods that write the index are the writer's.
        let reader = &mut archive.reader;
        if let Some(reason) = reader.index.unusable() {
            // The database is the truth: everything but searching works without the index.
            reader.notices.push(format!(
                "the search index cannot be used ({reason}); searching is unavailable until it is rebuilt: make {} writable, then run `annalist reindex`",
                reader.dir.join(INDEX_DIR).display()
            ));
            return Ok(archive);
        }
        let consistent = reader.index.doc_count() == reader.store.article_count()?
            || reader.store.stats()?.pending_index > 0;
        let caught_up = if state != OpenState::Ready || !consistent {
            reader.reindex(&mut |_, _| true).map(|_| ())
        } else {
            reader.sync_index()
        };
        if let Some(reason) = reader.index.damage_found() {
            let outcome = if caught_up.is_ok() {
                "it was rebuilt from the database"
            } else {
                "rebuilding it failed (below)"
            };
            reader.notices.push(format!(
                "the search index was damaged ({reason}); {outcome}"
            ));
        }
        // After a crash the index can disagree with the database even once caught up (a
        // writer killed mid-merge has been seen to leave an article indexed twice): the
        // database is the truth, so rebuild what is derived.
        let caught_up = caught_up.and_then(|()| {
            if reader.index.is_writable()
                && !reader.index_lagging
                && reader.index.doc_count() + reader.unreadable_articles
                    != reader.store.article_count()?
            {
                reader.notices.push(format!(
                    "the search index held {} for {}; it was rebuilt",
                    plural(reader.index.doc_count(), "document", "documents"),
                    plural(reader.store.article_count()?, "article", "articles")
                ));
                reader.reindex(&mut |_, _| true).map(|_| ())
            } else {
                Ok(())
            }
        });
        match caught_up {
            Ok(()) => {}
            Err(ArchiveError::Index(IndexError::Busy)) => reader.notices.push(
                "another process is writing this archive's index; results may lag behind until it finishes"
                    .to_owned(),
            ),
            // The index is derived: failing to bring it up to date never refuses the
            // database. Searches see what it held; the queue keeps the rest.
            Err(ArchiveError::Index(e)) => {
                reader.notices.push(format!(
                    "the search index could not be brought up to date ({}); searches show what it held, everything else works: fix that, then run `annalist reindex`",
                    e.short_reason()
                ));
            }
            Err(e) => return Err(e),
        }
        Ok(archive)
    }

    /// Opens an archive for a second handle (the GUI's thread, an export thread, a command
    /// beside another process's writer): reads and annotation edits go to SQLite directly;
    /// the index is read-only here and follows the writer handle's commits after
    /// [`ArchiveReader::reload_index`]. Creates the archive if the folder is missing or
    /// empty. No lock is taken.
    pub fn open_reader(dir: &Path) -> Result<ArchiveReader> {
        let db_path = dir.join(DATABASE_FILE);
        check_archive_folder(dir, &db_path)?;
        let store = open_store(dir, &db_path)?;
        let (index, _) = SearchIndex::open_reader(&dir.join(INDEX_DIR))?;
        let mut notices = Vec::new();
        if let Some(reason) = index.unusable() {
            notices.push(format!(
                "the search index is damaged ({reason}); searching is unavailable here: close Annalist where it writes this archive, then run `annalist check --repair`"
            ));
        }
        Ok(ArchiveReader {
            dir: dir.to_owned(),
            store,
            index,
            notices,
            warnings: Vec::new(),
            index_lagging: false,
            unreadable_articles: 0,
            coding: super::layers::Coding::default(),
        })
    }
}

impl ArchiveReader {
    /// Folder of this archive.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Things the user should know about how the archive was opened.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }
}

/// The file whose operating-system lock marks the archive's one writer.
pub const LOCK_FILE: &str = "annalist.lock";

/// Takes the archive's writer lock and writes this process's id into it. The lock file is
/// opened without following a link (`O_NOFOLLOW`) or waiting on a pipe (`O_NONBLOCK`), and
/// used only when it is a plain file with one name: anything else is refused with
/// [`ArchiveError::LockRefused`], untouched. Of what it holds only a process id is ever shown.
fn lock_archive(dir: &Path, notices: &mut Vec<String>) -> Result<std::fs::File> {
    use std::io::{Read as _, Seek as _, Write as _};
    use std::os::unix::fs::OpenOptionsExt as _;
    let path = dir.join(LOCK_FILE);
    let io = |what: &'static str| {
        let path = path.clone();
        move |source| ArchiveError::Io { what, source, path }
    };
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        refuse_odd_lock(&meta, &path)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(&path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                ArchiveError::ReadOnly {
                    dir: dir.to_owned(),
                    source,
                }
            }
            // A link put there since the check above.
            _ if source.raw_os_error() == Some(libc::ELOOP) => ArchiveError::LockRefused {
                what: "a symbolic link",
                path: path.clone(),
            },
            _ => io("cannot open the archive lock")(source),
        })?;
    // What was opened, not what the path showed a moment before.
    let meta = file
        .metadata()
        .map_err(io("cannot open the archive lock"))?;
    refuse_odd_lock(&meta, &path)?;
    let mut bytes = Vec::with_capacity(32);
    let _ = (&mut file).take(32).read_to_end(&mut bytes);
    let holder = process_id(&bytes);
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(ArchiveError::InUse {
                dir: dir.to_owned(),
                pid: holder.unwrap_or_else(|| "unknown".to_owned()),
            });
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(io("cannot lock the archive")(e));
        }
    }
    let me = std::process::id().to_string();
    match holder {
        Some(holder) if holder != me => notices.push(format!(
            "process {holder} did not close the archive cleanly (it was stopped or crashed); its stale lock was cleared"
        )),
        None if bytes.iter().any(|b| !b.is_ascii_whitespace()) => notices.push(
            "the archive's lock file held something other than a process id (not shown); it was cleared".to_owned(),
        ),
        _ => {}
    }
    file.set_len(0)
        .map_err(io("cannot write the archive lock"))?;
    file.rewind().map_err(io("cannot write the archive lock"))?;
    file.write_all(me.as_bytes())
        .map_err(io("cannot write the archive lock"))?;
    Ok(file)
}

/// Refuses a lock file that is not a plain file with one name: truncating a link's target
/// or a hard link's other name would destroy a file outside the archive.
fn refuse_odd_lock(meta: &std::fs::Metadata, path: &Path) -> Result<()> {
    use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _};
    let kind = meta.file_type();
    let what = if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if meta.nlink() > 1 {
        "a file with other names too (a hard link)"
    } else {
        return Ok(());
    };
    Err(ArchiveError::LockRefused {
        what,
        path: path.to_owned(),
    })
}

/// The process id a lock file holds, if that is all it holds (digits, at most 10 of them).
fn process_id(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    (!text.is_empty() && text.len() <= 10 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.to_owned())
}

impl Drop for Archive {
    fn drop(&mut self) {
        // Background merges of the index finish before the writer goes (see
        // `SearchIndex::finish_merges`); a failure only leaves more segments.
        let _ = self.reader.index.finish_merges();
        // A clean close empties the lock file, so the next writer knows nobody crashed.
        let _ = self.lock.set_len(0);
    }
}

/// Opens the database; when that fails on a folder Annalist cannot write in, says so.
fn open_store(dir: &Path, db_path: &Path) -> Result<Store> {
    Store::open(db_path).map_err(|e| {
        let probe = dir.join(".annalist-write-test");
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
        {
            Ok(_) => {
                let _ = std::fs::remove_file(&probe);
                ArchiveError::from(e)
            }
            Err(source) => ArchiveError::ReadOnly {
                dir: dir.to_owned(),
                source,
            },
        }
    })
}

/// Refuses a folder that holds other things than an archive; creates a missing one.
fn check_archive_folder(dir: &Path, db_path: &Path) -> Result<()> {
    if !db_path.exists() && dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|source| ArchiveError::Io {
            what: "cannot read the archive folder",
            source,
            path: dir.to_owned(),
        })?;
        if entries.next().is_some() {
            return Err(ArchiveError::NotAnArchive(dir.to_owned()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| ArchiveError::Io {
        what: "cannot create the archive folder",
        source,
        path: dir.to_owned(),
    })
}

/// Where this desktop keeps its replica of a team archive (`--archive postgres://…`): the
/// platform data directory's `teams` folder, one folder per server, database and login.
pub fn team_replica_dir(target: &crate::store::PgTarget) -> Option<PathBuf> {
    let name: String = format!("{}-{}", target.server(), target.user())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    directories::ProjectDirs::from("org", "Annalist", "annalist")
        .map(|d| d.data_dir().join("teams").join(name))
}

/// The archive folder to use when none is given: `ANNALIST_ARCHIVE` is read by the CLI;
/// this is the platform data directory's `archive` folder.
pub fn default_archive_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Annalist", "annalist")
        .map(|d| d.data_dir().join("archive"))
}
