//! The `annalist` binary: parses arguments and runs the CLI.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    annalist::cli::run(annalist::cli::Cli::parse())
}
