//! Finding importable files under the paths a user gave (pairing brat's `.ann` and `.txt`),
//! and unpacking gzip.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use super::format::{CONLL_SNIFF_BYTES, looks_like_conll};
use super::{Format, ImportError};

const GZIP_MAGIC: &[u8] = b"\x1f\x8b";

/// Files inside a brat folder that configure brat and are not articles.
const BRAT_SIDE_FILES: [&str; 5] = [
    "annotation.conf",
    "visual.conf",
    "tools.conf",
    "kb_shortcuts.conf",
    "manifest.json",
];

/// Expands the given paths into files to import, sorted by path and without duplicates.
///
/// Files named explicitly are kept whatever their name. Folders are walked recursively
/// (following symlinks); inside them hidden entries (dotfiles, dot-folders) and files whose
/// extension names no importable format are skipped, and so are a dataset's own papers
/// (`README.TXT`, `LICENSE.txt`, `COPYING`, `CHANGELOG.txt`, `NOTICE.txt`), which sit next to
/// the data and are not news, and an export's manifest (`x.jsonl.manifest.json` beside
/// `x.jsonl`). A file without a known extension is kept when its first lines are CoNLL
/// token/tag columns (WNUT-17's `emerging.test.annotated`).
///
/// brat: an `X.ann` with an `X.txt` beside it is one document, listed as the `.ann`; that
/// `X.txt` is not listed again as plain text, and in a folder holding brat documents (or an
/// `annotation.conf`) brat's configuration files and `manifest.json` are skipped. Missing
/// paths and unreadable folders come back as errors, and the rest is still listed.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<ImportError>) {
    let mut files = Vec::new();
    let mut walked = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk_folder(path, &mut walked, &mut errors),
            Ok(_) => files.push(path.clone()),
            Err(source) => errors.push(ImportError::Read {
                path: path.clone(),
                source,
            }),
        }
    }
    let brat_texts: HashSet<PathBuf> = files
        .iter()
        .chain(&walked)
        .filter(|path| is_brat_annotations(path))
        .map(|path| path.with_extension("txt"))
        .filter(|text| text.is_file())
        .collect();
    let brat_folders: HashSet<&Path> = brat_texts.iter().filter_map(|text| text.parent()).collect();
    walked.retain(|path| {
        let in_brat_folder = path.parent().is_some_and(|folder| {
            brat_folders.contains(folder) || folder.join("annotation.conf").is_file()
        });
        let brat_side_file = in_brat_folder && is_named(path, &BRAT_SIDE_FILES);
        !brat_side_file && !is_export_manifest(path)
    });
    files.append(&mut walked);
    files.retain(|path| !brat_texts.contains(path));
    files.sort();
    files.dedup();
    (files, errors)
}

fn walk_folder(root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<ImportError>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_file();
                if !is_file || is_dataset_paper(entry.file_name()) {
                    continue;
                }
                if let Some((what, command)) = packed_by_name(entry.path()) {
                    // Said, not skipped in silence: a folder of zips imported "0 files".
                    errors.push(ImportError::Packed {
                        path: entry.path().to_path_buf(),
                        what: what.to_owned(),
                        command: format!("{command} {}", entry.path().display()),
                    });
                } else if is_importable(entry.path()) {
                    files.push(entry.into_path());
                }
            }
            Err(error) => errors.push(ImportError::Walk {
                path: error.path().unwrap_or(root).to_path_buf(),
                reason: error
                    .io_error()
                    .map_or_else(|| error.to_string(), ToString::to_string),
            }),
        }
    }
}

/// A known extension, or CoNLL columns in a file without one.
fn is_importable(path: &Path) -> bool {
    if Format::from_path(path).is_some() {
        return true;
    }
    if is_named(path, &BRAT_SIDE_FILES) {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    let limit = u64::try_from(CONLL_SNIFF_BYTES).unwrap_or(u64::MAX);
    if file.take(limit).read_to_end(&mut head).is_err() {
        return false;
    }
    looks_like_conll(&head)
}

/// An `.ann` file: a brat document when its `.txt` is beside it.
fn is_brat_annotations(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("ann"))
}

fn is_named(path: &Path, names: &[&str]) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| names.iter().any(|known| name.eq_ignore_ascii_case(known)))
}

