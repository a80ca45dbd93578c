//! How the reports of the use cases read (import, suggest, export, check): one text each,
//! which the CLI prints and the app shows as a job's outcome.

use std::fmt;
use std::path::Path;

use crate::export::ExportFormat;
use crate::model::plural;

use super::{CheckReport, ExportSummary, ImportReport, SuggestReport};

/// "cancelled after " before the counts of a job the user stopped.
fn cancelled_prefix(cancelled: bool) -> &'static str {
    if cancelled { "cancelled after " } else { "" }
}

/// "3 files: 3 imported, 0 duplicates, 0 failed"; the alternate form (`{:#}`, the CLI's)
/// adds the annotations and warnings: ", 2 annotations, 1 warning".
impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}: {} imported, {}, {} failed",
            cancelled_prefix(self.cancelled),
            plural(self.files, "file", "files"),
            self.imported,
            plural(self.duplicates, "duplicate", "duplicates"),
            self.failed_files.len()
        )?;
        if f.alternate() {
            write!(
                f,
                ", {}, {}",
                plural(self.annotations, "annotation", "annotations"),
                plural(self.warning_count(), "warning", "warnings")
            )?;
        }
        Ok(())
    }
}

/// "2 articles: 5 new suggestions, 1 learned from accepted spans; 3 already suggested or
/// decided" (nothing new is not nothing there: it says what was known).
impl fmt::Display for SuggestReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}: {}, {} learned from accepted spans",
            cancelled_prefix(self.cancelled),
            plural(self.articles, "article", "articles"),
            plural(self.suggested, "new suggestion", "new suggestions"),
            self.learned
        )?;
        if self.already_decided > 0 {
            write!(f, "; {} already suggested or decided", self.already_decided)?;
        }
        Ok(())
    }
}

/// "3 articles, 12 annotations, 3 indexed, 0 waiting for the index".
impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, {}, {} indexed, {} waiting for the index",
            plural(self.articles, "article", "articles"),
            plural(self.annotations, "annotation", "annotations"),
            self.indexed,
            self.pending_index
        )
    }
}

/// A finished export as both edges say it: "exported 3 articles and 12 annotations as
/// jsonl to out.jsonl".
#[derive(Debug, Clone, Copy)]
pub struct ExportedTo<'a> {
    summary: &'a ExportSummary,
    format: ExportFormat,
    path: &'a Path,
}

impl ExportSummary {
    /// The line that says what this export wrote, in `format`, to `path`.
    pub fn exported_to<'a>(&'a self, format: ExportFormat, path: &'a Path) -> ExportedTo<'a> {
        ExportedTo {
            summary: self,
            format,
            path,
        }
    }
}

impl fmt::Display for ExportedTo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exported {} as {} to {}",
            self.summary.describe(self.format),
            self.format,
            self.path.display()
        )?;
        if self.format.event_dataset().is_some() {
            write!(
                f,
                " (evidence per cell: {})",
                super::evidence_path(self.path).display()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_reads_the_same_at_both_edges() {
        let report = ImportReport {
            files: 3,
            imported: 2,
            duplicates: 1,
            annotations: 1,
            failed_files: vec!["a.txt: unreadable".to_owned()],
            warnings: vec!["line 2: skipped".to_owned()],
            ..ImportReport::default()
        };
        assert_eq!(
            report.to_string(),
            "3 files: 2 imported, 1 duplicate, 1 failed"
        );
        assert_eq!(
            format!("{report:#}"),
            "3 files: 2 imported, 1 duplicate, 1 failed, 1 annotation, 1 warning"
        );
        let cancelled = ImportReport {
            cancelled: true,
            ..report
        };
        assert!(cancelled.to_string().starts_with("cancelled after 3 files"));
    }

    #[test]
    fn a_suggestion_run_says_what_was_known() {
        let report = SuggestReport {
            articles: 1,
            suggested: 1,
            learned: 0,
            already_decided: 0,
            too_common: 0,
            cancelled: false,
        };
        assert_eq!(
            report.to_string(),
            "1 article: 1 new suggestion, 0 learned from accepted spans"
        );
        let known = SuggestReport {
            already_decided: 4,
            ..report
        };
        assert!(
            known
                .to_string()
                .ends_with("; 4 already suggested or decided")
        );
    }
}
