//! What the app shows: search results, the open article, jobs, dialogs. Views read it and
//! may edit drafts (text being typed); durable changes go through commands.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::export::ExportFormat;
use crate::model::SortOrder;
use crate::model::{
    Annotation, AnnotationId, Article, ArticleId, Edit, LabelDef, LabelSchema, LabelUsage,
    SearchFilters,
};
use crate::service::SearchHit;

use super::command::ExportScope;

pub use super::coding_state::{
    AgreementView, CoderSettings, CoderSettingsDraft, CodersState, DisagreementRow,
    DisagreementSide, FigureRow, LayerChoice, QueueItem, QueueView,
};
pub use super::events_state::EventsView;
pub use crate::model::StateFilter;

/// Hits fetched per page of the result list.
pub const HITS_PAGE: usize = 50;

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum ThemeChoice {
    /// Light background.
    #[default]
    Light,
    /// Dark background.
    Dark,
}

/// The search panel.
#[derive(Debug, Default)]
pub struct SearchState {
    /// Query as typed.
    pub query: String,
    /// Only articles with this label.
    pub label: Option<String>,
    /// Only articles in this review state.
    pub state: Option<StateFilter>,
    /// Only articles from this outlet.
    pub source: Option<String>,
    /// Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    pub from: String,
    /// Published on or before.
    pub to: String,
    /// Order of hits.
    pub order: SortOrder,
    /// The query actually run (query plus filters).
    pub effective_query: String,
    /// All matching articles.
    pub total: usize,
    /// Loaded pages of hits.
    pub pages: BTreeMap<usize, Vec<SearchHit>>,
    /// Why the last search failed.
    pub error: Option<String>,
    /// What is not finished yet in the query being typed ("phrase not closed yet"); the
    /// search ran as if it were.
    pub unfinished: Option<&'static str>,
    /// Bumped on every new search, so the list scrolls to the top.
    pub revision: u64,
    /// The row of the open article in this list when it was opened: stepping to the next
    /// article goes on from here even when an edit moved the article or took it out of the
    /// list (a review-state filter, a changed rank).
    pub open_row: Option<usize>,
    /// The hits before and after the open article as they were when it was last seen at
    /// `open_row`, so stepping lands where the reader expects after the list changed.
    pub neighbours: (Option<ArticleId>, Option<ArticleId>),
}

impl SearchState {
    /// The panel's filters, as the model folds them into a query.
    pub fn filters(&self) -> SearchFilters<'_> {
        SearchFilters {
            label: self.label.as_deref(),
            state: self.state,
            source: self.source.as_deref(),
            from: &self.from,
            to: &self.to,
        }
    }

    /// The filters that narrow the search, in words ("status done", "outlet Dawn"), for the
    /// hint shown when nothing matches.
    pub fn active_filters(&self) -> Vec<String> {
        let mut active = Vec::new();
        if let Some(label) = &self.label {
            active.push(format!("label {label}"));
        }
        if let Some(state) = self.state {
            active.push(format!("status {}", state.as_str()));
        }
        if let Some(source) = &self.source {
            active.push(format!("outlet {source}"));
        }
        if !self.from.trim().is_empty() {
            active.push(format!("from {}", self.from.trim()));
        }
        if !self.to.trim().is_empty() {
            active.push(format!("to {}", self.to.trim()));
        }
        active
    }

    /// The hit at a position in the list, if loaded.
    pub fn hit(&self, row: usize) -> Option<&SearchHit> {
        self.pages.get(&(row / HITS_PAGE))?.get(row % HITS_PAGE)
    }

    /// Position of an article in the loaded hits.
    pub fn position_of(&self, id: ArticleId) -> Option<usize> {
        self.pages.iter().find_map(|(page, hits)| {
            hits.iter()
                .position(|h| h.id == id)
                .map(|i| page * HITS_PAGE + i)
        })
    }
}

