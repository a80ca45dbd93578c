//! The layout file (`ANNALIST_LAYOUT_FILE`): what the reader drew, written out after every
//! frame that changed it, for the tests that drive the real window.

use std::path::{Path, PathBuf};

use super::AnnalistApp;
use super::state::ThemeChoice;

/// The environment variable naming the layout file (see `AnnalistApp::write_layout_file`).
pub const LAYOUT_FILE_VAR: &str = "ANNALIST_LAYOUT_FILE";

/// The layout file the environment names, if any.
pub(super) fn from_environment() -> Option<PathBuf> {
    std::env::var_os(LAYOUT_FILE_VAR)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The events view's part: open, its points, the job, the event picked, and its
/// panels' rectangles (the real-window tests click through them).
fn events_layout(
    events: &crate::app::state::EventsView,
    panels: &[(&'static str, egui::Rect)],
) -> serde_json::Value {
    let panels: serde_json::Map<String, serde_json::Value> = panels
        .iter()
        .map(|(name, r)| {
            (
                (*name).to_owned(),
                serde_json::json!([r.min.x, r.min.y, r.max.x, r.max.y]),
            )
        })
        .collect();
    serde_json::json!({
        "open": events.open,
        "points": events.points.len(),
        "building": events.job.is_some(),
        "selected": events.selected,
        "panels": panels,
    })
}

impl AnnalistApp {
    /// Writes the layout file (`ANNALIST_LAYOUT_FILE`) when what it says changed: the open
    /// article, the words visible in the reader with their rectangles on screen (points),
    /// the selection as it will be stored, the open context menu's entries, the status
    /// area's question buttons, the theme, the article ids of the loaded result list in
    /// order, and the coding side (coder, first-start question, queue counts, the coding
    /// windows' rectangles). Written to a temporary name and
    /// renamed, so a reader never sees half a file.
    pub(super) fn write_layout_file(&mut self, pixels_per_point: f32) {
        let Some(path) = &self.layout_file else {
            return;
        };
        let rect = |r: &egui::Rect| [r.min.x, r.min.y, r.max.x, r.max.y];
        let reader = self.state.reader.as_ref();
        let drawn = self
            .view_cache
            .reader
            .drawn
            .as_ref()
            .filter(|d| reader.is_some_and(|r| r.article.id == d.article));
        let words: Vec<serde_json::Value> = match (drawn, reader) {
            (Some(drawn), Some(reader)) => drawn
                .words
                .iter()
                .map(|(chars, r)| {
                    serde_json::json!({
                        "start": chars.start,
                        "end": chars.end,
                        "text": crate::model::slice_chars(&reader.article.text, chars.start, chars.end),
                        "rect": rect(r),
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        let menu: Vec<serde_json::Value> = drawn
            .map(|d| {
                d.menu
                    .iter()
                    .map(|(label, r)| serde_json::json!({"label": label, "rect": rect(r)}))
                    .collect()
            })
            .unwrap_or_default();
        let buttons: Vec<serde_json::Value> = self
            .view_cache
            .status_buttons
            .iter()
            .map(|(label, r)| serde_json::json!({"label": label, "rect": rect(r)}))
            .collect();
        let hits: Vec<i64> = self
            .state
            .search
            .pages
            .values()
            .flatten()
            .map(|h| h.id.0)
            .collect();
        let windows: serde_json::Map<String, serde_json::Value> = self
            .view_cache
            .coding_windows
            .iter()
            .map(|(name, r)| ((*name).to_owned(), serde_json::json!(rect(r))))
            .collect();
        let coders = &self.state.coders;
        let coding = serde_json::json!({
            "coder": self.archive.coder().map(ToString::to_string),
            "prompt": coders.prompt.is_some(),
            "queue": {
                "to_do": coders.queue.to_do(),
                "done": coders.queue.done(),
                "loading": coders.queue.loading,
            },
            "agreement_rows": coders.agreement.rows.len(),
            "windows": windows,
        });
        let value = serde_json::json!({
            "article": reader.map(|r| r.article.id.0),
            "selection": reader.and_then(|r| r.selection),
            "selected": reader.and_then(|r| r.selected).map(|a| a.0),
            "theme": match self.state.theme { ThemeChoice::Light => "light", ThemeChoice::Dark => "dark" },
            "pixels_per_point": pixels_per_point,
            "words": words,
            "menu": menu,
            "buttons": buttons,
            "hits": hits,
            "coding": coding,
            "team": self.state.team,
            "events": events_layout(&self.state.events, &self.view_cache.events.panels),
            "adjudication": self.state.adjudication.as_ref().map(|v| serde_json::json!({
                "article": v.article_id.0,
                "unit": v.unit().map(|u| u.number),
                "open": v.open_disagreements(),
                "pending": v.pending,
                "editing": v.editing,
            })),
        });
        let text = value.to_string();
        if self.layout_written.as_deref() == Some(text.as_str()) {
            return;
        }
        if let Err(e) = replace_regular_file(path, &text) {
            self.state.status = Some(Err(format!(
                "cannot write the layout file {}: {e}",
                path.display()
            )));
            self.layout_file = None;
            return;
        }
        self.layout_written = Some(text);
    }
}

/// Writes `text` to `path` whole: to a new file of this process beside it, then renamed over
/// it. Refuses a `path` that is a link, a folder or a device (only a regular file, or
/// nothing, is replaced), and never overwrites an existing file under the temporary name.
fn replace_regular_file(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.file_type().is_file()
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "it is a link, a folder or a device, not a file: name a plain file",
        ));
    }
    let mut partial = path.as_os_str().to_owned();
    partial.push(format!(".{}.writing", std::process::id()));
    let partial = PathBuf::from(partial);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    match written {
        Ok(()) => std::fs::rename(&partial, path),
        Err(e) => {
            // Only a file this call created is removed.
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                let _ = std::fs::remove_file(&partial);
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_file_replaces_only_a_plain_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("layout.json");
        replace_regular_file(&file, "one").unwrap();
        replace_regular_file(&file, "two").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "two");
        // A link is refused; it stays a link and its target is untouched.
        let target = dir.path().join("notes.txt");
        std::fs::write(&target, "mine").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(replace_regular_file(&link, "x").is_err());
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
        // A folder and a device are refused.
        assert!(replace_regular_file(dir.path(), "x").is_err());
        assert!(replace_regular_file(Path::new("/dev/null"), "x").is_err());
        // A file already under the temporary name is neither overwritten nor removed.
        let mut taken = file.as_os_str().to_owned();
        taken.push(format!(".{}.writing", std::process::id()));
        std::fs::write(&taken, "someone's").unwrap();
        assert!(replace_regular_file(&file, "three").is_err());
        assert_eq!(std::fs::read_to_string(&taken).unwrap(), "someone's");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "two");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            4,
            "nothing else was created or left behind"
        );
    }
}
