//! Plain-text files: one article each, the first non-empty line as its title.

use crate::model::NewArticle;

use super::batch::{Batch, Place};
use super::encoding::{decode_text, undeclared_encoding_note};
use super::plain::title_from_text;
use super::{Format, ImportError};

/// Reads the whole file as one article; its text is the file, normalised and otherwise untouched.
pub(crate) fn import(bytes: &[u8], batch: &mut Batch<'_>) -> Result<(), ImportError> {
    let (text, encoding) = decode_text(bytes, None);
    if text.trim().is_empty() {
        return Err(ImportError::Empty {
            path: batch.path().to_path_buf(),
        });
    }
    if let Some(note) = undeclared_encoding_note(bytes, encoding) {
        batch.warn(Place::File, note);
    }
    let article = NewArticle::new(&title_from_text(&text), &text, Format::Text.as_str());
    batch.push(article, Place::File);
    Ok(())
}
