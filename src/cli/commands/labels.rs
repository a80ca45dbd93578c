//! `annalist labels list|add|rename|remove|set`: the label schema, printed after each change.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use crate::cli::EXIT_OK;
use crate::cli::args::LabelsCommand;
use crate::cli::opening::{open_as_reading, open_read};
use crate::cli::output::{self, stdout};
use crate::model::{LabelDef, plural};

/// A label key as typed: one character, or "none" (or nothing) for no key.
fn parse_label_key(text: &str) -> anyhow::Result<Option<char>> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Ok(None),
        _ if text.eq_ignore_ascii_case("none") => Ok(None),
        (Some(key), None) => Ok(Some(key)),
        _ => anyhow::bail!("a label key is one character (or \"none\"), not {text:?}"),
    }
}

/// Runs a `labels` subcommand, then lists the labels.
pub(in crate::cli) fn labels(dir: Option<PathBuf>, command: LabelsCommand) -> anyhow::Result<u8> {
    // A label edit writes SQLite only, but opens the archive as its writer, as it always has.
    let mut archive = if matches!(command, LabelsCommand::List) {
        open_read(dir)?
    } else {
        open_as_reading(dir)?
    };
    match command {
        LabelsCommand::List => {}
        LabelsCommand::Add {
            name,
            color,
            description,
            shortcut,
        } => {
            archive.add_label(&LabelDef {
                name,
                description,
                color,
                shortcut,
            })?;
        }
        LabelsCommand::Rename { old, new } => {
            let usage = archive.label_usage(&old)?;
            archive.rename_label(&old, &new)?;
            eprintln!(
                "renamed {old} to {new}: {} relabelled",
                plural(
                    usage.annotations + usage.rejected,
                    "annotation",
                    "annotations"
                )
            );
        }
        LabelsCommand::Remove {
            name,
            with_annotations,
        } => {
            let usage = archive.label_usage(&name)?;
            archive.remove_label(&name, with_annotations)?;
            eprintln!("removed {name} with {}", usage.describe());
        }
        LabelsCommand::Set {
            name,
            color,
            key,
            description,
        } => {
            let mut label = archive
                .labels()?
                .find(&name)
                .cloned()
                .with_context(|| format!("there is no label '{name}'"))?;
            if let Some(color) = color {
                label.color = color;
            }
            if let Some(description) = description {
                label.description = description;
            }
            if let Some(key) = key {
                label.shortcut = parse_label_key(&key)?;
            }
            archive.update_label(&label)?;
        }
    }
    let mut out = stdout();
    for label in archive.labels()?.labels {
        writeln!(
            out,
            "{:<12} {}  {}  {}",
            output::line(&label.name),
            output::line(&label.color),
            label
                .shortcut
                .map(|key| output::line(&String::from(key)).into_owned())
                .unwrap_or_else(|| "-".to_owned()),
            output::line(&label.description)
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}
