//! The command line: subcommands, progress bars and exit codes.
//!
//! Owns: argument parsing and everything printed to stdout. Must not touch rusqlite or
//! tantivy directly: all work goes through `service::Archive`. The flags are in `args.rs`,
//! one file per command in `commands/`, opening the archive in `opening.rs`, printing in
//! `output.rs`; this file dispatches.

mod args;
mod commands;
mod opening;
mod output;
mod team_archive;

use std::process::ExitCode;

use anyhow::bail;

pub use args::{
    AdjudicateAction, AdjudicateArgs, AgreeArgs, AnnotateCommand, AssignArgs, Cli, Command,
    EvalCommand, ExportArgs, GenerateCommand, ImportArgs, LabelsCommand, MAX_COUNT_ARG, ReviewArgs,
    SearchArgs, SuggestionsCommand,
};
use commands::{
    adjudicate, agree, annotate, articles, bundle, coding, demo, eval, export, generate, import,
    labels, maintenance, review, search, suggest,
};
use opening::ROWS_SKIPPED;
pub use team_archive::{resolve_archive, resolve_archive_for_app};

/// Exit code: the command worked.
pub const EXIT_OK: u8 = 0;
/// Exit code: the command worked but found nothing (a search without hits).
pub const EXIT_NOTHING: u8 = 1;
/// Exit code: an error, or some inputs of a batch failed.
pub const EXIT_ERROR: u8 = 2;

/// Runs the CLI and maps errors to exit codes.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) if ROWS_SKIPPED.load(std::sync::atomic::Ordering::Relaxed) => {
            ExitCode::from(code.max(EXIT_ERROR))
        }
        Ok(code) => ExitCode::from(code),
        // A reader that stops early (`annalist export | head`) is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!(
                "error: {}",
                output::visible(&format!("{e:#}"), output::Layout::Block)
            );
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| {
            match cause.downcast_ref::<crate::service::ArchiveError>() {
                Some(crate::service::ArchiveError::Export(io)) => Some(io),
                _ => None,
            }
        });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn dispatch(cli: Cli) -> anyhow::Result<u8> {
    let Some(command) = cli.command else {
        bail!("no command given: run `annalist --help` to list them");
    };
    let dir = team_archive::resolve_archive(cli.archive)?;
    let coder = cli.coder.as_deref();
    opening::set_coding(opening::Coding {
        coder: coding::coder(coder)?,
        view: if cli.blind {
            crate::service::LayerView::Own
        } else if cli.all_layers {
            crate::service::LayerView::All
        } else {
            crate::service::LayerView::Auto
        },
        learn_from_everyone: cli.learn_from_everyone,
    });
    match command {
        Command::Import(args) => import::import(dir, args),
        Command::Search(args) => search::search(dir, &args),
        Command::Show { id, json } => articles::show(dir, id, json),
        Command::Edit {
            id,
            title,
            published,
            url,
            source,
        } => commands::edit::edit(
            dir,
            id,
            commands::edit::Fields {
                title,
                published,
                url,
                source,
            },
        ),
        Command::List {
            limit,
            offset,
            json,
        } => articles::list(dir, limit, offset, json),
        Command::Stats { json } => articles::stats(dir, json),
        Command::Reindex => maintenance::reindex(dir),
        Command::Annotate(command) => annotate::annotate(dir, command),
        Command::Labels(command) => labels::labels(dir, command),
        Command::Export(args) => export::export(dir, args),
        Command::Suggest {
            ids,
            all,
            learn,
            json,
        } => match learn {
            Some(text) => suggest::learn_everywhere(dir, &text, json),
            None => suggest::suggest(dir, &ids, all, json),
        },
        Command::Suggestions(command) => review::suggestions(dir, command),
        Command::Events(command) => commands::events::events(dir, command),
        Command::Check { repair, json } => maintenance::check(dir, repair, json),
        Command::Backup { dest } => maintenance::backup(dir, &dest),
        Command::Assign(args) => coding::assign(dir, args),
        Command::Queue { all, json } => coding::queue(dir, coder, all, json),
        Command::Done { id, undo } => coding::done(dir, coder, id, undo),
        Command::Demo { dir } => demo::demo(dir),
        Command::Eval(command) => eval::eval(command),
        Command::Model(command) => commands::model::model(dir, command),
        Command::Agree(args) => agree::agree(dir, &args),
        Command::Bundle(command) => bundle::bundle(dir, coder, command),
        Command::Adjudicate(args) => adjudicate::adjudicate(dir, &args),
        Command::Team(command) => commands::team::team(dir, command),
        Command::Generate(command) => generate::generate(command),
    }
}