/// The open article.
#[derive(Debug)]
pub struct ReaderState {
    /// The article.
    pub article: Article,
    /// Its annotations, by start.
    pub annotations: Vec<Annotation>,
    /// Bumped whenever the annotations change (the layout cache key).
    pub revision: u64,
    /// Text selected in the reader, `[start, end)` code points, as it will be labelled
    /// (snapped to words unless Alt was held): what the reader shows selected.
    pub selection: Option<(usize, usize)>,
    /// A selection being dragged (the primary button is down).
    pub selecting: Option<SelectionDrag>,
    /// The find bar (Ctrl+F), when open.
    pub find: Option<FindBar>,
    /// The annotation shown in the inspector.
    pub selected: Option<AnnotationId>,
    /// Scroll the reader to this code point on the next frame.
    pub scroll_to: Option<usize>,
    /// Metadata being edited.
    pub meta_draft: MetaDraft,
    /// The selected annotation as being edited in the inspector.
    pub draft: Option<AnnotationDraft>,
}

/// A selection while the mouse button is down: code point boundaries where the press was
/// and where the pointer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelectionDrag {
    /// Boundary where the drag started.
    pub anchor: usize,
    /// Boundary under the pointer.
    pub head: usize,
    /// Alt was held: keep the exact range, no snapping to words.
    pub exact: bool,
}

/// Find in the open article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindBar {
    /// Text to find (any case).
    pub query: String,
    /// The match shown last.
    pub current: usize,
    /// Move the keyboard focus to the field next frame.
    pub focus: bool,
}

/// An annotation's editable parts as the inspector holds them between keystrokes.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnotationDraft {
    /// Annotation.
    pub id: AnnotationId,
    /// Label.
    pub label: String,
    /// Attributes.
    pub attrs: crate::model::AnnotationAttrs,
    /// Status.
    pub status: crate::model::AnnotationStatus,
}

impl AnnotationDraft {
    /// The draft of a stored annotation.
    pub fn of(annotation: &Annotation) -> Self {
        Self {
            id: annotation.id,
            label: annotation.label.clone(),
            attrs: annotation.attrs.clone(),
            status: annotation.status,
        }
    }
}

/// Article metadata as typed in the inspector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaDraft {
    /// Headline.
    pub title: String,
    /// Date text.
    pub published: String,
    /// Address.
    pub url: String,
    /// Outlet.
    pub source: String,
}

impl MetaDraft {
    /// The draft of an article as stored.
    pub fn of(article: &Article) -> Self {
        Self {
            title: article.title.clone(),
            published: article.published.map(|d| d.to_string()).unwrap_or_default(),
            url: article.url.clone().unwrap_or_default(),
            source: article.source.clone().unwrap_or_default(),
        }
    }
}

/// Identifies one job for progress and cancel.
pub type JobId = u64;

/// What a job is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Opening the archive and catching the index up.
    Open,
    /// Importing files.
    Import,
    /// Rebuilding the index.
    Reindex,
    /// Writing an export.
    Export,
    /// Suggesting annotations.
    Suggest,
    /// Suggesting an accepted text wherever else it occurs.
    Learn,
    /// Computing the agreement between coders.
    Agreement,
    /// Building the events of the current search.
    Events,
    /// Retraining the entity tagger on accepted spans.
    RetrainTagger,
}

impl JobKind {
    /// What the job is doing, as the status line says it while it runs.
    pub fn title(self) -> &'static str {
        match self {
            Self::Open => "Opening the archive",
            Self::Import => "Importing",
            Self::Reindex => "Rebuilding the search index",
            Self::Export => "Exporting",
            Self::Suggest => "Suggesting annotations",
            Self::Learn => "Learning",
            Self::Agreement => "Computing agreement",
            Self::Events => "Building events",
            Self::RetrainTagger => "Retraining the entity tagger",
        }
    }
}

/// A background job as the progress list shows it.
#[derive(Debug)]
pub struct JobView {
    /// Job.
    pub id: JobId,
    /// Kind.
    pub kind: JobKind,
    /// Units done.
    pub done: u64,
    /// Units in all (0 when unknown).
    pub total: u64,
    /// Detail line.
    pub message: String,
    /// Summary or error, once finished.
    pub outcome: Option<Result<String, String>>,
    /// Per-file failures and warnings.
    pub details: Vec<String>,
    /// Set to stop the job.
    pub cancel: Arc<AtomicBool>,
    /// When it started, for its rate and time left.
    pub started: std::time::Instant,
    /// What it works on, when that says more than its kind (the text being learned).
    pub subject: String,
}

