//! Export writers: articles and annotations out to `impl Write`, in a deterministic order.
//!
//! Owns: the byte layout of every export format. Must not read the store itself: callers
//! hand records in, one at a time, so exports stream in constant memory.

mod jsonl;

pub use jsonl::{JsonlWriter, NativeAnnotation, NativeRecord};

use std::fmt;
use std::str::FromStr;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// The native JSONL record (see `docs/formats.md`): one article per line.
    Jsonl,
}

impl ExportFormat {
    /// Name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jsonl => "jsonl",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "jsonl" => Ok(Self::Jsonl),
            other => Err(format!("unknown export format '{other}': available: jsonl")),
        }
    }
}
