//! The label schema from the label editor: adding, editing (with what a change touches),
//! saving and removing labels, each an undoable edit.

use crate::model::{Edit, LabelDef};

use super::AnnalistApp;
use super::state::LabelEditDraft;

impl AnnalistApp {
    /// `Command::AddLabel`.
    pub(super) fn add_label(&mut self, label: &LabelDef) {
        let result = self.archive.add_label(label);
        if self.report(result).is_some() {
            self.state.status = Some(Ok(format!("label {} added", label.name)));
            self.refresh_archive_info();
            self.view_cache.invalidate();
        }
    }

    /// `Command::EditLabel`: the editor's draft, with how many annotations the label has.
    pub(super) fn edit_label(&mut self, name: &str) {
        let Some(label) = self.state.labels.find(name).cloned() else {
            return;
        };
        let result = self.archive.label_usage(name);
        if let Some(usage) = self.report(result) {
            self.state.dialogs.label_edit = Some(LabelEditDraft::of(&label, usage));
        }
    }

    /// Stores the label editor's changes: colour, key and description first (under the old
    /// name), then the new name. Both steps are one undoable edit.
    pub(super) fn save_label(&mut self, name: &str, label: LabelDef) {
        let Some(before) = self.state.labels.find(name).cloned() else {
            return;
        };
        let mut edits = Vec::new();
        let mut failed = false;
        let attributes = LabelDef {
            name: name.to_owned(),
            ..label.clone()
        };
        if attributes != before {
            let result = self.archive.update_label(&attributes);
            match self.report(result) {
                Some(edit) => edits.push(edit),
                None => failed = true,
            }
        }
        if !failed && label.name != name {
            let result = self.archive.rename_label(name, &label.name);
            match self.report(result) {
                Some(edit) => edits.push(edit),
                None => failed = true,
            }
        }
        if !failed {
            self.state.dialogs.label_edit = None;
        }
        // The error stays in the status line; what did succeed is kept and undoable.
        let status = self.state.status.clone();
        match edits.len() {
            0 => {}
            1 => {
                if let Some(edit) = edits.pop() {
                    self.edited(edit);
                }
            }
            _ => self.edited(Edit::Batch(edits)),
        }
        if failed {
            self.state.status = status;
        }
    }

    /// `Command::RemoveLabel`: the label and every annotation that carries it.
    pub(super) fn remove_label(&mut self, name: &str) {
        let result = self.archive.remove_label(name, true);
        if let Some(edit) = self.report(result) {
            self.state.dialogs.label_edit = None;
            self.edited(edit);
        }
    }
}
