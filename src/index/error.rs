//! The index's errors, with a short reason a person can act on and the kinds of failure
//! (damage, permissions, a full disk) the service treats apart.

use std::path::PathBuf;

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed (its error is shown in the message, not repeated as a cause).
    #[error("search index error: {0}")]
    Tantivy(tantivy::TantivyError),
    /// The index's files cannot be read as an index (corrupt `meta.json`, a segment file
    /// missing, truncated or overwritten), or reading them failed inside tantivy.
    #[error(
        "the search index is damaged ({reason}); searching needs it rebuilt from the database: run `annalist check --repair` (nothing stored is affected)"
    )]
    Damaged {
        /// What was found wrong.
        reason: String,
    },
    /// The query could not be parsed.
    #[error("cannot understand the query: {reason}")]
    Query {
        /// What is wrong with it.
        reason: String,
    },
    /// Another process holds the index writer.
    #[error("the search index is being written by another process; try again when it is done")]
    Busy,
    /// File system trouble in the index folder.
    #[error("cannot use the index folder {path}: {source}")]
    Io {
        /// What failed.
        source: std::io::Error,
        /// Folder.
        path: PathBuf,
    },
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(error: tantivy::TantivyError) -> Self {
        Self::Tantivy(error)
    }
}

/// Longest cause quoted in [`IndexError::short_reason`], in characters.
const REASON_CHARS: usize = 160;

impl IndexError {
    /// Why the index could not be used, in one short line a person can act on (tantivy's
    /// own errors run to hundreds of characters of debug output).
    pub fn short_reason(&self) -> String {
        if self.is_disk_full() {
            return format!("the disk holding {} is full", self.folder_hint());
        }
        if self.is_permission_denied() {
            return format!(
                "{} cannot be written (permission denied)",
                self.folder_hint()
            );
        }
        match self {
            Self::Damaged { reason } => format!("it is damaged: {reason}"),
            other => {
                let text = match other {
                    Self::Tantivy(e) => e.to_string(),
                    other => other.to_string(),
                };
                if text.chars().count() <= REASON_CHARS {
                    text
                } else {
                    let cut: String = text.chars().take(REASON_CHARS).collect();
                    format!("{cut}...")
                }
            }
        }
    }

    fn folder_hint(&self) -> String {
        match self {
            Self::Io { path, .. } => format!("the index folder {}", path.display()),
            _ => "the index folder".to_owned(),
        }
    }

    /// Whether the file system refused a write (permissions, read-only, immutable).
    pub fn is_permission_denied(&self) -> bool {
        let denied = |io: &std::io::Error| {
            matches!(
                io.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            )
        };
        if let Self::Io { source, .. } = self
            && denied(source)
        {
            return true;
        }
        if let Self::Tantivy(tantivy::TantivyError::IoError(io)) = self
            && denied(io)
        {
            return true;
        }
        // tantivy wraps the cause of a failed write in its text only.
        let text = self.to_string();
        text.contains("PermissionDenied") || text.contains("ReadOnlyFilesystem")
    }

    /// Whether the file system ran out of space (somewhere in the chain of causes).
    pub fn is_disk_full(&self) -> bool {
        if let Self::Tantivy(tantivy::TantivyError::IoError(io)) = self
            && io.kind() == std::io::ErrorKind::StorageFull
        {
            return true;
        }
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = cause {
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && (io.kind() == std::io::ErrorKind::StorageFull || io.raw_os_error() == Some(28))
            {
                return true;
            }
            if let Some(tantivy::TantivyError::IoError(io)) = e.downcast_ref()
                && io.kind() == std::io::ErrorKind::StorageFull
            {
                return true;
            }
            cause = e.source();
        }
        // Some tantivy errors carry the cause only in their text.
        self.to_string().contains("No space left on device")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_recognised_through_tantivy_errors() {
        let full = std::io::Error::from_raw_os_error(28);
        let wrapped = IndexError::Tantivy(tantivy::TantivyError::IoError(std::sync::Arc::new(
            std::io::Error::new(std::io::ErrorKind::StorageFull, full),
        )));
        assert!(wrapped.is_disk_full());
        let io = IndexError::Io {
            source: std::io::Error::from_raw_os_error(28),
            path: PathBuf::from("index"),
        };
        assert!(io.is_disk_full());
        let denied = IndexError::Io {
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            path: PathBuf::from("index"),
        };
        assert!(!denied.is_disk_full());
        assert!(!IndexError::Busy.is_disk_full());
    }
}
