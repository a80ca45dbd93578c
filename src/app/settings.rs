//! What persists between runs: the archive that was open, the theme, where the work stood
//! (search and open article), to pick it up after a restart, and the coder settings (name,
//! layers shown, learning from everyone).

use std::path::PathBuf;

use crate::model::{ArticleId, SortOrder};

use super::AnnalistApp;
use super::state::{CoderSettings, StateFilter, ThemeChoice};

/// The key under which eframe stores the settings.
pub(super) const SETTINGS_KEY: &str = "annalist-settings";

/// What persists between runs.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The archive that was open last.
    pub last_archive: Option<PathBuf>,
    /// Light or dark.
    pub theme: ThemeChoice,
    /// Where the work stood in the last archive, to pick it up again after a restart.
    pub session: Option<Session>,
    /// Who codes and what of the layers is shown, in every archive (`ANNALIST_CODER`
    /// overrides the name).
    pub coding: CoderSettings,
}

/// The search and the open article of one archive, as they were when the app closed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Session {
    /// The archive this belongs to: restored only when the same archive opens again.
    pub archive: PathBuf,
    /// Query as typed.
    pub query: String,
    /// Order of hits.
    pub order: SortOrder,
    /// Label filter.
    pub label: Option<String>,
    /// Review-state filter.
    pub state: Option<StateFilter>,
    /// Outlet filter.
    pub source: Option<String>,
    /// Published from.
    pub from: String,
    /// Published to.
    pub to: String,
    /// The article that was open (ignored if it no longer exists).
    pub open_article: Option<ArticleId>,
}

impl AnnalistApp {
    /// Settings to persist.
    pub fn settings(&self) -> Settings {
        let search = &self.state.search;
        Settings {
            last_archive: Some(self.state.archive_dir.clone()),
            theme: self.state.theme,
            session: Some(Session {
                archive: self.state.archive_dir.clone(),
                query: search.query.clone(),
                order: search.order,
                label: search.label.clone(),
                state: search.state,
                source: search.source.clone(),
                from: search.from.clone(),
                to: search.to.clone(),
                open_article: self.state.reader.as_ref().map(|r| r.article.id),
            }),
            coding: self.state.coders.settings.clone(),
        }
    }

    /// Codes as the settings say (unless `ANNALIST_CODER` names the coder), and picks up the
    /// search and the open article where the last run left them, if that run had this
    /// archive open. An article that is gone since is quietly not opened.
    pub fn restore(&mut self, settings: &Settings) {
        self.restore_coding(&settings.coding);
        let Some(session) = &settings.session else {
            return;
        };
        if session.archive != self.state.archive_dir {
            return;
        }
        let search = &mut self.state.search;
        search.query.clone_from(&session.query);
        search.order = session.order;
        search.label.clone_from(&session.label);
        search.state = session.state;
        search.source.clone_from(&session.source);
        search.from.clone_from(&session.from);
        search.to.clone_from(&session.to);
        if let Some(id) = session.open_article
            && self.archive.article(id).is_ok()
        {
            self.open_article(id);
        }
        self.run_search();
    }
}
