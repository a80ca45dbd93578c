//! The coder in the app: who codes (`ANNALIST_CODER`, else the settings' name, asked once
//! on first start in an archive a coding team works on), what of the layers is shown and
//! whether learning takes everyone's acceptances, applied to the reader handle and the
//! writer thread alike; and the coder's queue: loading it, marking articles done and undoing
//! that, opening the next article to do.

use crate::model::{ArticleId, Coder};
use crate::service::LayerView;

use super::AnnalistApp;
use super::jobs::QueueLoaded;
use super::state::{CoderSettings, CoderSettingsDraft, LayerChoice, QueueItem};

impl From<LayerChoice> for LayerView {
    fn from(choice: LayerChoice) -> Self {
        match choice {
            LayerChoice::Auto => Self::Auto,
            LayerChoice::Own => Self::Own,
            LayerChoice::All => Self::All,
        }
    }
}

impl AnnalistApp {
    /// Takes the persisted coder settings: codes as they say (`ANNALIST_CODER` keeps its
    /// name), and asks for a name when nobody is named, the question was never answered, and
    /// a coding team works on the archive (some article is assigned).
    pub(super) fn restore_coding(&mut self, settings: &CoderSettings) {
        self.state.coders.settings = settings.clone();
        self.apply_coding();
        let unnamed = self.archive.coder().is_none();
        if unnamed && !settings.asked {
            match self.archive.has_coding_team() {
                Ok(true) => {
                    // The question's field takes the keys, not the search box.
                    self.state.coders.prompt = Some(String::new());
                    self.state.focus_search = false;
                }
                Ok(false) => {}
                Err(e) => self.state.status = Some(Err(format!("{e:#}"))),
            }
        }
    }

    /// The coder the app codes as: `ANNALIST_CODER`, else the settings' name.
    fn chosen_coder(&self) -> Option<Coder> {
        let coders = &self.state.coders;
        coders
            .from_environment
            .as_deref()
            .or(coders.settings.coder.as_deref())
            .and_then(|name| Coder::new(name).ok())
    }

    /// Codes as the chosen coder with the settings' layers and learning, on the reader
    /// handle and the writer thread; the open article is read again in the new layer, the
    /// undo history (of another coder's edits) is cleared, and the queue is loaded.
    fn apply_coding(&mut self) {
        let coder = self.chosen_coder();
        let settings = &self.state.coders.settings;
        let (mut view, learn) = (
            LayerView::from(settings.layers),
            settings.learn_from_everyone,
        );
        let before = self.archive.coder().cloned();
        if let Err(e) = self.archive.code_as(coder.clone(), view, learn) {
            self.state.status = Some(Err(format!("{e:#}")));
            view = LayerView::Auto;
            if let Err(e) = self.archive.code_as(coder.clone(), view, learn) {
                self.state.status = Some(Err(format!("{e:#}")));
                return;
            }
        }
        self.jobs.code_as(coder.clone(), view, learn);
        self.state.coding = self.archive.coding_description();
        if before != coder {
            self.state.history = super::state::History::default();
            self.learning = super::history::Learning::default();
        }
        self.reload_reader();
        let queue = &mut self.state.coders.queue;
        queue.coder = coder.as_ref().map(ToString::to_string);
        queue.items.clear();
        queue.last_done = None;
        queue.error = None;
        queue.auto_open = coder.is_some();
        self.refresh_queue(None);
    }

    /// `Command::SetCoder`: the first-start question answered.
    pub(super) fn set_coder(&mut self, name: &str) {
        match Coder::new(name) {
            Ok(coder) => {
                let settings = &mut self.state.coders.settings;
                settings.coder = Some(coder.to_string());
                settings.asked = true;
                self.state.coders.prompt = None;
                self.apply_coding();
                self.state.status = Some(Ok(format!("coding as {coder}")));
            }
            Err(e) => self.state.status = Some(Err(e)),
        }
    }

    /// `Command::DismissCoderPrompt`: work on unnamed; the question is not asked again.
    pub(super) fn dismiss_coder_prompt(&mut self) {
        self.state.coders.prompt = None;
        self.state.coders.settings.asked = true;
    }

    /// `Command::ShowCoderSettings`.
    pub(super) fn show_coder_settings(&mut self) {
        let settings = &self.state.coders.settings;
        self.state.coders.settings_window = Some(CoderSettingsDraft {
            name: settings.coder.clone().unwrap_or_default(),
            layers: settings.layers,
            learn_from_everyone: settings.learn_from_everyone,
        });
    }

