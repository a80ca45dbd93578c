//! `annalist reindex`, `check` and `backup`: keeping the archive sound.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::opening::{open, open_read};
use crate::cli::output::{self, progress_bar, stdout};
use crate::cli::{EXIT_ERROR, EXIT_OK};
use crate::model::plural;

/// Rebuilds the search index from the database.
pub(in crate::cli) fn reindex(dir: Option<PathBuf>) -> anyhow::Result<u8> {
    let mut archive = open(dir)?;
    let bar = progress_bar("reindex");
    let done = archive.reindex(&mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
        true
    })?;
    bar.finish_and_clear();
    println!("indexed {}", plural(done, "article", "articles"));
    Ok(EXIT_OK)
}

/// Verifies (and with `repair`, repairs) the archive; exit code 2 when something is wrong.
pub(in crate::cli) fn check(dir: Option<PathBuf>, repair: bool, json: bool) -> anyhow::Result<u8> {
    // Either handle lives until the report is printed (its warnings come after it).
    let (mut writer, mut reader);
    let report = if repair {
        writer = open(dir)?;
        writer.check_and_repair()?
    } else {
        reader = open_read(dir)?;
        reader.check()?
    };
    let mut out = stdout();
    if json {
        output::json_line(&mut out, &serde_json::to_value(&report)?)?;
    } else {
        writeln!(out, "{report}")?;
        for line in &report.repaired {
            writeln!(out, "repaired: {}", output::line(line))?;
        }
        for line in &report.unrepaired {
            writeln!(out, "problem: {}", output::line(line))?;
        }
        if report.is_sound() {
            writeln!(out, "ok")?;
        }
    }
    out.flush()?;
    Ok(if report.is_sound() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

/// Copies the archive to `dest` with SQLite's online backup.
pub(in crate::cli) fn backup(dir: Option<PathBuf>, dest: &Path) -> anyhow::Result<u8> {
    let archive = open_read(dir)?;
    let bar = progress_bar("backup");
    let report = archive.backup(dest, &mut |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    println!(
        "backed up {} and {} ({:.1} MB) to {}",
        plural(report.articles, "article", "articles"),
        plural(report.annotations, "annotation", "annotations"),
        report.bytes as f64 / 1e6,
        dest.display()
    );
    Ok(EXIT_OK)
}
