//! The adjudication view's commands: opening it on the open article (its units read here,
//! on the UI thread, like an article), moving between disagreements, and the actions on the
//! unit shown, each a write the writer thread does; its answer updates the view.

use crate::service::{
    AdjudicatedChange, Adjudication, AdjudicationAction, AdjudicationUnit, UnitState,
};

use super::AnnalistApp;
use super::jobs::{AdjudicationWrite, AdjudicationWriteKind};
use super::state::{AdjudicationView, UnitView};

/// What an adjudication key asks for the unit shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AdjudicationStep {
    /// The spans of the coder at this position.
    Take(usize),
    /// Every coder's spans.
    All,
    /// Nothing.
    Reject,
    /// Every open agreement of the article.
    Agreements,
}

impl AnnalistApp {
    /// Opens the adjudication view of the open article, or closes it.
    pub(super) fn toggle_adjudication(&mut self) {
        if self.state.adjudication.take().is_some() {
            return;
        }
        let Some(reader) = &self.state.reader else {
            self.state.status = Some(Err(
                "open an article first: the adjudication view compares its coders' spans"
                    .to_owned(),
            ));
            return;
        };
        let article_id = reader.article.id;
        let text = reader.article.text.clone();
        let result = self.archive.adjudication(article_id, &[]);
        if let Some(adjudication) = self.report(result) {
            let mut view = view_of(&adjudication, text);
            view.current = first_open(&view, 0).unwrap_or(0);
            self.state.status = Some(Ok(format!(
                "adjudicating article {article_id}: {} of {} units are open disagreements",
                view.open_disagreements(),
                view.units.len()
            )));
            self.state.adjudication = Some(view);
            // The view's keys work at once, as the reader's do after an article opens.
            self.state.release_focus = true;
        }
    }

    /// Shows the next (or previous) open disagreement, wrapping around.
    pub(super) fn step_disagreement(&mut self, forward: bool) {
        let Some(view) = &mut self.state.adjudication else {
            return;
        };
        let count = view.units.len();
        if count == 0 {
            return;
        }
        let found = (1..=count)
            .map(|k| {
                if forward {
                    (view.current + k) % count
                } else {
                    (view.current + count * 2 - k) % count
                }
            })
            .find(|&i| view.units.get(i).is_some_and(|u| u.open && !u.agreement));
        match found {
            Some(i) => view.current = i,
            None => view.message = Some(Ok("no disagreement is open".to_owned())),
        }
        view.editing = false;
    }

    /// Resolves the unit shown as `step` says, through the writer thread.
    pub(super) fn adjudicate_shown(&mut self, step: AdjudicationStep) {
        let Some(view) = &mut self.state.adjudication else {
            return;
        };
        let write = match step {
            AdjudicationStep::Agreements => AdjudicationWriteKind::Agreements,
            step => {
                let Some(unit) = view.units.get(view.current) else {
                    return;
                };
                let action = match step {
                    AdjudicationStep::Take(position) => {
                        let Some(coder) = view.coders.get(position) else {
                            view.message = Some(Err(format!(
                                "there is no coder {}: this article has {} ({})",
                                position + 1,
                                view.coders.len(),
                                view.coders.join(", ")
                            )));
                            return;
                        };
                        AdjudicationAction::Take(coder.clone())
                    }
                    AdjudicationStep::All => AdjudicationAction::All,
                    _ => AdjudicationAction::Reject,
                };
                AdjudicationWriteKind::Resolve(unit.key.clone(), action)
            }
        };
        view.pending = true;
        view.editing = false;
        let write = AdjudicationWrite {
            article_id: view.article_id,
            coders: view.coders.clone(),
            write,
        };
        self.jobs.adjudicate(write);
    }

