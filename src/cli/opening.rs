//! Opening the archive for a command: as its writer, or read-only beside a process that
//! writes it, and what is printed about rows and index writes that went wrong once done.

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use anyhow::Context;

use super::output;
use crate::model::{Coder, plural};
use crate::service::{Archive, ArchiveError, ArchiveReader, LayerView, default_archive_dir};

/// Who the command codes as and what it shows, as the global flags say; set once by the
/// dispatcher before any command opens the archive.
#[derive(Debug, Clone, Default)]
pub(super) struct Coding {
    /// `--coder`, else `$ANNALIST_CODER`.
    pub(super) coder: Option<Coder>,
    /// `--blind` / `--all-layers`.
    pub(super) view: LayerView,
    /// `--learn-from-everyone`.
    pub(super) learn_from_everyone: bool,
}

static CODING: std::sync::OnceLock<Coding> = std::sync::OnceLock::new();

/// Sets who every archive this process opens codes as.
pub(super) fn set_coding(coding: Coding) {
    let _ = CODING.set(coding);
}

fn code_as(archive: &mut ArchiveReader) -> anyhow::Result<()> {
    let coding = CODING.get().cloned().unwrap_or_default();
    archive.code_as(coding.coder, coding.view, coding.learn_from_everyone)?;
    Ok(())
}

fn archive_dir(cli_dir: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    cli_dir
        .or_else(default_archive_dir)
        .context("no archive folder: pass --archive DIR or set ANNALIST_ARCHIVE")
}

/// An archive opened by a command: the writer ([`Archive`], from [`open`]) or what a
/// reading command got ([`Reading`], from [`open_read`]). When the command is done with it,
/// whatever went wrong after the store had done its part (the search index could not
/// follow) is printed as a warning: the command's own output already said what was stored.
pub(super) struct Opened<T: DerefMut<Target = ArchiveReader>>(T);

impl<T: DerefMut<Target = ArchiveReader>> Deref for Opened<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DerefMut<Target = ArchiveReader>> DerefMut for Opened<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

/// The archive a reading command opened: as its writer when it was free, else read-only
/// beside the process that writes it. Either way it reads; writing the index is not there.
pub(super) enum Reading {
    /// The archive was free: this process is its writer while the command runs.
    Writer(Archive),
    /// Another process writes it (or its lock file was refused): read-only beside it.
    Reader(ArchiveReader),
}

impl Deref for Reading {
    type Target = ArchiveReader;

    fn deref(&self) -> &ArchiveReader {
        match self {
            Self::Writer(archive) => archive,
            Self::Reader(reader) => reader,
        }
    }
}

impl DerefMut for Reading {
    fn deref_mut(&mut self) -> &mut ArchiveReader {
        match self {
            Self::Writer(archive) => archive,
            Self::Reader(reader) => reader,
        }
    }
}

impl<T: DerefMut<Target = ArchiveReader>> Drop for Opened<T> {
    fn drop(&mut self) {
        let damaged = self.0.take_damaged_rows();
        for row in damaged.iter().take(MAX_DAMAGED_ROWS_SHOWN) {
            eprintln!(
                "warning: {row}; it was left out and the rest went on (`annalist check` lists every such row; correct it with sqlite3 or restore a backup)"
            );
        }
        if let Some(more) = damaged.len().checked_sub(MAX_DAMAGED_ROWS_SHOWN)
            && more > 0
        {
            eprintln!(
                "warning: and {} more that cannot be read (`annalist check` lists them all)",
                plural(more, "row", "rows")
            );
        }
        if !damaged.is_empty() {
            ROWS_SKIPPED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        for warning in self.0.take_warnings() {
            eprintln!("warning: {warning}");
        }
        send_waiting_edits(&mut self.0);
    }
}

/// How long a command waits to reach the team server when it sends its edits.
const SEND_CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// On a team replica, sends the edits waiting (this command's and any earlier ones) to
/// the server; what could not be sent waits for the next command, and says so.
fn send_waiting_edits(archive: &mut ArchiveReader) {
    match archive.send_waiting(SEND_CONNECT_TIMEOUT) {
        Ok(None) => {}
        Ok(Some(report)) => {
            for refused in &report.refused {
                eprintln!(
                    "warning: the team server refused an edit, kept as refused (`annalist team status` lists it): {}",
                    output::line(refused)
                );
            }
            if let Some(reason) = &report.offline {
                eprintln!(
                    "note: offline, {} waiting (sent by the next command that reaches the server): {}",
                    plural(
                        usize::try_from(report.waiting).unwrap_or(usize::MAX),
                        "edit",
                        "edits"
                    ),
                    output::line(reason)
                );
            }
        }
        Err(e) => eprintln!("warning: edits not sent to the team server: {e:#}"),
    }
}

/// Rows that cannot be read named one by one on stderr; more are counted.
const MAX_DAMAGED_ROWS_SHOWN: usize = 20;

/// Set when a command skipped stored rows it could not read: its exit code is then 2, like
/// an import some files of which failed, though the rest of its output was written.
pub(super) static ROWS_SKIPPED: AtomicBool = AtomicBool::new(false);

/// Opens the archive as its writer, printing what the user should know about how it was
/// opened.
pub(super) fn open(dir: Option<PathBuf>) -> anyhow::Result<Opened<Archive>> {
    open_writer(dir).map(Opened)
}

/// [`open`], for a command that otherwise reads ([`open_read`]) and must hold the writer
/// for this one action (a label edit): the same type as what `open_read` gives.
pub(super) fn open_as_reading(dir: Option<PathBuf>) -> anyhow::Result<Opened<Reading>> {
    open_writer(dir).map(|archive| Opened(Reading::Writer(archive)))
}

fn open_writer(dir: Option<PathBuf>) -> anyhow::Result<Archive> {
    let dir = archive_dir(dir)?;
    let mut archive = Archive::open(&dir)
        .with_context(|| format!("cannot open the archive {}", dir.display()))?;
    for notice in archive.notices() {
        eprintln!("note: {}", output::line(notice));
    }
    code_as(&mut archive)?;
    Ok(archive)
}

/// Opens the archive to read: as its writer when it is free, else read-only beside the
/// process that writes it (searches then see what that process last indexed).
pub(super) fn open_read(dir: Option<PathBuf>) -> anyhow::Result<Opened<Reading>> {
    let dir = archive_dir(dir)?;
    let mut opened = open_for_reading(&dir)?;
    code_as(&mut opened)?;
    Ok(opened)
}

fn open_for_reading(dir: &std::path::Path) -> anyhow::Result<Opened<Reading>> {
    match Archive::open(dir) {
        Ok(archive) => {
            for notice in archive.notices() {
                eprintln!("note: {}", output::line(notice));
            }
            Ok(Opened(Reading::Writer(archive)))
        }
        Err(e @ ArchiveError::LockRefused { .. }) => {
            eprintln!("note: reading the archive without taking its lock: {e}");
            Archive::open_reader(dir)
                .map(|reader| Opened(Reading::Reader(reader)))
                .with_context(|| format!("cannot open the archive {}", dir.display()))
        }
        Err(ArchiveError::InUse { pid, .. }) => {
            eprintln!(
                "note: the archive is open in process {pid}; reading it read-only (the search index shows what that process has indexed)"
            );
            let archive = Archive::open_reader(dir)
                .with_context(|| format!("cannot open the archive {}", dir.display()))?;
            for notice in archive.notices() {
                eprintln!("note: {notice}");
            }
            Ok(Opened(Reading::Reader(archive)))
        }
        Err(e) => Err(e).with_context(|| format!("cannot open the archive {}", dir.display())),
    }
}