/// `x.manifest.json` beside `x`: what an export wrote about itself, not articles.
fn is_export_manifest(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    name.strip_suffix(".manifest.json")
        .is_some_and(|export| !export.is_empty() && path.with_file_name(export).is_file())
}

/// A README, licence or change log shipped beside a dataset.
fn is_dataset_paper(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    [
        "README",
        "LICENSE",
        "LICENCE",
        "COPYING",
        "CHANGELOG",
        "NOTICE",
    ]
    .contains(&stem.as_str())
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|name| name.starts_with('.'))
}

/// What a path that is not a regular file is, for messages; `None` for a regular file.
fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt as _;
    if file_type.is_file() {
        None
    } else if file_type.is_dir() {
        Some("a folder")
    } else if file_type.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if file_type.is_char_device() {
        Some("a character device")
    } else if file_type.is_block_device() {
        Some("a block device")
    } else if file_type.is_socket() {
        Some("a socket")
    } else {
        Some("not a file")
    }
}

/// Opens a file to import: only a regular file (links are followed), checked before it is
/// opened (opening a named pipe waits for a writer) and again on what was opened (the path
/// may have been swapped; the open does not wait, as it asks not to block). Returns the
/// file and its size; a file over `limit` is refused unopened.
pub(crate) fn open_regular(
    path: &Path,
    limit: Option<u64>,
) -> Result<(std::fs::File, u64), ImportError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let read_error = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let refuse = |kind| ImportError::NotAFile {
        path: path.to_path_buf(),
        kind,
    };
    let meta = std::fs::metadata(path).map_err(read_error)?;
    if let Some(kind) = special_kind(meta.file_type()) {
        return Err(refuse(kind));
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(read_error)?;
    let meta = file.metadata().map_err(read_error)?;
    if let Some(kind) = special_kind(meta.file_type()) {
        return Err(refuse(kind));
    }
    let size = meta.len();
    if let Some(limit) = limit
        && size > limit
    {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
            unpacked: false,
        });
    }
    Ok((file, size))
}

/// Reads a whole file to import, through [`open_regular`], and never more than `limit`
/// bytes of it (a file that grows while it is read is refused too).
pub(crate) fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ImportError> {
    let (file, size) = open_regular(path, Some(limit))?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ImportError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size: read,
            limit,
            unpacked: false,
        });
    }
    Ok(bytes)
}

/// Whether a file about to be streamed is gzip: by its `.gz` name or its magic bytes
/// (peeked, not consumed).
pub(crate) fn is_gzip(path: &Path, reader: &mut dyn std::io::BufRead) -> std::io::Result<bool> {
    let named_gz = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("gz"));
    Ok(named_gz || reader.fill_buf()?.starts_with(GZIP_MAGIC))
}

/// How many gzip layers are unpacked (`x.txt.gz.gz`); each is held to the size limit.
const MAX_GZIP_LAYERS: usize = 3;

/// Unpacks gzip (by `.gz` name or by magic bytes), a gzip inside a gzip too (up to
/// [`MAX_GZIP_LAYERS`]), and returns the bytes plus the name that decides the format:
/// `x.html.gz` becomes `x.html`. Unpacking stops past `limit` bytes (a gzip bomb): the file
/// is refused as too large. A zip, tar, 7z, RAR, bzip2, xz or zstd file, before or after
/// unpacking, is refused with how to unpack it ([`ImportError::Packed`]).
pub(crate) fn gunzip_if_needed<'a>(
    bytes: &'a [u8],
    path: &Path,
    limit: u64,
) -> Result<(Cow<'a, [u8]>, PathBuf), ImportError> {
    refuse_packed(bytes, path, false)?;
    let mut current = Cow::Borrowed(bytes);
    let mut inner_name = path.to_path_buf();
    for _ in 0..MAX_GZIP_LAYERS {
        let named_gz = inner_name
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("gz"));
        if !named_gz && !current.starts_with(GZIP_MAGIC) {
            return Ok((current, inner_name));
        }
        let unpacked = gunzip(&current, path, limit)?;
        refuse_packed(&unpacked, path, true)?;
        if named_gz {
            inner_name = inner_name.with_extension("");
        }
        current = Cow::Owned(unpacked);
    }
    if current.starts_with(GZIP_MAGIC) {
        return Err(ImportError::Gzip {
            path: path.to_path_buf(),
            reason: format!(
                "gzip nested more than {MAX_GZIP_LAYERS} deep: unpack it first, e.g. `gunzip -c FILE | gunzip -c > unpacked`"
            ),
        });
    }
    Ok((current, inner_name))
}