impl JobView {
    /// A job that just started: nothing done yet, no outcome.
    pub fn new(id: JobId, kind: JobKind, cancel: Arc<AtomicBool>, subject: String) -> Self {
        Self {
            id,
            kind,
            done: 0,
            total: 0,
            message: String::new(),
            outcome: None,
            details: Vec::new(),
            cancel,
            started: std::time::Instant::now(),
            subject,
        }
    }

    /// The job as the status line names it: "Learning “Saravan”", "Importing".
    pub fn heading(&self) -> String {
        if self.subject.is_empty() {
            self.kind.title().to_owned()
        } else {
            format!("{} \u{201c}{}\u{201d}", self.kind.title(), self.subject)
        }
    }

    /// Units per second so far and the time left at that rate, once there is something to
    /// go on (a unit done, a second gone).
    pub fn rate_and_eta(&self) -> Option<(f64, Option<std::time::Duration>)> {
        let elapsed = self.started.elapsed().as_secs_f64();
        if self.done == 0 || elapsed < 1.0 {
            return None;
        }
        let rate = self.done as f64 / elapsed;
        let left = (self.total > self.done)
            .then(|| std::time::Duration::from_secs_f64((self.total - self.done) as f64 / rate));
        Some((rate, left))
    }
}

/// An accepted text that learning would suggest in more articles than it does unasked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnConfirm {
    /// The accepted text.
    pub text: String,
    /// The label it would be suggested with.
    pub label: String,
    /// Articles that contain it.
    pub articles: u64,
    /// The undo-history serial of the edit that taught it.
    pub serial: u64,
}

/// One message of the status line: a notice or error of the app, or a job's outcome. The
/// newest one is shown; the older ones are the status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// The message, or the error.
    pub message: Result<String, String>,
    /// The job it reports on, whose details it can show.
    pub job: Option<JobId>,
}

/// How many status messages the history keeps.
pub const LOG_LIMIT: usize = 200;

/// The export dialog.
#[derive(Debug)]
pub struct ExportDialog {
    /// Open.
    pub open: bool,
    /// Scope.
    pub scope: ExportScope,
    /// Format.
    pub format: ExportFormat,
    /// Include suggestions.
    pub include_suggestions: bool,
    /// csv and events-csv: write formula-like cells as stored (not neutralised).
    pub csv_raw: bool,
    /// Labels to leave out (the rest are exported).
    pub excluded_labels: BTreeSet<String>,
    /// Destination as typed or picked.
    pub path: String,
    /// What the last attempt said: folders created, or why it could not start or failed.
    pub message: Option<Result<String, String>>,
    /// An export waiting for the user to confirm that it replaces what is at its path.
    pub pending_replace: Option<PendingExport>,
    /// The export started from the dialog; if it fails, the dialog opens again to say so.
    pub job: Option<JobId>,
}

/// An export as the dialog asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingExport {
    /// Format.
    pub format: ExportFormat,
    /// What.
    pub scope: ExportScope,
    /// Include suggestions.
    pub include_suggestions: bool,
    /// csv and events-csv: cells exactly as stored (see [`ExportDialog::csv_raw`]).
    pub csv_raw: bool,
    /// Only these labels (all when empty).
    pub labels: Vec<String>,
    /// Destination file (a folder for folder formats).
    pub path: PathBuf,
}

/// A label as the label editor changes it, with what the change touches.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelEditDraft {
    /// The label as stored.
    pub original: LabelDef,
    /// Name as typed (a different one renames the label).
    pub name: String,
    /// Colour as picked.
    pub color: egui::Color32,
    /// Key as typed (empty for none).
    pub key: String,
    /// Description as typed.
    pub description: String,
    /// Annotations with the label now, for the warnings shown before a change.
    pub usage: LabelUsage,
    /// "Delete…" was pressed: the consequences are shown with a confirm button.
    pub confirm_delete: bool,
}

impl LabelEditDraft {
    /// The draft of a stored label.
    pub fn of(label: &LabelDef, usage: LabelUsage) -> Self {
        Self {
            original: label.clone(),
            name: label.name.clone(),
            color: hex_color(&label.color),
            key: label.shortcut.map(String::from).unwrap_or_default(),
            description: label.description.clone(),
            usage,
            confirm_delete: false,
        }
    }
}

