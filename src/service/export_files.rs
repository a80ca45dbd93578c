//! Where an export writes: destinations refused before anything is written (links, special
//! files, names too long), temporary files renamed into place, and an earlier export
//! recognised by its manifest and replaced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{ArchiveError, Result};
use crate::export::ExportFormat;

/// Refuses destinations an export must never replace: anything inside the archive's own
/// folder (its database, lock, index), a link (renaming over it would replace the link, and
/// following it would write somewhere the user did not name), and a node that is not a
/// regular file or folder (a device such as `/dev/null`, a pipe, a socket).
pub(super) fn refuse_unsafe_destination(path: &Path, archive_dir: &Path) -> Result<()> {
    let refuse = |what: &'static str, kind: std::io::ErrorKind| ArchiveError::Io {
        what,
        source: kind.into(),
        path: path.to_owned(),
    };
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let kind = meta.file_type();
        if kind.is_symlink() {
            return Err(refuse(
                "the export path is a link; exports never replace links: name a plain file or folder",
                std::io::ErrorKind::InvalidInput,
            ));
        }
        if !kind.is_file() && !kind.is_dir() {
            return Err(refuse(
                "the export path is a device, pipe or socket, not a file; to write to standard output leave out --out",
                std::io::ErrorKind::InvalidInput,
            ));
        }
    }
    // Where the export would land, with links in the folders above resolved.
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut existing = parent.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(up)) => {
                rest.push(name.to_owned());
                existing = if up.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    up
                };
            }
            _ => break,
        }
    }
    let (Ok(base), Ok(archive)) = (existing.canonicalize(), archive_dir.canonicalize()) else {
        return Ok(());
    };
    let mut landing = base;
    for name in rest.iter().rev() {
        landing.push(name);
    }
    if let Some(name) = path.file_name() {
        landing.push(name);
    }
    if landing.starts_with(&archive) {
        return Err(refuse(
            "the export would go inside the archive's own folder (its database and index live there); choose a place outside it",
            std::io::ErrorKind::InvalidInput,
        ));
    }
    Ok(())
}

/// What an export to a path would meet on disk, found before it starts so that the user can
/// fix the path, confirm a replacement, or be told which folders will be created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportDestination {
    /// Something is already there (a file, or a folder holding an earlier export) and would
    /// be replaced.
    pub exists: bool,
    /// Folders above the path that do not exist yet, outermost first.
    pub missing_folders: Vec<PathBuf>,
}

/// Checks where an export in `format` to `path` would go, without changing anything: a
/// file format needs a path that is not a folder, a folder format a new or empty folder or
/// one holding an earlier brat export; the nearest existing folder above must be a folder.
pub fn check_export_destination(format: ExportFormat, path: &Path) -> Result<ExportDestination> {
    let refuse = |what: &'static str, kind: std::io::ErrorKind, path: &Path| ArchiveError::Io {
        what,
        source: kind.into(),
        path: path.to_owned(),
    };
    if path.as_os_str().is_empty() || path.file_name().is_none() {
        return Err(refuse(
            "the export needs a file or folder name",
            std::io::ErrorKind::InvalidInput,
            path,
        ));
    }
    let mut missing_folders = Vec::new();
    for ancestor in path.ancestors().skip(1) {
        if ancestor.as_os_str().is_empty() {
            break;
        }
        if ancestor.is_dir() {
            break;
        }
        if ancestor.exists() {
            return Err(refuse(
                "a file is in the way of the export folder; choose another place",
                std::io::ErrorKind::NotADirectory,
                ancestor,
            ));
        }
        missing_folders.push(ancestor.to_owned());
    }
    missing_folders.reverse();
    refuse_long_name(format, path)?;
    let exists = if format.writes_folder() {
        matches!(earlier_export(format, path)?, EarlierExport::Listed(_))
    } else {
        refuse_replacing_non_manifest(&manifest_path(path))?;
        if format.event_dataset().is_some() {
            refuse_replacing_non_evidence(&evidence_path(path))?;
        }
        if path.is_dir() {
            return Err(refuse(
                "the export is one file; this is a folder",
                std::io::ErrorKind::IsADirectory,
                path,
            ));
        }
        path.exists()
    };
    Ok(ExportDestination {
        exists,
        missing_folders,
    })
}

/// Creates the folders [`check_export_destination`] found missing.
pub fn create_export_folders(destination: &ExportDestination) -> Result<()> {
    if let Some(innermost) = destination.missing_folders.last() {
        std::fs::create_dir_all(innermost).map_err(|source| ArchiveError::Io {
            what: "cannot create the export's folder",
            source,
            path: innermost.clone(),
        })?;
    }
    Ok(())
}

