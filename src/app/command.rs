//! Every user intent is one `Command`; menus, buttons and the shortcut table all emit them.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

// The vocabulary of the import and export commands, which the views name through here.
pub use crate::export::ExportFormat;
pub use crate::import::{Format, ImportOptions};
use crate::model::{
    AnnotationAttrs, AnnotationId, AnnotationStatus, ArticleId, ArticleMeta, LabelDef,
};

/// What to export from the export dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportScope {
    /// The whole archive.
    All,
    /// The articles the current search finds (with its filters).
    CurrentSearch,
    /// The article open in the reader.
    OpenArticle,
}

/// One user intent. Only `AnnalistApp::apply` changes state in response.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Run the search box's query with the filters.
    Search,
    /// Clear the label, status, outlet and date filters and search again.
    ClearFilters,
    /// Load a page of hits (the list shows it).
    LoadHitsPage(usize),
    /// Open an article in the reader.
    OpenArticle(ArticleId),
    /// Open the next hit.
    NextArticle,
    /// Open the previous hit.
    PreviousArticle,
    /// Label `[start, end)` of the open article (code points).
    Annotate {
        /// Label.
        label: String,
        /// First code point.
        start: usize,
        /// One past the last.
        end: usize,
    },
    /// Label the reader's selection with the label bound to this shortcut key.
    AnnotateSelectionWithShortcut(char),
    /// Select an annotation (or none).
    SelectAnnotation(Option<AnnotationId>),
    /// Select an annotation and scroll the reader to it.
    JumpToAnnotation(AnnotationId),
    /// Select the next annotation in the text.
    NextAnnotation,
    /// Select the previous annotation in the text.
    PreviousAnnotation,
    /// Change an annotation's label, attributes and status.
    UpdateAnnotation {
        /// Annotation.
        id: AnnotationId,
        /// New label.
        label: String,
        /// New attributes.
        attrs: AnnotationAttrs,
        /// New status.
        status: AnnotationStatus,
    },
    /// Delete an annotation.
    DeleteAnnotation(AnnotationId),
    /// Suggest the text learning held back (`AppState::learn_confirm`) in every article
    /// that contains it.
    LearnEverywhere,
    /// Do not suggest the held-back text elsewhere.
    DismissLearnConfirm,
    /// Delete the selected annotation.
    DeleteSelected,
    /// Mark the selected suggestion accepted.
    AcceptSelected,
    /// Reject the selected suggestion (kept as rejected, hidden).
    RejectSelected,
    /// Accept or reject every suggestion with this label in the open article.
    ReviewLabel {
        /// Label.
        label: String,
        /// Accept (true) or reject (false).
        accept: bool,
    },
    /// Suggest annotations in the background: for the open article, or the whole archive.
    Suggest {
        /// The whole archive instead of the open article.
        all: bool,
    },
    /// Save an article's metadata.
    UpdateArticle(ArticleMeta),
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Show the import dialog.
    ShowImportDialog,
    /// Pick files or a folder with the system dialog.
    PickImportFiles {
        /// A folder instead of files.
        folder: bool,
    },
    /// Import these files and folders in the background.
    Import(Vec<PathBuf>),
    /// Import with the import dialog's outlet, date and format, as `annalist import
    /// --source --published --format` does.
    ImportWithOptions {
        /// Files and folders.
        paths: Vec<PathBuf>,
        /// Outlet, date and format.
        options: ImportOptions,
    },
    /// Stop a background job.
    CancelJob(u64),
    /// Rebuild the search index in the background.
    Reindex,
    /// Retrain the entity tagger on the accepted PER/ORG/LOC spans of the coder's layer,
    /// in the background (docs/tagger.md).
    RetrainTagger,
    /// Show the export dialog.
    ShowExportDialog,
    /// Pick the export file with the system dialog.
    PickExportFile,
    /// Export in the background.
    Export {
        /// Format.
        format: ExportFormat,
        /// What.
        scope: ExportScope,
        /// Include suggestions.
        include_suggestions: bool,
        /// Only these labels (all when empty).
        labels: Vec<String>,
        /// Destination file (a folder for brat).
        path: PathBuf,
    },
    /// Go on with the export the dialog holds back because its path exists: replace it.
    ConfirmExportReplace,
    /// Show the open/new archive dialog.
    ShowArchiveDialog,
    /// Pick an archive folder with the system dialog.
    PickArchiveFolder,
    /// Open (or create, if empty or missing) an archive folder.
    OpenArchive(PathBuf),
    /// Add a label to the schema.
    AddLabel(LabelDef),
    /// Show the label editor.
    ShowLabelEditor,
    /// Start changing a label in the label editor (it says what the change touches).
    EditLabel(String),
    /// Store the label editor's changes to a label: a new name renames it (and relabels its
    /// annotations); colour, key and description are updated.
    SaveLabel {
        /// The label's name before the change.
        name: String,
        /// The label as it should be.
        label: LabelDef,
    },
    /// Remove a label and every annotation that carries it (the editor confirms first).
    RemoveLabel(String),
    /// Switch between light and dark.
    ToggleTheme,
    /// Show or hide the shortcut overlay.
    ToggleShortcutHelp,
    /// Put the keyboard focus in the search box.
    FocusSearch,
    /// Open the find bar of the reader (the search box when no article is open).
    FindInArticle,
    /// Clear the selection and close dialogs.
    Escape,
    /// Close the window (settings are saved on the way out).
    Quit,
    /// Code as this coder from now on (the first-start question, answered); stored in the
    /// settings.
    SetCoder(String),
    /// Go on without a coder's name; the question is not asked again.
    DismissCoderPrompt,
    /// Open the coder settings window.
    ShowCoderSettings,
    /// Store the coder settings window's name, layers and learning choice, and code so.
    SaveCoderSettings(crate::app::coding_state::CoderSettingsDraft),
    /// Show or hide the coder's queue.
    ToggleQueue,
    /// Load the coder's queue again.
    RefreshQueue,
    /// Mark the open article done in the coder's queue, then open the next to-do article.
    MarkOpenArticleDone,
    /// Mark an article of the queue done (`true`) or to do again.
    MarkDone {
        /// The article.
        article: ArticleId,
        /// Done, or to do again.
        done: bool,
    },
    /// Make the article marked done last to do again.
    UndoMarkDone,
    /// Open the Agreement view (and compute the report when it has none).
    ShowAgreement,
    /// Compute the agreement report with the view's coder and label filters.
    ComputeAgreement,
    /// Save the agreement report as CSV: at this path, or where the system dialog says.
    SaveAgreementCsv(Option<PathBuf>),
    /// Open an article with `[start, end)` selected and in view (a disagreement's span).
    OpenArticleAt {
        /// The article.
        article: ArticleId,
        /// First code point.
        start: usize,
        /// One past the last.
        end: usize,
    },
    /// Open the adjudication view of the open article, or close it.
    ToggleAdjudication,
    /// Open the events view (table, timeline, map of the current search), or close it.
    ToggleEvents,
    /// Build the events view's points again (after edits).
    RefreshEvents,
    /// Group the casualty claims in no event into suggested events (a background job), then
    /// show the events again.
    SuggestEvents,
    /// Accept these events (every suggested one when empty).
    AcceptEvents(Vec<crate::model::EventId>),
    /// Merge these events into one.
    MergeEvents(Vec<crate::model::EventId>),
    /// Detach every claim of this event: it goes, its claims are in no event again.
    UngroupEvent(crate::model::EventId),
    /// Show the next (true) or previous open disagreement.
    StepDisagreement(bool),
    /// Resolve the unit shown with the spans of the coder at this position (0: the first).
    AdjudicateTake(usize),
    /// Resolve the unit shown with every coder's spans.
    AdjudicateTakeAll,
    /// Resolve the unit shown with nothing.
    AdjudicateReject,
    /// Take every open agreement of the article.
    AcceptAgreements,
    /// Start editing the adjudicated span of the unit shown (the next label key relabels it).
    AdjudicateEdit,
    /// Relabel the adjudicated span of the unit shown with the label bound to this key.
    RelabelAdjudicated(char),
}

