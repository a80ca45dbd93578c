//! The label schema as a use case: adding, renaming, updating and removing labels, with
//! their names, colours and keys checked.

use super::{ArchiveError, ArchiveReader, Result};
use crate::model::{Edit, LabelDef, LabelSchema, LabelUsage, validate_label_name};

impl ArchiveReader {
    /// The label schema.
    pub fn labels(&self) -> Result<LabelSchema> {
        Ok(self.store.labels()?)
    }

    /// Adds a label to the schema.
    pub fn add_label(&mut self, label: &LabelDef) -> Result<()> {
        validate_label_name(&label.name).map_err(ArchiveError::InvalidLabel)?;
        check_label_color(&label.color)?;
        self.check_key_free(label)?;
        if !self.store.add_label(label)? {
            return Err(ArchiveError::InvalidLabel(format!(
                "label '{}' already exists",
                label.name
            )));
        }
        Ok(())
    }

    /// How many annotations and articles carry a label: what renaming or removing it
    /// touches, said before it happens.
    pub fn label_usage(&self, name: &str) -> Result<LabelUsage> {
        self.existing_label(name)?;
        Ok(self.store.label_usage(name)?)
    }

    /// Renames a label; every annotation with it is relabelled in the same transaction.
    /// Returns the edit (undone by renaming back).
    pub fn rename_label(&mut self, from: &str, to: &str) -> Result<Edit> {
        self.existing_label(from)?;
        validate_label_name(to).map_err(ArchiveError::InvalidLabel)?;
        if self.store.labels()?.find(to).is_some() {
            return Err(ArchiveError::InvalidLabel(format!(
                "label '{to}' already exists; choose another name"
            )));
        }
        self.store
            .rename_label(from, to)?
            .ok_or_else(|| no_such_label(from))?;
        Ok(Edit::RenameLabel {
            from: from.to_owned(),
            to: to.to_owned(),
        })
    }

    /// Changes a label's colour, key and description (found by `label.name`). Returns the
    /// edit. A key another label has is refused.
    pub fn update_label(&mut self, label: &LabelDef) -> Result<Edit> {
        let before = self.existing_label(&label.name)?;
        check_label_color(&label.color)?;
        self.check_key_free(label)?;
        if !self.store.update_label(label)? {
            return Err(no_such_label(&label.name));
        }
        Ok(Edit::UpdateLabel {
            before,
            after: label.clone(),
        })
    }

    /// Removes a label. While annotations carry it, it is refused unless
    /// `with_annotations`, which removes them too, in the same transaction. Returns the
    /// edit, which puts everything back when undone.
    pub fn remove_label(&mut self, name: &str, with_annotations: bool) -> Result<Edit> {
        self.existing_label(name)?;
        let usage = self.store.label_usage(name)?;
        if !with_annotations && usage.annotations + usage.rejected > 0 {
            return Err(ArchiveError::InvalidLabel(format!(
                "{name} is on {}; remove them with it (`--with-annotations`) or rename the label",
                usage.describe()
            )));
        }
        let removed = self
            .store
            .remove_label(name)?
            .ok_or_else(|| no_such_label(name))?;
        Ok(Edit::RemoveLabel(removed))
    }

    fn existing_label(&self, name: &str) -> Result<LabelDef> {
        let schema = self.store.labels()?;
        schema.find(name).cloned().ok_or_else(|| {
            ArchiveError::InvalidLabel(format!(
                "there is no label '{name}' (labels: {})",
                schema.names()
            ))
        })
    }

    /// Refuses a shortcut key that another label already has.
    fn check_key_free(&self, label: &LabelDef) -> Result<()> {
        let Some(key) = label.shortcut else {
            return Ok(());
        };
        let schema = self.store.labels()?;
        match schema.key_holder(key, &label.name) {
            Some(other) => Err(ArchiveError::InvalidLabel(format!(
                "key {key} already labels {}; choose another key or change {}'s first",
                other.name, other.name
            ))),
            None => Ok(()),
        }
    }
}

pub(super) fn no_such_label(name: &str) -> ArchiveError {
    ArchiveError::InvalidLabel(format!("there is no label '{name}'"))
}

fn check_label_color(color: &str) -> Result<()> {
    crate::model::validate_label_color(color).map_err(ArchiveError::InvalidLabel)
}
