//! The `annalist` binary: the desktop app without a subcommand, the CLI with one.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = annalist::cli::Cli::parse();
    if cli.command.is_some() {
        return annalist::cli::run(cli);
    }
    match annalist::app::run_gui(cli.archive) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(annalist::cli::EXIT_ERROR)
        }
    }
}
