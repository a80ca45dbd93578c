//! `apply(Command)`: the only place that changes durable state, a flat dispatch of one call
//! per command to the file that owns it.

use crate::import::ImportOptions;
use crate::model::AnnotationStatus;

use super::AnnalistApp;
use super::adjudicating::AdjudicationStep;
use super::command::Command;
use super::history::Replay;

impl AnnalistApp {
    /// Applies one command. The only place that changes durable state. What the store did
    /// but the index could not follow (or rows it could not read back) is said after it.
    pub fn apply(&mut self, command: Command) {
        self.apply_command(command);
        let mut warnings = self.archive.take_warnings();
        warnings.extend(self.archive.take_damaged_rows());
        if !warnings.is_empty() {
            self.warn(warnings);
        }
    }

    fn apply_command(&mut self, command: Command) {
        match command {
            Command::Search => self.run_search(),
            Command::ClearFilters => self.clear_filters(),
            Command::LoadHitsPage(page) => self.load_hits_page(page),
            Command::OpenArticle(id) => self.open_article(id),
            Command::NextArticle => self.step_article(true),
            Command::PreviousArticle => self.step_article(false),
            Command::Annotate { label, start, end } => self.annotate(&label, start, end),
            Command::AnnotateSelectionWithShortcut(key) => {
                self.annotate_selection_with_shortcut(key);
            }
            Command::SelectAnnotation(id) => self.select_annotation(id),
            Command::JumpToAnnotation(id) => self.jump_to_annotation(id),
            Command::NextAnnotation => self.step_annotation(true),
            Command::PreviousAnnotation => self.step_annotation(false),
            Command::UpdateAnnotation {
                id,
                label,
                attrs,
                status,
            } => self.update_annotation(id, &label, attrs, status),
            Command::DeleteAnnotation(id) => self.delete_annotation(id),
            Command::LearnEverywhere => self.learn_everywhere(),
            Command::DismissLearnConfirm => self.state.learn_confirm = None,
            Command::DeleteSelected => self.delete_selected(),
            Command::AcceptSelected => self.review_selected(AnnotationStatus::Accepted),
            Command::RejectSelected => self.review_selected(AnnotationStatus::Rejected),
            Command::UpdateArticle(meta) => self.update_article(meta),
            Command::Undo => self.replay(Replay::Undo),
            Command::Redo => self.replay(Replay::Redo),
            Command::ShowImportDialog => self.state.dialogs.import_open = true,
            Command::PickImportFiles { folder } => self.pick_import_files(folder),
            Command::Import(paths) => self.start_import(paths, ImportOptions::default()),
            Command::ImportWithOptions { paths, options } => self.start_import(paths, options),
            Command::CancelJob(id) => self.cancel_job(id),
            Command::Suggest { all } => self.start_suggest(all),
            Command::ReviewLabel { label, accept } => self.review_label(label, accept),
            Command::Reindex => self.start_reindex(),
            Command::RetrainTagger => self.start_retrain_tagger(),
            Command::ShowExportDialog => self.show_export_dialog(),
            Command::PickExportFile => self.pick_export_file(),
            Command::Export {
                format,
                scope,
                include_suggestions,
                labels,
                path,
            } => self.export(format, scope, include_suggestions, labels, path),
            Command::ConfirmExportReplace => self.confirm_export_replace(),
            Command::ShowArchiveDialog => self.show_archive_dialog(),
            Command::PickArchiveFolder => self.pick_archive_folder(),
            Command::OpenArchive(dir) => self.open_archive(&dir),
            Command::AddLabel(label) => self.add_label(&label),
            Command::ShowLabelEditor => self.state.dialogs.labels_open = true,
            Command::EditLabel(name) => self.edit_label(&name),
            Command::SaveLabel { name, label } => self.save_label(&name, label),
            Command::RemoveLabel(name) => self.remove_label(&name),
            Command::ToggleTheme => self.toggle_theme(),
            Command::ToggleShortcutHelp => self.toggle_shortcut_help(),
            Command::FocusSearch => self.state.focus_search = true,
            Command::FindInArticle => self.find_in_article(),
            Command::Quit => self.state.quit_requested = true,
            Command::Escape => self.escape(),
            Command::SetCoder(name) => self.set_coder(&name),
            Command::DismissCoderPrompt => self.dismiss_coder_prompt(),
            Command::ShowCoderSettings => self.show_coder_settings(),
            Command::SaveCoderSettings(draft) => self.save_coder_settings(draft),
            Command::ToggleQueue => self.toggle_queue(),
            Command::RefreshQueue => self.refresh_queue(None),
            Command::MarkOpenArticleDone => self.mark_open_article_done(),
            Command::MarkDone { article, done } => self.mark_done(article, done),
            Command::UndoMarkDone => self.undo_mark_done(),
            Command::ShowAgreement => self.show_agreement(),
            Command::ToggleEvents => self.toggle_events(),
            Command::RefreshEvents => self.refresh_events(),
            Command::SuggestEvents
            | Command::AcceptEvents(_)
            | Command::MergeEvents(_)
            | Command::UngroupEvent(_) => self.apply_event_command(command),
            Command::ComputeAgreement => self.compute_agreement(),
            Command::SaveAgreementCsv(path) => self.save_agreement_csv(path),
            Command::OpenArticleAt {
                article,
                start,
                end,
            } => self.open_article_at(article, start, end),
            Command::ToggleAdjudication => self.toggle_adjudication(),
            Command::StepDisagreement(forward) => self.step_disagreement(forward),
            Command::AdjudicateTake(coder) => self.adjudicate_shown(AdjudicationStep::Take(coder)),
            Command::AdjudicateTakeAll => self.adjudicate_shown(AdjudicationStep::All),
            Command::AdjudicateReject => self.adjudicate_shown(AdjudicationStep::Reject),
            Command::AcceptAgreements => self.adjudicate_shown(AdjudicationStep::Agreements),
            Command::AdjudicateEdit => self.start_adjudicated_edit(),
            Command::RelabelAdjudicated(key) => self.relabel_adjudicated(key),
        }
    }
}