// --- Temporaries and earlier exports

/// Temporary names start with this and stay short (`.annalist-XXXXXX.tmp`, 20 bytes), so a
/// long `--out` name never makes them overflow the file system's name limit.
pub(super) const TEMP_PREFIX: &str = ".annalist-";

/// The manifest inside a folder export.
pub(super) const FOLDER_MANIFEST: &str = "manifest.json";

/// What names the manifest beside an export file.
const MANIFEST_SUFFIX: &str = ".manifest.json";

/// The longest file name, in bytes, that common file systems take (Linux's `NAME_MAX`).
const NAME_MAX_BYTES: usize = 255;

/// The most of a manifest read to recognise an earlier export (a million articles take
/// about 150 MB).
const MAX_MANIFEST_BYTES: u64 = 1 << 30;

pub(super) fn refused(reason: impl Into<String>, path: &Path) -> ArchiveError {
    ArchiveError::Refused {
        reason: reason.into(),
        path: path.to_owned(),
    }
}

pub(super) fn io_error(
    what: &'static str,
    path: &Path,
) -> impl FnOnce(std::io::Error) -> ArchiveError {
    let path = path.to_owned();
    move |source| ArchiveError::Io { what, source, path }
}

/// The folder an export at `path` goes into, which must exist; a failure names `path` as
/// the user gave it.
pub(super) fn existing_parent(path: &Path) -> Result<PathBuf> {
    if path.as_os_str().is_empty() || path.file_name().is_none() {
        return Err(refused("the export needs a file or folder name", path));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    match std::fs::metadata(&parent) {
        Ok(meta) if meta.is_dir() => Ok(parent),
        Ok(_) => Err(refused(
            format!(
                "cannot export: {} is a file, not a folder; choose another place",
                parent.display()
            ),
            path,
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(refused(
            format!(
                "cannot export: the folder {} does not exist; create it first, or choose another place",
                parent.display()
            ),
            path,
        )),
        Err(source) => Err(ArchiveError::Io {
            what: "cannot reach the folder to export into",
            source,
            path: path.to_owned(),
        }),
    }
}

/// Refuses a name the file system would refuse, before anything is written: the export's
/// own name, or with [`MANIFEST_SUFFIX`] the manifest beside it.
pub(super) fn refuse_long_name(format: ExportFormat, path: &Path) -> Result<()> {
    let Some(name) = path.file_name() else {
        return Ok(());
    };
    let bytes = name.as_encoded_bytes().len();
    let limit = if format.writes_folder() {
        NAME_MAX_BYTES
    } else {
        NAME_MAX_BYTES - MANIFEST_SUFFIX.len()
    };
    if bytes <= limit {
        return Ok(());
    }
    Err(refused(
        if format.writes_folder() {
            format!(
                "the folder name is {bytes} bytes long, over the {NAME_MAX_BYTES} that file systems take; choose a shorter name"
            )
        } else {
            format!(
                "the file name is {bytes} bytes long: with \"{MANIFEST_SUFFIX}\" added for the manifest beside it, it would be over the {NAME_MAX_BYTES} that file systems take; use a name of at most {limit} bytes"
            )
        },
        path,
    ))
}

/// A new temporary file of this process in `folder` (created exclusively, with a unique
/// name): removed when dropped, unless persisted. Failures name `for_path`, the user's.
pub(super) fn temporary_file(folder: &Path, for_path: &Path) -> Result<tempfile::NamedTempFile> {
    // Created 0666 less the umask, as a plain `File::create` would be, not tempfile's 0600:
    // an export is a dataset to share.
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(folder)
        .map_err(io_error("cannot create the export file", for_path))
}

/// A writer into `temp` that reaches the disk when flushed.
pub(super) fn synced(
    temp: &tempfile::NamedTempFile,
    for_path: &Path,
) -> Result<Box<dyn std::io::Write + Send>> {
    let file = temp
        .as_file()
        .try_clone()
        .map_err(io_error("cannot create the export file", for_path))?;
    Ok(Box::new(SyncOnFlush(Some(file))))
}

/// Moves a complete temporary into place (one rename, atomic); on failure it is removed.
pub(super) fn persist(temp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    temp.persist(path)
        .map(drop)
        .map_err(|e| io_error("cannot move the export into place", path)(e.error))
}

/// Moves several finished files into place as one: each file already at a destination is
/// first moved aside (to a temporary name beside it), and if any move fails, the new files
/// placed so far are removed and the old ones put back, so the user finds either every old
/// file or every new one (a table and its evidence never disagree). Kept aside only until
/// all are in place.
pub(super) fn persist_together(files: Vec<(tempfile::NamedTempFile, PathBuf)>) -> Result<()> {
    let mut aside: Vec<(PathBuf, tempfile::TempPath)> = Vec::new();
    let mut placed: Vec<PathBuf> = Vec::new();
    let mut outcome = Ok(());
    for (temp, path) in files {
        if std::fs::symlink_metadata(&path).is_ok() {
            let parent = existing_parent(&path)?;
            let backup = temporary_file(&parent, &path)?.into_temp_path();
            if let Err(e) = std::fs::rename(&path, &backup) {
                outcome = Err(io_error("cannot move the earlier export aside", &path)(e));
                break;
            }
            aside.push((path.clone(), backup));
        }
        match temp.persist(&path) {
            Ok(_) => placed.push(path),
            Err(e) => {
                outcome = Err(io_error("cannot move the export into place", &path)(
                    e.error,
                ));
                break;
            }
        }
    }
    if outcome.is_err() {
        for path in placed {
            let _ = std::fs::remove_file(path);
        }
        for (path, backup) in aside {
            // Back under its own name; the temporary path is then nothing to delete.
            if std::fs::rename(&backup, &path).is_ok() {
                let _ = backup.keep();
            }
        }
    }
    // On success the files moved aside are deleted as `aside` is dropped.
    outcome
}

/// The manifest fields that say who wrote it and for which format.
#[derive(serde::Deserialize)]
struct ManifestHead {
    app: String,
    format: String,
}

/// A folder export's manifest: the files it lists, per article and at the end.
#[derive(serde::Deserialize)]
struct ManifestListing {
    app: String,
    format: String,
    #[serde(default)]
    content_sha256: Vec<ListedArticle>,
    #[serde(default)]
    files: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
struct ListedArticle {
    #[serde(default)]
    files: BTreeMap<String, String>,
}

/// Reads a manifest of Annalist's (`None` for anything else: not JSON, another program's).
fn read_manifest<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).ok()?;
    let reader = std::io::BufReader::new(file.take(MAX_MANIFEST_BYTES));
    serde_json::from_reader(reader).ok()
}

fn written_by_annalist(app: &str) -> bool {
    app.starts_with("annalist ")
}

/// Refuses to replace, beside an export file, anything but a manifest Annalist wrote.
pub(super) fn refuse_replacing_non_manifest(path: &Path) -> Result<()> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(ArchiveError::Io {
                what: "cannot check the manifest's place",
                source,
                path: path.to_owned(),
            });
        }
    };
    let ours = meta.is_file()
        && read_manifest::<ManifestHead>(path)
            .is_some_and(|head| written_by_annalist(&head.app) && !head.format.is_empty());
    if ours {
        return Ok(());
    }
    Err(refused(
        "the export's manifest goes here, and something Annalist did not write is in its place; move it away or choose another name",
        path,
    ))
}

