//! `annalist generate`: shell completions and man pages made from the clap definitions, for
//! the `.deb` (scripts/build-deb.sh) and other packagers. Hidden from `--help`.

use std::io::Write;

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::output::stdout;
use crate::cli::{Cli, EXIT_OK, GenerateCommand};

/// Prints a completion script or writes the man pages.
pub(in crate::cli) fn generate(command: GenerateCommand) -> anyhow::Result<u8> {
    let mut cli = Cli::command();
    match command {
        GenerateCommand::Completions { shell } => {
            let mut out = stdout();
            clap_complete::generate(shell, &mut cli, "annalist", &mut out);
            out.flush().context("cannot write the completion script")?;
        }
        GenerateCommand::Man { dir } => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
            clap_mangen::generate_to(cli, &dir)
                .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
        }
    }
    Ok(EXIT_OK)
}