    /// `Command::SaveCoderSettings`: an empty name works unnamed; a name the model refuses
    /// keeps the window open (it shows why).
    pub(super) fn save_coder_settings(&mut self, draft: CoderSettingsDraft) {
        let name = draft.name.trim();
        let coder = if name.is_empty() {
            None
        } else {
            match Coder::new(name) {
                Ok(coder) => Some(coder.to_string()),
                Err(e) => {
                    self.state.status = Some(Err(e));
                    return;
                }
            }
        };
        if draft.layers == LayerChoice::Own
            && coder.is_none()
            && self.state.coders.from_environment.is_none()
        {
            self.state.status = Some(Err(
                "blind coding shows a coder their own layer: type your name first".to_owned(),
            ));
            return;
        }
        let settings = &mut self.state.coders.settings;
        settings.coder = coder;
        settings.layers = draft.layers;
        settings.learn_from_everyone = draft.learn_from_everyone;
        settings.asked = true;
        self.state.coders.settings_window = None;
        self.state.coders.prompt = None;
        self.apply_coding();
        self.state.status =
            Some(Ok(self.state.coding.clone().unwrap_or_else(|| {
                "coding as no one (the layer of no coder)".to_owned()
            })));
    }

    /// `Command::ToggleQueue`.
    pub(super) fn toggle_queue(&mut self) {
        let queue = &mut self.state.coders.queue;
        queue.open = !queue.open;
        if queue.open {
            self.refresh_queue(None);
        }
    }

    /// Loads the coder's queue on the queue thread, after marking `mark` if given.
    pub(super) fn refresh_queue(&mut self, mark: Option<(ArticleId, bool)>) {
        let Some(coder) = self.archive.coder().cloned() else {
            let queue = &mut self.state.coders.queue;
            queue.items.clear();
            if mark.is_some() || queue.open {
                queue.error = Some(
                    "no coder is named: Coding > Coder settings… (or ANNALIST_CODER)".to_owned(),
                );
            }
            return;
        };
        self.state.coders.queue.loading = true;
        self.jobs.load_queue(coder, mark);
    }

    /// `Command::MarkOpenArticleDone`.
    pub(super) fn mark_open_article_done(&mut self) {
        let Some(id) = self.state.reader.as_ref().map(|r| r.article.id) else {
            self.state.status = Some(Err("open an article of your queue first".to_owned()));
            return;
        };
        self.mark_done(id, true);
    }

    /// `Command::MarkDone`; marking the open article done opens the next to-do one.
    pub(super) fn mark_done(&mut self, article: ArticleId, done: bool) {
        let open = self.state.reader.as_ref().map(|r| r.article.id);
        let queue = &mut self.state.coders.queue;
        queue.open_next_after = (done && open == Some(article)).then_some(article);
        self.refresh_queue(Some((article, done)));
    }

    /// `Command::UndoMarkDone`.
    pub(super) fn undo_mark_done(&mut self) {
        match self.state.coders.queue.last_done {
            Some(article) => self.mark_done(article, false),
            None => self.state.status = Some(Err("no article was marked done".to_owned())),
        }
    }

    /// The queue thread answered: the list (shown at once the first time a coder has one),
    /// the mark's outcome, and the next article.
    pub(super) fn queue_loaded(&mut self, loaded: QueueLoaded) {
        let current = self.archive.coder().map(ToString::to_string);
        let queue = &mut self.state.coders.queue;
        queue.loading = false;
        if current.as_deref() != Some(loaded.coder.as_str()) {
            // An answer for the coder before a change of name.
            return;
        }
        let entries = match loaded.result {
            Ok(entries) => entries,
            Err(e) => {
                queue.error = Some(e.clone());
                queue.open_next_after = None;
                self.state.status = Some(Err(e));
                return;
            }
        };
        queue.error = None;
        queue.items = entries
            .into_iter()
            .map(|e| QueueItem {
                done: e.done_at.is_some(),
                others: e
                    .coders
                    .into_iter()
                    .filter(|c| *c != loaded.coder)
                    .collect(),
                article_id: e.article_id,
                title: e.title,
            })
            .collect();
        if std::mem::take(&mut queue.auto_open) && !queue.items.is_empty() {
            queue.open = true;
        }
        let Some((article, done)) = loaded.mark else {
            return;
        };
        queue.last_done = if done { Some(article) } else { None };
        let (to_do, finished) = (queue.to_do(), queue.done());
        let next = queue
            .open_next_after
            .take()
            .filter(|a| *a == article)
            .and_then(|a| queue.next_to_do(a));
        let what = if done { "done" } else { "to do again" };
        self.state.status = Some(Ok(format!(
            "article {article} is {what} ({to_do} to do, {finished} done)"
        )));
        if let Some(next) = next {
            self.open_article(next);
        }
    }
}