/// The evidence file beside an event table: `events.csv` → `events.evidence.csv`.
pub fn evidence_path(table: &Path) -> PathBuf {
    let name = table
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".csv").unwrap_or(&name);
    table.with_file_name(format!("{stem}.evidence.csv"))
}

/// Refuses to replace, at the evidence file's place, anything but an earlier evidence file
/// (a CSV file whose first line is the evidence header).
pub(super) fn refuse_replacing_non_evidence(path: &Path) -> Result<()> {
    use std::io::Read as _;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(ArchiveError::Io {
                what: "cannot check the evidence file's place",
                source,
                path: path.to_owned(),
            });
        }
    };
    let header = crate::export::EVIDENCE_COLUMNS.join(",");
    let mut start = vec![0_u8; header.len()];
    let ours = meta.is_file()
        && std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut start))
            .is_ok()
        && start == header.as_bytes();
    if ours {
        return Ok(());
    }
    Err(refused(
        "the export's evidence file goes here, and something Annalist did not write is in its place; move it away or choose another name",
        path,
    ))
}

/// What a folder export at a path would replace.
pub(super) enum EarlierExport {
    /// Nothing: the folder is missing or empty.
    Nothing,
    /// An earlier export; these are its files, all listed by its manifest and unchanged.
    Listed(Vec<std::ffi::OsString>),
}

