//! What the views read of the coding team's side of the app: who codes and how (the
//! persisted coder settings), the first-start question for the coder's name, the coder
//! settings window, the coder's queue and the Agreement view. Re-exported by `state`.

use crate::model::ArticleId;

/// What of the layers the app shows, as the coder settings choose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum LayerChoice {
    /// Blind when the corpus is double-coded (the default), else every layer.
    #[default]
    Auto,
    /// Only the coder's own layer (blind coding).
    Own,
    /// Every coder's accepted spans (a reviewer).
    All,
}

impl LayerChoice {
    /// How the settings window names the choice.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Auto => "blind when the corpus is double-coded (default)",
            Self::Own => "only my own layer (blind)",
            Self::All => "every coder's accepted spans (reviewer)",
        }
    }
}

/// The coder settings, persisted with the app's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CoderSettings {
    /// The coder's name as last confirmed (`ANNALIST_CODER` overrides it).
    pub coder: Option<String>,
    /// What of the layers is shown.
    pub layers: LayerChoice,
    /// Learning suggests what every coder accepted, not only this coder.
    pub learn_from_everyone: bool,
    /// The first-start question was answered or dismissed: it is not asked again.
    pub asked: bool,
}

/// The coder settings as the settings window edits them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoderSettingsDraft {
    /// Name as typed (empty: no coder).
    pub name: String,
    /// Layers shown.
    pub layers: LayerChoice,
    /// Learn from everyone.
    pub learn_from_everyone: bool,
}

/// One article of the coder's queue, as the queue panel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    /// The article.
    pub article_id: ArticleId,
    /// Its title.
    pub title: String,
    /// Marked done.
    pub done: bool,
    /// The other coders it is assigned to (double-coded when not empty).
    pub others: Vec<String>,
}

/// The coder's queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueView {
    /// The panel is shown.
    pub open: bool,
    /// Whose queue this is.
    pub coder: Option<String>,
    /// To do first, then done, each by id.
    pub items: Vec<QueueItem>,
    /// A load or mark is under way.
    pub loading: bool,
    /// Why the last load or mark failed.
    pub error: Option<String>,
    /// The article marked done last, for "undo mark done".
    pub last_done: Option<ArticleId>,
    /// Open the next to-do article when the queue comes back from a mark.
    pub open_next_after: Option<ArticleId>,
    /// Show the panel when the next load finds articles (after the coder changed).
    pub auto_open: bool,
}

impl QueueView {
    /// Articles still to do.
    pub fn to_do(&self) -> usize {
        self.items.iter().filter(|i| !i.done).count()
    }

    /// Articles done.
    pub fn done(&self) -> usize {
        self.items.iter().filter(|i| i.done).count()
    }

    /// Whether `article` is in the queue, and done.
    pub fn state_of(&self, article: ArticleId) -> Option<bool> {
        self.items
            .iter()
            .find(|i| i.article_id == article)
            .map(|i| i.done)
    }

    /// The to-do article after `article` in id order, else the first to do.
    pub fn next_to_do(&self, article: ArticleId) -> Option<ArticleId> {
        let to_do = || self.items.iter().filter(|i| !i.done).map(|i| i.article_id);
        to_do()
            .filter(|id| *id > article)
            .min()
            .or_else(|| to_do().filter(|id| *id != article).min())
    }
}

/// One figure of the agreement report as the table shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureRow {
    /// The measure, in words ("F1 exact", "Cohen's κ").
    pub measure: &'static str,
    /// Label.
    pub label: String,
    /// Attribute and metric, for values.
    pub attribute: String,
    /// "ana ~ ben", or "3 coders".
    pub coders: String,
    /// The figure; `None` when undefined.
    pub value: Option<f64>,
    /// What it rests on: "12 articles, 40 spans, 2 coders".
    pub rests_on: String,
}

/// One coder's side of a disagreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisagreementSide {
    /// Coder.
    pub coder: String,
    /// First code point.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// The span's text.
    pub text: String,
    /// The value (`None`: the coder gave none).
    pub value: Option<String>,
}

/// A row of the disagreement table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisagreementRow {
    /// The article.
    pub article_id: ArticleId,
    /// Label.
    pub label: String,
    /// Attribute.
    pub attribute: String,
    /// Each coder's span and value.
    pub sides: Vec<DisagreementSide>,
}

/// The Agreement view.
#[derive(Debug, Default)]
pub struct AgreementView {
    /// The window is shown.
    pub open: bool,
    /// Coders to compare (all when none is ticked), with whether each is ticked.
    pub coders: Vec<(String, bool)>,
    /// Only this label (all when `None`).
    pub label: Option<String>,
    /// The job computing the report.
    pub job: Option<u64>,
    /// Who is compared and on how much ("coders: ana, ben · 12 articles ...").
    pub summary: String,
    /// Positions only some coders saw, and how they are treated.
    pub partial: Option<String>,
    /// The figures.
    pub rows: Vec<FigureRow>,
    /// The disagreement table.
    pub disagreements: Vec<DisagreementRow>,
    /// The report as computed, which "Save CSV…" writes.
    pub report: Option<crate::service::AgreementReport>,
    /// Why the last report failed, or what the last save did.
    pub message: Option<Result<String, String>>,
    /// Where to save the CSV when no system dialog opens.
    pub csv_path: String,
}

/// The coding team's side of the app.
#[derive(Debug, Default)]
pub struct CodersState {
    /// The persisted coder settings.
    pub settings: CoderSettings,
    /// `ANNALIST_CODER`, which overrides the settings' name.
    pub from_environment: Option<String>,
    /// The first-start question, while it is shown: the name as typed.
    pub prompt: Option<String>,
    /// The coder settings window, while it is open.
    pub settings_window: Option<CoderSettingsDraft>,
    /// The coder's queue.
    pub queue: QueueView,
    /// The Agreement view.
    pub agreement: AgreementView,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, done: bool) -> QueueItem {
        QueueItem {
            article_id: ArticleId(id),
            title: String::new(),
            done,
            others: Vec::new(),
        }
    }

    #[test]
    fn the_next_to_do_follows_the_open_article_and_wraps_around() {
        let queue = QueueView {
            items: vec![
                item(2, false),
                item(5, false),
                item(9, false),
                item(7, true),
            ],
            ..QueueView::default()
        };
        assert_eq!(queue.next_to_do(ArticleId(2)), Some(ArticleId(5)));
        assert_eq!(queue.next_to_do(ArticleId(7)), Some(ArticleId(9)));
        assert_eq!(queue.next_to_do(ArticleId(9)), Some(ArticleId(2)), "wraps");
        assert_eq!((queue.to_do(), queue.done()), (3, 1));
        let last = QueueView {
            items: vec![item(4, false)],
            ..QueueView::default()
        };
        assert_eq!(last.next_to_do(ArticleId(4)), None, "nothing else to do");
    }
}