/// One gzip layer, never more than `limit` bytes of it.
fn gunzip(bytes: &[u8], path: &Path, limit: u64) -> Result<Vec<u8>, ImportError> {
    let mut unpacked = Vec::new();
    MultiGzDecoder::new(bytes)
        .take(limit.saturating_add(1))
        .read_to_end(&mut unpacked)
        .map_err(|error| ImportError::Gzip {
            path: path.to_path_buf(),
            reason: if error.kind() == std::io::ErrorKind::UnexpectedEof {
                "truncated gzip stream".to_owned()
            } else {
                format!("corrupt gzip stream: {error}")
            },
        })?;
    let size = u64::try_from(unpacked.len()).unwrap_or(u64::MAX);
    if size > limit {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
            unpacked: true,
        });
    }
    Ok(unpacked)
}

/// Archives and compressors the importers do not open: what each is and the command that
/// unpacks it, by magic bytes.
fn packed_kind(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    const MAGIC: [(&[u8], &str, &str); 7] = [
        (b"PK\x03\x04", "a zip archive", "unzip"),
        (b"PK\x05\x06", "a zip archive", "unzip"),
        (b"7z\xBC\xAF\x27\x1C", "a 7z archive", "7z x"),
        (b"Rar!\x1A\x07", "a RAR archive", "unrar x"),
        (b"\xFD7zXZ\x00", "an xz file", "unxz"),
        (b"\x28\xB5\x2F\xFD", "a zstd file", "unzstd"),
        (b"BZh", "a bzip2 file", "bunzip2"),
    ];
    let bzip2_block = bytes.get(3..10).is_some_and(|rest| {
        matches!(rest.first(), Some(b'1'..=b'9')) && rest.get(1..) == Some(b"1AY&SY")
    });
    if let Some((magic, what, command)) =
        MAGIC.iter().find(|(magic, _, _)| bytes.starts_with(magic))
        && (*magic != b"BZh" || bzip2_block)
    {
        return Some((what, command));
    }
    if bytes.get(257..262) == Some(b"ustar") {
        return Some(("a tar archive", "tar -xf"));
    }
    None
}

/// Refuses bytes that are an archive or compressed file other than gzip, naming what they
/// are and how to unpack them; `in_gzip` when they came out of a gzip layer.
pub(crate) fn refuse_packed(bytes: &[u8], path: &Path, in_gzip: bool) -> Result<(), ImportError> {
    let Some((what, command)) = packed_kind(bytes) else {
        return Ok(());
    };
    let (what, command) = match (in_gzip, command) {
        (true, "tar -xf") => ("a gzipped tar archive".to_owned(), "tar -xzf"),
        (true, command) => (format!("gzip holding {what}"), command),
        (false, command) => (what.to_owned(), command),
    };
    let command = if in_gzip && command != "tar -xzf" {
        format!("gunzip -k {}", path.display())
    } else {
        format!("{command} {}", path.display())
    };
    Err(ImportError::Packed {
        path: path.to_path_buf(),
        what,
        command,
    })
}

