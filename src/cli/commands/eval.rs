//! `annalist eval`: quality measurements against gold data, printed as reports.

use std::io::Write;

use anyhow::Context;

use crate::cli::EXIT_OK;
use crate::cli::args::EvalCommand;
use crate::cli::output::{self, stdout};

/// Runs one benchmark and prints its report.
pub(in crate::cli) fn eval(command: EvalCommand) -> anyhow::Result<u8> {
    match command {
        EvalCommand::Casualties { x, y, verbose } => {
            let report = crate::eval::casualties::casualty_benchmark(&x, &y, verbose)
                .with_context(|| format!("casualty evaluation failed: {}", x.display()))?;
            let mut out = stdout();
            write!(out, "{report}")?;
            out.flush()?;
        }
        EvalCommand::Extraction { dir, verbose } => {
            let report = crate::eval::extraction::extraction_benchmark(&dir)
                .with_context(|| format!("extraction benchmark failed: {}", dir.display()))?;
            let mut out = stdout();
            output::extraction_report(&mut out, &report, verbose)?;
            out.flush()?;
        }
        EvalCommand::Geocode { file, verbose } => {
            let report = crate::eval::geocoding::geocoding_benchmark(&file, verbose)
                .with_context(|| format!("geocoding evaluation failed: {}", file.display()))?;
            let mut out = stdout();
            write!(out, "{report}")?;
            out.flush()?;
        }
        EvalCommand::Ner {
            file,
            train,
            json,
            predictions,
        } => {
            let report =
                crate::eval::ner::ner_benchmark(&file, train.as_deref(), predictions.as_deref())
                    .context("NER evaluation failed")?;
            let mut out = stdout();
            if json {
                serde_json::to_writer_pretty(&mut out, &report)?;
                writeln!(out)?;
            } else {
                write!(out, "{report}")?;
            }
            out.flush()?;
        }
        EvalCommand::Timebank { dir, verbose } => {
            let report = crate::eval::timebank::timebank_benchmark(&dir, verbose)
                .context("TimeBank benchmark failed")?;
            let mut out = stdout();
            write!(out, "{report}")?;
            out.flush()?;
        }
    }
    Ok(EXIT_OK)
}
