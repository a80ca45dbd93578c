//! Disk use of benchmark outputs (archives, exports, corpora).

use std::path::Path;

/// Bytes of every file under `dir` (or of `dir` itself, a file).
pub(crate) fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}