/// What a file in a folder is, by its name, when it is an archive the importers do not
/// open (`x.zip`, `x.tar.gz`, `x.7z`, ...).
fn packed_by_name(path: &Path) -> Option<(&'static str, &'static str)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let known: [(&str, &str, &str); 10] = [
        (".zip", "a zip archive", "unzip"),
        (".tar.gz", "a gzipped tar archive", "tar -xzf"),
        (".tgz", "a gzipped tar archive", "tar -xzf"),
        (".tar", "a tar archive", "tar -xf"),
        (".7z", "a 7z archive", "7z x"),
        (".rar", "a RAR archive", "unrar x"),
        (".bz2", "a bzip2 file", "bunzip2"),
        (".xz", "an xz file", "unxz"),
        (".zst", "a zstd file", "unzstd"),
        (".tar.bz2", "a bzip2 file", "tar -xjf"),
    ];
    known
        .iter()
        .find(|(suffix, _, _)| name.ends_with(suffix))
        .map(|(_, what, command)| (*what, *command))
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_round_trip_uses_the_inner_name() {
        let packed = gzip(b"<html><body><p>Hi</p></body></html>");
        let (bytes, name) =
            gunzip_if_needed(&packed, Path::new("d/page.html.gz"), u64::MAX).unwrap();
        assert_eq!(&*bytes, b"<html><body><p>Hi</p></body></html>");
        assert_eq!(name, Path::new("d/page.html"));
    }

    #[test]
    fn truncated_and_corrupt_gzip_are_errors_naming_the_file() {
        let packed = gzip(
            "a fairly long line of text that compresses\n"
                .repeat(50)
                .as_bytes(),
        );
        let cut = packed.get(..packed.len() / 2).unwrap();
        let err = gunzip_if_needed(cut, Path::new("x.txt.gz"), u64::MAX).unwrap_err();
        assert_eq!(err.to_string(), "x.txt.gz: truncated gzip stream");
        let err =
            gunzip_if_needed(b"not gzip at all", Path::new("y.json.gz"), u64::MAX).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("y.json.gz: corrupt gzip stream"),
            "{err}"
        );
    }

    #[test]
    fn unpacking_stops_past_the_limit() {
        let packed = gzip(&vec![b'a'; 10_000]);
        let err = gunzip_if_needed(&packed, Path::new("bomb.txt.gz"), 4096).unwrap_err();
        assert_eq!(
            err.to_string(),
            "bomb.txt.gz unpacks to over 4 KB, over the 4 KB limit: refused, nothing of it imported"
        );
        let (bytes, _) = gunzip_if_needed(&packed, Path::new("ok.txt.gz"), 10_000).unwrap();
        assert_eq!(bytes.len(), 10_000);
    }

    #[test]
    fn archives_are_named_by_magic_and_by_name() {
        let kind = |bytes: &[u8]| packed_kind(bytes).map(|(what, _)| what);
        assert_eq!(kind(b"PK\x03\x04rest"), Some("a zip archive"));
        assert_eq!(kind(b"7z\xBC\xAF\x27\x1C"), Some("a 7z archive"));
        assert_eq!(kind(b"BZh91AY&SYrest"), Some("a bzip2 file"));
        assert_eq!(kind(b"BZh is a word"), None);
        assert_eq!(kind(b"\xFD7zXZ\x00"), Some("an xz file"));
        assert_eq!(kind(b"PKZIP is a program"), None);
        assert_eq!(kind(b"plain text"), None);
        let named = |name: &str| packed_by_name(Path::new(name)).map(|(what, _)| what);
        assert_eq!(named("d/x.ZIP"), Some("a zip archive"));
        assert_eq!(named("x.tar.gz"), Some("a gzipped tar archive"));
        assert_eq!(named("x.txt.gz"), None);
        let nested = gzip(&gzip(b"two layers"));
        let (bytes, name) = gunzip_if_needed(&nested, Path::new("a.txt.gz.gz"), 100).unwrap();
        assert_eq!(
            (&*bytes, name.as_path()),
            (&b"two layers"[..], Path::new("a.txt"))
        );
        // Each layer is held to the limit.
        let bomb = gzip(&gzip(&vec![b'a'; 10_000]));
        let err = gunzip_if_needed(&bomb, Path::new("b.txt.gz.gz"), 4096).unwrap_err();
        assert!(err.to_string().contains("unpacks to over 4 KB"), "{err}");
    }

    #[test]
    fn plain_bytes_pass_through() {
        let (bytes, name) = gunzip_if_needed(b"text", Path::new("a.txt"), u64::MAX).unwrap();
        assert!(matches!(bytes, Cow::Borrowed(b"text")));
        assert_eq!(name, Path::new("a.txt"));
    }

    #[test]
    fn collects_sorted_known_files_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sub/.git")).unwrap();
        for name in [
            "b.txt",
            "a.html.gz",
            "README.md",
            ".hidden.txt",
            "sub/c.jsonl",
            "sub/.git/d.txt",
            "sub/e.csv",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let explicit = root.join("README.md");
        let missing = root.join("missing.txt");
        let (files, errors) =
            collect_files(&[root.to_path_buf(), explicit.clone(), missing.clone()]);
        let expected: Vec<PathBuf> = [
            "README.md",
            "a.html.gz",
            "b.txt",
            "sub/c.jsonl",
            "sub/e.csv",
        ]
        .iter()
        .map(|name| root.join(name))
        .collect();
        assert_eq!(files, expected);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path(), missing);
        assert!(
            errors[0].to_string().starts_with("cannot read "),
            "{}",
            errors[0]
        );
    }
}
