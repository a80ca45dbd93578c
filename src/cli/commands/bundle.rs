//! `annalist bundle export` and `bundle import`: a coder's layer carried between laptops.

use std::path::PathBuf;

use crate::cli::args::BundleCommand;
use crate::cli::commands::coding::required_coder;
use crate::cli::opening::open;
use crate::cli::output;
use crate::cli::{EXIT_ERROR, EXIT_OK};

/// Runs a `bundle` subcommand and prints what it did; exit 2 when something of the bundles
/// could not be merged (the report names file, line and reason).
pub(in crate::cli) fn bundle(
    dir: Option<PathBuf>,
    coder_flag: Option<&str>,
    command: BundleCommand,
) -> anyhow::Result<u8> {
    match command {
        BundleCommand::Export { out, with_texts } => {
            let coder = required_coder(coder_flag, "layer goes in the bundle")?;
            let mut archive = open(dir)?;
            let summary = archive.export_bundle(&coder, &out, with_texts)?;
            println!("{}", output::line(&summary.to_string()));
            Ok(EXIT_OK)
        }
        BundleCommand::Import { files } => {
            let mut archive = open(dir)?;
            let report = archive.import_bundles(&files)?;
            print!("{report}");
            Ok(if report.has_problems() {
                EXIT_ERROR
            } else {
                EXIT_OK
            })
        }
    }
}