/// Looks at the folder a folder export would go to. It may replace only what Annalist
/// wrote: an earlier export of the same format whose `manifest.json` lists every file in
/// the folder with the hash it has now. Anything else (a folder of the user's own `.txt`
/// files, a file added to an export, an `.ann` file edited in brat) is refused, naming it.
pub(super) fn earlier_export(format: ExportFormat, path: &Path) -> Result<EarlierExport> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(EarlierExport::Nothing),
        Err(source) => {
            return Err(ArchiveError::Io {
                what: "cannot read the export folder",
                source,
                path: path.to_owned(),
            });
        }
    };
    if !meta.is_dir() {
        return Err(refused(
            format!(
                "the {format} export is a folder, and this is a file; name a new or empty folder"
            ),
            path,
        ));
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io_error("cannot read the export folder", path))? {
        let entry = entry.map_err(io_error("cannot read the export folder", path))?;
        let plain = entry.file_type().is_ok_and(|t| t.is_file());
        names.push((entry.file_name(), plain));
    }
    if names.is_empty() {
        return Ok(EarlierExport::Nothing);
    }
    names.sort();
    let manifest = path.join(FOLDER_MANIFEST);
    let has_manifest = names
        .iter()
        .any(|(name, plain)| *plain && name == FOLDER_MANIFEST);
    let listing = has_manifest
        .then(|| read_manifest::<ManifestListing>(&manifest))
        .flatten()
        .filter(|m| written_by_annalist(&m.app) && m.format == format.as_str());
    let Some(listing) = listing else {
        let first = names
            .iter()
            .find(|(name, _)| name != FOLDER_MANIFEST)
            .or(names.first())
            .map(|(name, _)| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let others = match names.len().saturating_sub(1) {
            0 => String::new(),
            1 => " and 1 other entry".to_owned(),
            n => format!(" and {n} other entries"),
        };
        return Err(refused(
            format!(
                "the folder holds {first}{others} and is not an earlier Annalist {format} export (it has no manifest.json of one), so its files may be yours; nothing was changed: choose a new or empty folder"
            ),
            path,
        ));
    };
    let mut listed: BTreeMap<String, String> = listing.files;
    for article in listing.content_sha256 {
        listed.extend(article.files);
    }
    for (name, plain) in &names {
        let shown = name.to_string_lossy();
        if name == FOLDER_MANIFEST {
            continue;
        }
        let Some(expected) = name.to_str().and_then(|n| listed.get(n)) else {
            return Err(refused(
                format!(
                    "the folder holds an earlier export and also {shown}, which that export did not write; nothing was changed: move {shown} out, or choose a new or empty folder"
                ),
                path,
            ));
        };
        let unchanged = *plain && file_sha256(&path.join(name)).is_ok_and(|hash| hash == *expected);
        if !unchanged {
            return Err(refused(
                format!(
                    "{shown} in the earlier export was changed after Annalist wrote it (work done on the export, in brat for example, would be lost); nothing was changed: move the folder away, or choose a new one"
                ),
                path,
            ));
        }
    }
    Ok(EarlierExport::Listed(
        names.into_iter().map(|(name, _)| name).collect(),
    ))
}

/// Removes an earlier export that [`earlier_export`] recognised, checking it again first:
/// only the files its manifest lists (and the manifest) go, then the emptied folder.
pub(super) fn remove_earlier_export(
    format: ExportFormat,
    path: &Path,
    files: &[std::ffi::OsString],
) -> Result<()> {
    let EarlierExport::Listed(now) = earlier_export(format, path)? else {
        return Ok(());
    };
    for name in now.iter().filter(|name| files.contains(name)) {
        let file = path.join(name);
        std::fs::remove_file(&file).map_err(io_error(
            "cannot remove a file of the earlier export",
            &file,
        ))?;
    }
    std::fs::remove_dir(path).map_err(io_error(
        "cannot replace the earlier export: the folder holds files that appeared during the export",
        path,
    ))
}

/// Lowercase hex SHA-256 of a file's bytes, read in pieces.
fn file_sha256(path: &Path) -> std::io::Result<String> {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    let mut file = std::fs::File::open(path)?;
    std::io::copy(&mut file, &mut hasher)?;
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}

/// The manifest beside an export file.
pub fn manifest_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(MANIFEST_SUFFIX);
    path.with_file_name(name)
}

/// A file that reaches the disk (fsync) whenever it is flushed: the sink flushes once, at the end.
struct SyncOnFlush(Option<std::fs::File>);

impl std::io::Write for SyncOnFlush {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.0 {
            Some(file) => file.write(buf),
            None => Ok(0),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.0 {
            Some(file) => {
                file.flush()?;
                file.sync_all()
            }
            None => Ok(()),
        }
    }
}
