//! `annalist model train|info|reset`: the entity tagger's model, trained on the accepted
//! PER/ORG/LOC spans of the coder's layer (`--coder`) and kept in the archive, or on CoNLL
//! files into a model file; what a model was trained on; back to the bundled model.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

use crate::cli::EXIT_OK;
use crate::cli::opening::{open, open_read};
use crate::cli::output::stdout;
use crate::eval::ner::Model as TaggerModel;

/// Subcommands of `model`.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Train on the accepted PER/ORG/LOC spans of the coder's layer (`--coder`), from the
    /// bundled model, and keep the model in the archive: suggestions then use it. With
    /// --conll, train on CoNLL column files (token first, tag last) into --output instead
    /// (`scripts/train_tagger.sh` makes the bundled model this way).
    Train {
        /// CoNLL files, read in order.
        #[arg(long, value_name = "FILE", num_args = 1.., requires = "output")]
        conll: Vec<PathBuf>,
        /// Labels to keep, renamed: `person=PER,location=LOC`; tags of other labels become O
        /// (default: every label as written).
        #[arg(long, value_name = "FROM=TO,...", value_delimiter = ',')]
        map: Vec<String>,
        /// Where the model trained on --conll goes.
        #[arg(long, value_name = "FILE", requires = "conll")]
        output: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// What the model says it was trained on (default: the files' names).
        #[arg(long, value_name = "TEXT")]
        source: Option<String>,
    },
    /// Which model suggests in the coder's layer (the archive's or the bundled one), its
    /// format version and what it was trained on (when, articles, spans, F1 on a held-out
    /// tenth), as JSON; with --file, a model file's.
    Info {
        /// A model file.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Forget the model trained in the coder's layer: suggestions go back to the bundled
    /// model.
    Reset,
}

/// Runs one `model` subcommand.
pub(in crate::cli) fn model(dir: Option<PathBuf>, command: ModelCommand) -> anyhow::Result<u8> {
    match command {
        ModelCommand::Train {
            conll,
            map,
            output: Some(output),
            source,
            json: _,
        } => train_conll(&conll, &map, &output, source)?,
        ModelCommand::Train { json, .. } => {
            let mut archive = open(dir)?;
            let training = archive
                .train_tagger(&mut |_, _| true)
                .context("training the tagger failed")?;
            let mut out = stdout();
            if json {
                serde_json::to_writer(&mut out, &training)?;
                writeln!(out)?;
            } else {
                let f1 = training.held_out_f1.map_or_else(
                    || "not measured (under 10 articles)".to_owned(),
                    |f| format!("{f:.3}"),
                );
                writeln!(
                    out,
                    "trained on {} articles, {} sentences, {} spans of layer {:?}; held-out F1 {f1}",
                    training.articles, training.sentences, training.spans, training.coder
                )?;
            }
            out.flush()?;
        }
        ModelCommand::Reset => {
            let mut archive = open(dir)?;
            let had = archive.reset_tagger()?;
            let mut out = stdout();
            writeln!(
                out,
                "{}",
                if had {
                    "the archive's model is forgotten: the bundled model suggests"
                } else {
                    "no model was trained here: the bundled model suggests"
                }
            )?;
            out.flush()?;
        }
        ModelCommand::Info { file: None } => {
            // Reading only: it works while the app has the archive open.
            let mut archive = open_read(dir)?;
            let status = archive.tagger_status()?;
            let mut out = stdout();
            serde_json::to_writer_pretty(&mut out, &status)?;
            writeln!(out)?;
            out.flush()?;
        }
        ModelCommand::Info { file: Some(path) } => {
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let model = TaggerModel::from_bytes(&bytes)
                .with_context(|| format!("cannot read the model {}", path.display()))?;
            let info = serde_json::json!({
                "format_version": crate::eval::ner::FORMAT_VERSION,
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

/// `model train --conll FILE... --output FILE`.
fn train_conll(
    conll: &[PathBuf],
    map: &[String],
    output: &std::path::Path,
    source: Option<String>,
) -> anyhow::Result<()> {
    let mut renames = Vec::new();
    for pair in map {
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
    let model =
        crate::eval::ner::train_mapped(conll, &renames, &source).context("training failed")?;
    let bytes = model.to_bytes()?;
    std::fs::write(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
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
    Ok(())
}