/// A command bound to a key, with its description for menus and the help overlay.
pub struct Shortcut {
    /// The key.
    pub keys: KeyboardShortcut,
    /// What it does.
    pub command: Command,
    /// Description.
    pub description: &'static str,
    /// Whether it also fires while a text field has focus.
    pub in_text_fields: bool,
}

const COMMAND: Modifiers = Modifiers::COMMAND;
const COMMAND_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

const fn shortcut(
    modifiers: Modifiers,
    key: Key,
    command: Command,
    description: &'static str,
    in_text_fields: bool,
) -> Shortcut {
    Shortcut {
        keys: KeyboardShortcut::new(modifiers, key),
        command,
        description,
        in_text_fields,
    }
}

/// The one shortcut table: the key handling reads it, menus show these keys and the help
/// overlay lists them. Label keys (1 to 9) come from the label schema and are listed
/// separately.
pub static SHORTCUTS: &[Shortcut] = &[
    shortcut(COMMAND_SHIFT, Key::Z, Command::Redo, "Redo", true),
    // Before Ctrl+E: egui matches Ctrl+E logically on Ctrl+Shift+E too.
    shortcut(
        COMMAND_SHIFT,
        Key::E,
        Command::ToggleEvents,
        "Events: table, timeline and map of the search (close again)",
        true,
    ),
    shortcut(COMMAND, Key::Y, Command::Redo, "Redo", true),
    shortcut(COMMAND, Key::Z, Command::Undo, "Undo", true),
    shortcut(
        COMMAND,
        Key::K,
        Command::FocusSearch,
        "Search the archive (focus the search box)",
        true,
    ),
    shortcut(
        COMMAND,
        Key::F,
        Command::FindInArticle,
        "Find in the open article",
        true,
    ),
    shortcut(
        COMMAND_SHIFT,
        Key::L,
        Command::ToggleTheme,
        "Light / dark theme",
        true,
    ),
    shortcut(
        COMMAND,
        Key::ArrowDown,
        Command::NextArticle,
        "Next article",
        true,
    ),
    shortcut(
        COMMAND,
        Key::ArrowUp,
        Command::PreviousArticle,
        "Previous article",
        true,
    ),
    shortcut(
        Modifiers::NONE,
        Key::CloseBracket,
        Command::NextAnnotation,
        "Next annotation",
        false,
    ),
    shortcut(
        Modifiers::NONE,
        Key::OpenBracket,
        Command::PreviousAnnotation,
        "Previous annotation",
        false,
    ),
    shortcut(
        Modifiers::NONE,
        Key::Enter,
        Command::AcceptSelected,
        "Accept the selected suggestion",
        false,
    ),
    shortcut(
        Modifiers::NONE,
        Key::Backspace,
        Command::RejectSelected,
        "Reject the selected suggestion",
        false,
    ),
    shortcut(
        Modifiers::NONE,
        Key::Delete,
        Command::DeleteSelected,
        "Delete the selected annotation",
        false,
    ),
    shortcut(
        COMMAND,
        Key::I,
        Command::ShowImportDialog,
        "Import files…",
        true,
    ),
    shortcut(COMMAND, Key::E, Command::ShowExportDialog, "Export…", true),
    // Before Ctrl+G, which would take Ctrl+Shift+G too (shortcuts match shift leniently).
    shortcut(
        COMMAND_SHIFT,
        Key::G,
        Command::RetrainTagger,
        "Retrain the entity tagger on accepted spans",
        true,
    ),
    shortcut(
        COMMAND,
        Key::G,
        Command::Suggest { all: false },
        "Suggest annotations for this article",
        false,
    ),
    shortcut(
        COMMAND,
        Key::O,
        Command::ShowArchiveDialog,
        "Open or create an archive…",
        true,
    ),
    shortcut(COMMAND, Key::Q, Command::Quit, "Quit", true),
    shortcut(
        COMMAND_SHIFT,
        Key::A,
        Command::ShowAgreement,
        "Agreement between coders…",
        true,
    ),
    shortcut(
        COMMAND_SHIFT,
        Key::D,
        Command::UndoMarkDone,
        "Undo mark done (the article is to do again)",
        true,
    ),
    shortcut(
        COMMAND,
        Key::D,
        Command::MarkOpenArticleDone,
        "Mark the article done and open the next to do",
        true,
    ),
    shortcut(
        COMMAND,
        Key::J,
        Command::ToggleAdjudication,
        "Adjudicate the open article (each coder's spans; close again)",
        true,
    ),
    shortcut(
        Modifiers::NONE,
        Key::F1,
        Command::ToggleShortcutHelp,
        "Keyboard shortcuts",
        true,
    ),
    shortcut(
        Modifiers::NONE,
        Key::Escape,
        Command::Escape,
        "Clear selection, close dialogs",
        true,
    ),
];

