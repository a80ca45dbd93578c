//! `annalist import`: files and folders into the archive, with a progress bar by bytes.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use indicatif::ProgressStyle;

use crate::cli::args::ImportArgs;
use crate::cli::opening::open;
use crate::cli::output::{self, progress_bar, stdout};
use crate::cli::{EXIT_ERROR, EXIT_OK};
use crate::import::ImportOptions;

/// Imports `args.paths`; exit code 2 when some files failed.
pub(in crate::cli) fn import(dir: Option<PathBuf>, args: ImportArgs) -> anyhow::Result<u8> {
    let mut archive = open(dir)?;
    let options = ImportOptions {
        published: args.published,
        source: args.source,
        format: args.format,
        max_file_bytes: Some(args.max_file_mb.saturating_mul(1024 * 1024)),
    };
    // By bytes: one dump of gigabytes moves the bar as it streams, not only at its end.
    let bar = progress_bar("import");
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let cancel = AtomicBool::new(false);
    let report = archive.import(
        &args.paths,
        &options,
        &mut |p| {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
            bar.set_message(format!(
                "file {}/{}, {} new, {} duplicate",
                p.files_done, p.files_total, p.imported, p.duplicates
            ));
        },
        &cancel,
    )?;
    bar.finish_and_clear();
    let mut out = stdout();
    if args.json {
        output::json_line(&mut out, &report)?;
    } else {
        for failure in &report.failed_files {
            eprintln!("failed: {}", output::line(&failure.to_string()));
        }
        const SHOWN: usize = 100;
        for warning in report.warnings.iter().take(SHOWN) {
            eprintln!("warning: {}", output::line(&warning.to_string()));
        }
        if report.warning_count() > SHOWN {
            let more = report.warning_count() - SHOWN;
            if report.warnings_not_listed == 0 {
                eprintln!("warning: ... and {more} more (use --json to see all)");
            } else {
                eprintln!(
                    "warning: ... and {more} more (--json lists the first {})",
                    report.warnings.len()
                );
            }
        }
        // The alternate form adds the annotations and warnings to the app's summary line.
        writeln!(out, "{report:#}")?;
    }
    out.flush()?;
    Ok(if report.failed_files.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}