/// A `#rrggbb` colour; grey when it is not one.
pub fn hex_color(text: &str) -> egui::Color32 {
    let channel = |range: std::ops::Range<usize>| {
        text.get(range)
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
    };
    match (
        text.starts_with('#'),
        channel(1..3),
        channel(3..5),
        channel(5..7),
    ) {
        (true, Some(r), Some(g), Some(b)) if text.len() == 7 => egui::Color32::from_rgb(r, g, b),
        _ => egui::Color32::GRAY,
    }
}

/// `#rrggbb` of a colour (alpha dropped).
pub fn color_hex(color: egui::Color32) -> String {
    let [r, g, b, _] = color.to_array();
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// Dialogs and overlays.
#[derive(Debug)]
pub struct Dialogs {
    /// Import dialog open.
    pub import_open: bool,
    /// Paths typed in the import dialog (one per line).
    pub import_paths: String,
    /// Outlet typed in the import dialog, for articles whose file names none.
    pub import_source: String,
    /// Publication date typed in the import dialog, for articles whose file gives none.
    pub import_published: String,
    /// The format chosen in the import dialog; `None` detects it from each file.
    pub import_format: Option<crate::import::Format>,
    /// Export dialog.
    pub export: ExportDialog,
    /// Archive dialog open.
    pub archive_open: bool,
    /// Archive folder typed.
    pub archive_path: String,
    /// Label editor open.
    pub labels_open: bool,
    /// New label name.
    pub label_name: String,
    /// New label colour.
    pub label_color: egui::Color32,
    /// New label shortcut.
    pub label_shortcut: String,
    /// New label description.
    pub label_description: String,
    /// The label being changed in the label editor.
    pub label_edit: Option<LabelEditDraft>,
    /// Shortcut overlay open.
    pub shortcuts_open: bool,
    /// The job whose details are shown.
    pub job_details: Option<JobId>,
}

impl Default for Dialogs {
    fn default() -> Self {
        Self {
            import_open: false,
            import_paths: String::new(),
            import_source: String::new(),
            import_published: String::new(),
            import_format: None,
            export: ExportDialog {
                open: false,
                scope: ExportScope::All,
                format: ExportFormat::Jsonl,
                include_suggestions: false,
                csv_raw: false,
                excluded_labels: BTreeSet::new(),
                path: String::new(),
                message: None,
                pending_replace: None,
                job: None,
            },
            archive_open: false,
            archive_path: String::new(),
            labels_open: false,
            label_name: String::new(),
            label_color: egui::Color32::from_rgb(0x8c, 0x56, 0x4b),
            label_shortcut: String::new(),
            label_description: String::new(),
            label_edit: None,
            shortcuts_open: false,
            job_details: None,
        }
    }
}

/// Undo and redo stacks of persisted edits.
#[derive(Debug, Default)]
pub struct History {
    /// Applied edits, newest last.
    pub done: Vec<Edit>,
    /// Undone edits, most recently undone last.
    pub undone: Vec<Edit>,
}

/// Everything the views read.
pub struct AppState {
    /// Archive folder.
    pub archive_dir: PathBuf,
    /// Articles in the archive.
    pub article_count: u64,
    /// Label schema.
    pub labels: LabelSchema,
    /// Outlets with counts.
    pub sources: Vec<(String, u64)>,
    /// Search panel.
    pub search: SearchState,
    /// Reader and inspector.
    pub reader: Option<ReaderState>,
    /// Background jobs, newest last.
    pub jobs: Vec<JobView>,
    /// Dialogs.
    pub dialogs: Dialogs,
    /// Undo history.
    pub history: History,
    /// Theme.
    pub theme: ThemeChoice,
    /// Last error or notice of the app for the status bar (also copied into `log`).
    pub status: Option<Result<String, String>>,
    /// Status messages and job outcomes, newest last; the status line shows the newest.
    pub log: Vec<LogEntry>,
    /// The status history is unfolded.
    pub log_open: bool,
    /// Learning held back a text found in many articles: the status area asks whether to
    /// suggest it in all of them.
    pub learn_confirm: Option<LearnConfirm>,
    /// Focus the search box on the next frame.
    pub focus_search: bool,
    /// Take the keyboard focus from any text field next frame (an article was opened, so
    /// the reader's keys work at once).
    pub release_focus: bool,
    /// The open archive is the demo archive (sample articles): the views say so, and offer
    /// a way to an archive of one's own.
    pub is_demo: bool,
    /// Who is coding and what of the layers is shown ("coding as ben (blind: ...)"), when a
    /// coder is named (`ANNALIST_CODER`).
    pub coding: Option<String>,
    /// How a team replica stands with its server ("offline, 3 edits waiting"), when the
    /// archive is one.
    pub team: Option<String>,
    /// The adjudication view of the open article (Ctrl+J), when open.
    pub adjudication: Option<AdjudicationView>,
    /// The user asked to quit: the window is told to close.
    pub quit_requested: bool,
    /// The coding team's side: coder settings, the name asked on first start, the queue,
    /// the Agreement view.
    pub coders: CodersState,
    /// The events view (table, timeline, map) over the current search.
    pub events: EventsView,
}

/// The adjudication view: each coder's spans of an article in a band of their own, unit by
/// unit, and what the adjudicated layer holds.
#[derive(Debug, Clone, PartialEq)]
pub struct AdjudicationView {
    /// The article.
    pub article_id: ArticleId,
    /// Its text (the bands lay it out).
    pub text: String,
    /// The coders compared, one band each, in key order (`1` takes the first).
    pub coders: Vec<String>,
    /// The units, by position in the text.
    pub units: Vec<UnitView>,
    /// The unit shown (an index into `units`).
    pub current: usize,
    /// `e` was pressed: the next label key relabels the current unit's adjudicated span.
    pub editing: bool,
    /// A write is on its way to the writer thread.
    pub pending: bool,
    /// What the last action did, or why it failed.
    pub message: Option<Result<String, String>>,
}

impl AdjudicationView {
    /// The unit shown.
    pub fn unit(&self) -> Option<&UnitView> {
        self.units.get(self.current)
    }

    /// How many disagreements are still open.
    pub fn open_disagreements(&self) -> usize {
        self.units.iter().filter(|u| u.open && !u.agreement).count()
    }
}

/// One unit as the adjudication view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitView {
    /// Its number among the article's units, from 1.
    pub number: usize,
    /// Its key (the coders' annotation ids).
    pub key: String,
    /// First code point of its spans.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Every coder has the same spans.
    pub agreement: bool,
    /// Not resolved (or re-opened).
    pub open: bool,
    /// "open", "resolved: took ana's (by cara)", "re-opened: ...".
    pub state: String,
    /// Each coder's spans in it, in the order of `AdjudicationView::coders`.
    pub spans: Vec<Vec<Annotation>>,
    /// What the adjudicated layer holds for it.
    pub result: Vec<Annotation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_go_to_hex_and_back() {
        assert_eq!(color_hex(hex_color("#59a14f")), "#59a14f");
        assert_eq!(hex_color("green"), egui::Color32::GRAY);
    }

    #[test]
    fn a_job_knows_its_pace_and_time_left() {
        let ten_seconds_ago = std::time::Instant::now()
            .checked_sub(std::time::Duration::from_secs(10))
            .unwrap();
        let mut job = JobView {
            id: 1,
            kind: JobKind::Import,
            done: 0,
            total: 100,
            message: String::new(),
            outcome: None,
            details: Vec::new(),
            cancel: Arc::new(AtomicBool::new(false)),
            started: ten_seconds_ago,
            subject: String::new(),
        };
        assert_eq!(job.rate_and_eta(), None, "nothing done yet");
        job.done = 50;
        let (rate, left) = job.rate_and_eta().unwrap();
        assert!((rate - 5.0).abs() < 0.1, "{rate}");
        let left = left.unwrap().as_secs_f64();
        assert!((left - 10.0).abs() < 0.5, "{left}");
        job.total = 0;
        assert_eq!(
            job.rate_and_eta().unwrap().1,
            None,
            "no total, no time left"
        );
    }
}
