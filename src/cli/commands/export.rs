//! `annalist export`: articles and annotations to a file, a folder or standard output.

use std::path::PathBuf;

use crate::cli::EXIT_OK;
use crate::cli::args::ExportArgs;
use crate::cli::opening::open_read;
use crate::cli::output::progress_bar;
use crate::export::{CsvCells, Destination};
use crate::service::ExportOptions;

/// Exports in `args.format`; the summary goes to stderr when the output is a file.
pub(in crate::cli) fn export(dir: Option<PathBuf>, args: ExportArgs) -> anyhow::Result<u8> {
    let mut archive = open_read(dir)?;
    let options = ExportOptions {
        query: args.query,
        include_suggestions: args.include_suggestions,
        ids: None,
        labels: args.labels,
        status: args.status,
        annotators: args.annotators,
        layer: match args.layer {
            crate::cli::args::LayerArg::All => None,
            crate::cli::args::LayerArg::One(layer) => Some(layer),
        },
        published_from: args.from,
        published_to: args.to,
        csv_cells: if args.csv_raw {
            CsvCells::Raw
        } else {
            CsvCells::Neutralised
        },
    };
    let bar = progress_bar("export");
    let mut progress = |done, total| {
        bar.set_length(total);
        bar.set_position(done);
        true
    };
    anyhow::ensure!(
        args.format.event_dataset().is_none()
            || args.out.as_deref() != Some(std::path::Path::new("-")),
        "the {} export is a table with its evidence file beside it: give it a file name with --out FILE, not standard output",
        args.format
    );
    let summary = match &args.out {
        Some(path) => archive.export_to_path(args.format, path, &options, &mut progress)?,
        None => {
            anyhow::ensure!(
                !args.format.writes_folder(),
                "the {} export is a folder: give it with --out DIR",
                args.format
            );
            anyhow::ensure!(
                args.format.event_dataset().is_none(),
                "the {} export is a table with its evidence file beside it: give it with --out FILE",
                args.format
            );
            let out = Box::new(std::io::stdout());
            match &args.manifest {
                Some(path) => archive.export_with_manifest_file(
                    args.format,
                    out,
                    path,
                    &options,
                    &mut progress,
                )?,
                None => archive.export_to(
                    args.format,
                    Destination::Stream(out),
                    Box::new(std::io::sink()),
                    &options,
                    &mut progress,
                )?,
            }
        }
    };
    bar.finish_and_clear();
    if let Some(path) = &args.out {
        eprintln!("{}", summary.exported_to(args.format, path));
    }
    Ok(EXIT_OK)
}
