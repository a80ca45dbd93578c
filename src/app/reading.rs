//! The reader: opening an article, reloading it after an edit, and moving the selection
//! between its annotations.

use crate::model::{Annotation, AnnotationId, AnnotationStatus, ArticleId};

use super::AnnalistApp;
use super::state::{MetaDraft, ReaderState};

impl AnnalistApp {
    pub(super) fn open_article(&mut self, id: ArticleId) {
        let loaded = self
            .archive
            .article(id)
            .and_then(|article| Ok((self.archive.annotations(id)?, article)));
        match loaded {
            Ok((mut annotations, article)) => {
                annotations.retain(|a| a.status != AnnotationStatus::Rejected);
                let meta_draft = MetaDraft::of(&article);
                let revision = self.state.reader.as_ref().map_or(0, |r| r.revision + 1);
                self.state.reader = Some(ReaderState {
                    article,
                    annotations,
                    revision,
                    selection: None,
                    selecting: None,
                    find: None,
                    selected: None,
                    scroll_to: Some(0),
                    meta_draft,
                    draft: None,
                });
                self.state.release_focus = true;
                let search = &mut self.state.search;
                search.open_row = search.position_of(id);
                search.neighbours = (None, None);
            }
            Err(e) => self.state.status = Some(Err(format!("{e:#}"))),
        }
    }

    /// Re-reads the open article's annotations after an edit.
    pub(super) fn reload_reader(&mut self) {
        let Some(reader) = &mut self.state.reader else {
            return;
        };
        let id = reader.article.id;
        match (self.archive.article(id), self.archive.annotations(id)) {
            (Ok(article), Ok(mut annotations)) => {
                annotations.retain(|a| a.status != AnnotationStatus::Rejected);
                reader.meta_draft = MetaDraft::of(&article);
                reader.article = article;
                reader.annotations = annotations;
                reader.revision += 1;
                reader.draft = None;
                if let Some(selected) = reader.selected
                    && !reader.annotations.iter().any(|a| a.id == selected)
                {
                    reader.selected = None;
                }
            }
            (Err(e), _) | (_, Err(e)) => self.state.status = Some(Err(format!("{e:#}"))),
        }
    }

    pub(super) fn selected_annotation(&self) -> Option<&Annotation> {
        let reader = self.state.reader.as_ref()?;
        let id = reader.selected?;
        reader.annotations.iter().find(|a| a.id == id)
    }

    /// `Command::SelectAnnotation`.
    pub(super) fn select_annotation(&mut self, id: Option<AnnotationId>) {
        if let Some(reader) = &mut self.state.reader {
            reader.selected = id;
        }
    }

    /// `Command::JumpToAnnotation`: selects it and scrolls the reader to it.
    pub(super) fn jump_to_annotation(&mut self, id: AnnotationId) {
        if let Some(reader) = &mut self.state.reader
            && let Some(annotation) = reader.annotations.iter().find(|a| a.id == id)
        {
            reader.selected = Some(id);
            reader.scroll_to = Some(annotation.span.start());
        }
    }

    /// Selects the next (or previous) annotation in the text, round the end.
    pub(super) fn step_annotation(&mut self, forward: bool) {
        let Some(reader) = &mut self.state.reader else {
            return;
        };
        if reader.annotations.is_empty() {
            return;
        }
        let current = reader
            .selected
            .and_then(|id| reader.annotations.iter().position(|a| a.id == id));
        let len = reader.annotations.len();
        let next = match current {
            None if forward => 0,
            None => len - 1,
            Some(i) if forward => (i + 1) % len,
            Some(i) => (i + len - 1) % len,
        };
        if let Some(annotation) = reader.annotations.get(next) {
            reader.selected = Some(annotation.id);
            reader.scroll_to = Some(annotation.span.start());
        }
    }

    /// `Command::FindInArticle`: the reader's find bar, or the search box with no article.
    pub(super) fn find_in_article(&mut self) {
        match &mut self.state.reader {
            Some(reader) => {
                let find = reader.find.get_or_insert_with(Default::default);
                find.focus = true;
            }
            None => self.state.focus_search = true,
        }
    }
}
