//! The `annalist` binary: the desktop app without a subcommand, the CLI with one.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = annalist::cli::Cli::parse();
    if cli.command.is_some() {
        return annalist::cli::run(cli);
    }
    // A team archive (`--archive postgres://…`) opens as this desktop's replica of it.
    let archive = match annalist::cli::resolve_archive_for_app(cli.archive) {
        Ok(archive) => archive,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(annalist::cli::EXIT_ERROR);
        }
    };
    match annalist::app::run_gui(archive) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(annalist::cli::EXIT_ERROR)
        }
    }
}
