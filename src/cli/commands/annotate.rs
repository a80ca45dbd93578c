//! `annalist annotate add|list|remove`: annotations by hand, offsets in code points.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;

use super::suggest::held_back_advice;
use crate::cli::EXIT_OK;
use crate::cli::args::AnnotateCommand;
use crate::cli::opening::{Opened, open, open_read};
use crate::cli::output::{self, stdout};
use crate::model::{
    AnnotationAttrs, AnnotationId, ArticleId, CharSpan, Edit, NewAnnotation, plural,
};
use crate::service::{AnnotatingEdge, Archive, ArchiveError, LearnScope, manual_annotation};

/// Parses `key=value` with typed JSON scalars.
pub(in crate::cli) fn parse_attrs(pairs: &[String]) -> anyhow::Result<AnnotationAttrs> {
    let mut attrs = AnnotationAttrs::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            bail!("attribute '{pair}' is not of the form key=value");
        };
        let key = key.trim();
        if key.is_empty() {
            bail!("attribute '{pair}' has an empty key");
        }
        let typed = match serde_json::from_str::<serde_json::Value>(value) {
            Ok(
                v @ (serde_json::Value::Number(_)
                | serde_json::Value::Bool(_)
                | serde_json::Value::Null),
            ) => v,
            _ => serde_json::Value::String(value.to_owned()),
        };
        attrs.insert(key.to_owned(), typed);
    }
    Ok(attrs)
}

/// Runs an `annotate` subcommand.
pub(in crate::cli) fn annotate(
    dir: Option<PathBuf>,
    command: AnnotateCommand,
) -> anyhow::Result<u8> {
    let mut out = stdout();
    if let AnnotateCommand::List { id, json } = command {
        let archive = open_read(dir)?;
        for annotation in archive.annotations(ArticleId(id))? {
            if json {
                output::json_line(&mut out, &output::annotation_json(&annotation))?;
            } else {
                output::annotation_line(&mut out, &annotation)?;
            }
        }
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let mut archive = open(dir)?;
    match command {
        AnnotateCommand::Add {
            id,
            label,
            start,
            end,
            attrs,
            expect,
            annotator,
            status,
            json,
        } => {
            let annotator =
                annotator.unwrap_or_else(|| archive.hand_annotator(AnnotatingEdge::Cli));
            let attrs = parse_attrs(&attrs)?;
            let span = CharSpan::ordered(start, end)
                .map_err(|e| ArchiveError::InvalidAnnotation(e.to_string()))?;
            let mut annotation = manual_annotation(&label, span, attrs, &annotator);
            annotation.status = status;
            annotation.expected_text = expect;
            add(&mut archive, &mut out, ArticleId(id), annotation, json)?;
        }
        // Listed above, read-only.
        AnnotateCommand::List { .. } => {}
        AnnotateCommand::Remove { annotation_id } => {
            remove(&mut archive, &mut out, AnnotationId(annotation_id))?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// `annotate add`: stores the annotation and suggests an accepted text where else it occurs.
fn add(
    archive: &mut Opened<Archive>,
    out: &mut impl Write,
    id: ArticleId,
    annotation: NewAnnotation,
    json: bool,
) -> anyhow::Result<()> {
    // Over a suggestion of the same span this reviews it instead of adding a twin.
    let (stored, edit) = archive.annotate(id, annotation)?;
    let added = match &edit {
        Edit::Batch(edits) => matches!(edits.first(), Some(Edit::AddAnnotation(_))),
        edit => matches!(edit, Edit::AddAnnotation(_)),
    };
    let verb = if added {
        "added annotation"
    } else {
        "reviewed the suggestion"
    };
    archive.sync_index()?;
    // Learning: each text the edit accepted (the span, and what accepting a claim accepted
    // with it) is suggested with its label elsewhere in the archive.
    for text in edit.accepted_texts() {
        let learned = archive.learn_from(&text, LearnScope::Bounded)?;
        if let Some(first) = learned.created.first() {
            eprintln!(
                "suggested {} for {} other occurrences of {}",
                output::line(&first.label),
                learned.created.len(),
                output::line(&format!("{text:?}"))
            );
        }
        if let Some(held_back) = learned.held_back {
            eprintln!("note: {}", output::line(&held_back_advice(&held_back)));
        }
    }
    if json {
        output::json_line(out, &output::annotation_json(&stored))?;
    } else {
        writeln!(
            out,
            "{verb} {} in article {}: {} [{}, {}) {}, {}",
            stored.id,
            id,
            output::line(&stored.label),
            stored.span.start(),
            stored.span.end(),
            output::line(&format!("{:?}", stored.text)),
            stored.status
        )?;
    }
    Ok(())
}

/// `annotate remove`: removes the annotation and withdraws what it taught.
fn remove(
    archive: &mut Opened<Archive>,
    out: &mut impl Write,
    annotation_id: AnnotationId,
) -> anyhow::Result<()> {
    let removal = archive.remove_annotation(annotation_id)?;
    archive.sync_index()?;
    let removed = &removal.annotation;
    writeln!(
        out,
        "removed annotation {} ({} {}) from article {}",
        removed.id,
        output::line(&removed.label),
        output::line(&format!("{:?}", removed.text)),
        removed.article_id
    )?;
    if !removal.withdrawn.is_empty() {
        writeln!(
            out,
            "withdrew the {} it taught (not reviewed yet)",
            plural(removal.withdrawn.len(), "suggestion", "suggestions")
        )?;
    }
    Ok(())
}