/// Menu text for a command's shortcut, if it has one.
pub fn shortcut_text(ctx: &egui::Context, command: &Command) -> Option<String> {
    SHORTCUTS
        .iter()
        .find(|s| &s.command == command)
        .map(|s| format_keys(&s.keys, ctx.os().is_mac()))
}

/// A shortcut as printed on the keys: "]", "Ctrl+↓", "Ctrl+Shift+Z" (egui spells out
/// "CloseBracket" and "ArrowDown").
pub fn format_keys(keys: &KeyboardShortcut, is_mac: bool) -> String {
    let key = match keys.logical_key {
        Key::ArrowDown => "↓",
        Key::ArrowUp => "↑",
        Key::ArrowLeft => "←",
        Key::ArrowRight => "→",
        other => other.symbol_or_name(),
    };
    let modifiers = egui::ModifierNames::NAMES.format(&keys.modifiers, is_mac);
    if modifiers.is_empty() {
        key.to_owned()
    } else {
        format!("{modifiers}+{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// egui matches a shortcut without Shift to a press with Shift too, and the first match
    /// wins: a Shift shortcut after its plain twin would never run (Ctrl+Shift+G did
    /// Ctrl+G's suggesting in a real window).
    #[test]
    fn no_shortcut_is_shadowed_by_an_earlier_one() {
        for (i, later) in SHORTCUTS.iter().enumerate() {
            for earlier in &SHORTCUTS[..i] {
                assert!(
                    !(earlier.keys.logical_key == later.keys.logical_key
                        && later
                            .keys
                            .modifiers
                            .matches_logically(earlier.keys.modifiers)),
                    "{:?} comes after {:?}, which takes its keys",
                    later.command,
                    earlier.command
                );
            }
        }
    }

    #[test]
    fn keys_read_as_printed_on_the_keyboard() {
        let text = |modifiers, key| format_keys(&KeyboardShortcut::new(modifiers, key), false);
        assert_eq!(text(Modifiers::NONE, Key::CloseBracket), "]");
        assert_eq!(text(Modifiers::NONE, Key::OpenBracket), "[");
        assert_eq!(text(Modifiers::COMMAND, Key::ArrowDown), "Ctrl+↓");
        assert_eq!(
            text(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
            "Ctrl+Shift+Z"
        );
        assert_eq!(text(Modifiers::NONE, Key::F1), "F1");
    }

    #[test]
    fn quit_is_in_the_shortcut_table() {
        let quit = SHORTCUTS
            .iter()
            .find(|s| s.command == Command::Quit)
            .map(|s| format_keys(&s.keys, false));
        assert_eq!(quit.as_deref(), Some("Ctrl+Q"));
    }
}
