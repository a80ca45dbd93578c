//! `annalist model train|info`: the entity tagger's model, trained on CoNLL files into a
//! model file, and what a model was trained on.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

use crate::cli::EXIT_OK;
use crate::cli::output::stdout;
use crate::suggest::tagger::{TaggerModel, base_model};

/// Subcommands of `model`.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Train a model on CoNLL column files (token first, tag last) and write it to a file
    /// (`scripts/train_tagger.sh` makes the bundled one this way).
    Train {
        /// CoNLL files, read in order.
        #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
        conll: Vec<PathBuf>,
        /// Labels to keep, renamed: `person=PER,location=LOC`; tags of other labels become O
        /// (default: every label as written).
        #[arg(long, value_name = "FROM=TO,...", value_delimiter = ',')]
        map: Vec<String>,
        /// Where the model goes.
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
        /// What the model says it was trained on (default: the files' names).
        #[arg(long, value_name = "TEXT")]
        source: Option<String>,
    },
    /// What a model (a file, or the bundled one) was trained on, as JSON.
    Info {
        /// A model file (default: the bundled model).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

/// Runs one `model` subcommand.
pub(in crate::cli) fn model(command: ModelCommand) -> anyhow::Result<u8> {
    match command {
        ModelCommand::Train {
            conll,
            map,
            output,
            source,
        } => {
            let mut renames = Vec::new();
            for pair in &map {
                let (from, to) = pair
                    .split_once('=')
                    .with_context(|| format!("--map {pair:?}: expected FROM=TO"))?;
                renames.push((from.to_owned(), to.to_owned()));
            }
            let source = source.unwrap_or_else(|| {
                conll
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" + ")
            });
            let model = crate::eval::ner::train_mapped(&conll, &renames, &source)
                .context("training failed")?;
            let bytes = model.to_bytes()?;
            std::fs::write(&output, &bytes)
                .with_context(|| format!("cannot write {}", output.display()))?;
            let mut out = stdout();
            writeln!(
                out,
                "trained on {} sentences ({} spans), labels {}: {} bytes in {}",
                model.info().sentences,
                model.info().spans,
                model.labels().join(", "),
                bytes.len(),
                output.display()
            )?;
            out.flush()?;
        }
        ModelCommand::Info { file } => {
            let owned;
            let model = match file {
                Some(path) => {
                    let bytes = std::fs::read(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    owned = TaggerModel::from_bytes(&bytes)
                        .with_context(|| format!("cannot read the model {}", path.display()))?;
                    &owned
                }
                None => base_model().context("the bundled model is damaged")?,
            };
            let info = serde_json::json!({
                "format_version": crate::suggest::tagger::FORMAT_VERSION,
                "labels": model.labels(),
                "trained_on": model.info(),
            });
            let mut out = stdout();
            serde_json::to_writer_pretty(&mut out, &info)?;
            writeln!(out)?;
            out.flush()?;
        }
    }
    Ok(EXIT_OK)
}