    /// `e`: the next label key relabels the adjudicated span of the unit shown.
    pub(super) fn start_adjudicated_edit(&mut self) {
        let Some(view) = &mut self.state.adjudication else {
            return;
        };
        if view.unit().is_some_and(|u| u.result.is_empty()) {
            view.message = Some(Err(
                "nothing of this unit is in the adjudicated layer yet: take a coder's span first"
                    .to_owned(),
            ));
            return;
        }
        view.editing = true;
        view.message = Some(Ok(
            "press a label key to relabel the adjudicated span (Esc: keep it)".to_owned(),
        ));
    }

    /// Relabels the (first) adjudicated span of the unit shown with the label of `key`.
    pub(super) fn relabel_adjudicated(&mut self, key: char) {
        let Some(label) = self
            .state
            .labels
            .labels
            .iter()
            .find(|l| l.shortcut == Some(key))
            .map(|l| l.name.clone())
        else {
            return;
        };
        let Some(view) = &mut self.state.adjudication else {
            return;
        };
        view.editing = false;
        let Some(span) = view.unit().and_then(|u| u.result.first()) else {
            return;
        };
        let write = AdjudicationWrite {
            article_id: view.article_id,
            coders: view.coders.clone(),
            write: AdjudicationWriteKind::Edit(
                span.id,
                AdjudicatedChange {
                    label: Some(label),
                    ..AdjudicatedChange::default()
                },
            ),
        };
        view.pending = true;
        self.jobs.adjudicate(write);
    }

    /// Takes in the writer's answer: the units as they are now; the view moves on to the
    /// next open disagreement after the unit it showed.
    pub(super) fn adjudicated(&mut self, outcome: Result<(Box<Adjudication>, String), String>) {
        let Some(view) = &mut self.state.adjudication else {
            return;
        };
        view.pending = false;
        match outcome {
            Ok((adjudication, message)) if adjudication.article_id == view.article_id => {
                let shown = view.current;
                let editing_kept = message.contains("relabelled");
                let mut next = view_of(&adjudication, std::mem::take(&mut view.text));
                next.current = if editing_kept {
                    shown.min(next.units.len().saturating_sub(1))
                } else {
                    first_open(&next, shown)
                        .unwrap_or(shown.min(next.units.len().saturating_sub(1)))
                };
                next.message = Some(Ok(format!(
                    "{message}; {} open",
                    crate::model::plural(
                        next.open_disagreements(),
                        "disagreement",
                        "disagreements"
                    )
                )));
                *view = next;
            }
            Ok(_) => {}
            Err(e) => view.message = Some(Err(e)),
        }
        self.view_cache.invalidate();
    }
}

/// The first open disagreement at or after `from`, wrapping around.
fn first_open(view: &AdjudicationView, from: usize) -> Option<usize> {
    let count = view.units.len();
    (0..count)
        .map(|k| (from + k) % count.max(1))
        .find(|&i| view.units.get(i).is_some_and(|u| u.open && !u.agreement))
}

fn view_of(adjudication: &Adjudication, text: String) -> AdjudicationView {
    AdjudicationView {
        article_id: adjudication.article_id,
        text,
        coders: adjudication.coders.clone(),
        units: adjudication.units.iter().map(unit_view).collect(),
        current: 0,
        editing: false,
        pending: false,
        message: None,
    }
}

fn unit_view(unit: &AdjudicationUnit) -> UnitView {
    let state = match &unit.state {
        UnitState::Open => "open".to_owned(),
        UnitState::Resolved(r) => format!("resolved: {} (by {})", r.decision, r.by),
        UnitState::Reopened(r) => format!(
            "re-opened (a coder changed it): was {} (by {})",
            r.decision, r.by
        ),
    };
    UnitView {
        number: unit.number,
        key: unit.key.clone(),
        start: unit.start,
        end: unit.end,
        agreement: unit.agreement,
        open: unit.is_open(),
        state,
        spans: unit.spans.iter().map(|(_, spans)| spans.clone()).collect(),
        result: unit.result.clone(),
    }
}
